import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { backupStore, restoreStore } from '../../main/store/backup.js';
import { databasePath, dataKeyOf, unlockStore, unlockStoreWithOs, type KeyWrapper } from '../../main/store/open.js';
import { addProfile, enableOsUnlock } from '../../main/store/profiles.js';
import { rekeyStore } from '../../main/store/rekey.js';
import { openEncryptedDatabase } from '../../main/store/database.js';
import { readKeyring, withNextDataKey, writeKeyring } from '../../main/store/keyring/keyring.js';
import { verifyStore } from '../../main/store/verify.js';
import { TEST_SCRYPT } from '../../main/store/open.js';
import { VigilError } from '../../shared/errors.js';
import { createTempStore, type TempStore } from '../support/store.js';

const temps: TempStore[] = [];
afterEach(() => {
  for (const temp of temps.splice(0)) temp.cleanup();
});

async function temp(): Promise<TempStore> {
  const created = await createTempStore({ fastKdf: true });
  temps.push(created);
  return created;
}

async function codeOf(run: () => unknown): Promise<string> {
  try {
    await run();
    return 'ok';
  } catch (error) {
    return error instanceof VigilError ? error.code : `unexpected: ${String(error)}`;
  }
}

function addNotes(t: TempStore, text: string, count: number): void {
  const { db } = t.store;
  const now = new Date().toISOString();
  db.transaction(() => {
    for (let i = 0; i < count; i += 1) {
      const id = `${text}-${i}`;
      db.prepare('INSERT INTO cases (id, application_id, created_at, updated_at) VALUES (?, ?, ?, ?)').run(id, id, now, now);
      db.prepare('INSERT INTO case_notes (id, case_id, author_id, body, created_at) VALUES (?, ?, ?, ?, ?)').run(id, id, t.user.id, `${text} 张三 13812345678`, now);
    }
  })();
}

/** A stand-in for Electron safeStorage: AES with a key only this "OS" knows. */
function fakeOsWrapper(backend: string, osKey = randomBytes(32)): KeyWrapper {
  return {
    kind: 'os',
    backend,
    wrap(secret) {
      const iv = randomBytes(16);
      const cipher = createCipheriv('aes-256-cbc', osKey, iv);
      return Buffer.concat([iv, cipher.update(secret), cipher.final()]);
    },
    unwrap(wrapped) {
      const decipher = createDecipheriv('aes-256-cbc', osKey, wrapped.subarray(0, 16));
      return Buffer.concat([decipher.update(wrapped.subarray(16)), decipher.final()]);
    },
  };
}

