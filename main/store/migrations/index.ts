// The shipped schema history, one line per migration. Other areas add their own line; the runner
// sorts by id, so the order of lines here does not matter, but ids must never be reused.
import type { Migration } from './types.js';
import { migration as core } from './001_core.js';
import { migration as records } from './002_records.js';
import { migration as workflow } from './003_workflow.js';
import { migration as analysis } from './004_analysis.js';
import { migration as queue } from './005_queue.js';
import { migration as analysisIncremental } from './006_analysis_incremental.js';
import { migration as analysisCohorts } from './007_analysis_cohorts.js';
import { migration as pendingKeys } from './008_pending_keys.js';
import { migration as removalCount } from './009_removal_count.js';
import { migration as pfEmployerKey } from './010_pf_employer_key.js';
import { migration as keyFilters } from './011_key_filters.js';
import { migration as recordMoves } from './012_record_moves.js';
import { migration as eventRemovals } from './013_event_removals.js';
import { migration as ringKeys } from './014_ring_keys.js';
import { migration as sessionsPerApplication } from './015_sessions_per_application.js';
import { migration as outcomeChanges } from './016_outcome_changes.js';

export type { Migration } from './types.js';

export const MIGRATIONS: readonly Migration[] = [
  core,
  records,
  workflow,
  analysis,
  queue,
  analysisIncremental,
  analysisCohorts,
  pendingKeys,
  removalCount,
  pfEmployerKey,
  keyFilters,
  recordMoves,
  eventRemovals,
  ringKeys,
  sessionsPerApplication,
  outcomeChanges,
];
