import { describe, expect, it } from 'vitest';
import { openPlainDatabase } from '../../main/store/database.js';
import { MIGRATIONS } from '../../main/store/migrations/index.js';
import { applyMigrations } from '../../main/store/migrations/runner.js';
import { AnalysisRepository } from '../../main/store/repositories/analysis.js';

function migrated() {
  const db = openPlainDatabase(':memory:');
  applyMigrations(db, MIGRATIONS);
  db.pragma('foreign_keys = OFF');
  return db;
}

const provenance = (seq: number): string => `'{}', 1, 1, 'f', 1, ${seq}`;

describe('migration 012 record_moves', () => {
  it('notes the owner a replaced record leaves, and nothing when only its content changes', () => {
    const db = migrated();
    const repo = new AnalysisRepository(db);
    db.exec(`INSERT INTO bank_cards (id, applicant_id, card_hash, bin, raw, batch_id, created_batch_id, source_file, source_line, change_seq) VALUES ('C1', 'A1', 'h', '622202', ${provenance(1)})`);
    db.exec(`INSERT INTO pf_records (id, applicant_id, city, employer, employer_code, raw, batch_id, created_batch_id, source_file, source_line, change_seq) VALUES ('P1', 'A1', '北京市', '甲公司', NULL, ${provenance(2)})`);
    db.exec(`INSERT INTO events (id, application_id, ts, ts_ms, kind, device_id, raw, batch_id, created_batch_id, source_file, source_line, change_seq) VALUES ('E1', 'AP1', 't', 0, 'login', 'D1', ${provenance(3)})`);
    // Content only: nothing moved.
    db.exec(`UPDATE bank_cards SET raw = '{"x":1}', change_seq = 4 WHERE id = 'C1'`);
    db.exec(`UPDATE pf_records SET raw = '{"x":1}', change_seq = 5 WHERE id = 'P1'`);
    db.exec(`UPDATE events SET raw = '{"x":1}', change_seq = 6 WHERE id = 'E1'`);
    expect(db.prepare('SELECT count(*) FROM analysis_moves').pluck().get()).toBe(0);

    db.exec(`UPDATE bank_cards SET applicant_id = 'A2', change_seq = 7 WHERE id = 'C1'`);
    db.exec(`UPDATE pf_records SET employer = '乙公司', employer_code = '91110105MA01ABCD1X', change_seq = 8 WHERE id = 'P1'`);
    db.exec(`UPDATE events SET application_id = 'AP2', change_seq = 9 WHERE id = 'E1'`);
    db.exec(`UPDATE events SET device_id = 'D2', change_seq = 10 WHERE id = 'E1'`);
    const changes = repo.changedSince(6, 10);
    expect(changes.applicants).toEqual(['A1']);
    db.exec(`INSERT INTO bureau_reports (id, applicant_id, reported_at, raw, batch_id, created_batch_id, source_file, source_line, change_seq) VALUES ('B1', 'A3', 't', ${provenance(11)})`);
    db.exec(`INSERT INTO applications (id, applicant_id, submitted_at, submitted_ms, raw, batch_id, created_batch_id, source_file, source_line, change_seq) VALUES ('AP4', 'A4', 't', 0, ${provenance(12)})`);
    db.exec(`UPDATE bureau_reports SET applicant_id = 'A5', change_seq = 13 WHERE id = 'B1'`);
    db.exec(`UPDATE applications SET applicant_id = 'A5', change_seq = 14 WHERE id = 'AP4'`);
    expect(repo.changedSince(10, 14).applicants.sort()).toEqual(['A3', 'A4']);
    expect(changes.cardApplicants).toEqual(['A2']);
    expect(changes.pfRecords).toEqual(expect.arrayContaining([
      { applicantId: 'A1', employer: '乙公司', employerCode: '91110105MA01ABCD1X' },
      { applicantId: 'A1', employer: '甲公司', employerCode: null },
    ]));
    expect(changes.eventApplications.sort()).toEqual(['AP1', 'AP2']);
    expect(changes.devices).toEqual(['D1']);
    // Outside the range: not reported; covered by a run: forgotten.
    expect(repo.changedSince(8, 10).applicants).toEqual([]);
    repo.pruneMoves(8);
    expect(db.prepare('SELECT change_seq FROM analysis_moves ORDER BY change_seq').pluck().all()).toEqual([9, 10, 13, 14]);
  });
});
