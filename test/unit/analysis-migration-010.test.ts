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

function insertPf(db: ReturnType<typeof migrated>, id: string, applicantId: string, employer: string, code: string | null, firstMonth: string | null): void {
  db.prepare(`INSERT INTO pf_records (id, applicant_id, city, employer, employer_code, first_month, raw, batch_id, created_batch_id, source_file, source_line, change_seq)
              VALUES (?, ?, '北京市', ?, ?, ?, ?, 1, 1, 'f', 1, 1)`)
    .run(id, applicantId, employer, code, firstMonth, JSON.stringify({ type: 'pf_record', id, applicant_id: applicantId, city: '北京市', employer, ...(firstMonth === null ? {} : { first_month: firstMonth }) }));
}

function plan(db: ReturnType<typeof migrated>, sql: string, ...params: unknown[]): string {
  return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>).map((r) => r.detail).join('\n');
}

describe('migration 010 pf_employer_key', () => {
  it('gives every stored PF record its normalised employer name', () => {
    const db = migrated(9);
    insertPf(db, 'P1', 'A1', '远航贸易有限公司', null, '2026-01');
    insertPf(db, 'P2', 'A2', '远航贸易有限责任公司', null, '2026-01');
    insertPf(db, 'P3', 'A3', '星辰科技（北京）有限公司', '91110000MA01', '2025-11');
    applyMigrations(db, MIGRATIONS);
    expect(db.prepare('SELECT id, employer_key FROM pf_records ORDER BY id').all()).toEqual([
      { id: 'P1', employer_key: '远航贸易' },
      { id: 'P2', employer_key: '远航贸易' },
      { id: 'P3', employer_key: '星辰北京' },
    ]);
  });

  it('finds the colleagues and the size of an employer without a credit code under every way of writing its name', () => {
    const db = migrated(MIGRATIONS.length);
    insertPf(db, 'P1', 'A1', '远航贸易有限公司', null, '2026-01');
    insertPf(db, 'P2', 'A2', '远航贸易有限责任公司', null, '2026-02');
    insertPf(db, 'P3', 'A3', '远航贸易公司', null, null);
    // Same name with a credit code: counted under its code, never by name.
    insertPf(db, 'P4', 'A4', '远航贸易有限公司', '91110000MA02', '2026-01');
    db.exec(`UPDATE pf_records SET employer_key = '远航贸易'`);
    const repo = new AnalysisRepository(db);
    expect(repo.employerSizes([], ['远航贸易']).byName).toEqual(new Map([['远航贸易', 3]]));
    expect(repo.cohortMembers([], ['远航贸易']).map((p) => p.id).sort()).toEqual(['P1', 'P2', 'P3']);
    // The month window, plus the record whose start only its history tells.
    expect(repo.cohortMembers([], ['远航贸易'], { byCode: [], byName: [['远航贸易', '2026-02']] }).map((p) => p.id).sort()).toEqual(['P2', 'P3']);
    expect(plan(db, `SELECT id, applicant_id, employer, employer_code, first_month FROM pf_records WHERE (employer_key, first_month) IN (SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?)) AND coalesce(employer_code, '') = ''`, '[]'))
      .toMatch(/COVERING INDEX pf_records_employer_key \(employer_key=\? AND first_month=\?\)/);
  });
});
