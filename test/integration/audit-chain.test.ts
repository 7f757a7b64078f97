import { afterEach, describe, expect, it } from 'vitest';
import { appendAudit, auditHash, GENESIS_HASH } from '../../main/store/audit.js';
import { unlockStore } from '../../main/store/open.js';
import { verifyStore } from '../../main/store/verify.js';
import { createTempStore, type TempStore } from '../support/store.js';

const temps: TempStore[] = [];
afterEach(() => {
  for (const temp of temps.splice(0)) temp.cleanup();
});

async function storeWithEntries(count: number): Promise<TempStore> {
  const temp = await createTempStore({ fastKdf: true });
  temps.push(temp);
  for (let i = 0; i < count; i += 1) {
    appendAudit(temp.store.db, { actor: temp.user.id, action: 'case.decide', target: `case:c${i}`, before: { status: 'open' }, after: { outcome: 'reject', reasons: ['DEVICE_SHARED'], i } });
  }
  return temp;
}

describe('audit chain', () => {
  it('links every entry to the one before it from the genesis hash', async () => {
    const temp = await storeWithEntries(5);
    const rows = temp.store.db.prepare('SELECT seq, prev_hash, hash FROM audit_log ORDER BY seq').all() as { seq: number; prev_hash: string; hash: string }[];
    expect(rows[0]?.prev_hash).toBe(GENESIS_HASH);
    rows.slice(1).forEach((row, index) => expect(row.prev_hash).toBe(rows[index]?.hash));
    const report = verifyStore(temp.store);
    expect(report).toMatchObject({ ok: true, integrity: 'ok', firstBrokenEntry: null, problems: [] });
    expect(report.auditEntries).toBe(rows.length);
  });

  it('hashes the canonical form, so key order in before/after does not matter', () => {
    const entry = { seq: 1, at: 't', actor: 'a', action: 'x', target: null, before: { b: 1, a: [1, { d: 2, c: 3 }] }, after: null };
    const reordered = { ...entry, before: { a: [1, { c: 3, d: 2 }], b: 1 } };
    expect(auditHash(GENESIS_HASH, entry)).toBe(auditHash(GENESIS_HASH, reordered));
    expect(auditHash(GENESIS_HASH, entry)).not.toBe(auditHash(GENESIS_HASH, { ...entry, actor: 'b' }));
  });

  it('detects an audit row edited with the data key and points at that entry', async () => {
    const temp = await storeWithEntries(6);
    const victim = 5;
    const { db } = temp.store;
    // Someone holding the key drops the append-only trigger and rewrites history.
    db.exec('DROP TRIGGER audit_log_no_update');
    db.prepare(`UPDATE audit_log SET after_json = '{"outcome":"approve"}' WHERE seq = ?`).run(victim);
    temp.store.close();
    const reopened = await unlockStore(temp.dir, { username: 'admin', passphrase: temp.passphrase });
    try {
      const report = verifyStore(reopened.store);
      expect(report.ok).toBe(false);
      expect(report.firstBrokenEntry).toBe(victim);
      expect(report.integrity).toBe('ok');
      expect(report.problems.join(' ')).toMatch(/entry 5 was changed/);
    } finally {
      reopened.store.close();
    }
  });

  it('detects a removed entry and a forged rehash of the edited one', async () => {
    const temp = await storeWithEntries(6);
    const { db } = temp.store;
    db.exec('DROP TRIGGER audit_log_no_delete; DROP TRIGGER audit_log_no_update');
    db.prepare('DELETE FROM audit_log WHERE seq = 4').run();
    expect(verifyStore(temp.store).firstBrokenEntry).toBe(5);

    const other = await storeWithEntries(6);
    const odb = other.store.db;
    odb.exec('DROP TRIGGER audit_log_no_update');
    // Recomputing the edited entry's own hash is not enough: the next entry still links to the old one.
    const row = odb.prepare('SELECT * FROM audit_log WHERE seq = 3').get() as { seq: number; at: string; actor: string; action: string; target: string; before_json: string; prev_hash: string };
    const forgedAfter = { outcome: 'approve' };
    const forgedHash = auditHash(row.prev_hash, { seq: 3, at: row.at, actor: row.actor, action: row.action, target: row.target, before: JSON.parse(row.before_json) as unknown, after: forgedAfter });
    odb.prepare('UPDATE audit_log SET after_json = ?, hash = ? WHERE seq = 3').run(JSON.stringify(forgedAfter), forgedHash);
    expect(verifyStore(other.store).firstBrokenEntry).toBe(4);
  });

  it('rolls the audit entry back with the change it records', async () => {
    const temp = await storeWithEntries(1);
    const { db } = temp.store;
    const before = db.prepare('SELECT count(*) FROM audit_log').pluck().get();
    expect(() =>
      db.transaction(() => {
        appendAudit(db, { actor: temp.user.id, action: 'settings.update', target: 'setting:x' });
        throw new Error('the change failed');
      })(),
    ).toThrow('the change failed');
    expect(db.prepare('SELECT count(*) FROM audit_log').pluck().get()).toBe(before);
    expect(verifyStore(temp.store).ok).toBe(true);
  });
});