describe('backup and restore', () => {
  it('backs up to one encrypted file and restores it after validation, keeping the replaced store', async () => {
    const t = await temp();
    addNotes(t, 'before-backup', 50);
    const file = join(t.dir, '..', 'backups', 'vigil-backup.vbk');
    const result = backupStore(t.store, file, t.user);
    expect(result.bytes).toBe(readFileSync(file).length);
    const bytes = readFileSync(file);
    for (const secret of ['张三', '13812345678', 'before-backup']) expect(bytes.includes(Buffer.from(secret))).toBe(false);

    addNotes(t, 'after-backup', 10);
    t.store.close();
    const restored = await restoreStore(t.dir, file, { username: 'admin', passphrase: t.passphrase });
    expect(restored.report).toMatchObject({ ok: true, integrity: 'ok', firstBrokenEntry: null });
    expect(restored.previousStoreKeptAt).not.toBeNull();
    expect(existsSync(databasePath(restored.previousStoreKeptAt ?? ''))).toBe(true);

    const reopened = await unlockStore(t.dir, { username: 'admin', passphrase: t.passphrase });
    try {
      const ids = reopened.store.db.prepare('SELECT id FROM cases').pluck().all() as string[];
      expect(ids.filter((id) => id.startsWith('before-backup'))).toHaveLength(50);
      expect(ids.filter((id) => id.startsWith('after-backup'))).toHaveLength(0);
      const actions = reopened.store.db.prepare('SELECT action FROM audit_log ORDER BY seq').pluck().all();
      expect(actions).toEqual(expect.arrayContaining(['store.backup', 'store.restore']));
      expect(verifyStore(reopened.store).ok).toBe(true);
    } finally {
      reopened.store.close();
    }
  });

  it('refuses a damaged backup and leaves the current store as it was', async () => {
    const t = await temp();
    addNotes(t, 'kept', 5);
    const file = join(t.dir, '..', 'damaged.vbk');
    backupStore(t.store, file, t.user);
    t.store.close();
    const bytes = readFileSync(file);
    bytes[bytes.length - 100] = (bytes[bytes.length - 100] ?? 0) ^ 0xff;
    writeFileSync(file, bytes);
    const before = createHash('sha256').update(readFileSync(databasePath(t.dir))).digest('hex');
    expect(await codeOf(() => restoreStore(t.dir, file, { username: 'admin', passphrase: t.passphrase }))).toBe('store_corrupt');
    expect(await codeOf(() => restoreStore(t.dir, join(t.dir, 'keyring.json'), { username: 'admin', passphrase: t.passphrase }))).toBe('store_corrupt');
    expect(createHash('sha256').update(readFileSync(databasePath(t.dir))).digest('hex')).toBe(before);
    expect(readdirSync(join(t.dir, '..')).filter((name) => name.includes('restore'))).toEqual([]);
  });

  it('refuses a backup whose audit chain was tampered with before it was taken', async () => {
    const t = await temp();
    addNotes(t, 'x', 2);
    t.store.db.exec('DROP TRIGGER audit_log_no_update');
    t.store.db.prepare(`UPDATE audit_log SET actor = 'someone else' WHERE seq = 1`).run();
    const file = join(t.dir, '..', 'tampered.vbk');
    backupStore(t.store, file, t.user);
    t.store.close();
    expect(await codeOf(() => restoreStore(t.dir, file, { username: 'admin', passphrase: t.passphrase }))).toBe('store_corrupt');
  });

  it('refuses a wrong passphrase for the backup without touching the store', async () => {
    const t = await temp();
    const file = join(t.dir, '..', 'b.vbk');
    backupStore(t.store, file, t.user);
    expect(await codeOf(() => backupStore(t.store, file, t.user))).toBe('conflict');
    t.store.close();
    const before = createHash('sha256').update(readFileSync(databasePath(t.dir))).digest('hex');
    expect(await codeOf(() => restoreStore(t.dir, file, { username: 'admin', passphrase: 'wrong passphrase' }))).toBe('wrong_passphrase');
    expect(createHash('sha256').update(readFileSync(databasePath(t.dir))).digest('hex')).toBe(before);
  });
});

