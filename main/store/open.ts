// Creating and unlocking a store: a folder holding the encrypted database and the keyring beside it.
// A wrong passphrase is refused before the database is touched, so the files stay byte-identical;
// a key that does not fit the database is `store_corrupt`, never a silent new empty store.
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { randomBytes, randomUUID } from 'node:crypto';
import { VigilError } from '../../shared/errors.js';
import type { SessionUser } from '../../shared/ipc/ops/session.js';
import { DATA_KEY_BYTES, openEncryptedDatabase, rawKeyLiteral, type Database } from './database.js';
import { startCheckpointer, WRITER_SAFETY_CHECKPOINT_PAGES, type Checkpointer } from './checkpointer.js';
import { DEFAULT_SCRYPT, type ScryptParams } from './keyring/crypto.js';
import {
  createOsSlot,
  createPassphraseSlot,
  keyringPath,
  newKeyring,
  openOsSlot,
  openPassphraseSlot,
  osSlotOf,
  passphraseSlotOf,
  promoteNextDataKey,
  readKeyring,
  usernamesIn,
  writeKeyring,
  type KeySlot,
  type KeyWrapper,
  type SlotKeys,
} from './keyring/keyring.js';
import { MIGRATIONS, type Migration } from './migrations/index.js';
import { applyMigrations, pendingMigrations } from './migrations/runner.js';
import { appendAudit } from './audit.js';
import { createUsersRepository, type UserRecord } from './repositories/users.js';
import { fileErrorText } from '../fileErrors.js';

export type { Database } from './database.js';
export type { KeyWrapper } from './keyring/keyring.js';
export type { ScryptParams } from './keyring/crypto.js';
export { DEFAULT_SCRYPT, TEST_SCRYPT } from './keyring/crypto.js';

export const DATABASE_FILE = 'vigil.db';
/**
 * How long an unlock waits between announcing schema steps and running them: long enough for the
 * announcement to reach the window through any host's event path, short beside the steps themselves.
 */
const UPGRADE_NOTICE_MS = 50;

/** An open, unlocked store. `close()` drops the key from memory and closes the connection. */
export interface StoreHandle {
  readonly dir: string;
  readonly db: Database;
  /** Random id fixed at creation; binds keyring slots and backups to this store. */
  readonly storeId: string;
  readonly closed: boolean;
  close(): void;
  /** Resolves once every connection to the file (the background checkpointer's too) is closed. */
  whenClosed(): Promise<void>;
}

/** The profile that unlocked the store (same shape as the IPC session user). */
export type StoreUser = SessionUser;

export interface OpenedStore {
  readonly store: StoreHandle;
  readonly user: StoreUser;
}

export interface CreateStoreOptions {
  readonly username: string;
  readonly displayName: string;
  readonly passphrase: string;
  /** scrypt cost; defaults to DEFAULT_SCRYPT. Tests pass TEST_SCRYPT for speed. */
  readonly kdf?: ScryptParams;
  /** Also add an OS-key-store slot for the admin ("unlock with my OS account"). */
  readonly osKeyWrapper?: KeyWrapper;
  /** Overridable for tests of the migration runner; the app always ships MIGRATIONS. */
  readonly migrations?: readonly Migration[];
  /** WAL checkpoints on a worker thread (see checkpointer.ts); the app turns this on, tests need not. */
  readonly backgroundCheckpoint?: boolean;
}

/** What every way of opening an existing store accepts. */
export interface OpenOptions {
  readonly migrations?: readonly Migration[];
  readonly backgroundCheckpoint?: boolean;
  /**
   * Called once the key has opened the database and before the schema steps this store lacks are
   * applied (their names, in order). On a large store they can take a while (one backfill took 5 s at
   * 100,000 applications), and the caller should say so: the unlock is otherwise silent meanwhile.
   */
  readonly onUpgrade?: (steps: readonly string[]) => void;
}

export interface UnlockOptions extends OpenOptions {
  readonly username: string;
  readonly passphrase: string;
}

const USERNAME = /^[a-z0-9_.-]{2,40}$/;
export const MIN_PASSPHRASE_LENGTH = 8;

// Data keys live here, not on the handle: nothing that logs or serialises a handle can reach them.
interface HandleInternals {
  dataKey: Buffer;
  checkpointer: Checkpointer | null;
}
const internals = new WeakMap<StoreHandle, HandleInternals>();

