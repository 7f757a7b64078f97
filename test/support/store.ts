// A real encrypted store in a fresh temp folder, for integration tests of any area.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStore, TEST_SCRYPT, type ScryptParams, type StoreHandle, type StoreUser } from '../../main/store/open.js';

export interface TempStoreOptions {
  readonly username?: string;
  readonly displayName?: string;
  readonly passphrase?: string;
  /** Cheap scrypt (TEST_SCRYPT) when true; real parameters by default, or pass your own. */
  readonly fastKdf?: boolean;
  readonly kdf?: ScryptParams;
  /** Run WAL checkpoints on a worker thread, as the app does (off by default: one thread fewer per test). */
  readonly backgroundCheckpoint?: boolean;
}

export interface TempStore {
  /** The store folder (inside a temp parent that cleanup removes). */
  readonly dir: string;
  readonly store: StoreHandle;
  readonly user: StoreUser;
  readonly passphrase: string;
  cleanup(): void;
}

export const TEST_PASSPHRASE = 'correct horse battery staple';

export async function createTempStore(options: TempStoreOptions = {}): Promise<TempStore> {
  const parent = mkdtempSync(join(tmpdir(), 'vigil-store-'));
  const dir = join(parent, 'store');
  const passphrase = options.passphrase ?? TEST_PASSPHRASE;
  const kdf = options.kdf ?? (options.fastKdf === true ? TEST_SCRYPT : undefined);
  const { store, user } = await createStore(dir, {
    username: options.username ?? 'admin',
    displayName: options.displayName ?? '王建国',
    passphrase,
    backgroundCheckpoint: options.backgroundCheckpoint === true,
    ...(kdf === undefined ? {} : { kdf }),
  });
  return {
    dir,
    store,
    user,
    passphrase,
    cleanup() {
      store.close();
      rmSync(parent, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    },
  };
}
