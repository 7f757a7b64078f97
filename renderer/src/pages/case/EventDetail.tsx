import type { ReactNode } from 'react';
import { useI18n } from '../../i18n/I18nProvider.js';
import { formatDateTimeSeconds, formatNumber } from '../../format/format.js';
import type { PreparedEvent } from './timelineModel.js';

/** Attribute values as a person reads them: interval lists summarised, nested objects as compact JSON. */
function describeValue(key: string, value: unknown, language: 'en' | 'zh-CN'): string {
  if (Array.isArray(value) && key === 'key_intervals_ms' && value.every((item) => typeof item === 'number')) {
    const numbers: number[] = value;
    if (numbers.length === 0) return '[]';
    const mean = numbers.reduce((sum, item) => sum + item, 0) / numbers.length;
    const sd = Math.sqrt(numbers.reduce((sum, item) => sum + (item - mean) ** 2, 0) / numbers.length);
    return `n=${numbers.length}, μ=${formatNumber(language, mean)} ms, σ=${formatNumber(language, sd)} ms`;
  }
  if (typeof value === 'number') return formatNumber(language, value, Number.isInteger(value) ? 0 : 2);
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

export function EventDetail(props: { event: PreparedEvent | undefined; total: number; onPrevious: () => void; onNext: () => void }): ReactNode {
  const { t, language } = useI18n();
  const { event } = props;
  return (
    <aside className="event-detail" aria-labelledby="event-detail-title" data-testid="event-detail">
      <div className="event-detail-head">
        <h3 id="event-detail-title">{t('timeline.detail')}</h3>
        <div className="button-group">
          <button type="button" className="secondary small" onClick={props.onPrevious} disabled={props.total === 0 || event?.index === 0} aria-label={t('timeline.previousEvent')}>
            ‹
          </button>
          <button type="button" className="secondary small" onClick={props.onNext} disabled={props.total === 0 || event?.index === props.total - 1} aria-label={t('timeline.nextEvent')}>
            ›
          </button>
        </div>
      </div>
      {event === undefined ? (
        <p className="empty-state">{t('timeline.detail.empty')}</p>
      ) : (
        <dl className="facts compact">
          <div>
            <dt>{t('timeline.event.kind')}</dt>
            <dd>
              <code>{event.event.kind}</code> {t('timeline.event.position', { index: event.index + 1, total: props.total })}
            </dd>
          </div>
          <div>
            <dt>{t('timeline.event.time')}</dt>
            <dd>{formatDateTimeSeconds(language, event.event.ts)}</dd>
          </div>
          <div>
            <dt>{t('timeline.event.step')}</dt>
            <dd>{t(`step.${event.lane}`)}</dd>
          </div>
          <div>
            <dt>{t('timeline.event.device')}</dt>
            <dd>
              {event.event.deviceId ?? '—'}
              {event.deviceChanged && <span className="change-flag device">{t('timeline.deviceChange')}</span>}
            </dd>
          </div>
          <div>
            <dt>{t('timeline.event.ip')}</dt>
            <dd>
              {event.event.ip ?? '—'}
              {event.ipChanged && <span className="change-flag ip">{t('timeline.ipChange')}</span>}
            </dd>
          </div>
          <div>
            <dt>{t('timeline.event.session')}</dt>
            <dd>{event.event.sessionId ?? '—'}</dd>
          </div>
          {Object.entries(event.event.attrs).map(([key, value]) => (
            <div key={key}>
              <dt>
                <code>{key}</code>
              </dt>
              <dd>{describeValue(key, value, language)}</dd>
            </div>
          ))}
        </dl>
      )}
    </aside>
  );
}
