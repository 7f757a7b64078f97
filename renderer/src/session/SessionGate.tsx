import { useCallback, useEffect, useState, type ReactNode } from 'react';
import type { StoreStatus } from '../../../shared/ipc/ops/session.js';
import { call } from '../ipc/client.js';
import { useVigilEvent } from '../ipc/events.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { Loading } from '../components/States.js';
import { FirstRunPage } from './FirstRunPage.js';
import { UnlockPage } from './UnlockPage.js';
import { useActivityReporter } from './useActivityReporter.js';
import type { SignedIn } from './signedIn.js';

/**
 * Nothing behind the gate renders without an unlocked store: first run creates one, a locked store
 * asks for a passphrase, and the `locked` event (idle, OS lock, the lock button) brings the gate back.
 */
export function SessionGate(props: { children: (session: SignedIn) => ReactNode; languageSelect: ReactNode }): ReactNode {
  const [status, setStatus] = useState<StoreStatus | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const [lockReason, setLockReason] = useState<string | null>(null);

  const load = useCallback(() => {
    call('getStoreStatus', {}).then(setStatus, setFailure);
  }, []);
  useEffect(load, [load]);
  const refresh = useCallback(() => {
    setFailure(null);
    load();
  }, [load]);

  useVigilEvent('locked', (payload) => {
    setLockReason(payload.reason);
    refresh();
  });

  const lock = useCallback(() => {
    call('lock', {}).then((next) => {
      setLockReason('user');
      setStatus(next);
    }, setFailure);
  }, []);

  const unlocked = status?.state === 'unlocked' && status.user !== null;
  useActivityReporter(unlocked);

  if (failure !== null) return <main className="gate"><ErrorMessage error={failure} onRetry={refresh} /></main>;
  if (status === null) return <main className="gate"><Loading /></main>;
  if (status.state === 'none') return <FirstRunPage onCreated={setStatus} languageSelect={props.languageSelect} />;
  if (status.state === 'locked' || status.user === null) {
    return <UnlockPage status={status} lockReason={lockReason} onUnlocked={(next) => { setLockReason(null); setStatus(next); }} onStatus={setStatus} languageSelect={props.languageSelect} />;
  }
  return props.children({ user: status.user, lock });
}
