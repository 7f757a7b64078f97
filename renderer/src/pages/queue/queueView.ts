import { ACTIVE_STATUSES, type QueueFilter, type QueueSort } from '../../../../shared/ipc/ops/cases.js';

/** The queue's filter, sort and position, kept while a case is open so "back to queue" lands where it left. */
export interface QueueView {
  filter: QueueFilter;
  sort: QueueSort;
  selected: number;
}

export const DEFAULT_FILTER: QueueFilter = { statuses: [...ACTIVE_STATUSES] };

let lastView: QueueView = { filter: DEFAULT_FILTER, sort: 'score_desc', selected: 0 };

export function rememberedQueueView(): QueueView {
  return lastView;
}

export function rememberQueueView(view: QueueView): void {
  lastView = view;
}

/** Forgets the view when the desk closes (lock): a search may hold PII the next person must not see. */
export function forgetQueueView(): void {
  lastView = { filter: DEFAULT_FILTER, sort: 'score_desc', selected: 0 };
}

/** Drops empty arrays and blank strings so the filter sent to main says only what was chosen. */
export function cleanFilter(filter: QueueFilter): QueueFilter {
  const clean: QueueFilter = {};
  for (const [key, value] of Object.entries(filter)) {
    if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) continue;
    Object.assign(clean, { [key]: value });
  }
  return clean;
}
