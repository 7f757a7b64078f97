// Deciding a case and the four-eyes review. Each decision and each review verdict is written with its
// audit entry in one IMMEDIATE transaction on a synchronous=FULL connection: both are on disk, or neither.
import { randomUUID } from 'node:crypto';
import { VigilError } from '../../shared/errors.js';
import type { CaseDetail, CaseStatus, DecisionOutcome } from '../../shared/ipc/ops/cases.js';
import { maskName } from '../../shared/pii/mask.js';
import { isReasonCode } from '../../shared/reasons.js';
import { appendAudit } from '../store/audit.js';
import { repositoryFor } from '../store/repositories/cache.js';
import { createCaseRecordsRepository } from '../store/repositories/caseRecords.js';
import { createCaseQueueRepository } from '../store/repositories/caseQueue.js';
import { createCasesRepository } from '../store/repositories/cases.js';
import { createDecisionsRepository } from '../store/repositories/decisions.js';
import { buildCaseDetail, ensureCase, mayOverride, openDesk, permissions } from './cases.js';
import type { SessionService } from './session.js';

export interface DecideInput {
  readonly applicationId: string;
  readonly outcome: DecisionOutcome;
  readonly reasonCodes: readonly string[];
  readonly comment?: string | undefined;
}

export interface PendingReview {
  decisionId: string;
  applicationId: string;
  applicantName: string;
  outcome: DecisionOutcome;
  reasonCodes: string[];
  scoreAtDecision: number | null;
  decidedBy: { id: string; displayName: string };
  decidedAt: string;
}

export interface DecisionsService {
  decide(input: DecideInput): CaseDetail;
  pendingReviews(): PendingReview[];
  review(input: { decisionId: string; verdict: 'signed_off' | 'sent_back'; comment?: string | undefined }): CaseDetail;
}

/** Where a case goes after an outcome that takes effect at once. */
const STATUS_AFTER: Record<DecisionOutcome, CaseStatus> = {
  approve: 'decided',
  reject: 'decided',
  escalate: 'escalated',
  request_documents: 'awaiting_documents',
};

