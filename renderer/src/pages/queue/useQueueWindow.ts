import { useCallback, useEffect, useRef, useState } from 'react';
import type { QueueCounts, QueueFilter, QueueRow, QueueSort } from '../../../../shared/ipc/ops/cases.js';
import { call } from '../../ipc/client.js';

export const QUEUE_PAGE_SIZE = 100;

interface WindowData {
  readonly key: string;
  readonly total: number | null;
  readonly pages: ReadonlyMap<number, readonly QueueRow[]>;
  readonly error: unknown;
}

export interface QueueWindow {
  readonly total: number | null;
  readonly error: unknown;
  readonly rowAt: (index: number) => QueueRow | undefined;
  /** Fetches the pages that hold rows first..last, once each. */
  readonly ensure: (first: number, last: number) => void;
}

/**
 * The queue as a sparse window: pages of rows fetched as they scroll into view, dropped when the
 * filter, sort or revision changes. Responses for an older query are ignored.
 */
export function useQueueWindow(filter: QueueFilter, sort: QueueSort, revision: number): QueueWindow {
  const key = JSON.stringify([filter, sort, revision]);
  const [data, setData] = useState<WindowData>({ key: '', total: null, pages: new Map(), error: null });
  const requested = useRef<{ key: string; pages: Set<number> }>({ key: '', pages: new Set() });
  const current = data.key === key ? data : { key, total: null, pages: new Map<number, readonly QueueRow[]>(), error: null };

  const loadPage = useCallback(
    (page: number) => {
      if (requested.current.key !== key) requested.current = { key, pages: new Set() };
      if (requested.current.pages.has(page)) return;
      requested.current.pages.add(page);
      call('listQueue', { filter, sort, offset: page * QUEUE_PAGE_SIZE, limit: QUEUE_PAGE_SIZE }).then(
        (result) => {
          setData((previous) => {
            const base = previous.key === key ? previous : { key, total: null, pages: new Map<number, readonly QueueRow[]>(), error: null };
            const pages = new Map(base.pages);
            pages.set(page, result.rows);
            return { key, total: result.total, pages, error: null };
          });
        },
        (error: unknown) => {
          requested.current.pages.delete(page);
          setData((previous) => (previous.key === key ? { ...previous, error } : { key, total: null, pages: new Map(), error }));
        },
      );
    },
    // `key` covers filter, sort and revision.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [key],
  );

  useEffect(() => loadPage(0), [loadPage]);

  const ensure = useCallback(
    (first: number, last: number) => {
      for (let page = Math.floor(first / QUEUE_PAGE_SIZE); page <= Math.floor(last / QUEUE_PAGE_SIZE); page += 1) loadPage(page);
    },
    [loadPage],
  );

  const { pages } = current;
  const rowAt = useCallback((index: number) => pages.get(Math.floor(index / QUEUE_PAGE_SIZE))?.[index % QUEUE_PAGE_SIZE], [pages]);
  return { total: current.total, error: current.error, rowAt, ensure };
}

/** How long the list must stay on one query before its counts are asked for: counting scans every case. */
export const COUNTS_DELAY_MS = 250;

/**
 * Facet counts for the filter panel, asked for once the list itself has arrived and the query has
 * held still for a moment: quick filter clicks and page switches leave no count scans queued behind them.
 */
export function useQueueCounts(filter: QueueFilter, revision: number, listReady: boolean): { counts: QueueCounts | null; error: unknown } {
  const key = JSON.stringify([filter, revision]);
  const [state, setState] = useState<{ key: string; counts: QueueCounts | null; error: unknown }>({ key: '', counts: null, error: null });
  useEffect(() => {
    if (!listReady) return;
    let live = true;
    const timer = window.setTimeout(() => {
      call('getQueueCounts', { filter }).then(
        (counts) => live && setState({ key, counts, error: null }),
        (error: unknown) => live && setState({ key, counts: null, error }),
      );
    }, COUNTS_DELAY_MS);
    return () => {
      live = false;
      window.clearTimeout(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, listReady]);
  // Keep showing the previous counts while new ones load: numbers that blink to nothing are harder to read.
  return { counts: state.counts, error: state.key === key ? state.error : null };
}
