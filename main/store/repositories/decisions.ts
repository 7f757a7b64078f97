// Investigators' decisions on cases and the team leads' four-eyes reviews of them (003_workflow).
import type { Statement } from 'better-sqlite3-multiple-ciphers';
import type { Database } from '../database.js';

export type DecisionOutcomeValue = 'approve' | 'reject' | 'escalate' | 'request_documents';
export type ReviewStatusValue = 'pending' | 'signed_off' | 'sent_back';

export interface DecisionRow {
  readonly id: string;
  readonly caseId: string;
  readonly applicationId: string;
  readonly outcome: DecisionOutcomeValue;
  readonly reasonCodes: string[];
  readonly comment: string | null;
  readonly scoreAtDecision: number | null;
  readonly decidedBy: string;
  readonly decidedByName: string;
  readonly decidedAt: string;
  readonly requiresReview: boolean;
  readonly effective: boolean;
  readonly review: {
    readonly id: string;
    readonly status: ReviewStatusValue;
    readonly reviewerId: string | null;
    readonly reviewerName: string | null;
    readonly comment: string | null;
    readonly reviewedAt: string | null;
  } | null;
}

interface DecisionSqlRow {
  id: string;
  case_id: string;
  application_id: string;
  outcome: DecisionOutcomeValue;
  reason_codes_json: string;
  comment: string | null;
  score_at_decision: number | null;
  decided_by: string;
  decided_by_name: string | null;
  decided_at: string;
  requires_review: number;
  effective: number;
  review_id: string | null;
  review_status: ReviewStatusValue | null;
  reviewer_id: string | null;
  reviewer_name: string | null;
  review_comment: string | null;
  reviewed_at: string | null;
}

export interface PendingReviewRow {
  readonly decisionId: string;
  readonly applicationId: string;
  readonly applicantId: string | null;
  readonly outcome: DecisionOutcomeValue;
  readonly reasonCodes: string[];
  readonly scoreAtDecision: number | null;
  readonly decidedBy: string;
  readonly decidedByName: string;
  readonly decidedAt: string;
}

export interface NewDecision {
  readonly id: string;
  readonly caseId: string;
  readonly applicationId: string;
  readonly outcome: DecisionOutcomeValue;
  readonly reasonCodes: readonly string[];
  readonly comment: string | null;
  readonly scoreAtDecision: number | null;
  readonly decidedBy: string;
  readonly decidedAt: string;
  readonly requiresReview: boolean;
}

export interface DecisionsRepository {
  insert(decision: NewDecision): void;
  requestReview(review: { id: string; decisionId: string; requestedAt: string }): void;
  /** Records the reviewer's verdict on a pending review; false when it was no longer pending. */
  completeReview(review: { decisionId: string; reviewerId: string; status: 'signed_off' | 'sent_back'; comment: string | null; reviewedAt: string }): boolean;
  makeEffective(decisionId: string): void;
  /** Marks earlier decisions of the case as replaced by a newer one (a sent-back reject, a new outcome). */
  supersedeOpen(caseId: string, byDecisionId: string): void;
  byId(decisionId: string): DecisionRow | undefined;
  forCase(caseId: string): DecisionRow[];
  pendingReviews(limit: number): PendingReviewRow[];
}

const SELECT_DECISION = `
  SELECT d.id, d.case_id, d.application_id, d.outcome, d.reason_codes_json, d.comment, d.score_at_decision,
         d.decided_by, du.display_name AS decided_by_name, d.decided_at, d.requires_review, d.effective,
         r.id AS review_id, r.status AS review_status, r.reviewer_id, ru.display_name AS reviewer_name,
         r.comment AS review_comment, r.reviewed_at
    FROM case_decisions d
    LEFT JOIN users du ON du.id = d.decided_by
    LEFT JOIN decision_reviews r ON r.id = (SELECT id FROM decision_reviews WHERE decision_id = d.id ORDER BY requested_at DESC, rowid DESC LIMIT 1)
    LEFT JOIN users ru ON ru.id = r.reviewer_id`;

function toDecision(row: DecisionSqlRow): DecisionRow {
  return {
    id: row.id,
    caseId: row.case_id,
    applicationId: row.application_id,
    outcome: row.outcome,
    reasonCodes: JSON.parse(row.reason_codes_json) as string[],
    comment: row.comment,
    scoreAtDecision: row.score_at_decision,
    decidedBy: row.decided_by,
    decidedByName: row.decided_by_name ?? row.decided_by,
    decidedAt: row.decided_at,
    requiresReview: row.requires_review === 1,
    effective: row.effective === 1,
    review:
      row.review_id === null || row.review_status === null
        ? null
        : {
            id: row.review_id,
            status: row.review_status,
            reviewerId: row.reviewer_id,
            reviewerName: row.reviewer_name,
            comment: row.review_comment,
            reviewedAt: row.reviewed_at,
          },
  };
}

