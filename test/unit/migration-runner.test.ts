import { describe, expect, it } from 'vitest';
import { openPlainDatabase } from '../../main/store/database.js';
import type { Migration } from '../../main/store/migrations/types.js';
import { MIGRATIONS } from '../../main/store/migrations/index.js';
import { applyMigrations, appliedMigrations, pendingMigrations } from '../../main/store/migrations/runner.js';
import { VigilError } from '../../shared/errors.js';

const step = (id: number, name: string): Migration => ({ id, name, up: (db) => db.exec(`CREATE TABLE t${id} (x INTEGER) STRICT`) });

function codeOf(run: () => unknown): string {
  try {
    run();
    return 'ok';
  } catch (error) {
    return error instanceof VigilError ? error.code : `unexpected: ${String(error)}`;
  }
}

describe('migration runner', () => {
  it('applies migrations in id order whatever the order of the list', () => {
    const db = openPlainDatabase(':memory:');
    expect(applyMigrations(db, [step(3, 'c'), step(1, 'a'), step(2, 'b')])).toEqual([1, 2, 3]);
    expect(appliedMigrations(db).map((row) => row.id)).toEqual([1, 2, 3]);
    expect(applyMigrations(db, [step(1, 'a'), step(2, 'b'), step(3, 'c')])).toEqual([]);
  });

  it('refuses a store whose applied migrations are newer than the app, without changing it', () => {
    const db = openPlainDatabase(':memory:');
    applyMigrations(db, [step(1, 'a'), step(2, 'b')]);
    expect(codeOf(() => applyMigrations(db, [step(1, 'a')]))).toBe('store_newer_than_app');
    expect(appliedMigrations(db).map((row) => row.id)).toEqual([1, 2]);
  });

  it('refuses a store whose history differs from the shipped list', () => {
    const db = openPlainDatabase(':memory:');
    applyMigrations(db, [step(1, 'a'), step(3, 'c')]);
    expect(codeOf(() => pendingMigrations(db, [step(1, 'renamed'), step(3, 'c')]))).toBe('migration_mismatch');
    expect(codeOf(() => pendingMigrations(db, [step(1, 'a'), step(2, 'inserted_before'), step(3, 'c')]))).toBe('migration_mismatch');
    expect(codeOf(() => pendingMigrations(db, [step(1, 'a'), step(3, 'c'), step(4, 'd')]))).toBe('ok');
  });

  it('rolls back a failing migration entirely', () => {
    const db = openPlainDatabase(':memory:');
    const broken: Migration = { id: 2, name: 'broken', up: (d) => d.exec('CREATE TABLE half (x); CREATE TABLE half (y);') };
    expect(() => applyMigrations(db, [step(1, 'a'), broken])).toThrow();
    expect(appliedMigrations(db).map((row) => row.id)).toEqual([1]);
    expect(db.prepare(`SELECT count(*) FROM sqlite_master WHERE name = 'half'`).pluck().get()).toBe(0);
  });

  it('ships a well-formed list with unique ids', () => {
    const ids = MIGRATIONS.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining([1, 3]));
  });
});
