import { describe, expect, it } from 'vitest';
import { openPlainDatabase } from '../../main/store/database.js';
import { migration as core } from '../../main/store/migrations/001_core.js';
import { migration as records } from '../../main/store/migrations/002_records.js';
import { applyMigrations } from '../../main/store/migrations/runner.js';
import { RECORD_TABLES } from '../../main/store/repositories/records.js';

function recordsDb() {
  const db = openPlainDatabase(':memory:');
  applyMigrations(db, [core, records]);
  return db;
}
const raw = '{"type":"event"}';

describe('migration 002 records', () => {
  it('creates a table for every interchange record type, findings, batches and the change view', () => {
    const db = recordsDb();
    const names = db.prepare(`SELECT name FROM sqlite_master WHERE type IN ('table', 'view')`).pluck().all();
    expect(names).toEqual(expect.arrayContaining([...Object.values(RECORD_TABLES), 'record_findings', 'import_batches', 'import_rejections', 'import_state', 'record_changes']));
    expect(db.prepare('SELECT key, value FROM import_state ORDER BY key').all()).toEqual([{ key: 'change_seq', value: 0 }, { key: 'checked_seq', value: 0 }]);
  });

  it('refuses a raw column that is not JSON', () => {
    const db = recordsDb();
    const insert = db.prepare(`INSERT INTO events (id, application_id, ts, ts_ms, kind, raw, batch_id, created_batch_id, source_file, source_line, change_seq) VALUES (?, 'AP1', 't', 0, 'login', ?, 1, 1, 'f', 1, ?)`);
    expect(() => insert.run('E1', '{not json', 1)).toThrow(/CHECK/);
    insert.run('E1', raw, 1);
  });

  it('lists changed rows of every type in change order through record_changes', () => {
    const db = recordsDb();
    db.prepare(`INSERT INTO events (id, application_id, ts, ts_ms, kind, raw, batch_id, created_batch_id, source_file, source_line, change_seq) VALUES ('E1', 'AP1', 't', 0, 'login', ?, 1, 1, 'f', 1, 7)`).run(raw);
    db.prepare(`INSERT INTO labels (application_id, is_fraud, raw, batch_id, created_batch_id, source_file, source_line, change_seq) VALUES ('AP1', 1, '{}', 2, 2, 'f', 2, 9)`).run();
    db.prepare(`INSERT INTO applicants (id, name, id_number, phone, raw, batch_id, created_batch_id, source_file, source_line, change_seq) VALUES ('A1', 'n', 'i', 'p', '{}', 1, 1, 'f', 3, 3)`).run();
    expect(db.prepare('SELECT record_type, record_id, change_seq, batch_id FROM record_changes WHERE change_seq > ? ORDER BY change_seq').all(5)).toEqual([
      { record_type: 'event', record_id: 'E1', change_seq: 7, batch_id: 1 },
      { record_type: 'label', record_id: 'AP1', change_seq: 9, batch_id: 2 },
    ]);
  });

  it('keeps a label per application and is_fraud a boolean', () => {
    const db = recordsDb();
    const insert = db.prepare(`INSERT INTO labels (application_id, is_fraud, raw, batch_id, created_batch_id, source_file, source_line, change_seq) VALUES ('AP1', ?, '{}', 1, 1, 'f', 1, 1)`);
    expect(() => insert.run(2)).toThrow(/CHECK/);
    insert.run(0);
    expect(() => insert.run(1)).toThrow(/UNIQUE|PRIMARY/);
  });
});
