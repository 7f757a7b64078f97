// Store-wide settings (idle lock, review threshold, retention...), as JSON values under stable keys.
import type { Statement } from 'better-sqlite3-multiple-ciphers';
import type { Database } from '../database.js';

export interface SettingsRepository {
  get(key: string): unknown;
  set(key: string, value: unknown, updatedBy: string | null): void;
  all(): Record<string, unknown>;
}

export function createSettingsRepository(db: Database): SettingsRepository {
  const get = db.prepare('SELECT value_json FROM settings WHERE key = ?').pluck() as Statement<[string], string>;
  const set: Statement<[{ key: string; value_json: string; updated_at: string; updated_by: string | null }]> = db.prepare(
    `INSERT INTO settings (key, value_json, updated_at, updated_by) VALUES (@key, @value_json, @updated_at, @updated_by)
     ON CONFLICT (key) DO UPDATE SET value_json = excluded.value_json, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
  );
  const all: Statement<[], { key: string; value_json: string }> = db.prepare('SELECT key, value_json FROM settings ORDER BY key');
  return {
    get(key) {
      const text = get.get(key);
      return text === undefined ? undefined : (JSON.parse(text) as unknown);
    },
    set(key, value, updatedBy) {
      set.run({ key, value_json: JSON.stringify(value), updated_at: new Date().toISOString(), updated_by: updatedBy });
    },
    all: () => Object.fromEntries(all.all().map((row) => [row.key, JSON.parse(row.value_json) as unknown])),
  };
}
