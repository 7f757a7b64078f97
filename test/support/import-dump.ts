// Dumps the imported records of a store as text, to compare stores: `content` leaves out the import
// bookkeeping (which batch wrote a row, its change_seq), `full` keeps every column byte for byte.
import type { Database } from '../../main/store/open.js';
import { RECORD_TABLES } from '../../main/store/repositories/records.js';
import { RECORD_KEY } from '../../shared/interchange/references.js';
import { RECORD_TYPES } from '../../shared/interchange/schema.js';

const BOOKKEEPING = new Set(['batch_id', 'created_batch_id', 'source_file', 'source_line', 'change_seq']);

export function dumpRecords(db: Database, mode: 'content' | 'full'): string {
  const out: string[] = [];
  for (const type of RECORD_TYPES) {
    const table = RECORD_TABLES[type];
    const rows = db.prepare(`SELECT * FROM ${table} ORDER BY ${RECORD_KEY[type]}`).all() as Record<string, unknown>[];
    for (const row of rows) {
      const kept = mode === 'full' ? row : Object.fromEntries(Object.entries(row).filter(([k]) => !BOOKKEEPING.has(k)));
      out.push(`${type} ${JSON.stringify(kept)}`);
    }
  }
  const findings = db.prepare(`SELECT record_type, record_id, code, field, detail${mode === 'full' ? ', batch_id' : ''} FROM record_findings ORDER BY 1, 2, 3, 4`).all();
  for (const f of findings) out.push(`finding ${JSON.stringify(f)}`);
  return out.join('\n');
}

export function recordCounts(db: Database): Record<string, number> {
  return Object.fromEntries(RECORD_TYPES.map((t) => [t, (db.prepare(`SELECT count(*) AS n FROM ${RECORD_TABLES[t]}`).get() as { n: number }).n]));
}
