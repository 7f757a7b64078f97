// Folding pending keys into the main key indexes, outside an analysis run.
//
// An incremental run writes new link and device keys to small pending indexes (008_pending_keys), whose
// pages stay hot, and readers look in both. Once enough are pending, moving them into the main indexes in
// key order touches each main page once for many keys. That fold used to be the end of the run that
// crossed the threshold: every fifth run of 1,000 new applicants waited 1.5-2 s longer for its scores.
// The fold changes no result (readers see a key wherever it is), so it is maintenance: the window's
// analysis service starts it after the run has answered (and stops it when the next run or a lock comes),
// the CLI once the run is saved. It goes in slices of contiguous key ranges, each its own short
// transaction, so the main process answers in between and a stop leaves only fewer keys pending.
import type { StoreHandle } from '../store/open.js';
import { createAnalysisRepository } from '../store/repositories/analysis.js';
import { repositoryFor } from '../store/repositories/cache.js';
import { nextSliceMayBegin } from './slices.js';

/**
 * Pending link and device keys at which the fold is due: about every fifth run of 1,000 new applicants
 * (about 15,000 keys each). Below it, new keys cost writes to pending indexes of a few hundred pages.
 */
export const PENDING_FOLD_KEYS = 65_536;
/** Keys of each index per slice: a slice takes about 0.1-0.3 s on a 2-core laptop. */
export const FOLD_SLICE_KEYS = 8_192;

export interface FoldOptions {
  /** Fold only when at least this many keys are pending (default PENDING_FOLD_KEYS; 0: whatever is pending). */
  readonly atLeast?: number;
  readonly sliceKeys?: number;
  /** Asked before each slice after the first: true stops the fold there (the rest stays pending, which is correct). */
  readonly shouldStop?: () => boolean;
}

export interface FoldSummary {
  /** Keys moved into the main indexes. */
  readonly folded: number;
  /** Keys still pending afterwards (all of them when the fold was not due). */
  readonly pending: number;
  readonly slices: number;
  readonly durationMs: number;
}

/**
 * Moves pending keys into the main indexes if at least `atLeast` are pending, slice by slice, yielding to
 * the event loop between slices. Stops early when `shouldStop` says so or the store is closed.
 */
export async function foldPendingKeys(store: StoreHandle, options: FoldOptions = {}): Promise<FoldSummary> {
  const started = performance.now();
  const repo = repositoryFor(store.db, createAnalysisRepository);
  const before = repo.pendingKeyCount();
  const atLeast = options.atLeast ?? PENDING_FOLD_KEYS;
  if (before === 0 || before < atLeast) return { folded: 0, pending: before, slices: 0, durationMs: Math.round(performance.now() - started) };
  const sliceKeys = Math.max(1, options.sliceKeys ?? FOLD_SLICE_KEYS);
  let folded = 0;
  let slices = 0;
  try {
    // The filters must hold every main key before keys are added to them: read (or built) first.
    repo.transaction(() => repo.openKeyFilters());
    for (;;) {
      const first = slices === 0;
      // The first slice begins unless the caller holds a transaction, which it would join.
      if (first ? store.closed || store.db.inTransaction : !(await nextSliceMayBegin(store, options.shouldStop))) break;
      const moved = repo.transaction(() => {
        // From the first moved key on, the stored filters no longer cover the main indexes: a reader in
        // another process (or after a crash) must not trust them until the held ones are saved.
        if (first) repo.dropStoredKeyFilters();
        return repo.foldPendingSlice(sliceKeys);
      });
      slices += 1;
      folded += moved.linkKeys + moved.deviceKeys;
      if (moved.linkKeys + moved.deviceKeys === 0) break;
    }
    if (!store.closed) repo.transaction(() => repo.saveHeldKeyFilters());
  } catch (error) {
    // What committed is correct; the filters held in memory may not be: read them again next time.
    repo.discardKeyFilters();
    throw error;
  }
  return { folded, pending: store.closed ? before - folded : repo.pendingKeyCount(), slices, durationMs: Math.round(performance.now() - started) };
}
