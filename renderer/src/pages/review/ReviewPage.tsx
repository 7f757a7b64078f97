import { useCallback, useEffect, useState, type FormEvent, type ReactNode } from 'react';
import type { OperationOutput } from '../../../../shared/ipc/contract.js';
import { call } from '../../ipc/client.js';
import { useI18n } from '../../i18n/I18nProvider.js';
import type { SignedIn } from '../../session/signedIn.js';
import { caseHref } from '../../routes.js';
import { Dialog } from '../../components/Dialog.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { Empty, Loading } from '../../components/States.js';
import { formatDateTime, reasonLabel } from '../../format/format.js';

type PendingReview = OperationOutput<'listPendingReviews'>[number];

/** Four-eyes: the rejections that wait for a team lead, each signed off or sent back with a reason. */
export function ReviewPage(props: { session: SignedIn }): ReactNode {
  const { t, language } = useI18n();
  const leads = props.session.user.role === 'team_lead' || props.session.user.role === 'admin';
  const [items, setItems] = useState<PendingReview[] | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const [sendingBack, setSendingBack] = useState<PendingReview | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const load = useCallback(() => {
    call('listPendingReviews', {}).then(setItems, setFailure);
  }, []);
  useEffect(() => {
    if (leads) load();
  }, [leads, load]);

  const review = (item: PendingReview, verdict: 'signed_off' | 'sent_back', comment?: string): void => {
    setFailure(null);
    call('reviewDecision', { decisionId: item.decisionId, verdict, ...(comment === undefined ? {} : { comment }) }).then(
      () => {
        setNotice(t(verdict === 'signed_off' ? 'reviewPage.signedOff' : 'reviewPage.sentBack', { id: item.applicationId }));
        setSendingBack(null);
        load();
      },
      setFailure,
    );
  };

  return (
    <section className="page review-page" aria-labelledby="page-title" data-testid="review-page">
      <header className="page-head">
        <h1 id="page-title">{t('page.review.title')}</h1>
        {items !== null && <span className="page-count">{t('reviewPage.count', { count: items.length })}</span>}
      </header>
      <p className="lead">{t('reviewPage.intro')}</p>
      {notice !== null && (
        <p className="toast" role="status" onAnimationEnd={() => setNotice(null)}>
          {notice}
        </p>
      )}
      {failure !== null && <ErrorMessage error={failure} onRetry={load} />}
      {!leads ? (
        <Empty message="reviewPage.notLead" />
      ) : items === null ? (
        failure === null && <Loading />
      ) : items.length === 0 ? (
        <Empty message="page.review.empty" />
      ) : (
        <table className="data-table review-table">
          <caption className="visually-hidden">{t('page.review.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('reviewPage.col.case')}</th>
              <th scope="col">{t('reviewPage.col.outcome')}</th>
              <th scope="col">{t('reviewPage.col.reasons')}</th>
              <th scope="col">{t('reviewPage.col.score')}</th>
              <th scope="col">{t('reviewPage.col.decidedBy')}</th>
              <th scope="col">{t('reviewPage.col.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={item.decisionId} data-testid="review-item">
                <th scope="row">
                  <a href={caseHref(item.applicationId)}>{item.applicationId}</a>
                  <small>{item.applicantName}</small>
                </th>
                <td>{t(`outcome.${item.outcome}`)}</td>
                <td>{item.reasonCodes.map((code) => reasonLabel(language, code)).join(t('common.listSeparator'))}</td>
                <td>{item.scoreAtDecision ?? '—'}</td>
                <td>
                  {item.decidedBy.displayName}
                  <small>{formatDateTime(language, item.decidedAt)}</small>
                </td>
                <td>
                  <div className="row-actions">
                  {item.decidedBy.id === props.session.user.id ? (
                    <span className="help">{t('reviewPage.ownDecision')}</span>
                  ) : (
                    <>
                      <button type="button" onClick={() => review(item, 'signed_off')} data-testid="review-sign-off">
                        {t('reviewPage.signOff')}
                      </button>
                      <button type="button" className="secondary" onClick={() => setSendingBack(item)} data-testid="review-send-back">
                        {t('reviewPage.sendBack')}
                      </button>
                    </>
                  )}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {sendingBack !== null && <SendBackDialog item={sendingBack} onClose={() => setSendingBack(null)} onSend={(comment) => review(sendingBack, 'sent_back', comment)} />}
    </section>
  );
}

function SendBackDialog(props: { item: PendingReview; onClose: () => void; onSend: (comment: string) => void }): ReactNode {
  const { t } = useI18n();
  const [comment, setComment] = useState('');
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (comment.trim() !== '') props.onSend(comment.trim());
  };
  return (
    <Dialog title={t('reviewPage.sendBackTitle', { id: props.item.applicationId })} onClose={props.onClose}>
      <form onSubmit={submit}>
        <div className="form-field">
          <label htmlFor="send-back-comment">{t('reviewPage.sendBackReason')}</label>
          <textarea id="send-back-comment" rows={4} value={comment} onChange={(event) => setComment(event.target.value)} maxLength={4000} />
        </div>
        <div className="actions">
          <button type="button" className="secondary" onClick={props.onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" disabled={comment.trim() === ''}>
            {t('reviewPage.sendBack')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