export function databasePath(dir: string): string {
  return join(dir, DATABASE_FILE);
}

/** True when the folder holds a store (or the remains of one): never create over it. */
export function storeExists(dir: string): boolean {
  return existsSync(keyringPath(dir)) || existsSync(databasePath(dir));
}

/** The data key of an open store, for key-slot and rekey operations inside main/store only. */
export function dataKeyOf(store: StoreHandle): Buffer {
  const key = internals.get(store)?.dataKey;
  if (key === undefined || store.closed) throw new VigilError('locked', 'the store is locked');
  return key;
}

function startBackgroundCheckpoints(store: StoreHandle, state: HandleInternals): void {
  const literal = rawKeyLiteral(state.dataKey);
  try {
    state.checkpointer = startCheckpointer(databasePath(store.dir), literal, {
      onError: (message) => console.error(`[vigil] background checkpoint: ${message}`),
    });
  } finally {
    literal.fill(0);
  }
}

function handleFor(dir: string, db: Database, storeId: string, dataKey: Buffer, backgroundCheckpoint: boolean): StoreHandle {
  let closed = false;
  let closing: Promise<void> = Promise.resolve();
  const state: HandleInternals = { dataKey, checkpointer: null };
  const handle: StoreHandle = {
    dir,
    db,
    storeId,
    get closed() {
      return closed;
    },
    close() {
      if (closed) return;
      closed = true;
      state.dataKey.fill(0);
      internals.delete(handle);
      if (db.open) db.close();
      // After the main connection: the worker's close is then the last one and folds the WAL in.
      closing = state.checkpointer?.stop() ?? Promise.resolve();
      state.checkpointer = null;
    },
    whenClosed: () => (closed ? closing : Promise.reject(new Error('the store is still open'))),
  };
  internals.set(handle, state);
  if (backgroundCheckpoint) {
    db.pragma(`wal_autocheckpoint = ${WRITER_SAFETY_CHECKPOINT_PAGES}`);
    startBackgroundCheckpoints(handle, state);
  }
  return handle;
}

/**
 * Runs `work` with the background checkpointer stopped (its connection closed), then restarts it with
 * the store's key as it is afterwards. Rekey needs this: it must be the only connection to the file.
 */
export async function withoutBackgroundConnections<T>(store: StoreHandle, work: () => T): Promise<T> {
  const state = internals.get(store);
  if (state === undefined || store.closed) throw new VigilError('locked', 'the store is locked');
  const running = state.checkpointer;
  if (running !== null) {
    state.checkpointer = null;
    await running.stop();
  }
  try {
    return work();
  } finally {
    if (running !== null && !store.closed) startBackgroundCheckpoints(store, state);
  }
}

/** Replaces the key an open handle holds (after a rekey); the old one is wiped. */
export function replaceDataKey(store: StoreHandle, newDataKey: Buffer): void {
  const state = internals.get(store);
  if (state === undefined || store.closed) throw new VigilError('locked', 'the store is locked');
  const old = state.dataKey;
  state.dataKey = Buffer.from(newDataKey);
  old.fill(0);
}

export function toStoreUser(record: UserRecord): StoreUser {
  return { id: record.id, username: record.username, displayName: record.displayName, role: record.role };
}

export function checkNewProfile(username: string, passphrase: string): void {
  if (!USERNAME.test(username)) throw new VigilError('invalid_input', 'a username is 2-40 lowercase letters, digits, _ . -', 'username');
  if (passphrase.length < MIN_PASSPHRASE_LENGTH) throw new VigilError('invalid_input', `a passphrase has at least ${MIN_PASSPHRASE_LENGTH} characters`, 'passphrase');
}

