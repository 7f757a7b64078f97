import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import type { CaseSettings } from '../../../shared/ipc/ops/cases.js';
import { call } from '../ipc/client.js';
import { useI18n } from '../i18n/I18nProvider.js';
import type { SignedIn } from '../session/signedIn.js';
import { ErrorMessage } from '../components/ErrorMessage.js';

/** The desk's rules a team lead tunes: the four-eyes threshold and the SLA. Others see them read-only. */
export function DeskSettings(props: { session: SignedIn }): ReactNode {
  const { t } = useI18n();
  const editable = props.session.user.role === 'team_lead' || props.session.user.role === 'admin';
  const [saved, setSaved] = useState<CaseSettings | null>(null);
  const [draft, setDraft] = useState<{ reviewThreshold: string; slaHours: string }>({ reviewThreshold: '', slaHours: '' });
  const [failure, setFailure] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    call('getCaseSettings', {}).then((value) => {
      setSaved(value);
      setDraft({ reviewThreshold: String(value.reviewThreshold), slaHours: String(value.slaHours) });
    }, setFailure);
  }, []);

  const threshold = Number(draft.reviewThreshold);
  const hours = Number(draft.slaHours);
  const valid = Number.isInteger(threshold) && threshold >= 0 && threshold <= 1001 && Number.isInteger(hours) && hours >= 1 && hours <= 720;

  const save = (event: FormEvent): void => {
    event.preventDefault();
    if (!valid) return;
    setFailure(null);
    call('setCaseSettings', { reviewThreshold: threshold, slaHours: hours }).then((value) => {
      setSaved(value);
      setNotice(t('deskSettings.saved'));
    }, setFailure);
  };

  return (
    <form className="desk-settings" onSubmit={save} aria-labelledby="desk-settings-title" data-testid="desk-settings">
      <h2 id="desk-settings-title">{t('deskSettings.title')}</h2>
      <div className="settings-grid">
        <label htmlFor="review-threshold">{t('deskSettings.threshold')}</label>
        <div>
          <input
            id="review-threshold"
            type="number"
            min={0}
            max={1001}
            value={draft.reviewThreshold}
            readOnly={!editable}
            onChange={(change) => setDraft({ ...draft, reviewThreshold: change.target.value })}
            data-testid="review-threshold"
          />
          <p className="help">{t('deskSettings.threshold.help')}</p>
        </div>
        <label htmlFor="sla-hours">{t('deskSettings.sla')}</label>
        <div>
          <input id="sla-hours" type="number" min={1} max={720} value={draft.slaHours} readOnly={!editable} onChange={(change) => setDraft({ ...draft, slaHours: change.target.value })} />
          <p className="help">{t('deskSettings.sla.help')}</p>
        </div>
      </div>
      {failure !== null && <ErrorMessage error={failure} />}
      {notice !== null && (
        <p className="toast" role="status" onAnimationEnd={() => setNotice(null)}>
          {notice}
        </p>
      )}
      {editable ? (
        <div className="actions left">
          <button type="submit" disabled={!valid || saved === null || (threshold === saved.reviewThreshold && hours === saved.slaHours)} data-testid="desk-settings-save">
            {t('deskSettings.save')}
          </button>
        </div>
      ) : (
        <p className="help">{t('deskSettings.readOnly')}</p>
      )}
    </form>
  );
}