export function createDecisionsService(session: SessionService): DecisionsService {
  return {
    decide(input) {
      const desk = openDesk(session);
      const { user } = desk;
      const codes = [...new Set(input.reasonCodes)];
      const unknown = codes.find((code) => !isReasonCode(code));
      if (unknown !== undefined) throw new VigilError('invalid_input', `${unknown} is not a reason code of the catalogue`, 'reasonCodes');
      if (input.outcome === 'reject' && codes.length === 0) throw new VigilError('invalid_input', 'a rejection needs at least one reason code', 'reasonCodes');
      const comment = input.comment?.trim() ?? '';
      if ((input.outcome === 'escalate' || input.outcome === 'request_documents') && comment === '') {
        throw new VigilError('invalid_input', `say what is needed when you ${input.outcome === 'escalate' ? 'escalate' : 'request documents'}`, 'comment');
      }
      const at = desk.now.toISOString();
      const threshold = desk.reviewThreshold();

      desk.db
        .transaction(() => {
          const row = ensureCase(desk, input.applicationId);
          const can = permissions(user, row.status, row.assigneeId);
          if (!can.decide) {
            if (row.status === 'pending_review') throw new VigilError('conflict', `case ${input.applicationId} is waiting for a team lead's sign-off`);
            if (row.status === 'decided' || row.status === 'closed') throw new VigilError('conflict', `case ${input.applicationId} is already decided`);
            if (row.assigneeId !== null && row.assigneeId !== user.id && !mayOverride(user)) {
              throw new VigilError('conflict', `case ${input.applicationId} is held by ${row.assigneeName ?? row.assigneeId}`);
            }
            throw new VigilError('forbidden_role', `the ${user.role} role cannot decide cases`);
          }
          const score = repositoryFor(desk.db, createCaseQueueRepository).currentScore(input.applicationId)?.score ?? row.score;
          const requiresReview = input.outcome === 'reject' && score !== null && score >= threshold;
          const decisions = repositoryFor(desk.db, createDecisionsRepository);
          const cases = repositoryFor(desk.db, createCasesRepository);
          const decisionId = randomUUID();
          decisions.insert({
            id: decisionId,
            caseId: row.id,
            applicationId: input.applicationId,
            outcome: input.outcome,
            reasonCodes: codes,
            comment: comment === '' ? null : comment,
            scoreAtDecision: score,
            decidedBy: user.id,
            decidedAt: at,
            requiresReview,
          });
          decisions.supersedeOpen(row.id, decisionId);
          if (requiresReview) decisions.requestReview({ id: randomUUID(), decisionId, requestedAt: at });
          // Whoever decides holds the case from then on (sent back, it returns to them).
          if (row.assigneeId !== user.id) cases.setAssignee(row.id, user.id, user.id, at);
          const status: CaseStatus = requiresReview ? 'pending_review' : STATUS_AFTER[input.outcome];
          cases.setStatus(row.id, status, at);
          appendAudit(desk.db, {
            actor: user.id,
            action: 'case.decide',
            target: `case:${input.applicationId}`,
            before: { status: row.status, assignee: row.assigneeId },
            after: { decisionId, outcome: input.outcome, reasonCodes: codes, score, requiresReview, status },
            at,
          });
        })
        .immediate();
      return buildCaseDetail(desk, input.applicationId);
    },

    pendingReviews() {
      const desk = openDesk(session);
      const records = repositoryFor(desk.db, createCaseRecordsRepository);
      return repositoryFor(desk.db, createDecisionsRepository)
        .pendingReviews(500)
        .map((row) => {
          const applicant = row.applicantId === null ? undefined : records.applicant(row.applicantId);
          return {
            decisionId: row.decisionId,
            applicationId: row.applicationId,
            applicantName: applicant === undefined ? '—' : maskName(applicant.name),
            outcome: row.outcome,
            reasonCodes: row.reasonCodes,
            scoreAtDecision: row.scoreAtDecision,
            decidedBy: { id: row.decidedBy, displayName: row.decidedByName },
            decidedAt: row.decidedAt,
          };
        });
    },

    review(input) {
      const desk = openDesk(session);
      const { user } = desk;
      if (!mayOverride(user)) throw new VigilError('forbidden_role', 'only team leads review decisions');
      const decisions = repositoryFor(desk.db, createDecisionsRepository);
      const decision = decisions.byId(input.decisionId);
      if (decision === undefined) throw new VigilError('not_found', `there is no decision ${input.decisionId}`, 'decisionId');
      if (decision.decidedBy === user.id) throw new VigilError('forbidden_role', 'four eyes: a decision cannot be reviewed by the person who made it');
      const comment = input.comment?.trim() ?? '';
      if (input.verdict === 'sent_back' && comment === '') throw new VigilError('invalid_input', 'say why the decision goes back', 'comment');
      const at = desk.now.toISOString();
      desk.db
        .transaction(() => {
          const done = decisions.completeReview({ decisionId: decision.id, reviewerId: user.id, status: input.verdict, comment: comment === '' ? null : comment, reviewedAt: at });
          if (!done) throw new VigilError('conflict', 'this decision is not waiting for a review any more');
          const cases = repositoryFor(desk.db, createCasesRepository);
          const status: CaseStatus = input.verdict === 'signed_off' ? STATUS_AFTER[decision.outcome] : 'in_progress';
          if (input.verdict === 'signed_off') decisions.makeEffective(decision.id);
          cases.setStatus(decision.caseId, status, at);
          appendAudit(desk.db, {
            actor: user.id,
            action: 'case.review',
            target: `case:${decision.applicationId}`,
            before: { decisionId: decision.id, status: 'pending_review' },
            after: { decisionId: decision.id, verdict: input.verdict, status },
            at,
          });
        })
        .immediate();
      return buildCaseDetail(desk, decision.applicationId);
    },
  };
}
