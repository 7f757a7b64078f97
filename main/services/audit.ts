// Reading and checking the audit trail (appending is done by each use case, inside its own transaction).
import type { AuditEntry } from '../store/audit.js';
import { createAuditLogRepository } from '../store/repositories/auditLog.js';
import { repositoryFor } from '../store/repositories/cache.js';
import { verifyStore, type VerifyReport } from '../store/verify.js';
import type { SessionService } from './session.js';

export interface AuditService {
  verify(): VerifyReport;
  page(input: { before?: number; limit: number; target?: string }): { entries: AuditEntry[]; total: number };
}

export function createAuditService(session: SessionService): AuditService {
  return {
    verify: () => verifyStore(session.store()),
    page(input) {
      const repository = repositoryFor(session.store().db, createAuditLogRepository);
      return { entries: repository.page(input), total: repository.count() };
    },
  };
}
