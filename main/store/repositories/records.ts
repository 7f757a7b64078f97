// All SQL over imported records (002_records): batched upserts that replace a row only when its content
// differs, the store-wide change sequence, findings, end-of-import reference checks, batches and reports.
import type { Statement } from 'better-sqlite3-multiple-ciphers';
import type { RecordFinding } from '../../../shared/interchange/findings.js';
import { RECORD_KEY, RECORD_REFERENCES } from '../../../shared/interchange/references.js';
import { RECORD_TYPES, type InterchangeRecord, type RecordType } from '../../../shared/interchange/schema.js';
import { normaliseEmployer } from '../../interchange/employer.js';
import { residentIdBirthDate } from '../../interchange/residentId.js';
import type { Database } from '../database.js';
import { canonicalJson } from '../canonicalJson.js';

export type SqlValue = string | number | null;

/** Table of each record type (others read these names from here, never retype them). */
export const RECORD_TABLES: { readonly [T in RecordType]: string } = {
  applicant: 'applicants',
  application: 'applications',
  device: 'devices',
  event: 'events',
  bank_card: 'bank_cards',
  pf_record: 'pf_records',
  bureau: 'bureau_reports',
  decision: 'decisions',
  appeal: 'appeals',
  label: 'labels',
};

/** Rejected lines kept per batch for the report; the summary still counts every one. */
export const IMPORT_REPORT_LIMIT = 100_000;

const str = (v: unknown): SqlValue => (typeof v === 'string' ? v : null);
const num = (v: unknown): SqlValue => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const int = (v: unknown): SqlValue => (typeof v === 'number' && Number.isInteger(v) ? v : null);
const bool = (v: unknown): SqlValue => (typeof v === 'boolean' ? (v ? 1 : 0) : null);
const ms = (v: unknown): number => (typeof v === 'string' ? Date.parse(v) : Number.NaN);
const obj = (v: unknown): Record<string, unknown> => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>) : {});

interface TableSpec {
  readonly columns: readonly string[];
  values(r: Record<string, unknown>): SqlValue[];
}

