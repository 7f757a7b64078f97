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
  // data-app-ready marks the first real screen (first run, unlock or the desk): tests and the start-up bench wait on it.
  let screen: ReactNode;
  if (status.state === 'none') screen = <FirstRunPage onCreated={setStatus} languageSelect={props.languageSelect} />;
  else if (status.state === 'locked' || status.user === null) {
    screen = <UnlockPage status={status} lockReason={lockReason} onUnlocked={(next) => { setLockReason(null); setStatus(next); }} onStatus={setStatus} languageSelect={props.languageSelect} />;
  } else screen = props.children({ user: status.user, lock });
  return (
    <div className="app-root" data-app-ready="">
      {screen}
    </div>
  );
}