export function createDecisionsRepository(db: Database): DecisionsRepository {
  const insert = db.prepare(
    `INSERT INTO case_decisions (id, case_id, application_id, outcome, reason_codes_json, comment, score_at_decision, decided_by, decided_at, requires_review, effective)
     VALUES (@id, @case_id, @application_id, @outcome, @reason_codes_json, @comment, @score_at_decision, @decided_by, @decided_at, @requires_review, @effective)`,
  );
  const requestReview = db.prepare(`INSERT INTO decision_reviews (id, decision_id, status, requested_at) VALUES (?, ?, 'pending', ?)`);
  const completeReview = db.prepare(
    `UPDATE decision_reviews SET status = @status, reviewer_id = @reviewer_id, comment = @comment, reviewed_at = @reviewed_at
      WHERE decision_id = @decision_id AND status = 'pending'`,
  );
  const makeEffective = db.prepare('UPDATE case_decisions SET effective = 1 WHERE id = ?');
  const supersede = db.prepare('UPDATE case_decisions SET superseded_by = ? WHERE case_id = ? AND id <> ? AND superseded_by IS NULL');
  const byId: Statement<[string], DecisionSqlRow> = db.prepare(`${SELECT_DECISION} WHERE d.id = ?`);
  const forCase: Statement<[string], DecisionSqlRow> = db.prepare(`${SELECT_DECISION} WHERE d.case_id = ? ORDER BY d.decided_at, d.rowid`);
  const pending: Statement<[number], { decision_id: string; application_id: string; applicant_id: string | null; outcome: DecisionOutcomeValue; reason_codes_json: string; score_at_decision: number | null; decided_by: string; decided_by_name: string | null; decided_at: string }> = db.prepare(
    `SELECT d.id AS decision_id, d.application_id, c.applicant_id, d.outcome, d.reason_codes_json, d.score_at_decision, d.decided_by,
            u.display_name AS decided_by_name, d.decided_at
       FROM decision_reviews r
       JOIN case_decisions d ON d.id = r.decision_id
       JOIN cases c ON c.id = d.case_id
       LEFT JOIN users u ON u.id = d.decided_by
      WHERE r.status = 'pending'
      ORDER BY r.requested_at
      LIMIT ?`,
  );

  return {
    insert(decision) {
      insert.run({
        id: decision.id,
        case_id: decision.caseId,
        application_id: decision.applicationId,
        outcome: decision.outcome,
        reason_codes_json: JSON.stringify(decision.reasonCodes),
        comment: decision.comment,
        score_at_decision: decision.scoreAtDecision,
        decided_by: decision.decidedBy,
        decided_at: decision.decidedAt,
        requires_review: decision.requiresReview ? 1 : 0,
        effective: decision.requiresReview ? 0 : 1,
      });
    },
    requestReview(review) {
      requestReview.run(review.id, review.decisionId, review.requestedAt);
    },
    completeReview(review) {
      return (
        completeReview.run({
          status: review.status,
          reviewer_id: review.reviewerId,
          comment: review.comment,
          reviewed_at: review.reviewedAt,
          decision_id: review.decisionId,
        }).changes === 1
      );
    },
    makeEffective(decisionId) {
      makeEffective.run(decisionId);
    },
    supersedeOpen(caseId, byDecisionId) {
      supersede.run(byDecisionId, caseId, byDecisionId);
    },
    byId(decisionId) {
      const row = byId.get(decisionId);
      return row === undefined ? undefined : toDecision(row);
    },
    forCase(caseId) {
      return forCase.all(caseId).map(toDecision);
    },
    pendingReviews(limit) {
      return pending.all(limit).map((row) => ({
        decisionId: row.decision_id,
        applicationId: row.application_id,
        applicantId: row.applicant_id,
        outcome: row.outcome,
        reasonCodes: JSON.parse(row.reason_codes_json) as string[],
        scoreAtDecision: row.score_at_decision,
        decidedBy: row.decided_by,
        decidedByName: row.decided_by_name ?? row.decided_by,
        decidedAt: row.decided_at,
      }));
    },
  };
}
