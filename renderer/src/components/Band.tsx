import type { ReactNode } from 'react';
import type { ScoreBand } from '../../../shared/reasons.js';
import { useI18n } from '../i18n/I18nProvider.js';

export function BandBadge(props: { band: ScoreBand | null }): ReactNode {
  const { t } = useI18n();
  if (props.band === null) return <span className="band-badge none">{t('band.none')}</span>;
  return <span className={`band-badge band-${props.band}`}>{t(`band.${props.band}`)}</span>;
}

const GAUGE_RADIUS = 52;
const GAUGE_LENGTH = Math.PI * GAUGE_RADIUS;

/** A half-circle gauge of a 0-1000 score, coloured by band; the number is the accessible name. */
export function ScoreGauge(props: { score: number | null; band: ScoreBand | null }): ReactNode {
  const { t } = useI18n();
  const fraction = props.score === null ? 0 : Math.max(0, Math.min(1, props.score / 1000));
  const label = props.score === null ? t('score.none') : t('score.value', { score: props.score });
  return (
    <figure className="score-gauge" role="img" aria-label={label} data-testid="score-gauge">
      <svg viewBox="0 0 120 70" width="132" height="77" aria-hidden="true">
        <path d={`M 8 62 A ${GAUGE_RADIUS} ${GAUGE_RADIUS} 0 0 1 112 62`} className="gauge-track" />
        <path
          d={`M 8 62 A ${GAUGE_RADIUS} ${GAUGE_RADIUS} 0 0 1 112 62`}
          className={`gauge-value band-stroke-${props.band ?? 'none'}`}
          strokeDasharray={`${GAUGE_LENGTH * fraction} ${GAUGE_LENGTH}`}
        />
        <text x="60" y="58" textAnchor="middle" className="gauge-number">
          {props.score === null ? '—' : props.score}
        </text>
      </svg>
      <figcaption>
        <BandBadge band={props.band} />
      </figcaption>
    </figure>
  );
}
