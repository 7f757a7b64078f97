import type { Handlers } from '../registry.js';
import type { Services } from '../../services/index.js';

type CaseOperations =
  | 'getCaseSettings'
  | 'setCaseSettings'
  | 'listQueue'
  | 'getQueueCounts'
  | 'getCase'
  | 'getCaseTimeline'
  | 'getCaseEvidence'
  | 'claimCase'
  | 'releaseCase'
  | 'assignCase'
  | 'listAssignees'
  | 'decideCase'
  | 'listPendingReviews'
  | 'reviewDecision'
  | 'addCaseNote'
  | 'addCaseAttachment'
  | 'getCaseAttachment';

export function caseHandlers(services: Services): Pick<Handlers, CaseOperations> {
  const { cases, decisions, notes, caseEvidence } = services;
  return {
    getCaseSettings: () => cases.settings(),
    setCaseSettings: (input) => cases.updateSettings(input),
    listQueue: (input) => cases.listQueue(input),
    getQueueCounts: (input) => cases.queueCounts(input.filter),
    getCase: (input) => cases.getCase(input.applicationId),
    getCaseTimeline: (input) => cases.timeline(input.applicationId),
    getCaseEvidence: (input) => caseEvidence.evidence(input.applicationId),
    claimCase: (input) => cases.claim(input.applicationId),
    releaseCase: (input) => cases.release(input.applicationId),
    assignCase: (input) => cases.assign(input.applicationId, input.assigneeId),
    listAssignees: () => cases.assignees(),
    decideCase: (input) => decisions.decide(input),
    listPendingReviews: () => decisions.pendingReviews(),
    reviewDecision: (input) => decisions.review(input),
    addCaseNote: (input) => notes.addNote(input),
    addCaseAttachment: (input) => notes.addAttachment(input),
    getCaseAttachment: (input) => notes.attachment(input.attachmentId),
  };
}
