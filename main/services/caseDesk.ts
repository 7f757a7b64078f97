// The investigator's desk as one bundle for the service index: queue and cases, decisions and reviews, notes and evidence.
import { createCasesService, type CasesService } from './cases.js';
import { createCaseEvidenceService, type CaseEvidenceService } from './caseEvidence.js';
import { createDecisionsService, type DecisionsService } from './decisions.js';
import { createNotesService, type NotesService } from './notes.js';
import type { SessionService } from './session.js';

export interface CaseDeskServices {
  readonly cases: CasesService;
  readonly decisions: DecisionsService;
  readonly notes: NotesService;
  readonly caseEvidence: CaseEvidenceService;
}

export function createCaseDeskServices(session: SessionService): CaseDeskServices {
  return { cases: createCasesService(session), decisions: createDecisionsService(session), notes: createNotesService(session), caseEvidence: createCaseEvidenceService(session) };
}
