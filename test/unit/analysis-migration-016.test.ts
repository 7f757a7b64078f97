import { describe, expect, it } from 'vitest';
import { openPlainDatabase } from '../../main/store/database.js';
import { MIGRATIONS } from '../../main/store/migrations/index.js';
import { applyMigrations } from '../../main/store/migrations/runner.js';
import { AnalysisRepository } from '../../main/store/repositories/analysis.js';

function migrated(upTo: number) {
  const db = openPlainDatabase(':memory:');
  applyMigrations(db, MIGRATIONS.filter((m) => m.id <= upTo));
  db.pragma('foreign_keys = OFF');
  return db;
}

const counter = (db: ReturnType<typeof migrated>): number => db.prepare(`SELECT value FROM import_state WHERE key = 'change_seq'`).pluck().get() as number;
const decide = (db: ReturnType<typeof migrated>, id: string, application: string, outcome: 'approve' | 'reject' | 'escalate'): void => {
  db.prepare(`INSERT INTO case_decisions (id, case_id, application_id, outcome, reason_codes_json, decided_by, decided_at, effective) VALUES (?, 'C1', ?, ?, ?, 'U1', 't', 1)`)
    .run(id, application, outcome, outcome === 'reject' ? '["X"]' : '[]');
};
const appeal = (db: ReturnType<typeof migrated>, id: string, application: string, outcome: 'upheld' | 'overturned' | null): void => {
  db.prepare(`INSERT INTO appeal_handling (appeal_id, application_id, status, deadline_at, outcome, received_at, updated_at) VALUES (?, ?, ?, 't', ?, 't', 't')`).run(id, application, outcome ?? 'received', outcome);
};

describe('migration 016 outcome_changes', () => {
  it('gives a rejection made or undone a change of its own, naming its application, and nothing else', () => {
    const db = migrated(MIGRATIONS.length);
    const repo = new AnalysisRepository(db);
    decide(db, 'D0', 'AP0', 'approve');
    decide(db, 'D9', 'AP9', 'escalate');
    appeal(db, 'P0', 'AP0', null);
    expect(counter(db)).toBe(0);
    decide(db, 'D1', 'AP1', 'reject');
    expect(counter(db)).toBe(1);
    expect(repo.changedSince(0, 1).labelApplications).toEqual(['AP1']);
    // Superseded by a later decision, made ineffective pending review: each moves the counter.
    db.exec(`UPDATE case_decisions SET superseded_by = 'D0' WHERE id = 'D1'`);
    db.exec(`UPDATE case_decisions SET effective = 0 WHERE id = 'D1'`);
    db.exec(`UPDATE case_decisions SET comment = 'typo' WHERE id = 'D1'`);
    expect(counter(db)).toBe(3);
    // An appeal overturned, its outcome changed, withdrawn: each moves it; an upheld one does not.
    appeal(db, 'P1', 'AP2', 'overturned');
    appeal(db, 'P2', 'AP3', 'upheld');
    db.exec(`UPDATE appeal_handling SET status = 'overturned', outcome = 'overturned' WHERE appeal_id = 'P2'`);
    db.exec(`DELETE FROM appeal_handling WHERE appeal_id = 'P1'`);
    expect(counter(db)).toBe(6);
    expect(repo.changedSince(1, 6).labelApplications.sort()).toEqual(['AP1', 'AP1', 'AP2', 'AP2', 'AP3']);
    expect(repo.changedSince(5, 6).labelApplications).toEqual(['AP2']);
    // A run that covered them forgets them.
    repo.pruneMoves(6);
    expect(db.prepare('SELECT count(*) FROM analysis_outcome_changes').pluck().get()).toBe(0);
  });

  it('leaves a store that already holds decisions as it was', () => {
    const db = migrated(15);
    decide(db, 'D1', 'AP1', 'reject');
    db.exec(`UPDATE import_state SET value = 7 WHERE key = 'change_seq'`);
    applyMigrations(db, MIGRATIONS);
    expect(counter(db)).toBe(7);
    expect(db.prepare('SELECT count(*) FROM analysis_outcome_changes').pluck().get()).toBe(0);
  });
});
