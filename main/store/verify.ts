// `vigil verify` and the Settings page: is the file sound, is the schema ours, does the audit chain hold.
import type { StoreHandle } from './open.js';
import { checkAuditChain } from './audit.js';
import { MIGRATIONS } from './migrations/index.js';
import { pendingMigrations } from './migrations/runner.js';

export interface VerifyReport {
  readonly ok: boolean;
  /** PRAGMA integrity_check's answer, `ok` when the file is sound. */
  readonly integrity: string;
  readonly auditEntries: number;
  /** seq of the first audit entry that does not hold (edited, removed, reordered), or null. */
  readonly firstBrokenEntry: number | null;
  readonly problems: string[];
}

export function verifyStore(store: StoreHandle): VerifyReport {
  const { db } = store;
  const problems: string[] = [];
  const integrityRows = db.prepare('PRAGMA integrity_check').pluck().all() as string[];
  const integrity = integrityRows.join('\n');
  if (integrity !== 'ok') problems.push(`the database file is damaged: ${integrityRows.slice(0, 5).join('; ')}`);

  const foreignKeyViolations = db.prepare('PRAGMA foreign_key_check').all().length;
  if (foreignKeyViolations > 0) problems.push(`${foreignKeyViolations} rows refer to rows that do not exist`);

  try {
    const pending = pendingMigrations(db, MIGRATIONS);
    if (pending.length > 0) problems.push(`schema steps not applied: ${pending.map((m) => `${m.id} ${m.name}`).join(', ')}`);
  } catch (error) {
    problems.push(error instanceof Error ? error.message : String(error));
  }

  const chain = checkAuditChain(db);
  if (chain.problem !== null) problems.push(chain.problem);
  return { ok: problems.length === 0, integrity, auditEntries: chain.entries, firstBrokenEntry: chain.firstBrokenEntry, problems };
}
