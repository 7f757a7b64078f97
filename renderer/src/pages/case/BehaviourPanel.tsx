import { useMemo, type ReactNode } from 'react';
import { Bar, BarChart, CartesianGrid, Cell, LabelList, ReferenceArea, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { CaseEvidence } from '../../../../shared/ipc/ops/cases.js';
import { useI18n } from '../../i18n/I18nProvider.js';
import { labelOf } from '../../i18n/optionalKey.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { Loading } from '../../components/States.js';
import { formatNumber } from '../../format/format.js';
import { describeTokens } from '../../format/tokens.js';
import type { CaseAnalysisState } from './useCaseAnalysis.js';
import type { LoadedTimeline } from './useCase.js';
import { INTERVAL_BIN_MS, INTERVAL_MAX_MS, intervalHistogram } from './evidenceModel.js';

type Session = CaseEvidence['sessions'][number];
type Baseline = NonNullable<CaseEvidence['baseline']>;

/** Measures read in seconds (their labels say so); the rest in their own unit. */
const IN_SECONDS: ReadonlySet<string> = new Set(['fillMsTotal', 'smsLatencyMs', 'durationMs']);
const RATIOS: ReadonlySet<string> = new Set(['keyIntervalCv', 'backspaceRate', 'navDirectness']);

function formatMeasure(language: 'en' | 'zh-CN', name: string, value: number | null): string {
  if (value === null) return formatNumber(language, null);
  if (IN_SECONDS.has(name)) return formatNumber(language, value / 1000, 1);
  return formatNumber(language, value, RATIOS.has(name) ? 2 : 0);
}

/** Outside the population's p5-p95: the row in the table and the dot in the range chart turn red alike. */
function unusual(measure: Session['measures'][number], baseline: Baseline | null): boolean {
  if (measure.value === null) return false;
  const range = baseline?.[measure.name];
  if (range !== undefined) return measure.value < range.p5 || measure.value > range.p95;
  return measure.percentile !== null && (measure.percentile < 5 || measure.percentile > 95);
}

const TOOLTIP_STYLE = { background: 'var(--panel)', border: '1px solid var(--border)', color: 'var(--text)' };

/** How a person filled the form against everyone else: fill times, typing rhythm, pastes, SMS speed. */
export function BehaviourPanel(props: { analysis: CaseAnalysisState; timeline: LoadedTimeline | null }): ReactNode {
  const { t } = useI18n();
  const { value, error, loading } = props.analysis;
  const histogram = useMemo(() => intervalHistogram(props.timeline), [props.timeline]);
  if (loading) return <Loading />;
  if (error !== null) return <ErrorMessage error={error} />;
  const sessions = value?.sessions.filter((session) => Object.keys(session.fillMsByField).length > 0 || session.measures.some((measure) => measure.value !== null)) ?? [];
  if (value === null || sessions.length === 0) return <p className="empty-state">{t('behaviour.none')}</p>;
  return (
    <div className="behaviour-panel" data-testid="behaviour-panel">
      {sessions.map((session) => (
        <SessionView key={session.sessionId} session={session} baseline={value.baseline} />
      ))}
      <section aria-labelledby="rhythm-title" className="chart-block">
        <h3 id="rhythm-title">{t('behaviour.rhythm')}</h3>
        <p className="help">{t('behaviour.rhythm.help')}</p>
        {histogram.every((bin) => bin.count === 0) ? (
          <p className="empty-state">{t('behaviour.rhythm.none')}</p>
        ) : (
          <div aria-hidden="true">
            <ResponsiveContainer width="100%" height={180}>
              <BarChart accessibilityLayer={false} data={histogram} margin={{ top: 8, right: 12, bottom: 4, left: 0 }}>
                <CartesianGrid strokeDasharray="2 3" stroke="var(--border)" vertical={false} />
                {value.baseline?.['keyIntervalMean'] !== undefined && (
                  <ReferenceArea x1={binOf(value.baseline['keyIntervalMean'].p25)} x2={binOf(value.baseline['keyIntervalMean'].p75)} fill="var(--ok)" fillOpacity={0.12} />
                )}
                <XAxis dataKey="bin" tick={{ fontSize: 10, fill: 'var(--muted)' }} unit=" ms" interval={3} />
                <YAxis tick={{ fontSize: 10, fill: 'var(--muted)' }} allowDecimals={false} width={32} />
                <Tooltip contentStyle={TOOLTIP_STYLE} formatter={(count) => [String(count), t('behaviour.rhythm.keys')]} labelFormatter={(bin) => `${Number(bin)}–${Number(bin) + INTERVAL_BIN_MS} ms`} />
                {value.baseline?.['keyIntervalMean'] !== undefined && (
                  <ReferenceLine x={binOf(value.baseline['keyIntervalMean'].median)} stroke="var(--ok)" strokeDasharray="4 3" label={{ value: t('behaviour.population'), fontSize: 10, fill: 'var(--ok)', position: 'top' }} />
                )}
                <Bar dataKey="count" fill="var(--family-input)" isAnimationActive={false} />
              </BarChart>
            </ResponsiveContainer>
          </div>
        )}
      </section>
    </div>
  );
}

function binOf(ms: number): number {
  return Math.min(INTERVAL_MAX_MS, Math.max(0, Math.floor(ms / INTERVAL_BIN_MS) * INTERVAL_BIN_MS));
}

function SessionView(props: { session: Session; baseline: CaseEvidence['baseline'] }): ReactNode {
  const { t, language } = useI18n();
  const { session } = props;
  // A field pasted without a keystroke has no typing time, but it is the one the investigator looks for.
  const typed = Object.entries(session.fillMsByField);
  const pastedOnly = session.pastedFields.filter((field) => session.fillMsByField[field] === undefined);
  const fields = [
    ...typed.map(([field, ms]) => {
      const seconds = Math.round(ms / 100) / 10;
      return { field, label: labelOf(t, 'field', field), seconds, pasted: session.pastedFields.includes(field), valueText: `${String(seconds)} s` };
    }),
    // Named "pasted" beside the axis: a bar of no length carries no label.
    ...pastedOnly.map((field) => ({ field, label: `${labelOf(t, 'field', field)} · ${t('behaviour.fill.pastedValue')}`, seconds: 0, pasted: true, valueText: '' })),
  ];
  return (
    <section className="session-view" aria-label={t('behaviour.session', { id: session.sessionId })}>
      <div className="chips">
        <strong>{t('behaviour.session', { id: session.sessionId })}</strong>
        {session.bot && <span className="chip severe">{t('behaviour.bot')}</span>}
        {session.coached && <span className="chip severe">{t('behaviour.coached')}</span>}
        {!session.bot && !session.coached && <span className="chip ok">{t('behaviour.human')}</span>}
        {session.pastedFields.map((field) => (
          <span key={field} className="chip severe" data-testid="pasted-field">
            {t('behaviour.pasted', { field: labelOf(t, 'field', field) })}
          </span>
        ))}
      </div>
      {session.signals.length > 0 && (
        <ul className="signal-list">
          {session.signals.map((signal) => (
            <li key={signal} title={signal}>
              {describeTokens(t, signal)}
            </li>
          ))}
        </ul>
      )}
      <div className="behaviour-grid">
        <div className="chart-block">
          <h3>{t('behaviour.fill')}</h3>
          {fields.length === 0 ? (
            <p className="empty-state">{t('behaviour.fill.none')}</p>
          ) : (
            <div aria-hidden="true">
              <ResponsiveContainer width="100%" height={Math.max(120, fields.length * 28 + 30)}>
                <BarChart accessibilityLayer={false} data={fields} layout="vertical" margin={{ top: 4, right: 40, bottom: 4, left: 4 }}>
                  <XAxis type="number" tick={{ fontSize: 10, fill: 'var(--muted)' }} unit=" s" />
                  <YAxis type="category" dataKey="label" width={120} tick={{ fontSize: 11, fill: 'var(--text)' }} />
                  <Tooltip contentStyle={TOOLTIP_STYLE} formatter={(seconds) => [`${String(seconds)} s`, t('behaviour.fill')]} />
                  <Bar dataKey="seconds" isAnimationActive={false}>
                    {fields.map((entry) => (
                      <Cell key={entry.field} fill={entry.pasted ? 'var(--family-paste)' : 'var(--family-input)'} />
                    ))}
                    <LabelList dataKey="valueText" position="right" fontSize={10} fill="var(--muted)" />
                  </Bar>
                </BarChart>
              </ResponsiveContainer>
            </div>
          )}
          <p className="help">{t('behaviour.fill.help')}</p>
        </div>
        <div className="chart-block">
          <h3>{t('behaviour.population.title')}</h3>
          <PopulationRanges session={session} baseline={props.baseline} />
          <p className="help">{t('behaviour.population.help')}</p>
        </div>
      </div>
      <table className="data-table measures">
        <caption className="visually-hidden">{t('behaviour.population.title')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('behaviour.col.measure')}</th>
            <th scope="col">{t('behaviour.col.value')}</th>
            <th scope="col">{t('behaviour.col.median')}</th>
            <th scope="col">{t('behaviour.col.percentile')}</th>
          </tr>
        </thead>
        <tbody>
          {session.measures.map((measure) => (
            <tr key={measure.name} className={unusual(measure, props.baseline ?? null) ? 'outlier' : undefined}>
              <th scope="row">{labelOf(t, 'measure', measure.name)}</th>
              <td>{formatMeasure(language, measure.name, measure.value)}</td>
              <td>{formatMeasure(language, measure.name, props.baseline?.[measure.name]?.median ?? null)}</td>
              <td>{measure.percentile === null ? '—' : t('behaviour.percentile', { percentile: Math.round(measure.percentile) })}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

const RANGE_WIDTH = 190;
const ROW = 26;

/** Each measure on its population range: p5-p95 light, p25-p75 dark, the median a tick, this session a dot. */
function PopulationRanges(props: { session: Session; baseline: Baseline | null }): ReactNode {
  const { t } = useI18n();
  const rows = props.session.measures.filter((measure) => measure.value !== null && props.baseline?.[measure.name] !== undefined);
  if (props.baseline === null || rows.length === 0) return <p className="empty-state">{t('behaviour.population.none')}</p>;
  const labelWidth = 170;
  return (
    <svg width={labelWidth + RANGE_WIDTH + 20} height={rows.length * ROW + 6} className="population-ranges" role="img" aria-label={t('behaviour.population.title')}>
      {rows.map((measure, index) => {
        const range = props.baseline?.[measure.name];
        if (range === undefined || measure.value === null) return null;
        const low = Math.min(range.p5, measure.value);
        const high = Math.max(range.p95, measure.value);
        const span = Math.max(1e-9, high - low);
        const x = (v: number): number => labelWidth + ((v - low) / span) * RANGE_WIDTH;
        const y = index * ROW + ROW / 2 + 3;
        const outside = unusual(measure, props.baseline);
        return (
          <g key={measure.name}>
            <text x={labelWidth - 8} y={y + 4} textAnchor="end" className="lane-label">
              {labelOf(t, 'measure', measure.name)}
            </text>
            <rect x={x(range.p5)} y={y - 4} width={Math.max(1, x(range.p95) - x(range.p5))} height={8} className="range-outer" />
            <rect x={x(range.p25)} y={y - 4} width={Math.max(1, x(range.p75) - x(range.p25))} height={8} className="range-inner" />
            <line x1={x(range.median)} x2={x(range.median)} y1={y - 7} y2={y + 7} className="range-median" />
            <circle cx={x(measure.value)} cy={y} r={5} className={outside ? 'range-value outside' : 'range-value'} />
          </g>
        );
      })}
    </svg>
  );
}