// Indexed columns per type, in table order after the key. Values come from a record that passed validation.
const SPECS: { readonly [T in RecordType]: TableSpec } = {
  applicant: {
    columns: ['name', 'id_number', 'phone', 'birth_date', 'province', 'city', 'employer', 'declared_income_monthly', 'registered_at'],
    values: (r) => {
      const address = obj(r['address']);
      const idNumber = String(r['id_number']);
      return [str(r['name']), idNumber, str(r['phone']), residentIdBirthDate(idNumber), str(address['province']), str(address['city']), str(r['employer']), num(r['declared_income_monthly']), str(r['registered_at'])];
    },
  },
  application: {
    columns: ['applicant_id', 'submitted_at', 'submitted_ms', 'product', 'channel', 'requested_limit', 'platform_score', 'platform_decision'],
    values: (r) => [str(r['applicant_id']), str(r['submitted_at']), ms(r['submitted_at']), str(r['product']), str(r['channel']), num(r['requested_limit']), num(r['platform_score']), str(r['platform_decision'])],
  },
  device: {
    columns: ['observed_at', 'observed_ms', 'platform', 'applicant_id', 'application_id', 'session_id', 'ip', 'model'],
    values: (r) => [str(r['observed_at']), ms(r['observed_at']), str(r['platform']), str(r['applicant_id']), str(r['application_id']), str(r['session_id']), str(r['ip']), str(obj(r['hardware'])['model'])],
  },
  event: {
    columns: ['application_id', 'ts', 'ts_ms', 'kind', 'step', 'session_id', 'device_id', 'ip'],
    values: (r) => [str(r['application_id']), str(r['ts']), ms(r['ts']), str(r['kind']), int(r['step']), str(r['session_id']), str(r['device_id']), str(r['ip'])],
  },
  bank_card: {
    columns: ['applicant_id', 'card_hash', 'bin', 'bank', 'bound_at', 'holder_name_match', 'reserved_phone'],
    values: (r) => [str(r['applicant_id']), str(r['card_hash']), str(r['bin']), str(r['bank']), str(r['bound_at']), bool(r['holder_name_match']), str(r['reserved_phone'])],
  },
  pf_record: {
    columns: ['applicant_id', 'city', 'employer', 'employer_code', 'status', 'contribution_base', 'rate', 'monthly_total', 'first_month', 'last_month', 'months_paid', 'employer_key'],
    values: (r) => [
      str(r['applicant_id']), str(r['city']), str(r['employer']), str(r['employer_code']), str(r['status']), num(r['contribution_base']), num(r['rate']),
      num(r['monthly_total']), str(r['first_month']), str(r['last_month']), int(r['months_paid']), normaliseEmployer(String(r['employer'])),
    ],
  },
  bureau: {
    columns: ['applicant_id', 'reported_at', 'score', 'inquiries_3m', 'open_loans', 'overdue_count', 'max_overdue_days'],
    values: (r) => [str(r['applicant_id']), str(r['reported_at']), num(r['score']), int(r['inquiries_3m']), int(r['open_loans']), int(r['overdue_count']), int(r['max_overdue_days'])],
  },
  decision: {
    columns: ['application_id', 'at', 'at_ms', 'outcome', 'decided_by', 'limit_amount'],
    values: (r) => [str(r['application_id']), str(r['at']), ms(r['at']), str(r['outcome']), str(r['by']), num(r['limit'])],
  },
  appeal: {
    columns: ['application_id', 'filed_at', 'filed_ms', 'channel'],
    values: (r) => [str(r['application_id']), str(r['filed_at']), ms(r['filed_at']), str(r['channel'])],
  },
  label: {
    columns: ['is_fraud', 'pattern', 'source'],
    values: (r) => [bool(r['is_fraud']), str(r['pattern']), str(r['source'])],
  },
};

/** The indexed column values of a record, in table order after its key (the benchmark's bare insert reuses them). */
export function rowValuesOf(type: RecordType, record: InterchangeRecord): SqlValue[] {
  return SPECS[type].values(record);
}

/** The columns a row is written to, in order: the key, the indexed columns (as rowValuesOf), then raw JSON and provenance. */
export function rowColumnsOf(type: RecordType): string[] {
  return [RECORD_KEY[type], ...SPECS[type].columns, 'raw', 'batch_id', 'created_batch_id', 'source_file', 'source_line', 'change_seq'];
}

/** The key column's value: `id`, or `application_id` for labels. */
export function recordKeyOf(type: RecordType, record: InterchangeRecord): string {
  return String((record as Record<string, unknown>)[RECORD_KEY[type]]);
}

export interface StagedRecord {
  readonly type: RecordType;
  /** The record's key (`id`, or `application_id` for a label). */
  readonly key: string;
  /** Its indexed column values (rowValuesOf), computed where the record was parsed. */
  readonly values: readonly SqlValue[];
  /** The record's JSON as received (unknown fields kept): stored as `raw` and compared for changes. */
  readonly json: string;
  readonly findings: readonly RecordFinding[];
  readonly file: string;
  readonly line: number;
}

export interface RejectedLine {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

export interface TypeCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}
export type CountsByType = Record<RecordType, TypeCounts>;

export function emptyCounts(): CountsByType {
  return Object.fromEntries(RECORD_TYPES.map((t) => [t, { inserted: 0, updated: 0, unchanged: 0 }])) as CountsByType;
}

export interface DanglingReference {
  readonly type: RecordType;
  readonly id: string;
  readonly field: string;
  readonly target: RecordType;
  readonly value: string;
  readonly file: string;
  readonly line: number;
  /** How the removed row had counted in this batch, so the summary can take it back. */
  readonly countedAs: 'inserted' | 'updated' | 'earlier_batch';
}