/** First run: a new store with one admin profile. Refuses a folder that already holds a store. */
export async function createStore(dir: string, options: CreateStoreOptions): Promise<OpenedStore> {
  checkNewProfile(options.username, options.passphrase);
  const displayName = options.displayName.trim();
  if (displayName.length === 0) throw new VigilError('invalid_input', 'a display name is required', 'displayName');
  if (storeExists(dir)) throw new VigilError('store_exists', `there is already a store in ${dir}`);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'EEXIST' || code === 'ENOTDIR' ? 'it, or a folder on its path, is a file' : fileErrorText(error);
    throw new VigilError('invalid_input', `cannot create the store folder ${dir}: ${reason}`, dir);
  }

  const keyring = newKeyring();
  const dataKey = randomBytes(DATA_KEY_BYTES);
  const admin = { id: randomUUID(), username: options.username };
  // The slot (and its scrypt) comes first: if it fails, nothing has been written yet.
  const slots: KeySlot[] = [await createPassphraseSlot(keyring.storeId, admin, options.passphrase, options.kdf ?? DEFAULT_SCRYPT, dataKey)];
  if (options.osKeyWrapper !== undefined) slots.push(createOsSlot(keyring.storeId, admin, options.osKeyWrapper, dataKey));

  let db: Database | undefined;
  try {
    db = openEncryptedDatabase(databasePath(dir), dataKey, { create: true });
    applyMigrations(db, options.migrations ?? MIGRATIONS);
    const now = new Date().toISOString();
    const users = createUsersRepository(db);
    const opened = db;
    opened.transaction(() => {
      const meta = opened.prepare('INSERT INTO store_meta (key, value) VALUES (?, ?)');
      meta.run('store_id', keyring.storeId);
      meta.run('created_at', now);
      users.insert({ id: admin.id, username: admin.username, displayName, role: 'admin', createdAt: now, createdBy: null });
      appendAudit(opened, { actor: admin.id, action: 'store.create', target: `store:${keyring.storeId}`, at: now });
      appendAudit(opened, { actor: admin.id, action: 'user.create', target: `user:${admin.id}`, after: { username: admin.username, role: 'admin' }, at: now });
    }).immediate();
    writeKeyring(dir, { ...keyring, slots });
  } catch (error) {
    db?.close();
    for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${databasePath(dir)}${suffix}`, { force: true });
    rmSync(keyringPath(dir), { force: true });
    dataKey.fill(0);
    throw error;
  }
  const store = handleFor(dir, db, keyring.storeId, dataKey, options.backgroundCheckpoint === true);
  return { store, user: { id: admin.id, username: admin.username, displayName, role: 'admin' } };
}

interface SlotDatabase {
  readonly db: Database;
  readonly dataKey: Buffer;
  readonly rekeyInterrupted: 'before_database' | 'after_database' | null;
  /** Schema steps this store lacks, checked before anything is written: a store from a newer app is left exactly as it is. */
  readonly pending: readonly Migration[];
}

/**
 * Opens the database with the slot's key. If a rekey was interrupted the keyring holds two keys: the one
 * that opens the database wins, and the keyring is brought in line once everything else checked out
 * (finishOpen).
 */
function openSlotDatabase(dir: string, keys: SlotKeys, migrations: readonly Migration[]): SlotDatabase {
  const wipe = (): void => {
    keys.current.fill(0);
    keys.next?.fill(0);
  };
  if (!existsSync(databasePath(dir))) {
    wipe();
    throw new VigilError('store_corrupt', `the keyring is there but the database (${DATABASE_FILE}) is missing: restore it from a backup`);
  }
  let db: Database;
  let dataKey: Buffer;
  let rekeyInterrupted: SlotDatabase['rekeyInterrupted'] = null;
  try {
    db = openEncryptedDatabase(databasePath(dir), keys.current, { create: false });
    dataKey = keys.current;
    if (keys.next !== null) rekeyInterrupted = 'before_database';
  } catch (error) {
    if (!(error instanceof VigilError && error.code === 'store_corrupt' && keys.next !== null)) {
      wipe();
      throw error;
    }
    try {
      db = openEncryptedDatabase(databasePath(dir), keys.next, { create: false });
    } catch (nextError) {
      wipe();
      throw nextError;
    }
    dataKey = keys.next;
    rekeyInterrupted = 'after_database';
  }
  (dataKey === keys.current ? keys.next : keys.current)?.fill(0);
  return guarded({ db, dataKey }, () => ({ db, dataKey, rekeyInterrupted, pending: pendingMigrations(db, migrations) }));
}

/** Runs `work` on an opened database; if it throws, the database is closed and its key wiped first. */
function guarded<T>(opened: { readonly db: Database; readonly dataKey: Buffer }, work: () => T): T {
  try {
    return work();
  } catch (error) {
    opened.db.close();
    opened.dataKey.fill(0);
    throw error;
  }
}

/**
 * Opens the database with a key slot's keys. Schema steps the store lacks are announced first (onUpgrade),
 * and the announcement gets time to leave: the steps then keep this thread busy, seconds on a large store.
 */
async function openSlot(dir: string, storeId: string, keys: SlotKeys, userId: string, options: OpenOptions): Promise<OpenedStore> {
  const opened = openSlotDatabase(dir, keys, options.migrations ?? MIGRATIONS);
  const onUpgrade = options.onUpgrade;
  if (opened.pending.length > 0 && onUpgrade !== undefined) {
    guarded(opened, () => onUpgrade(opened.pending.map((m) => m.name)));
    await delay(UPGRADE_NOTICE_MS);
  }
  return finishOpen(dir, storeId, userId, opened, options);
}

/** Applies the missing schema steps, checks the database belongs to this keyring and profile, and hands it out. */
function finishOpen(dir: string, storeId: string, userId: string, opened: SlotDatabase, options: OpenOptions): OpenedStore {
  const { db, dataKey, rekeyInterrupted } = opened;
  return guarded(opened, () => {
    applyMigrations(db, options.migrations ?? MIGRATIONS);
    const storedId = db.prepare(`SELECT value FROM store_meta WHERE key = 'store_id'`).pluck().get() as string | undefined;
    if (storedId !== storeId) throw new VigilError('store_corrupt', 'the keyring and the database belong to different stores');
    const record = createUsersRepository(db).byId(userId);
    if (record === undefined) throw new VigilError('store_corrupt', 'this key slot belongs to a profile the store does not know');
    if (record.disabledAt !== null) throw new VigilError('forbidden_role', 'this profile has been disabled by an admin');
    if (rekeyInterrupted !== null) finishInterruptedRekey(dir, rekeyInterrupted);
    return { store: handleFor(dir, db, storeId, dataKey, options.backgroundCheckpoint === true), user: toStoreUser(record) };
  });
}

function finishInterruptedRekey(dir: string, stage: 'before_database' | 'after_database'): void {
  const keyring = readKeyring(dir);
  if (stage === 'after_database') {
    writeKeyring(dir, promoteNextDataKey(keyring));
  } else {
    writeKeyring(dir, { ...keyring, slots: keyring.slots.map(({ nextSealedDataKey: _dropped, ...slot }) => slot) });
  }
}

/** Unlocks with a profile's passphrase. Wrong passphrase: `wrong_passphrase`, and no file is touched. */
export async function unlockStore(dir: string, options: UnlockOptions): Promise<OpenedStore> {
  if (!storeExists(dir)) throw new VigilError('no_store', `there is no store in ${dir}`);
  const keyring = readKeyring(dir);
  const slot = passphraseSlotOf(keyring, options.username);
  if (slot === undefined) throw new VigilError('wrong_passphrase', 'the username or the passphrase is wrong');
  const keys = await openPassphraseSlot(keyring.storeId, slot, options.passphrase);
  if (keys === null) throw new VigilError('wrong_passphrase', 'the username or the passphrase is wrong');
  return openSlot(dir, keyring.storeId, keys, slot.userId, options);
}

/** Unlocks through the OS key store slot of a profile, if that profile turned it on. */
export async function unlockStoreWithOs(dir: string, username: string, wrapper: KeyWrapper, options: OpenOptions = {}): Promise<OpenedStore> {
  if (!storeExists(dir)) throw new VigilError('no_store', `there is no store in ${dir}`);
  const keyring = readKeyring(dir);
  const slot = osSlotOf(keyring, username);
  if (slot === undefined) throw new VigilError('not_found', `${username} has not turned on unlocking with the OS account`);
  const keys = openOsSlot(keyring.storeId, slot, wrapper);
  return openSlot(dir, keyring.storeId, keys, slot.userId, options);
}

/** For the CLI's `vigil init`: create, then close (the CLI opens again per command). */
export async function initStore(dir: string, options: CreateStoreOptions): Promise<StoreUser> {
  const { store, user } = await createStore(dir, options);
  store.close();
  return user;
}

/** The profiles that can unlock this store (from the keyring: readable while locked, for the unlock screen). */
export function storeUsernames(dir: string): string[] {
  if (!storeExists(dir)) return [];
  return usernamesIn(readKeyring(dir));
}