describe('key slots and rekey', () => {
  it('a second profile unlocks the same data with its own passphrase', async () => {
    const t = await temp();
    addNotes(t, 'shared', 3);
    await addProfile(t.store, t.user, { username: 'li.na', displayName: '李娜', role: 'investigator', passphrase: 'li na passphrase', kdf: TEST_SCRYPT });
    t.store.close();
    const opened = await unlockStore(t.dir, { username: 'li.na', passphrase: 'li na passphrase' });
    expect(opened.user.role).toBe('investigator');
    expect(opened.store.db.prepare('SELECT count(*) FROM case_notes').pluck().get()).toBe(3);
    opened.store.close();
  });

  it('rekey re-encrypts with a new data key that every slot can open, and the old key no longer opens the file', async () => {
    const t = await temp();
    addNotes(t, 'rekeyed', 20);
    await addProfile(t.store, t.user, { username: 'zhao.lei', displayName: '赵磊', role: 'team_lead', passphrase: 'zhao lei passphrase', kdf: TEST_SCRYPT });
    const oldKey = Buffer.from(dataKeyOf(t.store));
    const oldSealed = readKeyring(t.dir).slots.map((slot) => slot.sealedDataKey.ciphertext);
    expect(await rekeyStore(t.store, t.user)).toEqual({ slots: 2 });
    const newKey = Buffer.from(dataKeyOf(t.store));
    expect(newKey.equals(oldKey)).toBe(false);
    expect(readKeyring(t.dir).slots.map((slot) => slot.sealedDataKey.ciphertext)).not.toEqual(oldSealed);
    expect(readKeyring(t.dir).slots.every((slot) => slot.nextSealedDataKey === undefined)).toBe(true);
    addNotes(t, 'after-rekey', 1);
    t.store.close();

    expect(() => openEncryptedDatabase(databasePath(t.dir), oldKey, { create: false })).toThrow(/do not belong together|does not open/);
    for (const [username, passphrase] of [['admin', t.passphrase], ['zhao.lei', 'zhao lei passphrase']] as const) {
      const opened = await unlockStore(t.dir, { username, passphrase });
      expect(opened.store.db.prepare('SELECT count(*) FROM case_notes').pluck().get()).toBe(21);
      expect(verifyStore(opened.store).ok).toBe(true);
      opened.store.close();
    }
  });

  it('refuses a rekey while another connection has the store open, with no key written and no entry saying it happened', async () => {
    const t = await temp();
    addNotes(t, 'busy', 2);
    const other = await unlockStore(t.dir, { username: 'admin', passphrase: t.passphrase });
    const oldKey = Buffer.from(dataKeyOf(t.store));
    const keyringBefore = readFileSync(join(t.dir, 'keyring.json'), 'utf8');
    const rekeys = (): number => Number(t.store.db.prepare("SELECT count(*) FROM audit_log WHERE action = 'store.rekey'").pluck().get());
    try {
      await expect(rekeyStore(t.store, t.user)).rejects.toMatchObject({ code: 'store_busy', message: expect.stringContaining('has it open') as unknown });
    } finally {
      other.store.close();
    }
    expect(readFileSync(join(t.dir, 'keyring.json'), 'utf8')).toBe(keyringBefore);
    expect(Buffer.from(dataKeyOf(t.store)).equals(oldKey)).toBe(true);
    expect(t.store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(rekeys()).toBe(0);
    // With the other connection gone, the same rekey goes through and says so once.
    await rekeyStore(t.store, t.user);
    expect(rekeys()).toBe(1);
    expect(verifyStore(t.store).ok).toBe(true);
  });

  it('opens after a rekey interrupted between re-encrypting the file and rewriting the keyring', async () => {
    const t = await temp();
    addNotes(t, 'interrupted', 3);
    const keyringBefore = readFileSync(join(t.dir, 'keyring.json'));
    await rekeyStore(t.store, t.user);
    t.store.close();
    // Simulate the crash: the database has the new key, but the keyring still says step 1 (both keys).
    const after = readKeyring(t.dir);
    const stepOne = JSON.parse(keyringBefore.toString('utf8')) as typeof after;
    stepOne.slots = stepOne.slots.map((slot, i) => ({ ...slot, nextSealedDataKey: after.slots[i]?.sealedDataKey }));
    writeFileSync(join(t.dir, 'keyring.json'), JSON.stringify(stepOne));
    const opened = await unlockStore(t.dir, { username: 'admin', passphrase: t.passphrase });
    expect(opened.store.db.prepare('SELECT count(*) FROM case_notes').pluck().get()).toBe(3);
    opened.store.close();
    expect(readKeyring(t.dir).slots.every((slot) => slot.nextSealedDataKey === undefined)).toBe(true);
    (await unlockStore(t.dir, { username: 'admin', passphrase: t.passphrase })).store.close();
  });

  it('opens after a rekey interrupted before the file was re-encrypted, and forgets the unused key', async () => {
    const t = await temp();
    addNotes(t, 'not-yet', 2);
    t.store.close();
    writeKeyring(t.dir, withNextDataKey(readKeyring(t.dir), randomBytes(32)));
    const opened = await unlockStore(t.dir, { username: 'admin', passphrase: t.passphrase });
    expect(opened.store.db.prepare('SELECT count(*) FROM case_notes').pluck().get()).toBe(2);
    opened.store.close();
    expect(readKeyring(t.dir).slots.every((slot) => slot.nextSealedDataKey === undefined)).toBe(true);
  });

  it('unlocks through the OS slot, and refuses clearly when the OS key store backend changed', async () => {
    const t = await temp();
    const osKey = randomBytes(32);
    enableOsUnlock(t.store, t.user, fakeOsWrapper('gnome_libsecret', osKey));
    t.store.close();
    const opened = await unlockStoreWithOs(t.dir, 'admin', fakeOsWrapper('gnome_libsecret', osKey));
    expect(opened.user.username).toBe('admin');
    opened.store.close();
    expect(await codeOf(() => unlockStoreWithOs(t.dir, 'admin', fakeOsWrapper('kwallet5', osKey)))).toBe('key_backend_changed');
    expect(await codeOf(() => unlockStoreWithOs(t.dir, 'admin', fakeOsWrapper('gnome_libsecret', randomBytes(32))))).toBe('key_backend_changed');
  });
});
