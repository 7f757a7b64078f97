import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { QUEUE_SORTS, type QueueFilter, type QueueRow, type QueueSort } from '../../../../shared/ipc/ops/cases.js';
import { call } from '../../ipc/client.js';
import { useI18n } from '../../i18n/I18nProvider.js';
import { useShortcuts } from '../../hooks/useShortcuts.js';
import { useNow } from '../../hooks/useNow.js';
import { caseHref, navigate } from '../../routes.js';
import type { SignedIn } from '../../session/signedIn.js';
import { VirtualList } from '../../components/VirtualList.js';
import { ErrorMessage, describeError } from '../../components/ErrorMessage.js';
import { Empty, Loading } from '../../components/States.js';
import { formatNumber } from '../../format/format.js';
import { QueueFilters } from './QueueFilters.js';
import { QueueRowView } from './QueueRowView.js';
import { cleanFilter, rememberQueueView, rememberedQueueView } from './queueView.js';
import { useQueueCounts, useQueueWindow } from './useQueueWindow.js';

export const QUEUE_ROW_HEIGHT = 48;
const SEARCH_DEBOUNCE_MS = 250;

export function QueuePage(props: { session: SignedIn; fixedFilter?: QueueFilter; titleKey?: 'page.queue.title' | 'page.cases.title' }): ReactNode {
  const { t, language } = useI18n();
  const remembered = props.fixedFilter === undefined ? rememberedQueueView() : null;
  const [filter, setFilter] = useState<QueueFilter>(remembered?.filter ?? props.fixedFilter ?? {});
  const [sort, setSort] = useState<QueueSort>(remembered?.sort ?? 'score_desc');
  const [selected, setSelected] = useState(remembered?.selected ?? 0);
  const [revision, setRevision] = useState(0);
  const [searchText, setSearchText] = useState(filter.search ?? '');
  const [notice, setNotice] = useState<string | null>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLDivElement>(null);
  const now = useNow(30_000);

  const effectiveFilter = useMemo(() => cleanFilter({ ...filter, ...props.fixedFilter }), [filter, props.fixedFilter]);
  const queue = useQueueWindow(effectiveFilter, sort, revision);
  const total = queue.total;
  const { counts } = useQueueCounts(effectiveFilter, revision, total !== null);

  useEffect(() => {
    if (props.fixedFilter === undefined) rememberQueueView({ filter, sort, selected });
  }, [filter, sort, selected, props.fixedFilter]);

  // Search as you type, but one query per pause rather than per keystroke.
  useEffect(() => {
    const timer = window.setTimeout(() => {
      setFilter((current) => ((current.search ?? '') === searchText.trim() ? current : { ...current, search: searchText.trim() }));
    }, SEARCH_DEBOUNCE_MS);
    return () => window.clearTimeout(timer);
  }, [searchText]);

  const changeFilter = useCallback((next: QueueFilter) => {
    setFilter(next);
    setSelected(0);
  }, []);

  const open = useCallback((row: QueueRow | undefined) => {
    if (row !== undefined) navigate(caseHref(row.applicationId));
  }, []);

  const claim = useCallback(
    (row: QueueRow | undefined) => {
      if (row === undefined) return;
      call('claimCase', { applicationId: row.applicationId }).then(
        () => {
          setNotice(t('queue.claimed'));
          setRevision((value) => value + 1);
        },
        (error: unknown) => setNotice(describeError(t, error)),
      );
    },
    [t],
  );

  const last = Math.max(0, (total ?? 0) - 1);
  const move = (delta: number): void => {
    setSelected((value) => Math.max(0, Math.min(last, value + delta)));
    listRef.current?.querySelector<HTMLElement>('[role=listbox]')?.focus();
  };
  useShortcuts({
    j: () => move(1),
    k: () => move(-1),
    ArrowDown: () => move(1),
    ArrowUp: () => move(-1),
    Enter: () => open(queue.rowAt(selected)),
    '/': () => searchRef.current?.focus(),
    c: () => claim(queue.rowAt(selected)),
  });

  const renderRow = (index: number, style: React.CSSProperties): ReactNode => (
    <QueueRowView key={index} index={index} row={queue.rowAt(index)} style={style} selected={index === selected} now={now} onOpen={open} onSelect={setSelected} />
  );

  return (
    <section className="page queue-page" aria-labelledby="page-title">
      <header className="page-head">
        <h1 id="page-title">{t(props.titleKey ?? 'page.queue.title')}</h1>
        <span className="page-count" data-testid="queue-total" aria-live="polite">
          {total === null ? t('common.loading') : t('queue.total', { count: formatNumber(language, total) })}
        </span>
        <div className="queue-tools">
          <label className="search-box">
            <span className="visually-hidden">{t('queue.search')}</span>
            <input
              ref={searchRef}
              type="search"
              placeholder={t('queue.search.placeholder')}
              value={searchText}
              onChange={(event) => setSearchText(event.target.value)}
              onKeyDown={(event) => {
                if (event.key === 'Escape') event.currentTarget.blur();
                if (event.key === 'Enter') {
                  event.preventDefault();
                  setFilter((current) => ({ ...current, search: searchText.trim() }));
                }
              }}
              aria-keyshortcuts="/"
              data-testid="queue-search"
            />
          </label>
          <label className="sort-box">
            <span>{t('queue.sort')}</span>
            <select value={sort} onChange={(event) => setSort(QUEUE_SORTS.find((value) => value === event.target.value) ?? 'score_desc')} data-testid="queue-sort">
              {QUEUE_SORTS.map((value) => (
                <option key={value} value={value}>
                  {t(`queue.sort.${value}`)}
                </option>
              ))}
            </select>
          </label>
        </div>
      </header>
      {notice !== null && (
        <p className="toast" role="status" onAnimationEnd={() => setNotice(null)}>
          {notice}
        </p>
      )}
      <div className="queue-body">
        {props.fixedFilter === undefined && <QueueFilters filter={filter} counts={counts} onChange={changeFilter} />}
        <div className="queue-list" ref={listRef}>
          <div className="queue-header" aria-hidden="true">
            <span>{t('queue.col.score')}</span>
            <span>{t('queue.col.applicant')}</span>
            <span>{t('queue.col.reasons')}</span>
            <span>{t('queue.col.status')}</span>
            <span>{t('queue.col.assignee')}</span>
            <span>{t('queue.col.sla')}</span>
            <span>{t('queue.col.submitted')}</span>
          </div>
          {queue.error !== null && queue.total === null ? (
            <ErrorMessage error={queue.error} onRetry={() => setRevision((value) => value + 1)} />
          ) : total === null ? (
            <Loading />
          ) : total === 0 ? (
            <Empty message={Object.keys(effectiveFilter).length > 1 || effectiveFilter.search !== undefined ? 'queue.empty.filtered' : 'page.queue.empty'} />
          ) : (
            <VirtualList
              count={total}
              rowHeight={QUEUE_ROW_HEIGHT}
              renderRow={renderRow}
              onRangeChange={queue.ensure}
              scrollToIndex={selected}
              label={t('queue.list')}
              activeId={`queue-row-${selected}`}
              testId="queue-list"
            />
          )}
        </div>
      </div>
    </section>
  );
}
