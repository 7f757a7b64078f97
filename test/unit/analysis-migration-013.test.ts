import { describe, expect, it } from 'vitest';
import { openPlainDatabase } from '../../main/store/database.js';
import { MIGRATIONS } from '../../main/store/migrations/index.js';
import { applyMigrations } from '../../main/store/migrations/runner.js';
import { AnalysisRepository } from '../../main/store/repositories/analysis.js';

function migrated(upTo: number) {
  const db = openPlainDatabase(':memory:');
  applyMigrations(db, MIGRATIONS.filter((m) => m.id <= upTo));
  db.pragma('foreign_keys = OFF');
  return db;
}

const insertEvent = (db: ReturnType<typeof migrated>, id: string, application: string, device: string | null, seq: number): void => {
  db.prepare(`INSERT INTO events (id, application_id, ts, ts_ms, kind, device_id, raw, batch_id, created_batch_id, source_file, source_line, change_seq)
    VALUES (?, ?, 't', 0, 'login', ?, '{}', 1, 1, 'f', 1, ?)`).run(id, application, device, seq);
};
const counter = (db: ReturnType<typeof migrated>): number => db.prepare(`SELECT value FROM import_state WHERE key = 'change_seq'`).pluck().get() as number;

describe('migration 013 event_removals', () => {
  it('gives every removed event a change of its own, naming its application and device observation', () => {
    const db = migrated(MIGRATIONS.length);
    const repo = new AnalysisRepository(db);
    insertEvent(db, 'E1', 'AP1', 'D1', 1);
    insertEvent(db, 'E2', 'AP2', null, 2);
    db.exec(`UPDATE import_state SET value = 2 WHERE key = 'change_seq'`);
    // An analysis has covered everything up to 2; the removals come after it.
    db.exec(`DELETE FROM events WHERE id = 'E1'`);
    expect(counter(db)).toBe(3);
    db.exec(`DELETE FROM events WHERE id = 'E2'`);
    expect(counter(db)).toBe(4);
    const changes = repo.changedSince(2, 4);
    expect(changes.eventApplications.sort()).toEqual(['AP1', 'AP2']);
    expect(changes.devices).toEqual(['D1']);
    expect(changes.applicants).toEqual([]);
    expect(repo.changedSince(3, 4).eventApplications).toEqual(['AP2']);
  });

  it('leaves a store that already holds events as it was', () => {
    const db = migrated(12);
    insertEvent(db, 'E1', 'AP1', 'D1', 1);
    db.exec(`UPDATE import_state SET value = 1 WHERE key = 'change_seq'`);
    applyMigrations(db, MIGRATIONS);
    expect(counter(db)).toBe(1);
    expect(db.prepare('SELECT count(*) FROM analysis_moves').pluck().get()).toBe(0);
    db.exec(`UPDATE events SET raw = '{"x":1}' WHERE id = 'E1'`);
    expect(counter(db)).toBe(1);
  });
});
