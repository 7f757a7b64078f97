// The audit chain: every state change appends an entry whose hash covers the previous entry's hash,
// so editing, removing or reordering any entry breaks every hash after it.
import { createHash } from 'node:crypto';
import type { Database } from './database.js';
import type { Statement } from 'better-sqlite3-multiple-ciphers';
import { canonicalJson } from './canonicalJson.js';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEntryInput {
  /** A user id, or `system` / `cli` for changes no signed-in person made. */
  readonly actor: string;
  /** Dotted verb, e.g. `user.create`, `pii.reveal`, `case.decide`. */
  readonly action: string;
  /** What was changed, e.g. `user:<id>`, `applicant:<id>#id_number`. */
  readonly target?: string | null;
  /** Summaries, never clear PII: the audit is read by more people than may see it. */
  readonly before?: unknown;
  readonly after?: unknown;
  readonly at?: string;
}

export interface AuditEntry {
  readonly seq: number;
  readonly at: string;
  readonly actor: string;
  readonly action: string;
  readonly target: string | null;
  readonly before: unknown;
  readonly after: unknown;
  readonly prevHash: string;
  readonly hash: string;
}

export interface AuditRow {
  seq: number;
  at: string;
  actor: string;
  action: string;
  target: string | null;
  before_json: string | null;
  after_json: string | null;
  prev_hash: string;
  hash: string;
}

/** hash = sha256(prev_hash + canonical JSON of the entry's fields, seq included). */
export function auditHash(prevHash: string, entry: Omit<AuditEntry, 'prevHash' | 'hash'>): string {
  const body = canonicalJson({
    seq: entry.seq,
    at: entry.at,
    actor: entry.actor,
    action: entry.action,
    target: entry.target,
    before: entry.before ?? null,
    after: entry.after ?? null,
  });
  return createHash('sha256').update(prevHash).update(body).digest('hex');
}

interface AuditStatements {
  head: Statement<[], { seq: number; hash: string }>;
  insert: Statement<[AuditRow]>;
}
const statements = new WeakMap<Database, AuditStatements>();

function statementsFor(db: Database): AuditStatements {
  let prepared = statements.get(db);
  if (prepared === undefined) {
    prepared = {
      head: db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1'),
      insert: db.prepare(
        'INSERT INTO audit_log (seq, at, actor, action, target, before_json, after_json, prev_hash, hash) VALUES (@seq, @at, @actor, @action, @target, @before_json, @after_json, @prev_hash, @hash)',
      ),
    };
    statements.set(db, prepared);
  }
  return prepared;
}

/**
 * Appends one entry. Call it inside the transaction of the change it records, so both commit or neither;
 * outside one it opens its own (a savepoint when nested), keeping read-head-then-insert atomic.
 */
export function appendAudit(db: Database, input: AuditEntryInput): AuditEntry {
  const prepared = statementsFor(db);
  return db.transaction((): AuditEntry => {
    const head = prepared.head.get();
    const prevHash = head?.hash ?? GENESIS_HASH;
    const before = input.before === undefined ? null : (JSON.parse(canonicalJson(input.before)) as unknown);
    const after = input.after === undefined ? null : (JSON.parse(canonicalJson(input.after)) as unknown);
    const entry = {
      seq: (head?.seq ?? 0) + 1,
      at: input.at ?? new Date().toISOString(),
      actor: input.actor,
      action: input.action,
      target: input.target ?? null,
      before,
      after,
    };
    const hash = auditHash(prevHash, entry);
    prepared.insert.run({
      seq: entry.seq,
      at: entry.at,
      actor: entry.actor,
      action: entry.action,
      target: entry.target,
      before_json: before === null ? null : canonicalJson(before),
      after_json: after === null ? null : canonicalJson(after),
      prev_hash: prevHash,
      hash,
    });
    return { ...entry, prevHash, hash };
  })();
}

export function auditEntryFromRow(row: AuditRow): AuditEntry {
  return {
    seq: row.seq,
    at: row.at,
    actor: row.actor,
    action: row.action,
    target: row.target,
    before: row.before_json === null ? null : (JSON.parse(row.before_json) as unknown),
    after: row.after_json === null ? null : (JSON.parse(row.after_json) as unknown),
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

export interface ChainCheck {
  readonly entries: number;
  /** seq of the first entry whose hash or link does not hold, or null when the whole chain holds. */
  readonly firstBrokenEntry: number | null;
  readonly problem: string | null;
}

/** Walks the whole chain in seq order (streaming: constant memory however long the log). */
export function checkAuditChain(db: Database): ChainCheck {
  let expectedPrev = GENESIS_HASH;
  let expectedSeq = 1;
  let entries = 0;
  const rows = db.prepare('SELECT seq, at, actor, action, target, before_json, after_json, prev_hash, hash FROM audit_log ORDER BY seq').iterate() as IterableIterator<AuditRow>;
  for (const row of rows) {
    entries += 1;
    const broken = (problem: string): ChainCheck => {
      rows.return?.();
      return { entries: Number(db.prepare('SELECT count(*) AS n FROM audit_log').pluck().get()), firstBrokenEntry: row.seq, problem };
    };
    if (row.seq !== expectedSeq) return broken(`audit entry ${expectedSeq} is missing (the next one is ${row.seq})`);
    if (row.prev_hash !== expectedPrev) return broken(`audit entry ${row.seq} does not link to the entry before it`);
    let entry: AuditEntry;
    try {
      entry = auditEntryFromRow(row);
    } catch {
      return broken(`audit entry ${row.seq} holds malformed JSON`);
    }
    if (auditHash(row.prev_hash, entry) !== row.hash) return broken(`audit entry ${row.seq} was changed after it was written (its hash does not match its content)`);
    expectedPrev = row.hash;
    expectedSeq += 1;
  }
  return { entries, firstBrokenEntry: null, problem: null };
}
