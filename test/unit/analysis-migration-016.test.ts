import { describe, expect, it } from 'vitest';
import { openPlainDatabase } from '../../main/store/database.js';
import { MIGRATIONS } from '../../main/store/migrations/index.js';
import { applyMigrations } from '../../main/store/migrations/runner.js';
import { AnalysisRepository } from '../../main/store/repositories/analysis.js';

describe('migration 016 event_change_application', () => {
  it('answers which applications have changed events from the index alone, for rows stored before it', () => {
    const db = openPlainDatabase(':memory:');
    applyMigrations(db, MIGRATIONS.filter((m) => m.id <= 15));
    db.pragma('foreign_keys = OFF');
    const insert = db.prepare(`INSERT INTO events (id, application_id, ts, ts_ms, kind, raw, batch_id, created_batch_id, source_file, source_line, change_seq)
      VALUES (?, ?, 't', 0, 'login', '{}', 1, 1, 'f', 1, ?)`);
    insert.run('E1', 'AP1', 1);
    insert.run('E2', 'AP2', 2);
    insert.run('E3', 'AP2', 3);
    applyMigrations(db, MIGRATIONS);
    const plan = db.prepare('EXPLAIN QUERY PLAN SELECT DISTINCT application_id FROM events WHERE change_seq > ? AND change_seq <= ?').all(0, 3) as { detail: string }[];
    expect(plan.map((p) => p.detail).join('; ')).toContain('COVERING INDEX events_change_application');
    expect(db.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'events_change'").pluck().get()).toBe(0);
    expect(new AnalysisRepository(db).changedSince(1, 3).eventApplications).toEqual(['AP2']);
  });
});
