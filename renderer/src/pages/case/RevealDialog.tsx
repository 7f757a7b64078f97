import { useState, type FormEvent, type ReactNode } from 'react';
import type { PiiField } from '../../../../shared/pii/mask.js';
import { call } from '../../ipc/client.js';
import { useI18n } from '../../i18n/I18nProvider.js';
import { Dialog } from '../../components/Dialog.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';

export const MIN_REASON_CHARS = 4;

/** Asks why before showing a clear value; main audits the reason in the same transaction that reads it. */
export function RevealDialog(props: { applicantId: string; field: PiiField; onRevealed: (field: PiiField, value: string) => void; onClose: () => void }): ReactNode {
  const { t } = useI18n();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const tooShort = Array.from(reason.trim()).length < MIN_REASON_CHARS;

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (tooShort || busy) return;
    setBusy(true);
    call('revealPii', { applicantId: props.applicantId, field: props.field, reason: reason.trim() }).then(
      (result) => props.onRevealed(props.field, result.value),
      (error: unknown) => {
        setFailure(error);
        setBusy(false);
      },
    );
  };

  return (
    <Dialog title={t('reveal.title', { field: t(`pii.${props.field}`) })} onClose={props.onClose} testId="reveal-dialog">
      <form onSubmit={submit}>
        <p className="help">{t('reveal.explain')}</p>
        <div className="form-field">
          <label htmlFor="reveal-reason">{t('reveal.reason')}</label>
          <textarea id="reveal-reason" rows={3} value={reason} onChange={(event) => setReason(event.target.value)} maxLength={500} data-testid="reveal-reason" autoFocus />
          <p className="help">{t('reveal.reason.help', { min: MIN_REASON_CHARS })}</p>
        </div>
        {failure !== null && <ErrorMessage error={failure} />}
        <div className="actions">
          <button type="button" className="secondary" onClick={props.onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" disabled={tooShort || busy} data-testid="reveal-submit">
            {t('reveal.submit')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
