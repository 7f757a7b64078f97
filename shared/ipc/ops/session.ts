import { z } from 'zod';
import { ROLES } from '../../domain/roles.js';
import { operation } from '../define.js';

export const newPassphraseSchema = z.string().min(8, 'at least 8 characters').max(1024);
export const usernameSchema = z.string().regex(/^[a-z0-9_.-]{2,40}$/, '2-40 lowercase letters, digits, _ . -');
export const displayNameSchema = z.string().trim().min(1).max(100);
const passphrase = newPassphraseSchema;
const username = usernameSchema;
const displayName = displayNameSchema;

export const sessionUser = z.strictObject({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: z.enum(ROLES),
});
export type SessionUser = z.infer<typeof sessionUser>;

export const storeStatus = z.strictObject({
  /** `none`: no store in the data folder yet (first run); `locked`; `unlocked` with the user. */
  state: z.enum(['none', 'locked', 'unlocked']),
  user: sessionUser.nullable(),
  usernames: z.array(z.string()),
  /** Seconds until the next unlock attempt is allowed after repeated failures; 0 when free. */
  retryAfterSeconds: z.number(),
  idleLockMinutes: z.number(),
});
export type StoreStatus = z.infer<typeof storeStatus>;

export const sessionOperations = {
  getStoreStatus: operation({ input: z.strictObject({}), output: storeStatus, access: 'public' }),
  createStore: operation({
    input: z.strictObject({ username, displayName, passphrase, withDemoData: z.boolean().default(false) }),
    output: storeStatus,
    access: 'public',
  }),
  unlock: operation({ input: z.strictObject({ username, passphrase: z.string().min(1).max(1024) }), output: storeStatus, access: 'public' }),
  lock: operation({ input: z.strictObject({}), output: storeStatus, access: 'signed_in' }),
  /** "Unlock with my OS account": works only for a profile that turned it on (setOsUnlock). */
  unlockWithOs: operation({ input: z.strictObject({ username }), output: storeStatus, access: 'public' }),
  /** The renderer reports user activity so the idle lock does not fire under an active investigator. */
  touch: operation({ input: z.strictObject({}), output: z.strictObject({}), access: 'signed_in' }),
};
