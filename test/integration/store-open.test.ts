import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createStore, storeExists, TEST_SCRYPT, unlockStore } from '../../main/store/open.js';
import { readKeyring } from '../../main/store/keyring/keyring.js';
import { createTempStore, type TempStore } from '../support/store.js';
import { VigilError } from '../../shared/errors.js';
import { MIGRATIONS } from '../../main/store/migrations/index.js';

const temps: TempStore[] = [];
afterEach(() => {
  for (const temp of temps.splice(0)) temp.cleanup();
});

async function temp(): Promise<TempStore> {
  const created = await createTempStore({ fastKdf: true });
  temps.push(created);
  return created;
}

function folderHashes(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir)
      .sort()
      .map((name) => [name, createHash('sha256').update(readFileSync(join(dir, name))).digest('hex')]),
  );
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'resolved';
  } catch (error) {
    return error instanceof VigilError ? error.code : `unexpected: ${String(error)}`;
  }
}

describe('creating and unlocking a store', () => {
  it('creates a store whose admin can unlock it again after closing', async () => {
    const { dir, store, user, passphrase } = await temp();
    expect(user.role).toBe('admin');
    expect(storeExists(dir)).toBe(true);
    store.close();
    const reopened = await unlockStore(dir, { username: 'admin', passphrase });
    expect(reopened.user).toEqual(user);
    expect(reopened.store.db.prepare('SELECT count(*) FROM users').pluck().get()).toBe(1);
    reopened.store.close();
  });

  it('keeps the store in WAL mode with foreign keys on and synchronous FULL', async () => {
    const { store } = await temp();
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(store.db.pragma('synchronous', { simple: true })).toBe(2);
  });

  it('records scrypt parameters and salt in the key slot and never the data key in clear', async () => {
    const { dir } = await temp();
    const keyring = readKeyring(dir);
    const slot = keyring.slots[0];
    expect(slot?.kind).toBe('passphrase');
    if (slot?.kind === 'passphrase') {
      expect(slot.kdf).toMatchObject({ name: 'scrypt', N: TEST_SCRYPT.N, r: 8, p: 1 });
      expect(Buffer.from(slot.kdf.salt, 'base64')).toHaveLength(16);
    }
  });

  it('refuses a wrong passphrase with wrong_passphrase and leaves every file byte-identical', async () => {
    const { dir, store } = await temp();
    store.close();
    const before = folderHashes(dir);
    expect(await codeOf(unlockStore(dir, { username: 'admin', passphrase: 'not the passphrase' }))).toBe('wrong_passphrase');
    expect(await codeOf(unlockStore(dir, { username: 'nobody', passphrase: 'not the passphrase' }))).toBe('wrong_passphrase');
    expect(folderHashes(dir)).toEqual(before);
  });

  it('refuses to create a store over an existing one', async () => {
    const { dir } = await temp();
    expect(await codeOf(createStore(dir, { username: 'second', displayName: 'x', passphrase: 'another passphrase', kdf: TEST_SCRYPT }))).toBe('store_exists');
  });

  it('says no_store for a folder without a store', async () => {
    const { dir } = await temp();
    expect(await codeOf(unlockStore(join(dir, 'elsewhere'), { username: 'admin', passphrase: 'whatever1' }))).toBe('no_store');
  });

  it('reports a damaged keyring as store_corrupt rather than opening an empty store', async () => {
    const { dir, store, passphrase } = await temp();
    store.close();
    writeFileSync(join(dir, 'keyring.json'), '{ not json');
    expect(await codeOf(unlockStore(dir, { username: 'admin', passphrase }))).toBe('store_corrupt');
  });

  it('refuses a store made by a newer app with store_newer_than_app and leaves its schema alone', async () => {
    const { dir, store, passphrase } = await temp();
    store.close();
    const older = MIGRATIONS.filter((migration) => migration.id !== Math.max(...MIGRATIONS.map((m) => m.id)));
    expect(await codeOf(unlockStore(dir, { username: 'admin', passphrase, migrations: older }))).toBe('store_newer_than_app');
    const reopened = await unlockStore(dir, { username: 'admin', passphrase });
    expect(reopened.store.db.prepare('SELECT count(*) FROM schema_migrations').pluck().get()).toBe(MIGRATIONS.length);
    reopened.store.close();
  });

  it('refuses a store whose schema history differs from the shipped one with migration_mismatch', async () => {
    const { dir, store, passphrase } = await temp();
    store.close();
    const renamed = MIGRATIONS.map((migration) => (migration.id === 1 ? { ...migration, name: 'core_from_another_build' } : migration));
    expect(await codeOf(unlockStore(dir, { username: 'admin', passphrase, migrations: renamed }))).toBe('migration_mismatch');
  });

  it('announces the schema steps a store lacks before it runs them, and nothing when it lacks none', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'vigil-upgrade-'));
    const dir = join(parent, 'store');
    try {
      const passphrase = 'upgrade passphrase';
      const older = MIGRATIONS.slice(0, -2);
      const created = await createStore(dir, { username: 'admin', displayName: '王建国', passphrase, kdf: TEST_SCRYPT, migrations: older });
      created.store.close();
      const log: string[] = [];
      const last = MIGRATIONS.at(-1)?.id;
      // The newest step notes when it runs, so the order of announcement and work shows.
      const watched = MIGRATIONS.map((m) => (m.id === last ? { ...m, up: (db: Parameters<typeof m.up>[0]) => (log.push(`run ${m.name}`), m.up(db)) } : m));
      const opened = await unlockStore(dir, { username: 'admin', passphrase, migrations: watched, onUpgrade: (steps) => log.push(`announce ${steps.join(', ')}`) });
      expect(log).toEqual([`announce ${MIGRATIONS.slice(-2).map((m) => m.name).join(', ')}`, `run ${MIGRATIONS.at(-1)?.name}`]);
      expect(opened.store.db.prepare('SELECT count(*) FROM schema_migrations').pluck().get()).toBe(MIGRATIONS.length);
      opened.store.close();
      const again = await unlockStore(dir, { username: 'admin', passphrase, onUpgrade: (steps) => log.push(`announce ${steps.join(', ')}`) });
      again.store.close();
      expect(log).toHaveLength(2);
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });
});
