// PLACEHOLDER until the store issue lands: the real session service unlocks the encrypted store.
import { VigilError } from '../../shared/errors.js';
import type { SessionUser, StoreStatus } from '../../shared/ipc/ops/session.js';
import type { EmitEvent } from './events.js';

export interface SessionService {
  status(): StoreStatus;
  currentUser(): SessionUser | null;
  create(input: { username: string; displayName: string; passphrase: string }): Promise<StoreStatus>;
  unlock(input: { username: string; passphrase: string }): Promise<StoreStatus>;
  lock(reason: 'idle' | 'user' | 'os' | 'suspend'): StoreStatus;
  touch(): void;
  close(): void;
}

export function createSessionService(_dataDir: string, _emit: EmitEvent): SessionService {
  const status = (): StoreStatus => ({ state: 'none', user: null, usernames: [], retryAfterSeconds: 0, idleLockMinutes: 10 });
  const notYet = (): never => {
    throw new VigilError('internal', 'the encrypted store is not built yet');
  };
  return {
    status,
    currentUser: () => null,
    create: () => Promise.resolve(notYet()),
    unlock: () => Promise.resolve(notYet()),
    lock: status,
    touch: () => undefined,
    close: () => undefined,
  };
}
