// Background work on the main connection (the fold of pending keys, the rehearsal of a run after unlock)
// goes in slices, each its own short transaction, so the main process answers between them. Both ask the
// same question before each slice after the first.
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { StoreHandle } from '../store/open.js';

/**
 * Lets the event loop through, then says whether the next slice may begin: not when asked to stop (a run
 * is waiting), once the store is locked, or inside another transaction (an incremental run's, across its
 * awaits), which the slice would join.
 */
export async function nextSliceMayBegin(store: StoreHandle, shouldStop?: () => boolean): Promise<boolean> {
  await yieldToLoop();
  return shouldStop?.() !== true && !store.closed && !store.db.inTransaction;
}
