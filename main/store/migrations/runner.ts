// Applies and checks migrations. Refuses a store whose history does not match what this app ships:
// newer than the app -> store_newer_than_app (never migrated down); different -> migration_mismatch.
import { VigilError } from '../../../shared/errors.js';
import type { Database } from '../database.js';
import type { Migration } from './types.js';

export interface AppliedMigration {
  readonly id: number;
  readonly name: string;
  readonly appliedAt: string;
}

/** The shipped list in id order, after checking it is well-formed (unique ids and names). */
export function orderedMigrations(migrations: readonly Migration[]): Migration[] {
  const ordered = [...migrations].sort((a, b) => a.id - b.id);
  const names = new Set<string>();
  ordered.forEach((migration, index) => {
    if (!Number.isInteger(migration.id) || migration.id < 1) throw new Error(`migration id ${migration.id} is not a positive integer`);
    if (index > 0 && ordered[index - 1]?.id === migration.id) throw new Error(`two migrations share id ${migration.id}`);
    if (!/^[a-z0-9_]+$/.test(migration.name) || names.has(migration.name)) throw new Error(`migration name "${migration.name}" is invalid or repeated`);
    names.add(migration.name);
  });
  return ordered;
}

function ensureBookkeeping(db: Database): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
  ) STRICT`);
}

function hasBookkeeping(db: Database): boolean {
  return db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`).get() !== undefined;
}

export function appliedMigrations(db: Database): AppliedMigration[] {
  if (!hasBookkeeping(db)) return [];
  const rows = db.prepare('SELECT id, name, applied_at AS appliedAt FROM schema_migrations ORDER BY id').all() as AppliedMigration[];
  return rows;
}

/**
 * Compares the store's history with the shipped list. Returns the migrations still to apply;
 * throws when the store is from a newer app or its history differs from ours.
 */
export function pendingMigrations(db: Database, shipped: readonly Migration[]): Migration[] {
  const ordered = orderedMigrations(shipped);
  const applied = appliedMigrations(db);
  const byId = new Map(ordered.map((migration) => [migration.id, migration]));
  const newestShipped = ordered.at(-1)?.id ?? 0;
  const newestApplied = applied.at(-1)?.id ?? 0;

  const unknown = applied.filter((row) => !byId.has(row.id));
  if (unknown.length > 0 && newestApplied > newestShipped) {
    const newest = applied.at(-1);
    throw new VigilError(
      'store_newer_than_app',
      `this store was last opened by a newer Vigil (schema step ${newest?.id} "${newest?.name}"; this app knows up to ${newestShipped}): update Vigil to open it`,
    );
  }
  for (const row of applied) {
    const ours = byId.get(row.id);
    if (ours === undefined || ours.name !== row.name) {
      throw new VigilError('migration_mismatch', `this store's schema step ${row.id} is "${row.name}", but this app ships ${ours === undefined ? 'no such step' : `"${ours.name}"`}: it was made by a different build of Vigil`);
    }
  }
  const appliedIds = new Set(applied.map((row) => row.id));
  const skipped = ordered.find((migration) => migration.id < newestApplied && !appliedIds.has(migration.id));
  if (skipped !== undefined) {
    throw new VigilError('migration_mismatch', `this store lacks schema step ${skipped.id} "${skipped.name}" that comes before steps it already has: it was made by a different build of Vigil`);
  }
  return ordered.filter((migration) => migration.id > newestApplied);
}

/** Brings the store up to the shipped schema, one transaction per migration. Returns the ids applied. */
export function applyMigrations(db: Database, shipped: readonly Migration[], now: () => string = () => new Date().toISOString()): number[] {
  const pending = pendingMigrations(db, shipped);
  const done: number[] = [];
  for (const migration of pending) {
    db.transaction(() => {
      ensureBookkeeping(db);
      migration.up(db);
      db.prepare('INSERT INTO schema_migrations (id, name, applied_at) VALUES (?, ?, ?)').run(migration.id, migration.name, now());
    }).immediate();
    done.push(migration.id);
  }
  return done;
}
