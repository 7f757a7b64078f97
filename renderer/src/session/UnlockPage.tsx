import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { StoreStatus } from '../../../shared/ipc/ops/session.js';
import { call, OperationError } from '../ipc/client.js';
import { useI18n } from '../i18n/I18nProvider.js';
import { useVigilEvent } from '../ipc/events.js';
import { describeError } from '../components/ErrorMessage.js';
import { GateCard } from './GateCard.js';

const LOCK_REASONS = { idle: 'unlock.reason.idle', user: 'unlock.reason.user', os: 'unlock.reason.os', suspend: 'unlock.reason.suspend' } as const;

/** Whole seconds left until `deadline` (epoch ms), ticking while there are any. */
function useSecondsUntil(deadline: number): number {
  const [now, setNow] = useState(() => Date.now());
  const left = Math.max(0, Math.ceil((deadline - now) / 1000));
  useEffect(() => {
    if (left <= 0) return;
    const timer = window.setTimeout(() => setNow(Date.now()), Math.min(1000, deadline - Date.now()));
    return () => window.clearTimeout(timer);
  }, [left, deadline, now]);
  return left;
}

export function UnlockPage(props: {
  status: StoreStatus;
  lockReason: string | null;
  onUnlocked: (status: StoreStatus) => void;
  onStatus: (status: StoreStatus) => void;
  languageSelect: ReactNode;
}): ReactNode {
  const { t } = useI18n();
  const { status } = props;
  const [username, setUsername] = useState(status.usernames[0] ?? '');
  const [passphrase, setPassphrase] = useState('');
  const [problem, setProblem] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [retryDeadline, setRetryDeadline] = useState(() => Date.now() + status.retryAfterSeconds * 1000);
  const seconds = useSecondsUntil(retryDeadline);
  const passphraseRef = useRef<HTMLInputElement>(null);
  // Schema steps a store from an older Vigil gets while it unlocks (main says how many before it starts).
  const [upgradeSteps, setUpgradeSteps] = useState<number | null>(null);
  useVigilEvent('progress', (event) => {
    if (event.kind === 'store.upgrade' && event.done < (event.total ?? 0)) setUpgradeSteps(event.total);
  });

  useEffect(() => {
    if (!busy && seconds === 0) passphraseRef.current?.focus();
  }, [busy, seconds]);

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (busy || seconds > 0 || passphrase === '') return;
    setBusy(true);
    setProblem(null);
    call('unlock', { username, passphrase }).then(
      (next) => {
        setUpgradeSteps(null);
        setPassphrase('');
        props.onUnlocked(next);
      },
      (error: unknown) => {
        setUpgradeSteps(null);
        setPassphrase('');
        setProblem(error);
        // The growing delay lives in main; ask it how long to wait before the next try.
        call('getStoreStatus', {}).then(
          (next) => {
            setRetryDeadline(Date.now() + next.retryAfterSeconds * 1000);
            setBusy(false);
            if (next.state !== 'locked') props.onStatus(next);
          },
          () => setBusy(false),
        );
      },
    );
  };

  const reasonKey = props.lockReason !== null && props.lockReason in LOCK_REASONS ? LOCK_REASONS[props.lockReason as keyof typeof LOCK_REASONS] : null;
  const problemText =
    problem === null ? null : problem instanceof OperationError && problem.code === 'too_many_attempts' ? t('error.too_many_attempts', { seconds }) : describeError(t, problem);

  return (
    <GateCard testId="unlock" languageSelect={props.languageSelect}>
      <h1>{t('unlock.title')}</h1>
      {reasonKey !== null && <p className="notice" data-testid="lock-reason">{t(reasonKey, { minutes: status.idleLockMinutes })}</p>}
      <form onSubmit={submit} noValidate>
        <div className="form-field">
          <label htmlFor="unlock-user">{t('unlock.user')}</label>
          <select id="unlock-user" value={username} onChange={(event) => setUsername(event.target.value)} disabled={busy} data-testid="unlock-user">
            {status.usernames.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </div>
        <div className="form-field">
          <label htmlFor="unlock-passphrase">{t('unlock.passphrase')}</label>
          <input
            id="unlock-passphrase"
            ref={passphraseRef}
            type="password"
            autoComplete="current-password"
            value={passphrase}
            disabled={busy}
            aria-describedby={problemText === null ? undefined : 'unlock-problem'}
            aria-invalid={problemText !== null}
            onChange={(event) => setPassphrase(event.target.value)}
            data-testid="unlock-passphrase"
          />
        </div>
        {problemText !== null && (
          <p className="field-problem" id="unlock-problem" role="alert" data-testid="unlock-problem">
            {problemText}
          </p>
        )}
        {busy && upgradeSteps !== null && (
          <p className="notice" role="status" data-testid="unlock-upgrading">
            {t('unlock.upgrading', { steps: upgradeSteps })}
          </p>
        )}
        {seconds > 0 && (
          <p className="notice" role="status" data-testid="unlock-wait">
            {t('unlock.wait', { seconds })}
          </p>
        )}
        <div className="actions">
          <button type="submit" disabled={busy || seconds > 0 || passphrase === ''} data-testid="unlock-submit">
            {t(busy ? 'unlock.busy' : 'unlock.submit')}
          </button>
        </div>
      </form>
      <p className="help">{t('unlock.help', { minutes: status.idleLockMinutes })}</p>
    </GateCard>
  );
}
