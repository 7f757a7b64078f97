import { memo, type CSSProperties, type ReactNode } from 'react';
import type { QueueRow } from '../../../../shared/ipc/ops/cases.js';
import { useI18n } from '../../i18n/I18nProvider.js';
import { formatDateTime, formatShortDateTime, reasonLabel, slaShortText, slaTone } from '../../format/format.js';

interface RowProps {
  index: number;
  row: QueueRow | undefined;
  style: CSSProperties;
  selected: boolean;
  now: number;
  onOpen: (row: QueueRow) => void;
  onSelect: (index: number) => void;
}

/** One case in the queue: score first (what to look at), then who, why, state, owner and clock. */
export const QueueRowView = memo(QueueRow, sameRow);

/** Rows re-render only when what they show changes: scrolling hands them a new style object every frame. */
function sameRow(before: RowProps, after: RowProps): boolean {
  return (
    before.index === after.index &&
    before.row === after.row &&
    before.selected === after.selected &&
    before.now === after.now &&
    before.onOpen === after.onOpen &&
    before.onSelect === after.onSelect &&
    before.style.transform === after.style.transform &&
    before.style.height === after.style.height
  );
}

function QueueRow(props: RowProps): ReactNode {
  const { t, language } = useI18n();
  const { row, index } = props;
  const className = props.selected ? 'queue-row selected' : 'queue-row';
  if (row === undefined) {
    return (
      <div id={`queue-row-${index}`} role="option" aria-selected={props.selected} aria-busy="true" className={`${className} placeholder`} style={props.style}>
        <span className="skeleton" aria-hidden="true" />
        <span className="visually-hidden">{t('common.loading')}</span>
      </div>
    );
  }
  const tone = slaTone(row.slaDueAt, props.now);
  return (
    <div
      id={`queue-row-${index}`}
      role="option"
      aria-selected={props.selected}
      className={className}
      style={props.style}
      onClick={() => {
        props.onSelect(index);
        props.onOpen(row);
      }}
      data-testid="queue-row"
      data-application-id={row.applicationId}
    >
      <span className={`score-cell band-${row.band ?? 'none'}`}>
        <strong>{row.score ?? '—'}</strong>
        <small>{row.band === null ? t('band.none') : t(`band.${row.band}`)}</small>
      </span>
      <span className="applicant-cell">
        <strong>{row.applicantName}</strong>
        <small title={row.phone}>{row.idNumber}</small>
      </span>
      <span className="reasons-cell">
        {row.topReasons.slice(0, 1).map((code) => (
          <span key={code} className="reason-chip" title={code}>
            {reasonLabel(language, code)}
          </span>
        ))}
        {row.topReasons.length > 1 && (
          <span className="reason-more" title={row.topReasons.slice(1).map((code) => reasonLabel(language, code)).join('\n')}>
            {t('queue.moreReasons', { count: row.topReasons.length - 1 })}
          </span>
        )}
        {row.source !== 'engine' && <span className={`source-chip source-${row.source}`}>{t(`source.${row.source}`)}</span>}
      </span>
      <span className={`status-cell status-${row.status}`}>{t(`status.${row.status}`)}</span>
      <span className="assignee-cell">{row.assignee?.displayName ?? t('queue.unassigned')}</span>
      <span className={`sla-cell sla-${tone}`}>{slaShortText(t, row.slaDueAt, props.now)}</span>
      <span className="submitted-cell" title={formatDateTime(language, row.submittedAt)}>
        {formatShortDateTime(language, row.submittedAt)}
      </span>
    </div>
  );
}
