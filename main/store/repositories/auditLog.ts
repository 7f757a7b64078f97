// Reading the audit log (writing goes through appendAudit, which owns the chain).
import type { Statement } from 'better-sqlite3-multiple-ciphers';
import type { Database } from '../database.js';
import { auditEntryFromRow, type AuditEntry, type AuditRow } from '../audit.js';

export interface AuditLogRepository {
  count(): number;
  /** Newest first, `before` a seq for paging. */
  page(options: { before?: number; limit: number; target?: string }): AuditEntry[];
}

export function createAuditLogRepository(db: Database): AuditLogRepository {
  const columns = 'seq, at, actor, action, target, before_json, after_json, prev_hash, hash';
  const count = db.prepare('SELECT count(*) FROM audit_log').pluck() as Statement<[], number>;
  const page: Statement<[number, number], AuditRow> = db.prepare(`SELECT ${columns} FROM audit_log WHERE seq < ? ORDER BY seq DESC LIMIT ?`);
  const pageForTarget: Statement<[string, number, number], AuditRow> = db.prepare(
    `SELECT ${columns} FROM audit_log WHERE target = ? AND seq < ? ORDER BY seq DESC LIMIT ?`,
  );
  return {
    count: () => count.get() ?? 0,
    page({ before, limit, target }) {
      const upper = before ?? Number.MAX_SAFE_INTEGER;
      const rows = target === undefined ? page.all(upper, limit) : pageForTarget.all(target, upper, limit);
      return rows.map(auditEntryFromRow);
    },
  };
}
