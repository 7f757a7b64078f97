import { useEffect, useState, type ReactNode } from 'react';
import type { CaseDetail } from '../../../../shared/ipc/ops/cases.js';
import type { PiiField } from '../../../../shared/pii/mask.js';
import { call } from '../../ipc/client.js';
import { useI18n } from '../../i18n/I18nProvider.js';
import { useNow } from '../../hooks/useNow.js';
import { ScoreGauge } from '../../components/Band.js';
import { describeError } from '../../components/ErrorMessage.js';
import { formatDateTime, formatMoney, slaText, slaTone } from '../../format/format.js';
import { RevealDialog } from './RevealDialog.js';

type Revealed = Partial<Record<PiiField, string>>;

function PiiValue(props: { field: PiiField; masked: string; revealed: string | undefined; onReveal: () => void; onHide: () => void }): ReactNode {
  const { t } = useI18n();
  const shown = props.revealed ?? props.masked;
  return (
    <span className={props.revealed === undefined ? 'pii' : 'pii revealed'} data-testid={`pii-${props.field}`}>
      <span className="pii-value">{shown}</span>
      {props.revealed === undefined ? (
        <button type="button" className="link-button" onClick={props.onReveal} data-testid={`reveal-${props.field}`} aria-label={t('reveal.button.label', { field: t(`pii.${props.field}`) })}>
          {t('reveal.button')}
        </button>
      ) : (
        <button type="button" className="link-button" onClick={props.onHide} aria-label={t('reveal.hide.label', { field: t(`pii.${props.field}`) })}>
          {t('reveal.hide')}
        </button>
      )}
    </span>
  );
}

