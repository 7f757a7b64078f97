import { useState, type FormEvent, type ReactNode } from 'react';
import { DECISION_OUTCOMES, type CaseDetail, type DecisionOutcome } from '../../../../shared/ipc/ops/cases.js';
import { REASON_CODES, REASONS } from '../../../../shared/reasons.js';
import { call } from '../../ipc/client.js';
import { useI18n } from '../../i18n/I18nProvider.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { formatDateTime, reasonLabel } from '../../format/format.js';

/**
 * Approve, reject, escalate or ask for documents. A reject needs reason codes; the codes the engines
 * found are offered first. Main decides whether the reject waits for a team lead (four-eyes).
 */
export function DecisionPanel(props: { detail: CaseDetail; suggested: readonly string[]; onDecided: (detail: CaseDetail) => void }): ReactNode {
  const { t, language } = useI18n();
  const { detail } = props;
  const [outcome, setOutcome] = useState<DecisionOutcome | null>(null);
  const [codes, setCodes] = useState<string[]>([]);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const [showAll, setShowAll] = useState(false);

  const suggested = props.suggested.filter((code, index, all) => all.indexOf(code) === index);
  const others = REASON_CODES.filter((code) => !suggested.includes(code));
  const needsCodes = outcome === 'reject' && codes.length === 0;
  const needsComment = (outcome === 'escalate' || outcome === 'request_documents') && comment.trim() === '';
  const reviewNeeded = outcome === 'reject' && detail.score !== null && detail.score >= detail.reviewThreshold;
  const closed = detail.status === 'decided' || detail.status === 'closed' || detail.status === 'pending_review';

  const toggle = (code: string): void => setCodes(codes.includes(code) ? codes.filter((item) => item !== code) : [...codes, code]);

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (outcome === null || needsCodes || needsComment || busy) return;
    setBusy(true);
    setFailure(null);
    const trimmed = comment.trim();
    call('decideCase', { applicationId: detail.applicationId, outcome, reasonCodes: codes, ...(trimmed === '' ? {} : { comment: trimmed }) }).then(
      (next) => {
        setBusy(false);
        setOutcome(null);
        setCodes([]);
        setComment('');
        props.onDecided(next);
      },
      (error: unknown) => {
        setBusy(false);
        setFailure(error);
      },
    );
  };

  const codeBox = (code: string): ReactNode => (
    <label key={code} className="code-option">
      <input type="checkbox" checked={codes.includes(code)} onChange={() => toggle(code)} data-testid={`decision-code-${code}`} />
      <span>{reasonLabel(language, code)}</span>
      <code>{code}</code>
    </label>
  );

  return (
    <section className="panel decision-panel" aria-labelledby="decision-title" data-testid="decision-panel" id="decision-panel">
      <h2 id="decision-title">{t('decision.title')}</h2>
      {detail.decisions.length > 0 && (
        <ol className="decision-history" data-testid="decision-history">
          {detail.decisions.map((decision) => (
            <li key={decision.id} className={decision.effective ? 'effective' : 'not-effective'}>
              <strong>{t(`outcome.${decision.outcome}`)}</strong>
              <span>
                {t('decision.by', { name: decision.decidedBy.displayName, time: formatDateTime(language, decision.decidedAt) })}
              </span>
              {decision.reasonCodes.length > 0 && <span className="codes">{decision.reasonCodes.map((code) => reasonLabel(language, code)).join(t('common.listSeparator'))}</span>}
              {decision.comment !== null && <q>{decision.comment}</q>}
              {decision.review !== null && (
                <span className={`review-state review-${decision.review.status}`}>
                  {t(`review.${decision.review.status}`, { name: decision.review.reviewer?.displayName ?? '' })}
                </span>
              )}
            </li>
          ))}
        </ol>
      )}
      {closed ? (
        <p className="help">{t(detail.status === 'pending_review' ? 'decision.waitingReview' : 'decision.done')}</p>
      ) : !detail.can.decide ? (
        <p className="help">{t(detail.can.annotate && detail.assignee !== null ? 'decision.heldByOther' : 'decision.notAllowed')}</p>
      ) : (
        <form onSubmit={submit}>
          <fieldset className="outcome-choice">
            <legend>{t('decision.outcome')}</legend>
            {DECISION_OUTCOMES.map((choice) => (
              <label key={choice} className={`outcome outcome-${choice}${outcome === choice ? ' selected' : ''}`}>
                <input type="radio" name="outcome" value={choice} checked={outcome === choice} onChange={() => setOutcome(choice)} data-testid={`decision-${choice}`} />
                {t(`outcome.${choice}`)}
              </label>
            ))}
          </fieldset>
          {outcome !== null && outcome !== 'approve' && (
            <fieldset className="codes-choice">
              <legend>{t(outcome === 'reject' ? 'decision.codes.required' : 'decision.codes')}</legend>
              {suggested.length > 0 && <p className="help">{t('decision.codes.suggested')}</p>}
              {suggested.map(codeBox)}
              <button type="button" className="link-button" onClick={() => setShowAll(!showAll)} aria-expanded={showAll}>
                {t(showAll ? 'decision.codes.fewer' : 'decision.codes.all')}
              </button>
              {showAll &&
                (['device', 'network', 'behaviour', 'identity', 'pf', 'ring', 'account', 'bureau'] as const).map((family) => {
                  const inFamily = others.filter((code) => REASONS[code].family === family);
                  return inFamily.length === 0 ? null : (
                    <div key={family} className="code-family">
                      <h3>{t(`family.${family}`)}</h3>
                      {inFamily.map(codeBox)}
                    </div>
                  );
                })}
            </fieldset>
          )}
          {outcome !== null && (
            <div className="form-field">
              <label htmlFor="decision-comment">{t(needsComment || outcome === 'escalate' || outcome === 'request_documents' ? 'decision.comment.required' : 'decision.comment')}</label>
              <textarea id="decision-comment" rows={3} value={comment} onChange={(event) => setComment(event.target.value)} maxLength={4000} data-testid="decision-comment" />
            </div>
          )}
          {reviewNeeded && (
            <p className="notice" data-testid="four-eyes-notice">
              {t('decision.fourEyes', { threshold: detail.reviewThreshold })}
            </p>
          )}
          {needsCodes && <p className="help">{t('decision.codes.missing')}</p>}
          {failure !== null && <ErrorMessage error={failure} />}
          <div className="actions">
            <button type="submit" disabled={outcome === null || needsCodes || needsComment || busy} className={outcome === 'reject' ? 'danger' : undefined} data-testid="decision-submit">
              {outcome === null ? t('decision.submit') : t(`decision.submit.${outcome}`)}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
