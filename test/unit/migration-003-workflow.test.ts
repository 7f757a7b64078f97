import { describe, expect, it } from 'vitest';
import { openPlainDatabase } from '../../main/store/database.js';
import { migration as core } from '../../main/store/migrations/001_core.js';
import { migration as workflow } from '../../main/store/migrations/003_workflow.js';
import { applyMigrations } from '../../main/store/migrations/runner.js';

function workflowDb() {
  const db = openPlainDatabase(':memory:');
  db.pragma('foreign_keys = ON');
  applyMigrations(db, [core, workflow]);
  const user = db.prepare(`INSERT INTO users (id, username, display_name, role, created_at) VALUES (?, ?, ?, ?, '2026-01-01')`);
  user.run('inv', 'li.na', '李娜', 'investigator');
  user.run('lead', 'zhao.lei', '赵磊', 'team_lead');
  db.prepare(`INSERT INTO cases (id, application_id, applicant_id, created_at, updated_at) VALUES ('c1', 'app-1', 'ap-1', 'now', 'now')`).run();
  return db;
}

const decide = `INSERT INTO case_decisions (id, case_id, application_id, outcome, reason_codes_json, decided_by, decided_at) VALUES (?, 'c1', 'app-1', ?, ?, 'inv', 'now')`;

describe('migration 003 workflow', () => {
  it('creates the workflow tables', () => {
    const db = workflowDb();
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).pluck().all();
    expect(tables).toEqual(
      expect.arrayContaining(['cases', 'case_assignments', 'case_notes', 'case_attachments', 'case_decisions', 'decision_reviews', 'appeal_handling', 'rule_sets']),
    );
  });

  it('refuses a reject without reason codes', () => {
    const db = workflowDb();
    expect(() => db.prepare(decide).run('d1', 'reject', '[]')).toThrow(/CHECK/);
    db.prepare(decide).run('d2', 'reject', '["DEVICE_SHARED"]');
    db.prepare(decide).run('d3', 'approve', '[]');
  });

  it('enforces four-eyes: the decider cannot review their own decision', () => {
    const db = workflowDb();
    db.prepare(decide).run('d1', 'reject', '["PF_RECENT_START"]');
    const review = db.prepare(`INSERT INTO decision_reviews (id, decision_id, reviewer_id, status, requested_at, reviewed_at) VALUES (?, 'd1', ?, ?, 'now', ?)`);
    expect(() => review.run('r1', 'inv', 'signed_off', 'now')).toThrow(/four-eyes/);
    review.run('r2', null, 'pending', null);
    expect(() => db.prepare(`UPDATE decision_reviews SET reviewer_id = 'inv' WHERE id = 'r2'`).run()).toThrow(/four-eyes/);
    review.run('r3', 'lead', 'signed_off', 'now');
  });

  it('keeps an appeal away from its original decider and ties outcome to status', () => {
    const db = workflowDb();
    const appeal = db.prepare(
      `INSERT INTO appeal_handling (appeal_id, application_id, original_decider_id, reviewer_id, status, outcome, deadline_at, received_at, updated_at) VALUES (?, 'app-1', 'inv', ?, ?, ?, 'later', 'now', 'now')`,
    );
    expect(() => appeal.run('a1', 'inv', 'in_review', null)).toThrow(/CHECK/);
    expect(() => appeal.run('a2', 'lead', 'overturned', null)).toThrow(/CHECK/);
    expect(() => appeal.run('a3', 'lead', 'upheld', 'overturned')).toThrow(/CHECK/);
    appeal.run('a4', 'lead', 'overturned', 'overturned');
  });

  it('stores attachments with a sha256 and a size matching the bytes', () => {
    const db = workflowDb();
    const attach = db.prepare(
      `INSERT INTO case_attachments (id, case_id, file_name, media_type, size_bytes, sha256, content, added_by, added_at) VALUES (?, 'c1', 'id.jpg', 'image/jpeg', ?, ?, ?, 'inv', 'now')`,
    );
    expect(() => attach.run('f1', 5, 'a'.repeat(64), Buffer.from('abc'))).toThrow(/CHECK/);
    expect(() => attach.run('f2', 3, 'short', Buffer.from('abc'))).toThrow(/CHECK/);
    attach.run('f3', 3, 'a'.repeat(64), Buffer.from('abc'));
  });

  it('allows only one active rule set', () => {
    const db = workflowDb();
    const rules = db.prepare(`INSERT INTO rule_sets (id, name, version, definition_json, created_at, is_active) VALUES (?, 'default', ?, '{}', 'now', ?)`);
    rules.run('rs1', 1, 1);
    expect(() => rules.run('rs2', 2, 1)).toThrow(/UNIQUE/);
    rules.run('rs3', 3, 0);
  });
});
