// Opening the SQLCipher-4-compatible database with a raw 256-bit key: no KDF at open (the keyring
// already spent the passphrase work), so unlocking costs one scrypt, not one scrypt per connection.
import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3-multiple-ciphers';
import { VigilError } from '../../shared/errors.js';
import { sqliteNativeBinding } from './native.js';

const require = createRequire(import.meta.url);
// Loaded through require so the CommonJS addon wrapper resolves the same way under tsx, vitest and Electron.
const Database = require('better-sqlite3-multiple-ciphers') as typeof BetterSqlite3;

export type Database = BetterSqlite3.Database;
export const DATA_KEY_BYTES = 32;

/** Opens a database file without any key: only for tests and the benchmark's plaintext baseline. */
export function openPlainDatabase(file: string, options: { readonly?: boolean; fileMustExist?: boolean } = {}): Database {
  const binding = sqliteNativeBinding();
  return new Database(file, { ...options, ...(binding === undefined ? {} : { nativeBinding: binding }) });
}

/** The SQLCipher raw-key form `x'<64 hex>'`, as bytes we can wipe after use. */
export function rawKeyLiteral(dataKey: Buffer): Buffer {
  if (dataKey.length !== DATA_KEY_BYTES) throw new Error('the data key must be 32 bytes');
  return Buffer.concat([Buffer.from("x'"), Buffer.from(dataKey.toString('hex')), Buffer.from("'")]);
}

/** Applies cipher settings and the raw key to a fresh connection (before any other statement). */
export function applyKey(db: Database, dataKey: Buffer): void {
  db.pragma(`cipher='sqlcipher'`);
  db.pragma('legacy=4');
  const literal = rawKeyLiteral(dataKey);
  try {
    db.key(literal);
  } finally {
    literal.fill(0);
  }
}

/** The pragmas every store connection runs with: WAL, FULL sync for decisions and audit, FKs enforced. */
export function applyStorePragmas(db: Database): void {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.pragma('secure_delete = ON');
  // 32 MiB of decrypted pages: a transaction that outgrows the cache spills pages to the WAL, and each
  // spill and re-read is a cipher pass; desktop memory is cheaper than that.
  db.pragma('cache_size = -32768');
  // A bulk write may grow the WAL to hundreds of MiB (checkpointer.ts); when it restarts, cut the file back.
  db.pragma('journal_size_limit = 67108864');
}

/**
 * Opens an encrypted store database. A key that does not decrypt it is `store_corrupt` here, never an
 * empty new database: the keyring already proved the passphrase, so a mismatch means damaged files.
 */
export function openEncryptedDatabase(file: string, dataKey: Buffer, options: { create: boolean }): Database {
  const binding = sqliteNativeBinding();
  const db = new Database(file, { fileMustExist: !options.create, ...(binding === undefined ? {} : { nativeBinding: binding }) });
  try {
    applyKey(db, dataKey);
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    applyStorePragmas(db);
    return db;
  } catch (error) {
    db.close();
    if (isNotADatabase(error)) throw new VigilError('store_corrupt', 'the store database does not open with the key from its keyring: the files are damaged or do not belong together');
    throw error;
  }
}

export function isNotADatabase(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'SQLITE_NOTADB';
}

/**
 * Re-encrypts the whole file under a new key. SQLite3MC cannot rekey in WAL mode, hence the switch, which
 * fails (busy) while another connection has the file open. `ready` runs once the switch succeeded, just
 * before the file is re-encrypted: a caller that records the new key there records nothing when the
 * store cannot be rekeyed at all.
 */
export function rekeyDatabase(db: Database, newDataKey: Buffer, ready: () => void = () => undefined): void {
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.pragma('journal_mode = DELETE');
  const literal = rawKeyLiteral(newDataKey);
  try {
    ready();
    db.rekey(literal);
  } finally {
    literal.fill(0);
    db.pragma('journal_mode = WAL');
  }
}
