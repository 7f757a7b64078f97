// The session: which store is open, by whom, and when it locks again. Locking closes the handle, which
// wipes the data key; every other service reaches the store only through `store()` while unlocked.
import { join } from 'node:path';
import { VigilError } from '../../shared/errors.js';
import type { SessionUser, StoreStatus } from '../../shared/ipc/ops/session.js';
import type { EmitEvent } from './events.js';
import {
  createStore,
  storeExists,
  storeUsernames,
  unlockStore,
  unlockStoreWithOs,
  type KeyWrapper,
  type OpenedStore,
  type ScryptParams,
  type StoreHandle,
} from '../store/open.js';
import { createSettingsRepository } from '../store/repositories/settings.js';
import { repositoryFor } from '../store/repositories/cache.js';
import { appendAudit } from '../store/audit.js';
import { createUnlockThrottle } from './unlockThrottle.js';

export type LockReason = 'idle' | 'user' | 'os' | 'suspend';

/** Timers behind the idle lock and the unlock delay, injectable so tests need no real waiting. */
export interface SessionClock {
  now(): number;
  setTimer(run: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
}

export const systemClock: SessionClock = {
  now: () => Date.now(),
  setTimer: (run, ms) => {
    const handle = setTimeout(run, ms);
    handle.unref(); // an armed idle lock must not keep a CLI or test process alive
    return handle;
  },
  clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface SessionOptions {
  /** scrypt cost for new key slots (tests pass TEST_SCRYPT). */
  readonly kdf?: ScryptParams;
  /** The Electron shell's safeStorage wrapper, when the OS offers one. */
  readonly osKeyWrapper?: KeyWrapper;
  /** Fills a freshly created store with the generated sample population (the import area provides it). */
  readonly fillDemoData?: (opened: OpenedStore) => Promise<void> | void;
  readonly clock?: SessionClock;
  /** WAL checkpoints on a worker thread (default on: keeps cipher work off the main thread). */
  readonly backgroundCheckpoint?: boolean;
}

/** The progress task of the schema steps an unlock applies (kind `store.upgrade`). */
export const UPGRADE_TASK = 'store-upgrade';

export const DEFAULT_IDLE_LOCK_MINUTES = 10;
export const IDLE_LOCK_SETTING = 'session.idle_lock_minutes';

export interface SessionService {
  status(): StoreStatus;
  currentUser(): SessionUser | null;
  create(input: { username: string; displayName: string; passphrase: string; withDemoData?: boolean }): Promise<StoreStatus>;
  unlock(input: { username: string; passphrase: string }): Promise<StoreStatus>;
  /** "Unlock with my OS account" through the OS key slot (no passphrase). */
  unlockWithOs(input: { username: string }): Promise<StoreStatus>;
  lock(reason: LockReason): StoreStatus;
  /** Resolves when every store this session locked has no connection left (restore waits for this). */
  whenLockSettled(): Promise<void>;
  touch(): void;
  close(): void;
  /** The open store; throws `locked` when there is none. */
  store(): StoreHandle;
  /** The signed-in user; throws `locked` when there is none. */
  requireUser(): SessionUser;
  /** Calls `listener` each time a store opens (created or unlocked), after the session has begun. */
  onOpen(listener: (store: StoreHandle) => void): void;
  /** Where the store lives (`<dataDir>/store`). */
  readonly storeDir: string;
  readonly osKeyWrapper: KeyWrapper | undefined;
  setIdleLockMinutes(minutes: number): StoreStatus;
}

export function storeDirIn(dataDir: string): string {
  return join(dataDir, 'store');
}

export function createSessionService(dataDir: string, emit: EmitEvent, options: SessionOptions = {}): SessionService {
  const storeDir = storeDirIn(dataDir);
  const clock = options.clock ?? systemClock;
  const backgroundCheckpoint = options.backgroundCheckpoint ?? true;
  let opened: OpenedStore | null = null;
  let idleLockMinutes = DEFAULT_IDLE_LOCK_MINUTES;
  let idleTimer: unknown = null;
  const throttle = createUnlockThrottle(dataDir, () => clock.now());
  let busy = false;

  const retryAfterSeconds = (): number => throttle.retryAfterSeconds();

  const status = (): StoreStatus => {
    const exists = storeExists(storeDir);
    let usernames: string[] = [];
    try {
      usernames = exists ? storeUsernames(storeDir) : [];
    } catch {
      usernames = []; // a damaged keyring surfaces as store_corrupt when someone tries to unlock
    }
    return {
      state: opened !== null ? 'unlocked' : exists ? 'locked' : 'none',
      user: opened?.user ?? null,
      usernames,
      retryAfterSeconds: retryAfterSeconds(),
      idleLockMinutes,
    };
  };

  const disarmIdle = (): void => {
    if (idleTimer !== null) clock.clearTimer(idleTimer);
    idleTimer = null;
  };
  const armIdle = (): void => {
    disarmIdle();
    if (opened !== null && idleLockMinutes > 0) idleTimer = clock.setTimer(() => lock('idle'), idleLockMinutes * 60_000);
  };

  const readIdleSetting = (store: StoreHandle): void => {
    const value = repositoryFor(store.db, createSettingsRepository).get(IDLE_LOCK_SETTING);
    idleLockMinutes = typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : DEFAULT_IDLE_LOCK_MINUTES;
  };

  // A store last opened by an older Vigil gets its missing schema steps while it unlocks. The unlock
  // screen says so (on a large store they can take a while); a second event reports them done. If the
  // unlock fails, the error it returns is the end of the story.
  const opening = async (open: (onUpgrade: (steps: readonly string[]) => void) => Promise<OpenedStore>): Promise<OpenedStore> => {
    const upgrade = (steps: readonly string[], done: number): void =>
      emit('progress', { taskId: UPGRADE_TASK, kind: 'store.upgrade', done, total: steps.length, ratePerSecond: null, message: steps.join(', ') });
    let applied: readonly string[] = [];
    const next = await open((steps) => {
      applied = steps;
      upgrade(steps, 0);
    });
    if (applied.length > 0) upgrade(applied, applied.length);
    return next;
  };

  const openListeners: ((store: StoreHandle) => void)[] = [];
  const begin = (next: OpenedStore, via: 'create' | 'passphrase' | 'os'): StoreStatus => {
    if (via !== 'create') appendAudit(next.store.db, { actor: next.user.id, action: 'session.unlock', target: `user:${next.user.id}`, after: { via } });
    opened = next;
    readIdleSetting(next.store);
    armIdle();
    for (const listener of openListeners) listener(next.store);
    return status();
  };

  const exclusive = async <T>(work: () => Promise<T>): Promise<T> => {
    if (busy) throw new VigilError('conflict', 'the store is being opened already');
    busy = true;
    try {
      return await work();
    } finally {
      busy = false;
    }
  };

  let lastClosed: Promise<void> = Promise.resolve();
  /**
   * Every store this session closed, not only the last: an earlier profile's checkpointer may still be
   * folding a large WAL into the file when a later, quicker one has finished.
   */
  function settleAfter(store: StoreHandle): void {
    const previous = lastClosed;
    const closing = store.whenClosed();
    lastClosed = Promise.all([previous, closing]).then(() => undefined);
  }

  function lock(reason: LockReason): StoreStatus {
    disarmIdle();
    if (opened !== null) {
      const closing = opened;
      opened = null;
      try {
        appendAudit(closing.store.db, { actor: closing.user.id, action: 'session.lock', target: `user:${closing.user.id}`, after: { reason } });
      } finally {
        closing.store.close();
        settleAfter(closing.store);
      }
      emit('locked', { reason });
    }
    return status();
  }

  const requireUnlocked = (): OpenedStore => {
    if (opened === null) throw new VigilError('locked', 'the store is locked: unlock it first');
    return opened;
  };

  return {
    status,
    storeDir,
    osKeyWrapper: options.osKeyWrapper,
    currentUser: () => opened?.user ?? null,
    onOpen: (listener) => {
      openListeners.push(listener);
    },
    create: (input) =>
      exclusive(async () => {
        if (storeExists(storeDir)) throw new VigilError('store_exists', 'a store already exists here: unlock it instead');
        if (input.withDemoData === true && options.fillDemoData === undefined) {
          throw new VigilError('invalid_input', 'sample data is not available in this build', 'withDemoData');
        }
        const created = await createStore(storeDir, {
          username: input.username,
          displayName: input.displayName,
          passphrase: input.passphrase,
          backgroundCheckpoint,
          ...(options.kdf === undefined ? {} : { kdf: options.kdf }),
        });
        try {
          if (input.withDemoData === true) await options.fillDemoData?.(created);
        } catch (error) {
          created.store.close(); // the store exists and is sound; only the sample data failed
          throw error;
        }
        throttle.reset();
        return begin(created, 'create');
      }),
    unlock: (input) =>
      exclusive(async () => {
        if (opened !== null) throw new VigilError('conflict', 'the store is already unlocked: lock it first to switch profiles');
        const wait = retryAfterSeconds();
        if (wait > 0) throw new VigilError('too_many_attempts', `too many wrong passphrases: try again in ${wait} s`);
        // The last lock's connections may still be folding its WAL into the file (the checkpointer's close):
        // a new connection's first write would meet their lock.
        await lastClosed;
        try {
          const next = await opening((onUpgrade) => unlockStore(storeDir, { ...input, backgroundCheckpoint, onUpgrade }));
          throttle.reset();
          return begin(next, 'passphrase');
        } catch (error) {
          if (error instanceof VigilError && error.code === 'wrong_passphrase') {
            throttle.failed();
          }
          throw error;
        }
      }),
    unlockWithOs: (input) =>
      exclusive(async () => {
        if (opened !== null) throw new VigilError('conflict', 'the store is already unlocked: lock it first to switch profiles');
        const wrapper = options.osKeyWrapper;
        if (wrapper === undefined) throw new VigilError('not_found', 'this system offers no OS key store');
        await lastClosed;
        return begin(await opening((onUpgrade) => unlockStoreWithOs(storeDir, input.username, wrapper, { backgroundCheckpoint, onUpgrade })), 'os');
      }),
    lock,
    whenLockSettled: () => lastClosed,
    touch() {
      if (opened !== null) armIdle();
    },
    close() {
      disarmIdle();
      if (opened !== null) {
        opened.store.close();
        settleAfter(opened.store);
        opened = null;
      }
    },
    store: () => requireUnlocked().store,
    requireUser: () => requireUnlocked().user,
    setIdleLockMinutes(minutes) {
      const current = requireUnlocked();
      if (!Number.isInteger(minutes) || minutes < 1 || minutes > 24 * 60) throw new VigilError('invalid_input', 'idle lock is 1 to 1440 minutes', 'minutes');
      const db = current.store.db;
      db.transaction(() => {
        repositoryFor(db, createSettingsRepository).set(IDLE_LOCK_SETTING, minutes, current.user.id);
        appendAudit(db, { actor: current.user.id, action: 'settings.update', target: `setting:${IDLE_LOCK_SETTING}`, before: { value: idleLockMinutes }, after: { value: minutes } });
      }).immediate();
      idleLockMinutes = minutes;
      armIdle();
      return status();
    },
  };
}