export interface ImportBatchRow {
  readonly id: number;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly status: 'running' | 'completed' | 'cancelled' | 'failed';
  readonly actor: string;
  readonly strict: boolean;
  readonly files: readonly string[];
  readonly summary: unknown;
  readonly firstChangeSeq: number;
  readonly lastChangeSeq: number | null;
}

export interface StoredRecord {
  readonly type: RecordType;
  readonly id: string;
  /** The record as imported, unknown fields included. */
  readonly record: Record<string, unknown>;
  readonly findings: readonly RecordFinding[];
  readonly changeSeq: number;
  readonly batchId: number;
}

interface TypeStatements {
  readonly select: Statement<[string], { raw: string; batch_id: number; created_batch_id: number }>;
  readonly insert: Statement<SqlValue[]>;
  readonly update: Statement<SqlValue[]>;
  readonly remove: Statement<[string]>;
  readonly getRow: Statement<[string], { raw: string; change_seq: number; batch_id: number }>;
  readonly count: Statement<[], { n: number }>;
}

/** How many forward references one import remembers before its end check falls back to a full scan. */
export const UNRESOLVED_REFERENCE_LIMIT = 100_000;
/** Keys per record type remembered as existing, so references to recent records need no lookup. */
const KNOWN_KEYS_PER_TYPE = 8_192;

// References of one record type, with where their value sits in [key, ...columns].
interface TypeReference {
  readonly index: number;
  readonly field: string;
  readonly target: RecordType;
  readonly valueAt: number;
}

/**
 * What one import learns while it writes: every reference of every row it writes is looked up then;
 * those that pointed nowhere at that moment are remembered. If nothing else touched the records meanwhile,
 * the end check need only look at those, not scan every changed row (identical result, see finishReferences).
 */
interface ReferenceTracker {
  readonly startChangeSeq: number;
  readonly startCheckedSeq: number;
  consumed: number;
  overflow: boolean;
  readonly unresolved: { readonly ref: number; readonly id: string }[];
  readonly known: Map<RecordType, Set<string>>;
}

export interface RecordsRepository {
  /** `trackReferences` false: the end check scans every changed row (see finishReferences). */
  beginBatch(input: { actor: string; strict: boolean; files: readonly string[]; startedAt: string; trackReferences?: boolean }): number;
  /**
   * Upserts records and appends rejected lines in ONE transaction; counts what happened per type and the
   * findings written. `records` is iterated once, inside the transaction; `rejected` is read after it,
   * so lines the iteration adds to it go into the same transaction.
   */
  writeBatch(batchId: number, records: Iterable<StagedRecord>, rejected: readonly RejectedLine[]): { counts: CountsByType; findings: number; records: number };
  /**
   * End of an import: removes rows whose references point nowhere (changed since the last completed
   * check, so an interrupted import's rows are checked too), refreshes age findings, advances the watermark.
   */
  finishReferences(batchId: number, ageFinding: (birthDate: string | null, submittedMs: number) => RecordFinding | null): { removed: DanglingReference[]; ageFindings: number };
  finishBatch(batchId: number, status: ImportBatchRow['status'], summary: unknown, finishedAt: string): void;
  batch(batchId: number): ImportBatchRow | undefined;
  latestBatch(): ImportBatchRow | undefined;
  rejections(batchId: number, limit?: number): RejectedLine[];
  /** The last change_seq handed out: the analysis engines' watermark for "what changed". */
  currentChangeSeq(): number;
  get(type: RecordType, id: string): StoredRecord | undefined;
  findings(type: RecordType, id: string): RecordFinding[];
  countByType(): Record<RecordType, number>;
  findingsCount(): number;
}

/**
 * Whether two lines hold the same record, written differently (key order, spacing, escapes, 1.0 for 1):
 * interchange.md replaces a record only if its content differs, and a re-export from another tool must
 * not count as a change (it would be analysed again for nothing).
 */
function sameContent(stored: string, incoming: string): boolean {
  try {
    return canonicalJson(JSON.parse(stored)) === canonicalJson(JSON.parse(incoming));
  } catch {
    return false;
  }
}

