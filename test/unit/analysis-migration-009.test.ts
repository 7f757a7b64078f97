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

const provenance = `'{}', 1, 1, 'f', 1, 1`;

function insertApplication(db: ReturnType<typeof migrated>, id: string): void {
  db.exec(`INSERT INTO applications (id, applicant_id, submitted_at, submitted_ms, raw, batch_id, created_batch_id, source_file, source_line, change_seq) VALUES ('${id}', 'A1', 't', 0, ${provenance})`);
}
function insertDevice(db: ReturnType<typeof migrated>, id: string): void {
  db.exec(`INSERT INTO devices (id, observed_at, observed_ms, platform, raw, batch_id, created_batch_id, source_file, source_line, change_seq) VALUES ('${id}', 't', 0, 'android', ${provenance})`);
}

describe('migration 009 removal_count', () => {
  it('starts the count at zero on a store that already holds records', () => {
    const db = migrated(8);
    insertApplication(db, 'AP1');
    applyMigrations(db, MIGRATIONS);
    expect(new AnalysisRepository(db).removalCount()).toBe(0);
  });

  it('counts every deleted application and device observation, and nothing else', () => {
    const db = migrated(MIGRATIONS.length);
    const repo = new AnalysisRepository(db);
    insertApplication(db, 'AP1');
    insertApplication(db, 'AP2');
    insertDevice(db, 'D1');
    db.exec(`INSERT INTO applicants (id, name, id_number, phone, raw, batch_id, created_batch_id, source_file, source_line, change_seq) VALUES ('A1', 'n', 'i', 'p', ${provenance})`);
    db.exec(`UPDATE applications SET raw = '{"changed":true}' WHERE id = 'AP1'`);
    db.exec(`DELETE FROM applicants WHERE id = 'A1'`);
    expect(repo.removalCount()).toBe(0);
    db.exec(`DELETE FROM applications WHERE id IN ('AP1', 'AP2')`);
    expect(repo.removalCount()).toBe(2);
    db.exec(`DELETE FROM devices WHERE id = 'D1'`);
    expect(repo.removalCount()).toBe(3);
  });
});
