import { describe, expect, it } from 'vitest';
import { openPlainDatabase } from '../../main/store/database.js';
import { MIGRATIONS } from '../../main/store/migrations/index.js';
import { applyMigrations } from '../../main/store/migrations/runner.js';
import { AnalysisRepository } from '../../main/store/repositories/analysis.js';

function migrated(upTo: number) {
  const db = openPlainDatabase(':memory:');
  applyMigrations(db, MIGRATIONS.filter((m) => m.id <= upTo));
  return db;
}

const plan = (db: ReturnType<typeof migrated>, sql: string): string =>
  (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as Array<{ detail: string }>).map((row) => row.detail).join('\n');

// The repository's cohort-stub queries, as written there.
const BY_CODE_WINDOW = `SELECT id, applicant_id, employer, employer_code, first_month FROM pf_records
  WHERE (employer_code, first_month) IN (SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each('[]'))`;
const BY_CODE = `SELECT id, applicant_id, employer, employer_code, first_month FROM pf_records WHERE employer_code IN (SELECT value FROM json_each('[]'))`;
const BY_NAME = `SELECT id, applicant_id, employer, employer_code, first_month FROM pf_records
  WHERE employer IN (SELECT value FROM json_each('[]')) AND coalesce(employer_code, '') = ''`;

describe('migration 006 analysis_incremental', () => {
  it('is registered after the analysis tables it changes', () => {
    const ids = MIGRATIONS.map((m) => m.id);
    expect(ids).toContain(4);
    expect(ids).toContain(6);
  });

  it('reads PF cohort stubs by credit code or by name from an index alone, never the PF rows', () => {
    const before = migrated(5);
    expect(plan(before, BY_CODE)).not.toMatch(/COVERING INDEX/);
    const db = migrated(6);
    expect(plan(db, BY_CODE_WINDOW)).toMatch(/COVERING INDEX analysis_pf_employer_code/);
    expect(plan(db, BY_CODE)).toMatch(/COVERING INDEX analysis_pf_employer_code/);
    expect(plan(db, BY_NAME)).toMatch(/COVERING INDEX analysis_pf_employer_name/);
  });

  it('drops holder counts of keys with fewer than two holders and keeps the rest', () => {
    const db = migrated(5);
    db.exec(`INSERT INTO analysis_link_keys (applicant_id, kind, key) VALUES ('A1', 'phone', 'p1'), ('A1', 'ip', 'i1'), ('A2', 'phone', 'p1')`);
    // What 004's repository kept: a row for every key.
    db.exec(`INSERT INTO analysis_link_counts (key, kind, holders) SELECT key, kind, count(*) FROM analysis_link_keys GROUP BY key, kind`);
    expect(db.prepare('SELECT count(*) FROM analysis_link_counts').pluck().get()).toBe(2);
    applyMigrations(db, MIGRATIONS);
    expect(Object.fromEntries(new AnalysisRepository(db).allLinkCounts())).toEqual({ 'phone|p1': 2 });
  });
});