export function createRecordsRepository(db: Database): RecordsRepository {
  const perType = new Map<RecordType, TypeStatements>();
  for (const type of RECORD_TYPES) {
    const table = RECORD_TABLES[type];
    const key = RECORD_KEY[type];
    const spec = SPECS[type];
    const insertColumns = rowColumnsOf(type);
    const updateColumns = [...spec.columns, 'raw', 'batch_id', 'source_file', 'source_line', 'change_seq'];
    perType.set(type, {
      select: db.prepare(`SELECT raw, batch_id, created_batch_id FROM ${table} WHERE ${key} = ?`),
      insert: db.prepare<SqlValue[]>(`INSERT INTO ${table} (${insertColumns.join(', ')}) VALUES (${insertColumns.map(() => '?').join(', ')}) ON CONFLICT (${key}) DO NOTHING`),
      update: db.prepare<SqlValue[]>(`UPDATE ${table} SET ${updateColumns.map((c) => `${c} = ?`).join(', ')} WHERE ${key} = ?`),
      remove: db.prepare(`DELETE FROM ${table} WHERE ${key} = ?`),
      getRow: db.prepare(`SELECT raw, change_seq, batch_id FROM ${table} WHERE ${key} = ?`),
      count: db.prepare(`SELECT count(*) AS n FROM ${table}`),
    });
  }
  const statementsOf = (type: RecordType): TypeStatements => perType.get(type) as TypeStatements;

  const exists = new Map<RecordType, Statement<[string], number>>();
  for (const type of RECORD_TYPES) exists.set(type, db.prepare<[string], number>(`SELECT 1 FROM ${RECORD_TABLES[type]} WHERE ${RECORD_KEY[type]} = ?`).pluck());
  // null when a reference field is not among the staged values: then every end check scans (the old way).
  const referencesOf = new Map<RecordType, TypeReference[]>(RECORD_TYPES.map((t) => [t, []]));
  let trackable = true;
  RECORD_REFERENCES.forEach((ref, index) => {
    const columns = [RECORD_KEY[ref.type], ...SPECS[ref.type].columns];
    const valueAt = columns.indexOf(ref.field);
    if (valueAt === -1) trackable = false;
    else referencesOf.get(ref.type)?.push({ index, field: ref.field, target: ref.target, valueAt });
  });
  const trackers = new Map<number, ReferenceTracker>();
  const danglingRow = new Map<string, Statement<[string], DanglingRow>>();
  for (const ref of RECORD_REFERENCES) {
    danglingRow.set(
      `${ref.type}.${ref.field}`,
      db.prepare(
        `SELECT s.${RECORD_KEY[ref.type]} AS id, s.${ref.field} AS value, s.source_file AS file, s.source_line AS line, s.batch_id, s.created_batch_id, s.change_seq
         FROM ${RECORD_TABLES[ref.type]} s WHERE s.${RECORD_KEY[ref.type]} = ? AND s.${ref.field} IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM ${RECORD_TABLES[ref.target]} t WHERE t.${RECORD_KEY[ref.target]} = s.${ref.field})`,
      ),
    );
  }

  const referenced = new Set<RecordType>(RECORD_REFERENCES.map((ref) => ref.target));
  const remember = (tracker: ReferenceTracker, type: RecordType, id: string): void => {
    if (!referenced.has(type)) return;
    const known = tracker.known.get(type) as Set<string>;
    // Forgetting all at once keeps this O(1): references cluster around recent records anyway.
    if (known.size >= KNOWN_KEYS_PER_TYPE) known.clear();
    known.add(id);
  };
  /** Looks up each reference of a row just written; remembers the ones that point nowhere yet. */
  const track = (tracker: ReferenceTracker, staged: StagedRecord): void => {
    for (const ref of referencesOf.get(staged.type) as TypeReference[]) {
      const value = ref.valueAt === 0 ? staged.key : staged.values[ref.valueAt - 1];
      if (value === null || value === undefined) continue;
      const id = String(value);
      if ((tracker.known.get(ref.target) as Set<string>).has(id)) continue;
      if ((exists.get(ref.target) as Statement<[string], number>).get(id) !== undefined) {
        remember(tracker, ref.target, id);
        continue;
      }
      if (tracker.unresolved.length >= UNRESOLVED_REFERENCE_LIMIT) tracker.overflow = true;
      else tracker.unresolved.push({ ref: ref.index, id: staged.key });
    }
  };

  const readCounter = db.prepare<[string], { value: number }>('SELECT value FROM import_state WHERE key = ?');
  const writeCounter = db.prepare<[number, string]>('UPDATE import_state SET value = ? WHERE key = ?');
  const insertFinding = db.prepare<[string, string, string, string, string, number]>(
    'INSERT OR REPLACE INTO record_findings (record_type, record_id, code, field, detail, batch_id) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const deleteFindings = db.prepare<[string, string]>('DELETE FROM record_findings WHERE record_type = ? AND record_id = ?');
  const deleteFindingCode = db.prepare<[string, string, string]>('DELETE FROM record_findings WHERE record_type = ? AND record_id = ? AND code = ?');
  const selectFindings = db.prepare<[string, string], { code: RecordFinding['code']; field: string; detail: string }>(
    'SELECT code, field, detail FROM record_findings WHERE record_type = ? AND record_id = ? ORDER BY code, field',
  );
  const countFindings = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM record_findings');
  const insertBatch = db.prepare<[string, string, number, string, number]>(
    `INSERT INTO import_batches (started_at, status, actor, strict, files_json, first_change_seq) VALUES (?, 'running', ?, ?, ?, ?)`,
  );
  const updateBatch = db.prepare<[string, string, string, number, number]>('UPDATE import_batches SET status = ?, summary_json = ?, finished_at = ?, last_change_seq = ? WHERE id = ?');
  const selectBatch = db.prepare<[number], BatchDbRow>('SELECT * FROM import_batches WHERE id = ?');
  const selectLatestBatch = db.prepare<[], BatchDbRow>('SELECT * FROM import_batches ORDER BY id DESC LIMIT 1');
  const countRejections = db.prepare<[number], { n: number }>('SELECT count(*) AS n FROM import_rejections WHERE batch_id = ?');
  const insertRejection = db.prepare<[number, number, string, number, string]>('INSERT INTO import_rejections (batch_id, seq, file, line, message) VALUES (?, ?, ?, ?, ?)');
  const selectRejections = db.prepare<[number, number], RejectedLine>('SELECT file, line, message FROM import_rejections WHERE batch_id = ? ORDER BY seq LIMIT ?');

  const counter = (key: string): number => readCounter.get(key)?.value ?? 0;

  // Reference checks: rows changed since the watermark, or (after a removal upstream) every row.
  const danglingSince = new Map<string, Statement<[number], DanglingRow>>();
  for (const ref of RECORD_REFERENCES) {
    const source = RECORD_TABLES[ref.type];
    const target = RECORD_TABLES[ref.target];
    danglingSince.set(
      `${ref.type}.${ref.field}`,
      db.prepare(
        `SELECT s.${RECORD_KEY[ref.type]} AS id, s.${ref.field} AS value, s.source_file AS file, s.source_line AS line, s.batch_id, s.created_batch_id, s.change_seq
         FROM ${source} s WHERE s.change_seq > ? AND s.${ref.field} IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM ${target} t WHERE t.${RECORD_KEY[ref.target]} = s.${ref.field})
         ORDER BY s.change_seq`,
      ),
    );
  }
  // Applications changed, and unchanged ones whose applicant changed: disjoint, so no de-duplication pass.
  const ageCandidates = db.prepare<[number, number, number], { id: string; submitted_ms: number; birth_date: string | null }>(
    `SELECT a.id, a.submitted_ms, p.birth_date FROM applications a JOIN applicants p ON p.id = a.applicant_id WHERE a.change_seq > ?
     UNION ALL SELECT a.id, a.submitted_ms, p.birth_date FROM applicants p JOIN applications a ON a.applicant_id = p.id WHERE p.change_seq > ? AND a.change_seq <= ?`,
  );

  const writeFindings = (type: RecordType, id: string, findings: readonly RecordFinding[], batchId: number): void => {
    for (const f of findings) insertFinding.run(type, id, f.code, f.field, f.detail, batchId);
  };

  return {
    beginBatch(input) {
      const changeSeq = counter('change_seq');
      const info = insertBatch.run(input.startedAt, input.actor, input.strict ? 1 : 0, JSON.stringify(input.files), changeSeq + 1);
      const batchId = Number(info.lastInsertRowid);
      if (input.trackReferences !== false && trackable) {
        trackers.set(batchId, { startChangeSeq: changeSeq, startCheckedSeq: counter('checked_seq'), consumed: 0, overflow: false, unresolved: [], known: new Map(RECORD_TYPES.map((t) => [t, new Set<string>()])) });
      }
      return batchId;
    },

    writeBatch(batchId, records, rejected) {
      const tracker = trackers.get(batchId);
      try {
        return db.transaction(() => {
          const counts = emptyCounts();
          let findings = 0;
          let written = 0;
          const first = counter('change_seq');
          let seq = first;
          for (const staged of records) {
            written += 1;
            const statements = statementsOf(staged.type);
            const id = staged.key;
            const tally = counts[staged.type];
            const values = staged.values;
            // New records (the common case) cost one statement; only a key that exists is read and compared.
            if (statements.insert.run(id, ...values, staged.json, batchId, batchId, staged.file, staged.line, seq + 1).changes === 1) {
              seq += 1;
              tally.inserted += 1;
            } else {
              const existing = statements.select.get(id);
              if (existing !== undefined && (existing.raw === staged.json || sameContent(existing.raw, staged.json))) {
                tally.unchanged += 1;
                if (tracker !== undefined) remember(tracker, staged.type, id);
                continue;
              }
              seq += 1;
              statements.update.run(...values, staged.json, batchId, staged.file, staged.line, seq, id);
              deleteFindings.run(staged.type, id);
              tally.updated += 1;
            }
            writeFindings(staged.type, id, staged.findings, batchId);
            findings += staged.findings.length;
            if (tracker !== undefined) {
              track(tracker, staged);
              remember(tracker, staged.type, id);
            }
          }
          writeCounter.run(seq, 'change_seq');
          if (tracker !== undefined) tracker.consumed += seq - first;
          if (rejected.length > 0) {
            let stored = countRejections.get(batchId)?.n ?? 0;
            for (const r of rejected) {
              if (stored >= IMPORT_REPORT_LIMIT) break;
              stored += 1;
              insertRejection.run(batchId, stored, r.file, r.line, r.message);
            }
          }
          return { counts, findings, records: written };
        }).immediate();
      } catch (error) {
        // Rolled back: keys it remembered may not exist. The end check then scans, as it always did.
        if (tracker !== undefined) tracker.overflow = true;
        throw error;
      }
    },

    finishReferences(batchId, ageFinding) {
      return db.transaction(() => {
        const watermark = counter('checked_seq');
        // Rows changed since the watermark are exactly the rows this import wrote, each of whose references
        // was looked up when written: only those that pointed nowhere then can point nowhere now.
        const tracker = trackers.get(batchId);
        const onlyUnresolved =
          tracker !== undefined &&
          !tracker.overflow &&
          tracker.startCheckedSeq === tracker.startChangeSeq &&
          watermark === tracker.startCheckedSeq &&
          counter('change_seq') === tracker.startChangeSeq + tracker.consumed;
        const removed: DanglingReference[] = [];
        const removedTypes = new Set<RecordType>();
        RECORD_REFERENCES.forEach((ref, index) => {
          const key = `${ref.type}.${ref.field}`;
          let rows: DanglingRow[];
          if (removedTypes.has(ref.target)) {
            // After removing rows of the target type, older rows may point at them too: check them all.
            rows = danglingSince.get(key)?.all(0) ?? [];
          } else if (onlyUnresolved) {
            const lookup = danglingRow.get(key) as Statement<[string], DanglingRow>;
            const found = new Map<string, DanglingRow>();
            for (const entry of tracker.unresolved) {
              if (entry.ref !== index || found.has(entry.id)) continue;
              const row = lookup.get(entry.id);
              if (row !== undefined) found.set(entry.id, row);
            }
            rows = [...found.values()].sort((a, b) => a.change_seq - b.change_seq);
          } else {
            rows = danglingSince.get(key)?.all(watermark) ?? [];
          }
          for (const row of rows) {
            statementsOf(ref.type).remove.run(row.id);
            deleteFindings.run(ref.type, row.id);
            removedTypes.add(ref.type);
            const countedAs = row.created_batch_id === batchId ? 'inserted' : row.batch_id === batchId ? 'updated' : 'earlier_batch';
            removed.push({ type: ref.type, id: row.id, field: ref.field, target: ref.target, value: row.value, file: row.file, line: row.line, countedAs });
          }
        });
        let ageFindings = 0;
        for (const row of ageCandidates.all(watermark, watermark, watermark)) {
          deleteFindingCode.run('application', row.id, 'applicant_age_implausible');
          const finding = ageFinding(row.birth_date, row.submitted_ms);
          if (finding === null) continue;
          insertFinding.run('application', row.id, finding.code, finding.field, finding.detail, batchId);
          ageFindings += 1;
        }
        writeCounter.run(counter('change_seq'), 'checked_seq');
        return { removed, ageFindings };
      }).immediate();
    },

    finishBatch(batchId, status, summary, finishedAt) {
      trackers.delete(batchId);
      updateBatch.run(status, JSON.stringify(summary), finishedAt, counter('change_seq'), batchId);
    },

    batch(batchId) {
      const row = selectBatch.get(batchId);
      return row === undefined ? undefined : batchFromRow(row);
    },
    latestBatch() {
      const row = selectLatestBatch.get();
      return row === undefined ? undefined : batchFromRow(row);
    },
    rejections(batchId, limit = IMPORT_REPORT_LIMIT) {
      return selectRejections.all(batchId, limit);
    },
    currentChangeSeq: () => counter('change_seq'),
    get(type, id) {
      const row = statementsOf(type).getRow.get(id);
      if (row === undefined) return undefined;
      return { type, id, record: JSON.parse(row.raw) as Record<string, unknown>, findings: selectFindings.all(type, id), changeSeq: row.change_seq, batchId: row.batch_id };
    },
    findings: (type, id) => selectFindings.all(type, id),
    countByType() {
      return Object.fromEntries(RECORD_TYPES.map((t) => [t, statementsOf(t).count.get()?.n ?? 0])) as Record<RecordType, number>;
    },
    findingsCount: () => countFindings.get()?.n ?? 0,
  };
}

interface DanglingRow {
  id: string;
  value: string;
  file: string;
  line: number;
  batch_id: number;
  created_batch_id: number;
  change_seq: number;
}

interface BatchDbRow {
  id: number;
  started_at: string;
  finished_at: string | null;
  status: ImportBatchRow['status'];
  actor: string;
  strict: number;
  files_json: string;
  summary_json: string | null;
  first_change_seq: number;
  last_change_seq: number | null;
}

function batchFromRow(row: BatchDbRow): ImportBatchRow {
  return {
    id: row.id,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    status: row.status,
    actor: row.actor,
    strict: row.strict === 1,
    files: JSON.parse(row.files_json) as string[],
    summary: row.summary_json === null ? null : (JSON.parse(row.summary_json) as unknown),
    firstChangeSeq: row.first_change_seq,
    lastChangeSeq: row.last_change_seq,
  };
}
