// Store administration: profiles, passphrases, keys, backup and restore, the audit trail and its check.
import { z } from 'zod';
import { ROLES } from '../../domain/roles.js';
import { operation } from '../define.js';
import { displayNameSchema, newPassphraseSchema, storeStatus, usernameSchema } from './session.js';

const anyPassphrase = z.string().min(1).max(1024);
const filePath = z.string().min(1).max(4096);

export const userSummary = z.strictObject({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: z.enum(ROLES),
  createdAt: z.string(),
  disabled: z.boolean(),
});
export type UserSummary = z.infer<typeof userSummary>;

export const verifyReport = z.strictObject({
  ok: z.boolean(),
  integrity: z.string(),
  auditEntries: z.number(),
  firstBrokenEntry: z.number().nullable(),
  problems: z.array(z.string()),
});
export type VerifyReport = z.infer<typeof verifyReport>;

export const auditEntry = z.strictObject({
  seq: z.number(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  target: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  prevHash: z.string(),
  hash: z.string(),
});
export type AuditEntryView = z.infer<typeof auditEntry>;

export const adminOperations = {
  listUsers: operation({ input: z.strictObject({}), output: z.array(userSummary), access: ['admin', 'team_lead'] }),
  addUser: operation({
    input: z.strictObject({ username: usernameSchema, displayName: displayNameSchema, role: z.enum(ROLES), passphrase: newPassphraseSchema }),
    output: userSummary,
    access: ['admin'],
  }),
  /** Rewraps the caller's own key slot; the database is not touched. */
  changePassphrase: operation({
    input: z.strictObject({ currentPassphrase: anyPassphrase, newPassphrase: newPassphraseSchema }),
    output: z.strictObject({}),
    access: 'signed_in',
  }),
  setOsUnlock: operation({ input: z.strictObject({ enabled: z.boolean() }), output: z.strictObject({}), access: 'signed_in' }),
  setIdleLockMinutes: operation({ input: z.strictObject({ minutes: z.number().int().min(1).max(1440) }), output: storeStatus, access: ['admin'] }),
  /** New data key, whole file re-encrypted, every slot resealed. Asks for the caller's passphrase again. */
  rekeyStore: operation({ input: z.strictObject({ passphrase: anyPassphrase }), output: z.strictObject({ slots: z.number() }), access: ['admin'] }),
  backupStore: operation({
    input: z.strictObject({ path: filePath }),
    output: z.strictObject({ file: z.string(), bytes: z.number(), createdAt: z.string() }),
    access: ['admin'],
  }),
  /** Replaces the store with a verified backup, then leaves the session locked. */
  restoreStore: operation({
    input: z.strictObject({ path: filePath, passphrase: anyPassphrase, backupUsername: usernameSchema, backupPassphrase: anyPassphrase }),
    output: z.strictObject({ restoredFrom: z.string(), backupCreatedAt: z.string(), previousStoreKeptAt: z.string().nullable(), report: verifyReport }),
    access: ['admin'],
  }),
  verifyStore: operation({ input: z.strictObject({}), output: verifyReport, access: ['admin', 'team_lead'] }),
  listAudit: operation({
    input: z.strictObject({ before: z.number().int().positive().optional(), limit: z.number().int().min(1).max(500).default(100), target: z.string().max(200).optional() }),
    output: z.strictObject({ entries: z.array(auditEntry), total: z.number() }),
    access: ['admin', 'team_lead'],
  }),
};
