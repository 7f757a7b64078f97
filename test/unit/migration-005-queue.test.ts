import { describe, expect, it } from 'vitest';
import { openPlainDatabase } from '../../main/store/database.js';
import { MIGRATIONS } from '../../main/store/migrations/index.js';
import { applyMigrations } from '../../main/store/migrations/runner.js';

function queueDb() {
  const db = openPlainDatabase(':memory:');
  applyMigrations(db, MIGRATIONS);
  return db;
}

const plan = (db: ReturnType<typeof queueDb>, sql: string): string =>
  (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as Array<{ detail: string }>).map((row) => row.detail).join('\n');

describe('migration 005 queue', () => {
  it('is registered after the analysis tables it indexes', () => {
    const ids = MIGRATIONS.map((migration) => migration.id);
    expect(ids).toContain(5);
    expect(ids).toContain(4);
  });

  it('lets the queue scan applications without reading their rows', () => {
    const db = queueDb();
    // The queue names the index (INDEXED BY): a unique index on the id looks cheaper to a planner without statistics.
    expect(plan(db, `SELECT id, applicant_id, submitted_ms, platform_decision, created_batch_id FROM applications INDEXED BY applications_queue`)).toMatch(
      /COVERING INDEX applications_queue/,
    );
  });

  it('reads score, band and the top three reason codes from the index, not the analysis row', () => {
    const db = queueDb();
    const sql = `SELECT score, band, json_extract(reasons_json, '$[0].code'), json_extract(reasons_json, '$[1].code'), json_extract(reasons_json, '$[2].code')
                   FROM analysis_applications INDEXED BY analysis_applications_queue WHERE application_id = 'x'`;
    expect(plan(db, sql)).toMatch(/COVERING INDEX analysis_applications_queue/);
    db.prepare(
      `INSERT INTO analysis_applications (application_id, applicant_id, score, band, reasons_json, features_json, evidence_json, findings_json, rule_set, inputs_hash, run_id, scored_at)
       VALUES ('x', 'p', 900, 'critical', '[{"code":"DEVICE_SHARED_APPLICANTS"},{"code":"RING_MEMBER"}]', '{}', '{}', '[]', 'default-v1', 'h', 1, 'now')`,
    ).run();
    expect(db.prepare(sql).raw().get()).toEqual([900, 'critical', 'DEVICE_SHARED_APPLICANTS', 'RING_MEMBER', null]);
  });
});
