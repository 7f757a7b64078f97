import { describe, expect, it } from 'vitest';
import { openPlainDatabase } from '../../main/store/database.js';
import { migration } from '../../main/store/migrations/001_core.js';
import { applyMigrations, appliedMigrations } from '../../main/store/migrations/runner.js';

function coreDb() {
  const db = openPlainDatabase(':memory:');
  db.pragma('foreign_keys = ON');
  applyMigrations(db, [migration]);
  return db;
}

describe('migration 001 core', () => {
  it('creates users, settings, audit_log and store_meta and records itself', () => {
    const db = coreDb();
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).pluck().all();
    expect(tables).toEqual(expect.arrayContaining(['audit_log', 'schema_migrations', 'settings', 'store_meta', 'users']));
    expect(appliedMigrations(db).map((row) => [row.id, row.name])).toEqual([[1, 'core']]);
  });

  it('accepts only the four roles', () => {
    const db = coreDb();
    const insert = db.prepare(`INSERT INTO users (id, username, display_name, role, created_at) VALUES (?, ?, ?, ?, '2026-01-01')`);
    insert.run('u1', 'li.na', '李娜', 'team_lead');
    expect(() => insert.run('u2', 'zhang.wei', '张伟', 'superuser')).toThrow(/CHECK/);
    expect(() => insert.run('u3', 'li.na', '李娜', 'trainer')).toThrow(/UNIQUE/);
  });

  it('makes the audit log append-only for ordinary statements', () => {
    const db = coreDb();
    db.prepare(`INSERT INTO audit_log (seq, at, actor, action, prev_hash, hash) VALUES (1, 'now', 'system', 'x', 'p', 'h')`).run();
    expect(() => db.prepare(`UPDATE audit_log SET action = 'y' WHERE seq = 1`).run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
    expect(db.prepare('SELECT action FROM audit_log').pluck().get()).toBe('x');
  });
});
