// Revealing a masked value: only with a stated reason, and the reveal is audited in the same transaction
// that reads the value, so there is no clear value shown without its audit entry.
import { VigilError } from '../../shared/errors.js';
import { maskPii, type PiiField } from '../../shared/pii/mask.js';
import { appendAudit } from '../store/audit.js';
import { createApplicantPiiRepository } from '../store/applicantPii.js';
import { repositoryFor } from '../store/repositories/cache.js';
import type { SessionService } from './session.js';

export interface PiiRevealRequest {
  readonly applicantId: string;
  readonly field: PiiField;
  readonly reason: string;
}

export interface PiiService {
  reveal(request: PiiRevealRequest): { value: string; masked: string; auditSeq: number };
}

export const MIN_REVEAL_REASON_LENGTH = 4;

export function createPiiService(session: SessionService): PiiService {
  return {
    reveal(request) {
      const reason = request.reason.trim();
      if (Array.from(reason).length < MIN_REVEAL_REASON_LENGTH) throw new VigilError('invalid_input', 'say why you need to see this value', 'reason');
      const store = session.store();
      const user = session.requireUser();
      const applicants = repositoryFor(store.db, createApplicantPiiRepository);
      return store.db.transaction(() => {
        const value = applicants.field(request.applicantId, request.field);
        if (value === undefined) throw new VigilError('not_found', `there is no applicant ${request.applicantId}`);
        if (value === null) throw new VigilError('not_found', `applicant ${request.applicantId} has no ${request.field}`);
        const entry = appendAudit(store.db, {
          actor: user.id,
          action: 'pii.reveal',
          target: `applicant:${request.applicantId}#${request.field}`,
          after: { reason, role: user.role },
        });
        return { value, masked: maskPii(request.field, value), auditSeq: entry.seq };
      }).immediate();
    },
  };
}
