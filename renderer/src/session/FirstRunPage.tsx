import { useState, type FormEvent, type ReactNode } from 'react';
import type { StoreStatus } from '../../../shared/ipc/ops/session.js';
import type { MessageKey } from '../../../shared/i18n/index.js';
import { call } from '../ipc/client.js';
import { useVigilEvent } from '../ipc/events.js';
import { useI18n } from '../i18n/I18nProvider.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { ProgressBar } from '../components/States.js';
import { GateCard } from './GateCard.js';

type Mode = 'sample' | 'empty';
const USERNAME = /^[a-z0-9_.-]{2,40}$/;
export const MIN_PASSPHRASE = 8;

interface FieldProblems {
  username?: MessageKey;
  displayName?: MessageKey;
  passphrase?: MessageKey;
  confirm?: MessageKey;
}

function check(form: { username: string; displayName: string; passphrase: string; confirm: string }): FieldProblems {
  const problems: FieldProblems = {};
  if (!USERNAME.test(form.username)) problems.username = 'firstRun.username.invalid';
  if (form.displayName.trim() === '') problems.displayName = 'firstRun.displayName.missing';
  if (form.passphrase.length < MIN_PASSPHRASE) problems.passphrase = 'firstRun.passphrase.short';
  else if (form.confirm !== form.passphrase) problems.confirm = 'firstRun.confirm.mismatch';
  return problems;
}

/** First run: a newcomer either creates an empty store or explores a generated sample population. */
export function FirstRunPage(props: { onCreated: (status: StoreStatus) => void; languageSelect: ReactNode }): ReactNode {
  const { t } = useI18n();
  const [mode, setMode] = useState<Mode>('sample');
  const [form, setForm] = useState({ username: '', displayName: '', passphrase: '', confirm: '' });
  const [problems, setProblems] = useState<FieldProblems>({});
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<number | null>(null);
  const [failure, setFailure] = useState<unknown>(null);

  useVigilEvent('progress', (event) => {
    if (busy && event.total !== null && event.total > 0) setProgress(event.done / event.total);
  });

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    const found = check(form);
    setProblems(found);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    setFailure(null);
    setProgress(null);
    call('createStore', { username: form.username, displayName: form.displayName.trim(), passphrase: form.passphrase, withDemoData: mode === 'sample' })
      .then(props.onCreated, (error: unknown) => {
        setFailure(error);
        setBusy(false);
      });
  };

  const field = (name: keyof typeof form, label: MessageKey, type: string, help?: MessageKey): ReactNode => {
    const problem = problems[name];
    const describedBy = [help === undefined ? '' : `${name}-help`, problem === undefined ? '' : `${name}-problem`].join(' ').trim();
    return (
      <div className="form-field">
        <label htmlFor={`first-run-${name}`}>{t(label)}</label>
        <input
          id={`first-run-${name}`}
          type={type}
          value={form[name]}
          autoComplete={type === 'password' ? 'new-password' : 'off'}
          aria-invalid={problem !== undefined}
          aria-describedby={describedBy === '' ? undefined : describedBy}
          disabled={busy}
          onChange={(change) => setForm({ ...form, [name]: change.target.value })}
        />
        {help !== undefined && <p className="help" id={`${name}-help`}>{t(help)}</p>}
        {problem !== undefined && <p className="field-problem" id={`${name}-problem`}>{t(problem)}</p>}
      </div>
    );
  };

  return (
    <GateCard testId="first-run" wide languageSelect={props.languageSelect}>
      <h1>{t('firstRun.title')}</h1>
      <p className="lead">{t('firstRun.intro')}</p>
      <fieldset className="mode-choice" disabled={busy}>
        <legend>{t('firstRun.mode')}</legend>
        {(['sample', 'empty'] as const).map((choice) => (
          <label key={choice} className={mode === choice ? 'mode-card selected' : 'mode-card'} data-testid={`first-run-mode-${choice}`}>
            <input type="radio" name="mode" value={choice} checked={mode === choice} onChange={() => setMode(choice)} />
            <span className="mode-title">{t(choice === 'sample' ? 'firstRun.sample.title' : 'firstRun.empty.title')}</span>
            <span className="mode-text">{t(choice === 'sample' ? 'firstRun.sample.text' : 'firstRun.empty.text')}</span>
          </label>
        ))}
      </fieldset>
      <form onSubmit={submit} noValidate>
        <h2>{t('firstRun.admin')}</h2>
        <div className="form-grid">
          {field('username', 'firstRun.username', 'text', 'firstRun.username.help')}
          {field('displayName', 'firstRun.displayName', 'text')}
          {field('passphrase', 'firstRun.passphrase', 'password', 'firstRun.passphrase.help')}
          {field('confirm', 'firstRun.confirm', 'password')}
        </div>
        {failure !== null && <ErrorMessage error={failure} />}
        {busy && (
          <div className="busy-row">
            <ProgressBar value={progress} label={t(mode === 'sample' ? 'firstRun.creatingSample' : 'firstRun.creating')} />
            <span>{t(mode === 'sample' ? 'firstRun.creatingSample' : 'firstRun.creating')}</span>
          </div>
        )}
        <div className="actions">
          <button type="submit" disabled={busy} data-testid="first-run-submit">
            {t(mode === 'sample' ? 'firstRun.submit.sample' : 'firstRun.submit.empty')}
          </button>
        </div>
      </form>
    </GateCard>
  );
}
