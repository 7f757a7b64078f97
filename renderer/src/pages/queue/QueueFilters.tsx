import type { ReactNode } from 'react';
import { CASE_SOURCES, CASE_STATUSES, SLA_STATES, type QueueCounts, type QueueFilter } from '../../../../shared/ipc/ops/cases.js';
import { SCORE_BANDS } from '../../../../shared/reasons.js';
import { useI18n } from '../../i18n/I18nProvider.js';
import { formatNumber, reasonLabel } from '../../format/format.js';
import { DEFAULT_FILTER } from './queueView.js';

function countOf(facet: ReadonlyArray<{ value: string; count: number }> | undefined, value: string): number | null {
  if (facet === undefined) return null;
  return facet.find((entry) => entry.value === value)?.count ?? 0;
}

function toggle<T extends string>(list: readonly T[] | undefined, value: T): T[] {
  const current = list ?? [];
  return current.includes(value) ? current.filter((item) => item !== value) : [...current, value];
}

/** The filter column: every choice shows how many cases it would leave (counts ignore the facet's own choice). */
export function QueueFilters(props: { filter: QueueFilter; counts: QueueCounts | null; onChange: (filter: QueueFilter) => void }): ReactNode {
  const { t, language } = useI18n();
  const { filter, counts, onChange } = props;
  const count = (facet: keyof Omit<QueueCounts, 'total'>, value: string): ReactNode => {
    const n = countOf(counts?.[facet], value);
    return <span className="facet-count">{n === null ? '' : formatNumber(language, n)}</span>;
  };

  return (
    <aside className="queue-filters" aria-label={t('queue.filters')} data-testid="queue-filters">
      <div className="filters-head">
        <h2>{t('queue.filters')}</h2>
        <button type="button" className="link-button" onClick={() => onChange({ ...DEFAULT_FILTER, search: filter.search })} data-testid="filter-reset">
          {t('queue.filters.reset')}
        </button>
      </div>

      <fieldset>
        <legend>{t('queue.filter.band')}</legend>
        {[...SCORE_BANDS].reverse().map((band) => (
          <label key={band} className="facet">
            <input type="checkbox" checked={filter.bands?.includes(band) ?? false} onChange={() => onChange({ ...filter, bands: toggle(filter.bands, band) })} data-testid={`filter-band-${band}`} />
            <span className={`band-dot band-${band}`} aria-hidden="true" />
            <span className="facet-label">{t(`band.${band}`)}</span>
            {count('bands', band)}
          </label>
        ))}
      </fieldset>

      <fieldset>
        <legend>{t('queue.filter.status')}</legend>
        {CASE_STATUSES.map((status) => (
          <label key={status} className="facet">
            <input
              type="checkbox"
              checked={filter.statuses?.includes(status) ?? false}
              onChange={() => onChange({ ...filter, statuses: toggle(filter.statuses, status) })}
              data-testid={`filter-status-${status}`}
            />
            <span className="facet-label">{t(`status.${status}`)}</span>
            {count('statuses', status)}
          </label>
        ))}
      </fieldset>

      <fieldset>
        <legend>{t('queue.filter.sla')}</legend>
        <label className="facet">
          <input type="radio" name="sla" checked={filter.sla === undefined} onChange={() => onChange({ ...filter, sla: undefined })} />
          <span className="facet-label">{t('queue.filter.any')}</span>
        </label>
        {SLA_STATES.map((state) => (
          <label key={state} className="facet">
            <input type="radio" name="sla" checked={filter.sla === state} onChange={() => onChange({ ...filter, sla: state })} data-testid={`filter-sla-${state}`} />
            <span className="facet-label">{t(`sla.${state}`)}</span>
            {count('sla', state)}
          </label>
        ))}
      </fieldset>

      <div className="filter-field">
        <label htmlFor="filter-reason">{t('queue.filter.reason')}</label>
        <select
          id="filter-reason"
          value={filter.reasonCodes?.[0] ?? ''}
          onChange={(event) => onChange({ ...filter, reasonCodes: event.target.value === '' ? [] : [event.target.value] })}
          data-testid="filter-reason"
        >
          <option value="">{t('queue.filter.any')}</option>
          {(counts?.reasons ?? []).map((entry) => (
            <option key={entry.value} value={entry.value}>
              {t('queue.filter.withCount', { label: reasonLabel(language, entry.value), count: formatNumber(language, entry.count) })}
            </option>
          ))}
        </select>
      </div>

      <div className="filter-field">
        <label htmlFor="filter-assignee">{t('queue.filter.assignee')}</label>
        <select id="filter-assignee" value={filter.assignee ?? ''} onChange={(event) => onChange({ ...filter, assignee: event.target.value === '' ? undefined : event.target.value })} data-testid="filter-assignee">
          <option value="">{t('queue.filter.anyone')}</option>
          <option value="me">{t('queue.filter.me')}</option>
          {(counts?.assignees ?? []).map((entry) => (
            <option key={entry.value} value={entry.value}>
              {t('queue.filter.withCount', { label: entry.value === 'unassigned' ? t('queue.filter.unassigned') : (entry.label ?? entry.value), count: formatNumber(language, entry.count) })}
            </option>
          ))}
        </select>
      </div>

      <div className="filter-field">
        <label htmlFor="filter-source">{t('queue.filter.source')}</label>
        <select id="filter-source" value={filter.source ?? ''} onChange={(event) => onChange({ ...filter, source: CASE_SOURCES.find((source) => source === event.target.value) })} data-testid="filter-source">
          <option value="">{t('queue.filter.any')}</option>
          {CASE_SOURCES.map((source) => (
            <option key={source} value={source}>
              {t('queue.filter.withCount', { label: t(`source.${source}`), count: formatNumber(language, countOf(counts?.sources, source) ?? 0) })}
            </option>
          ))}
        </select>
      </div>

      <div className="filter-field">
        <label htmlFor="filter-batch">{t('queue.filter.batch')}</label>
        <select id="filter-batch" value={filter.importBatch ?? ''} onChange={(event) => onChange({ ...filter, importBatch: event.target.value === '' ? undefined : event.target.value })} data-testid="filter-batch">
          <option value="">{t('queue.filter.any')}</option>
          {(counts?.batches ?? []).map((entry) => (
            <option key={entry.value} value={entry.value}>
              {t('queue.filter.withCount', { label: entry.label ?? entry.value, count: formatNumber(language, entry.count) })}
            </option>
          ))}
        </select>
      </div>

      <fieldset>
        <legend>{t('queue.filter.submitted')}</legend>
        <div className="date-range">
          <label>
            <span>{t('queue.filter.from')}</span>
            <input type="date" value={filter.submittedFrom ?? ''} onChange={(event) => onChange({ ...filter, submittedFrom: event.target.value === '' ? undefined : event.target.value })} data-testid="filter-from" />
          </label>
          <label>
            <span>{t('queue.filter.to')}</span>
            <input type="date" value={filter.submittedTo ?? ''} onChange={(event) => onChange({ ...filter, submittedTo: event.target.value === '' ? undefined : event.target.value })} data-testid="filter-to" />
          </label>
        </div>
      </fieldset>
    </aside>
  );
}
