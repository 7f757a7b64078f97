import { statSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { databasePath, unlockStore } from '../../main/store/open.js';
import { rekeyStore } from '../../main/store/rekey.js';
import { verifyStore } from '../../main/store/verify.js';
import { createTempStore, type TempStore } from '../support/store.js';

const temps: TempStore[] = [];
afterEach(() => {
  for (const temp of temps.splice(0)) temp.cleanup();
});

function writeCases(temp: TempStore, prefix: string, count: number, width = 300): void {
  const { db } = temp.store;
  const insert = db.prepare('INSERT INTO cases (id, application_id, applicant_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?)');
  const now = new Date().toISOString();
  db.transaction(() => {
    for (let i = 0; i < count; i += 1) insert.run(`${prefix}-${i}`, `${prefix}-app-${i}`, `${'x'.repeat(width)}-${i}`, now, now);
  })();
}

describe('background checkpoints', () => {
  it('folds the WAL into the database from a worker while the writer never checkpoints', async () => {
    const temp = await createTempStore({ fastKdf: true, backgroundCheckpoint: true });
    temps.push(temp);
    expect(temp.store.db.pragma('wal_autocheckpoint', { simple: true })).toBeGreaterThan(1000);
    const before = statSync(databasePath(temp.dir)).size;
    writeCases(temp, 'bg', 5000);
    // The writer's safety net is far above this WAL's size, so only the worker can grow the main file.
    await vi.waitFor(() => expect(statSync(databasePath(temp.dir)).size).toBeGreaterThan(before + 1_000_000), { timeout: 20_000, interval: 50 });
    expect(verifyStore(temp.store).integrity).toBe('ok');
  });

  it('gives back the disk a bulk write took: the WAL is cut to 64 MiB when it restarts', async () => {
    const temp = await createTempStore({ fastKdf: true, backgroundCheckpoint: true });
    temps.push(temp);
    expect(temp.store.db.pragma('journal_size_limit', { simple: true })).toBe(64 * 2 ** 20);
    const wal = `${databasePath(temp.dir)}-wal`;
    // About 90 MiB in one transaction, far past the limit.
    writeCases(temp, 'bulk', 24_000, 3_500);
    expect(statSync(wal).size).toBeGreaterThan(64 * 2 ** 20);
    // Once the worker has folded every frame in, the next commit restarts the WAL and truncates it.
    await vi.waitFor(
      () => {
        writeCases(temp, `small-${Date.now()}`, 1);
        expect(statSync(wal).size).toBeLessThanOrEqual(64 * 2 ** 20);
      },
      { timeout: 30_000, interval: 200 },
    );
    expect(verifyStore(temp.store).integrity).toBe('ok');
  });

  it('rekeys with the worker running, and the worker follows the new key', async () => {
    const temp = await createTempStore({ fastKdf: true, backgroundCheckpoint: true });
    temps.push(temp);
    writeCases(temp, 'before', 2000);
    await rekeyStore(temp.store, temp.user);
    const sizeAfterRekey = statSync(databasePath(temp.dir)).size;
    writeCases(temp, 'after', 5000);
    await vi.waitFor(() => expect(statSync(databasePath(temp.dir)).size).toBeGreaterThan(sizeAfterRekey + 1_000_000), { timeout: 20_000, interval: 50 });
    temp.store.close();
    const reopened = await unlockStore(temp.dir, { username: 'admin', passphrase: temp.passphrase });
    try {
      expect(reopened.store.db.prepare('SELECT count(*) FROM cases').pluck().get()).toBe(7000);
      expect(verifyStore(reopened.store).ok).toBe(true);
    } finally {
      reopened.store.close();
    }
  });
});
