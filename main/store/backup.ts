// Backups: VACUUM INTO a consistent snapshot (SQLite writes it encrypted with the same key; never a file
// copy of a live database), packed with the keyring of that moment into one file. Restore opens and
// checks the backup in a staging folder first, and only then swaps folders.
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import { VigilError } from '../../shared/errors.js';
import { appendAudit } from './audit.js';
import { readKeyring, writeKeyring, type Keyring } from './keyring/keyring.js';
import { databasePath, unlockStore, type StoreHandle, type StoreUser } from './open.js';
import { verifyStore, type VerifyReport } from './verify.js';

const MAGIC = Buffer.from('VIGILBK1');

const backupHeader = z.strictObject({
  format: z.literal('vigil-backup'),
  version: z.literal(1),
  storeId: z.string(),
  createdAt: z.string(),
  databaseBytes: z.number().int().nonnegative(),
  databaseSha256: z.string().length(64),
  keyring: z.unknown(),
});

export interface BackupResult {
  readonly file: string;
  readonly bytes: number;
  readonly createdAt: string;
}

function fsyncFile(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Writes an encrypted backup of the open store to `file` (which must not exist yet). */
export function backupStore(store: StoreHandle, file: string, actor: StoreUser): BackupResult {
  if (existsSync(file)) throw new VigilError('conflict', `${file} already exists: choose a new file name`, 'path');
  mkdirSync(dirname(file), { recursive: true });
  const createdAt = new Date().toISOString();
  const snapshot = join(dirname(file), `.${basename(file)}.${randomBytes(4).toString('hex')}.snapshot`);
  const partial = `${file}.partial`;
  try {
    // Recorded first, so the backup itself carries the entry that says it was taken.
    appendAudit(store.db, { actor: actor.id, action: 'store.backup', target: `store:${store.storeId}`, after: { file: basename(file) }, at: createdAt });
    store.db.prepare('VACUUM INTO ?').run(snapshot);
    const database = readFileSync(snapshot);
    const header = Buffer.from(
      JSON.stringify({
        format: 'vigil-backup',
        version: 1,
        storeId: store.storeId,
        createdAt,
        databaseBytes: database.length,
        databaseSha256: createHash('sha256').update(database).digest('hex'),
        keyring: readKeyring(store.dir),
      }),
    );
    const length = Buffer.alloc(4);
    length.writeUInt32BE(header.length);
    const fd = openSync(partial, 'wx', 0o600);
    try {
      for (const part of [MAGIC, length, header, database]) writeSync(fd, part);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(partial, file);
    fsyncFile(dirname(file));
    return { file, bytes: MAGIC.length + 4 + header.length + database.length, createdAt };
  } finally {
    rmSync(snapshot, { force: true });
    rmSync(partial, { force: true });
  }
}

interface UnpackedBackup {
  readonly storeId: string;
  readonly createdAt: string;
  readonly keyring: Keyring;
  readonly database: Buffer;
}

function unpackBackup(file: string): UnpackedBackup {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    throw new VigilError('not_found', `cannot read ${file}`, 'path');
  }
  const notBackup = (why: string): VigilError => new VigilError('store_corrupt', `${basename(file)} is not a usable Vigil backup: ${why}`, 'path');
  if (bytes.length < MAGIC.length + 4 || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) throw notBackup('it does not start like one');
  const headerLength = bytes.readUInt32BE(MAGIC.length);
  const headerEnd = MAGIC.length + 4 + headerLength;
  if (headerEnd > bytes.length) throw notBackup('it is truncated');
  let header: z.infer<typeof backupHeader>;
  try {
    header = backupHeader.parse(JSON.parse(bytes.subarray(MAGIC.length + 4, headerEnd).toString('utf8')));
  } catch {
    throw notBackup('its header is damaged');
  }
  const database = bytes.subarray(headerEnd);
  if (database.length !== header.databaseBytes) throw notBackup('it is truncated');
  if (createHash('sha256').update(database).digest('hex') !== header.databaseSha256) throw notBackup('its content does not match its checksum');
  return { storeId: header.storeId, createdAt: header.createdAt, keyring: header.keyring as Keyring, database };
}

export interface RestoreResult {
  readonly restoredFrom: string;
  readonly backupCreatedAt: string;
  /** Where the store that was replaced was moved (kept, encrypted, until someone deletes it). */
  readonly previousStoreKeptAt: string | null;
  readonly report: VerifyReport;
}

/**
 * Restores `file` into `dir`. The live store must be closed (the session locks it first). The backup is
 * unpacked beside `dir`, unlocked with the given profile (as of the backup), migrated if older, and
 * verified (integrity + audit chain); only a sound backup replaces the store, by two renames.
 */
export async function restoreStore(dir: string, file: string, credentials: { username: string; passphrase: string }): Promise<RestoreResult> {
  const backup = unpackBackup(file);
  const stamp = `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomBytes(3).toString('hex')}`;
  const staging = `${dir}.restore-${stamp}`;
  mkdirSync(staging, { recursive: true, mode: 0o700 });
  let report: VerifyReport;
  try {
    const fd = openSync(databasePath(staging), 'wx', 0o600);
    try {
      writeSync(fd, backup.database);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    writeKeyring(staging, backup.keyring);
    const opened = await unlockStore(staging, credentials);
    try {
      report = verifyStore(opened.store);
      if (report.ok) {
        appendAudit(opened.store.db, { actor: opened.user.id, action: 'store.restore', target: `store:${backup.storeId}`, after: { file: basename(file), backupCreatedAt: backup.createdAt } });
      }
    } finally {
      opened.store.close();
    }
    if (!report.ok) throw new VigilError('store_corrupt', `the backup did not pass verification: ${report.problems.join('; ')}`);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }

  let previousStoreKeptAt: string | null = null;
  if (existsSync(dir)) {
    previousStoreKeptAt = `${dir}.before-restore-${stamp}`;
    renameSync(dir, previousStoreKeptAt);
  }
  try {
    renameSync(staging, dir);
  } catch (error) {
    if (previousStoreKeptAt !== null) renameSync(previousStoreKeptAt, dir);
    throw error;
  }
  fsyncFile(dirname(dir));
  return { restoredFrom: file, backupCreatedAt: backup.createdAt, previousStoreKeptAt, report };
}
