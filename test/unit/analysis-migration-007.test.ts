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

// The repository's stored-cohort query, as written there.
const STORED_COHORTS = `SELECT applicant_id, cohort_size, cohort_suspicious FROM analysis_applicants INDEXED BY analysis_applicants_cohort
  WHERE applicant_id IN (SELECT value FROM json_each('[]'))`;

describe('migration 007 analysis_cohorts', () => {
  it('reads stored PF cohorts from an index of the cohort columns alone', () => {
    expect(() => migrated(6).prepare(STORED_COHORTS)).toThrow(/no such index/);
    const db = migrated(7);
    const plan = (db.prepare(`EXPLAIN QUERY PLAN ${STORED_COHORTS}`).all() as Array<{ detail: string }>).map((r) => r.detail).join('\n');
    expect(plan).toMatch(/COVERING INDEX analysis_applicants_cohort/);
  });

  it('answers with the cohort each applicant was last given', () => {
    // The repository speaks the latest schema.
    const repo = new AnalysisRepository(migrated(MIGRATIONS.length));
    repo.upsertApplicant('A1', 0.2, [], 1);
    repo.upsertApplicant('A2', 0.1, [], 1);
    repo.setCohort('A1', 5, true);
    expect(Object.fromEntries(repo.storedCohorts(['A1', 'A2', 'A3']))).toEqual({ A1: { size: 5, suspicious: 1 }, A2: { size: 0, suspicious: 0 } });
  });
});
