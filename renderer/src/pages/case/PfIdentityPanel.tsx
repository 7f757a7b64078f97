import type { ReactNode } from 'react';
import { Bar, BarChart, CartesianGrid, Cell, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { CaseEvidence } from '../../../../shared/ipc/ops/cases.js';
import { useI18n } from '../../i18n/I18nProvider.js';
import { labelOf } from '../../i18n/optionalKey.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { Loading } from '../../components/States.js';
import { formatMoney, formatNumber } from '../../format/format.js';
import { describeTokens } from '../../format/tokens.js';
import type { CaseAnalysisState } from './useCaseAnalysis.js';
import { checkKey, employerChanges } from './evidenceModel.js';

type PfRecord = CaseEvidence['pf'][number];
const EMPLOYER_COLOURS = ['var(--family-pf)', 'var(--family-binding)', 'var(--family-verification)', 'var(--family-input)', 'var(--family-navigation)'];
const TOOLTIP_STYLE = { background: 'var(--panel)', border: '1px solid var(--border)', color: 'var(--text)' };

export function PfIdentityPanel(props: { analysis: CaseAnalysisState; declaredEmployer: string | null; declaredIncome: number | null }): ReactNode {
  const { t, language } = useI18n();
  const { value, error, loading } = props.analysis;
  if (loading) return <Loading />;
  if (error !== null) return <ErrorMessage error={error} />;
  const pfFindings = value?.findings.filter((finding) => finding.family === 'pf') ?? [];
  const identityFindings = value?.findings.filter((finding) => finding.family === 'identity') ?? [];
  return (
    <div className="pf-panel" data-testid="pf-panel">
      <section aria-labelledby="pf-title">
        <h3 id="pf-title">{t('pf.title')}</h3>
        {value === null || value.pf.length === 0 ? (
          <p className="empty-state">{t('pf.none')}</p>
        ) : (
          value.pf.map((record) => <PfRecordView key={record.id} record={record} declaredEmployer={props.declaredEmployer} declaredIncome={props.declaredIncome} />)
        )}
        {pfFindings.length > 0 && (
          <ul className="finding-list" data-testid="pf-findings">
            {pfFindings.map((finding) => (
              <li key={`${finding.check}-${finding.detail}`}>
                <strong>{labelOf(t, 'check', checkKey(finding.check, finding.detail))}</strong> <span className="token-text" title={finding.detail}>{describeTokens(t, finding.detail)}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="identity-title">
        <h3 id="identity-title">{t('identity.title')}</h3>
        {(value?.recordFindings.length ?? 0) === 0 && identityFindings.length === 0 ? (
          <p className="empty-state ok-text">{t('identity.none')}</p>
        ) : (
          <ul className="finding-list" data-testid="identity-findings">
            {value?.recordFindings.map((finding) => (
              <li key={`${finding.recordType}-${finding.code}-${finding.field}`}>
                <strong>{labelOf(t, 'finding', finding.code)}</strong> <span className="muted">{labelOf(t, 'recordType', finding.recordType)} · {finding.field}</span>
                <code>{finding.detail}</code>
              </li>
            ))}
            {identityFindings.map((finding) => (
              <li key={`${finding.check}-${finding.detail}`}>
                <strong>{labelOf(t, 'check', checkKey(finding.check, finding.detail))}</strong> <span className="token-text" title={finding.detail}>{describeTokens(t, finding.detail)}</span>
              </li>
            ))}
          </ul>
        )}
        <p className="help">{t('identity.help', { count: formatNumber(language, value?.recordFindings.length ?? 0) })}</p>
      </section>
    </div>
  );
}

function PfRecordView(props: { record: PfRecord; declaredEmployer: string | null; declaredIncome: number | null }): ReactNode {
  const { t, language } = useI18n();
  const { record } = props;
  const employers = [...new Set(record.history.map((entry) => entry.employer ?? record.employer))];
  const data = [...record.history].sort((a, b) => a.month.localeCompare(b.month)).map((entry) => ({ month: entry.month, amount: entry.amount, employer: entry.employer ?? record.employer }));
  const changes = employerChanges(record.history, record.employer);
  const mismatch = props.declaredEmployer !== null && props.declaredEmployer !== '' && props.declaredEmployer !== record.employer;
  return (
    <div className="pf-record">
      <dl className="facts pf-facts">
        <div>
          <dt>{t('pf.employer')}</dt>
          <dd className={mismatch ? 'alert-text' : undefined}>
            {record.employer}
            {mismatch && <small>{t('pf.declared', { employer: props.declaredEmployer ?? '' })}</small>}
          </dd>
        </div>
        <div>
          <dt>{t('pf.city')}</dt>
          <dd>
            {record.city} {record.status === null ? '' : `· ${labelOf(t, 'pfStatus', record.status)}`}
          </dd>
        </div>
        <div>
          <dt>{t('pf.base')}</dt>
          <dd>
            {formatMoney(language, record.base)} {record.rate === null ? '' : `× ${formatNumber(language, record.rate * 100, 0)}%`}
            {props.declaredIncome !== null && record.base !== null && <small>{t('pf.income', { income: formatMoney(language, props.declaredIncome) })}</small>}
          </dd>
        </div>
        <div>
          <dt>{t('pf.period')}</dt>
          <dd>{t('pf.periodValue', { first: record.firstMonth ?? '—', last: record.lastMonth ?? '—', months: record.monthsPaid ?? data.length })}</dd>
        </div>
      </dl>
      {data.length === 0 ? (
        <p className="empty-state">{t('pf.noHistory')}</p>
      ) : (
        <div aria-hidden="true" className="chart-block">
          <ResponsiveContainer width="100%" height={200}>
            <BarChart accessibilityLayer={false} data={data} margin={{ top: 18, right: 12, bottom: 4, left: 8 }}>
              <CartesianGrid strokeDasharray="2 3" stroke="var(--border)" vertical={false} />
              <XAxis dataKey="month" tick={{ fontSize: 10, fill: 'var(--muted)' }} minTickGap={16} />
              <YAxis tick={{ fontSize: 10, fill: 'var(--muted)' }} width={52} tickFormatter={(amount: number) => `¥${formatNumber(language, amount)}`} />
              <Tooltip contentStyle={TOOLTIP_STYLE} formatter={(amount, _name, item) => [formatMoney(language, Number(amount)), String((item.payload as { employer?: string }).employer ?? '')]} />
              {changes.map((change) => (
                <ReferenceLine key={change.month} x={change.month} stroke="var(--danger)" strokeDasharray="4 3" label={{ value: t('pf.employerChange'), fontSize: 10, fill: 'var(--danger)', position: 'top' }} />
              ))}
              <Bar dataKey="amount" isAnimationActive={false}>
                {data.map((entry) => (
                  <Cell key={entry.month} fill={EMPLOYER_COLOURS[employers.indexOf(entry.employer) % EMPLOYER_COLOURS.length] ?? 'var(--family-pf)'} />
                ))}
              </Bar>
            </BarChart>
          </ResponsiveContainer>
          <p className="help">{t('pf.chartHelp', { months: data.length, first: data[0]?.month ?? '—', last: data[data.length - 1]?.month ?? '—' })}</p>
        </div>
      )}
      {employers.length > 1 && (
        <ul className="legend-list">
          {employers.map((employer, index) => (
            <li key={employer}>
              <span className="legend-mark" style={{ background: EMPLOYER_COLOURS[index % EMPLOYER_COLOURS.length] }} aria-hidden="true" />
              {employer}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
