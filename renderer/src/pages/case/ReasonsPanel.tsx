import { useState, type ReactNode } from 'react';
import { Bar, BarChart, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { YAxisTickContentProps } from 'recharts/types/util/types';
import { isReasonCode, REASONS } from '../../../../shared/reasons.js';
import { FLAG_FEATURES } from '../../../../shared/features.js';
import { useI18n } from '../../i18n/I18nProvider.js';
import { labelOf } from '../../i18n/optionalKey.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { Loading } from '../../components/States.js';
import { formatDateTime, formatNumber, reasonLabel } from '../../format/format.js';
import type { CaseAnalysisState } from './useCaseAnalysis.js';
import { AXIS_WIDTH, REASON_LABEL_LINES, wrapLabel } from './evidenceModel.js';

const FAMILY_COLOURS: Record<string, string> = {
  device: 'var(--family-input)',
  network: 'var(--family-binding)',
  behaviour: 'var(--family-verification)',
  identity: 'var(--family-paste)',
  pf: 'var(--family-pf)',
  ring: 'var(--band-critical)',
  account: 'var(--family-navigation)',
  bureau: 'var(--family-other)',
};

/** Line height of the reason labels beside the bars (11 px text). */
const LABEL_LINE = 13;

function AxisTick(props: YAxisTickContentProps): ReactNode {
  const value: unknown = props.payload.value;
  const lines = wrapLabel(typeof value === 'string' ? value : '', undefined, REASON_LABEL_LINES);
  // Centred on the bar: the first line sits half the block's height above the middle.
  const first = 4 - ((lines.length - 1) * LABEL_LINE) / 2;
  return (
    <text x={props.x} y={props.y} textAnchor="end" fontSize={11} fill="var(--text)">
      {lines.map((line, i) => (
        <tspan key={i} x={props.x} dy={i === 0 ? first : LABEL_LINE}>
          {line}
        </tspan>
      ))}
    </text>
  );
}

function colourOf(code: string): string {
  return isReasonCode(code) ? (FAMILY_COLOURS[REASONS[code].family] ?? 'var(--muted)') : 'var(--muted)';
}

/** Why the score is what it is: each reason's share as a bar, and each one opens onto the data behind it. */
export function ReasonsPanel(props: { analysis: CaseAnalysisState; platformReasons: readonly string[] }): ReactNode {
  const { t, language } = useI18n();
  const [open, setOpen] = useState<string | null>(null);
  const { value, error, loading } = props.analysis;
  const reasons = value?.reasons ?? [];
  const data = reasons.map((reason) => ({ code: reason.code, label: reasonLabel(language, reason.code), points: Math.round(reason.points) }));
  // Rows grow to the most lines any label needs, so long labels are read, not guessed.
  const lines = Math.max(1, ...data.map((d) => wrapLabel(d.label, undefined, REASON_LABEL_LINES).length));
  const rowHeight = 11 + lines * LABEL_LINE;

  return (
    <section className="panel reasons-panel" aria-labelledby="reasons-title" data-testid="reasons-panel">
      <h2 id="reasons-title">{t('reasons.title')}</h2>
      {loading && <Loading />}
      {error !== null && <ErrorMessage error={error} />}
      {!loading && error === null && reasons.length === 0 && <p className="empty-state">{t(value === null || !value.scored ? 'analysis.unavailable' : 'reasons.none')}</p>}
      {reasons.length > 0 && (
        <>
          <div className="reasons-chart" aria-hidden="true">
            <ResponsiveContainer width="100%" height={Math.max(70, data.length * rowHeight + 16)}>
              <BarChart accessibilityLayer={false} data={data} layout="vertical" margin={{ top: 4, right: 28, bottom: 4, left: 4 }}>
                <XAxis type="number" hide domain={[0, 'dataMax']} />
                <YAxis type="category" dataKey="label" width={AXIS_WIDTH} tick={AxisTick} tickLine={false} axisLine={false} interval={0} />
                <Tooltip cursor={{ fill: 'var(--surface-2)' }} contentStyle={{ background: 'var(--panel)', border: '1px solid var(--border)', color: 'var(--text)' }} formatter={(points) => [t('reasons.points', { points: String(points) }), '']} />
                <Bar dataKey="points" isAnimationActive={false} label={{ position: 'right', fontSize: 11, fill: 'var(--muted)' }} onClick={(_entry, index) => setOpen(data[index]?.code ?? null)}>
                  {data.map((entry) => (
                    <Cell key={entry.code} fill={colourOf(entry.code)} cursor="pointer" />
                  ))}
                </Bar>
              </BarChart>
            </ResponsiveContainer>
          </div>
          <ul className="reason-list">
            {reasons.map((reason) => {
              const expanded = open === reason.code;
              return (
                <li key={reason.code} className="reason-item" data-testid="reason" data-code={reason.code}>
                  <button type="button" aria-expanded={expanded} aria-controls={`reason-${reason.code}`} onClick={() => setOpen(expanded ? null : reason.code)}>
                    <span>
                      <span className="reason-swatch" style={{ background: colourOf(reason.code) }} aria-hidden="true" />
                      {reasonLabel(language, reason.code)}
                    </span>
                    <span className="reason-points">{t('reasons.points', { points: Math.round(reason.points) })}</span>
                  </button>
                  {expanded && (
                    <div className="reason-evidence" id={`reason-${reason.code}`} data-testid="reason-evidence">
                      {reason.detail[language] !== '' && <p>{reason.detail[language]}</p>}
                      {reason.features.length > 0 && (
                        <dl className="facts compact" aria-label={t('reasons.features')}>
                          {reason.features.map((feature) => (
                            <div key={feature.name}>
                              <dt title={feature.name}>{labelOf(t, 'feature', feature.name)}</dt>
                              <dd>
                                {FLAG_FEATURES.has(feature.name) && (feature.value === 0 || feature.value === 1)
                                  ? t(feature.value === 1 ? 'value.yes' : 'value.no')
                                  : feature.name === 'ring_base_score'
                                    ? formatNumber(language, feature.value * 1000) // on the links tab's 0-1000 scale
                                    : formatNumber(language, feature.value, Number.isInteger(feature.value) ? 0 : 2)}
                              </dd>
                            </div>
                          ))}
                        </dl>
                      )}
                      <p className="help">
                        {reason.rules.length > 0 ? t('reasons.rules', { rules: reason.rules.join(', ') }) : t('reasons.modelOnly')} · <code>{reason.code}</code>
                      </p>
                    </div>
                  )}
                </li>
              );
            })}
          </ul>
          {value?.scoredAt !== null && value?.scoredAt !== undefined && <p className="help">{t('reasons.scoredAt', { time: formatDateTime(language, value.scoredAt), rules: value.ruleSet ?? '—' })}</p>}
          {value !== null && value.history.length > 1 && (
            <p className="help" data-testid="score-history">
              {t('reasons.history', {
                scores: value.history.map((entry) => t('reasons.historyEntry', { score: entry.score, time: formatDateTime(language, entry.scoredAt) })).join(' → '),
              })}
            </p>
          )}
        </>
      )}
      {props.platformReasons.length > 0 && (
        <div className="platform-reasons">
          <h3>{t('reasons.platform')}</h3>
          <ul>
            {props.platformReasons.map((code) => (
              <li key={code}>
                <code>{code}</code> {isReasonCode(code) ? reasonLabel(language, code) : ''}
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
