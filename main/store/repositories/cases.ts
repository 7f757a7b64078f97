// The case workflow rows (003_workflow `cases`, `case_assignments`). A case row exists only once
// someone touched the case (claim, assignment, decision): until then the queue derives it from the
// application and its score (see queue.ts). All statements are prepared once per connection.
import type { Statement } from 'better-sqlite3-multiple-ciphers';
import type { Database } from '../database.js';

export type CaseStatusValue = 'open' | 'in_progress' | 'awaiting_documents' | 'escalated' | 'pending_review' | 'decided' | 'closed';

export interface CaseRow {
  readonly id: string;
  readonly applicationId: string;
  readonly applicantId: string | null;
  readonly status: CaseStatusValue;
  readonly score: number | null;
  readonly band: string | null;
  readonly assigneeId: string | null;
  readonly assigneeName: string | null;
  readonly slaDueAt: string | null;
  readonly importBatch: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly closedAt: string | null;
}

interface CaseSql {
  id: string;
  application_id: string;
  applicant_id: string | null;
  status: CaseStatusValue;
  score: number | null;
  band: string | null;
  assignee_id: string | null;
  assignee_name: string | null;
  sla_due_at: string | null;
  import_batch: string | null;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
}

export interface NewCase {
  readonly id: string;
  readonly applicationId: string;
  readonly applicantId: string;
  readonly score: number | null;
  readonly band: string | null;
  readonly slaDueAt: string;
  readonly importBatch: string | null;
  readonly at: string;
}

export interface CasesRepository {
  byApplication(applicationId: string): CaseRow | undefined;
  byId(caseId: string): CaseRow | undefined;
  insert(row: NewCase): void;
  setStatus(caseId: string, status: CaseStatusValue, at: string): void;
  /** Sets (or clears) the assignee and records the change in case_assignments. */
  setAssignee(caseId: string, assigneeId: string | null, by: string, at: string): void;
  /** Users who may hold a case (investigators and team leads, not disabled). */
  assignableUsers(): Array<{ id: string; displayName: string; role: string }>;
  userName(userId: string): string | undefined;
}

const SELECT_CASE = `SELECT c.id, c.application_id, c.applicant_id, c.status, c.score, c.band, c.assignee_id, u.display_name AS assignee_name,
                            c.sla_due_at, c.import_batch, c.created_at, c.updated_at, c.closed_at
                       FROM cases c LEFT JOIN users u ON u.id = c.assignee_id`;

const toCase = (row: CaseSql): CaseRow => ({
  id: row.id,
  applicationId: row.application_id,
  applicantId: row.applicant_id,
  status: row.status,
  score: row.score,
  band: row.band,
  assigneeId: row.assignee_id,
  assigneeName: row.assignee_name,
  slaDueAt: row.sla_due_at,
  importBatch: row.import_batch,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  closedAt: row.closed_at,
});

export function createCasesRepository(db: Database): CasesRepository {
  const byApplication: Statement<[string], CaseSql> = db.prepare(`${SELECT_CASE} WHERE c.application_id = ?`);
  const byId: Statement<[string], CaseSql> = db.prepare(`${SELECT_CASE} WHERE c.id = ?`);
  const insert = db.prepare(
    `INSERT INTO cases (id, application_id, applicant_id, status, score, band, assignee_id, sla_due_at, import_batch, created_at, updated_at)
     VALUES (@id, @application_id, @applicant_id, 'open', @score, @band, NULL, @sla_due_at, @import_batch, @at, @at)`,
  );
  const setStatus = db.prepare(
    `UPDATE cases SET status = @status, updated_at = @at,
            closed_at = CASE WHEN @status IN ('decided', 'closed') THEN @at ELSE NULL END
      WHERE id = @id`,
  );
  const setAssignee = db.prepare('UPDATE cases SET assignee_id = ?, updated_at = ? WHERE id = ?');
  const releaseAssignments = db.prepare('UPDATE case_assignments SET released_at = ? WHERE case_id = ? AND released_at IS NULL');
  const addAssignment = db.prepare('INSERT INTO case_assignments (case_id, assignee_id, assigned_by, assigned_at) VALUES (?, ?, ?, ?)');
  const assignable: Statement<[], { id: string; display_name: string; role: string }> = db.prepare(
    `SELECT id, display_name, role FROM users WHERE disabled_at IS NULL AND role IN ('investigator', 'team_lead') ORDER BY display_name`,
  );
  const userName = db.prepare('SELECT display_name FROM users WHERE id = ?').pluck() as Statement<[string], string>;

  return {
    byApplication(applicationId) {
      const row = byApplication.get(applicationId);
      return row === undefined ? undefined : toCase(row);
    },
    byId(caseId) {
      const row = byId.get(caseId);
      return row === undefined ? undefined : toCase(row);
    },
    insert(row) {
      insert.run({
        id: row.id,
        application_id: row.applicationId,
        applicant_id: row.applicantId,
        score: row.score,
        band: row.band,
        sla_due_at: row.slaDueAt,
        import_batch: row.importBatch,
        at: row.at,
      });
    },
    setStatus(caseId, status, at) {
      setStatus.run({ id: caseId, status, at });
    },
    setAssignee(caseId, assigneeId, by, at) {
      releaseAssignments.run(at, caseId);
      setAssignee.run(assigneeId, at, caseId);
      if (assigneeId !== null) addAssignment.run(caseId, assigneeId, by, at);
    },
    assignableUsers: () => assignable.all().map((row) => ({ id: row.id, displayName: row.display_name, role: row.role })),
    userName: (userId) => userName.get(userId),
  };
}