export function CaseHeader(props: { detail: CaseDetail; onChange: (detail: CaseDetail) => void }): ReactNode {
  const { t, language } = useI18n();
  const { detail } = props;
  const now = useNow(30_000);
  const [revealing, setRevealing] = useState<PiiField | null>(null);
  const [revealed, setRevealed] = useState<Revealed>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [assignees, setAssignees] = useState<ReadonlyArray<{ id: string; displayName: string }> | null>(null);
  const { applicant, application } = detail;

  useEffect(() => {
    if (!detail.can.assign) return;
    call('listAssignees', {}).then(setAssignees, () => setAssignees([]));
  }, [detail.can.assign]);

  const act = (work: Promise<CaseDetail>): void => {
    setProblem(null);
    work.then(props.onChange, (error: unknown) => setProblem(describeError(t, error)));
  };
  const tone = slaTone(detail.slaDueAt, now);
  const closed = detail.status === 'decided' || detail.status === 'closed';

  return (
    <header className="case-header" data-testid="case-header">
      <div className="case-title">
        <a href="#/queue" className="back-link" aria-keyshortcuts="u">
          {t('case.backToQueue')}
        </a>
        <h1 id="page-title">
          {t('case.title', { id: detail.applicationId })}
        </h1>
        <span className={`status-pill status-${detail.status}`} data-testid="case-status">
          {t(`status.${detail.status}`)}
        </span>
        {detail.source !== 'engine' && <span className={`source-chip source-${detail.source}`}>{t(`source.${detail.source}`)}</span>}
      </div>
      <div className="case-header-grid">
        <ScoreGauge score={detail.score} band={detail.band} />
        <dl className="facts applicant-facts">
          <div>
            <dt>{t('pii.name')}</dt>
            <dd>
              <PiiValue field="name" masked={applicant.name} revealed={revealed.name} onReveal={() => setRevealing('name')} onHide={() => setRevealed({ ...revealed, name: undefined })} />
            </dd>
          </div>
          <div>
            <dt>{t('pii.id_number')}</dt>
            <dd>
              <PiiValue field="id_number" masked={applicant.idNumber} revealed={revealed.id_number} onReveal={() => setRevealing('id_number')} onHide={() => setRevealed({ ...revealed, id_number: undefined })} />
            </dd>
          </div>
          <div>
            <dt>{t('pii.phone')}</dt>
            <dd>
              <PiiValue field="phone" masked={applicant.phone} revealed={revealed.phone} onReveal={() => setRevealing('phone')} onHide={() => setRevealed({ ...revealed, phone: undefined })} />
            </dd>
          </div>
          <div>
            <dt>{t('case.applicantProfile')}</dt>
            <dd>
              {[
                applicant.gender === null ? null : t(`gender.${applicant.gender}`),
                applicant.age === null ? null : t('case.age', { age: applicant.age }),
                applicant.region,
              ]
                .filter((part): part is string => part !== null)
                .join(' · ') || '—'}
            </dd>
          </div>
          <div>
            <dt>{t('case.employer')}</dt>
            <dd>{applicant.employer ?? '—'}</dd>
          </div>
          <div>
            <dt>{t('case.income')}</dt>
            <dd>{formatMoney(language, applicant.declaredIncomeMonthly)}</dd>
          </div>
        </dl>
        <dl className="facts application-facts">
          <div>
            <dt>{t('case.submitted')}</dt>
            <dd>{formatDateTime(language, application.submittedAt)}</dd>
          </div>
          <div>
            <dt>{t('case.product')}</dt>
            <dd>
              {[application.product, application.channel === null ? null : t('case.channel', { channel: application.channel })].filter((part) => part !== null).join(' · ') || '—'}
            </dd>
          </div>
          <div>
            <dt>{t('case.requestedLimit')}</dt>
            <dd>{formatMoney(language, application.requestedLimit)}</dd>
          </div>
          <div>
            <dt>{t('case.platform')}</dt>
            <dd>
              {application.platformDecision === null ? '—' : t(`platformDecision.${application.platformDecision}` as 'platformDecision.review')}
              {application.platformScore !== null && ` · ${t('case.platformScore', { score: application.platformScore })}`}
            </dd>
          </div>
        </dl>
        <dl className="facts workflow-facts">
          <div>
            <dt>{t('case.assignee')}</dt>
            <dd data-testid="case-assignee">
              {detail.assignee?.displayName ?? t('queue.unassigned')}
              {!closed && detail.can.claim && (
                <button type="button" className="secondary small" onClick={() => act(call('claimCase', { applicationId: detail.applicationId }))} data-testid="claim-button">
                  {t('case.claim')}
                </button>
              )}
              {!closed && detail.can.release && (
                <button type="button" className="secondary small" onClick={() => act(call('releaseCase', { applicationId: detail.applicationId }))} data-testid="release-button">
                  {t('case.release')}
                </button>
              )}
            </dd>
          </div>
          {detail.can.assign && !closed && assignees !== null && (
            <div>
              <dt>
                <label htmlFor="assign-select">{t('case.assignTo')}</label>
              </dt>
              <dd>
                <select
                  id="assign-select"
                  value={detail.assignee?.id ?? ''}
                  onChange={(event) => {
                    if (event.target.value !== '') act(call('assignCase', { applicationId: detail.applicationId, assigneeId: event.target.value }));
                  }}
                >
                  <option value="">{t('queue.unassigned')}</option>
                  {assignees.map((user) => (
                    <option key={user.id} value={user.id}>
                      {user.displayName}
                    </option>
                  ))}
                </select>
              </dd>
            </div>
          )}
          <div>
            <dt>{t('case.sla')}</dt>
            <dd className={closed ? 'sla-cell' : `sla-cell sla-${tone}`} data-testid="case-sla">
              {closed ? t('case.slaStopped') : slaText(t, detail.slaDueAt, now)}
            </dd>
          </div>
        </dl>
      </div>
      {problem !== null && (
        <p className="field-problem" role="alert">
          {problem}
        </p>
      )}
      {revealing !== null && (
        <RevealDialog
          applicantId={applicant.id}
          field={revealing}
          onClose={() => setRevealing(null)}
          onRevealed={(field, value) => {
            setRevealed({ ...revealed, [field]: value });
            setRevealing(null);
          }}
        />
      )}
    </header>
  );
}
