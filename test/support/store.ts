// A real encrypted store in a fresh temp folder, for integration tests of any area.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { afterAll, afterEach } from 'vitest';
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

export interface StoreWorkspace {
  /** A scratch folder for the test file's inputs, removed after its last test. */
  readonly dir: string;
  /** A fast-KDF temp store, removed after the test that made it. */
  readonly store: () => Promise<TempStore>;
  /** Writes `content` to `name` in the scratch folder and returns its path. */
  readonly file: (name: string, content: string | Buffer) => string;
}

/** Call at a test file's top level: registers the hooks that remove what the workspace made. */
export function storeWorkspace(prefix: string): StoreWorkspace {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const stores: TempStore[] = [];
  afterAll(() => rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 }));
  afterEach(() => {
    for (const s of stores.splice(0)) s.cleanup();
  });
  return {
    dir,
    store: async () => {
      const s = await createTempStore({ fastKdf: true });
      stores.push(s);
      return s;
    },
    file: (name, content) => {
      const path = join(dir, name);
      writeFileSync(path, content);
      return path;
    },
  };
}
