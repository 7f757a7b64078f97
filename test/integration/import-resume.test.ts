import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writePopulation } from '../../main/generator/write.js';
import { importFiles } from '../../main/services/import.js';
import { unlockStore } from '../../main/store/open.js';
import { createRecordsRepository } from '../../main/store/repositories/records.js';
import { verifyStore } from '../../main/store/verify.js';
import { dumpRecords, recordCounts } from '../support/import-dump.js';
import { createTempStore } from '../support/store.js';

const work = mkdtempSync(join(tmpdir(), 'vigil-resume-'));
afterAll(() => rmSync(work, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 }));

describe('an import killed midway', () => {
  it('ends, once run again, equal to an uninterrupted import', async () => {
    const population = writePopulation(join(work, 'pop'), { applicants: 250, seed: 'resume' });
    const killed = await createTempStore({ fastKdf: true });
    killed.store.close();

    const child = spawnSync(process.execPath, ['--import', 'tsx', 'test/support/import-child.ts', killed.dir, population.populationPath, '1000', '3'], {
      env: { ...process.env, VIGIL_PASSPHRASE: killed.passphrase },
      encoding: 'utf8',
    });
    expect(child.signal).toBe('SIGKILL');
    expect(child.stdout).toBe('killed after 3000 records\n');

    const reopened = await unlockStore(killed.dir, { username: 'admin', passphrase: killed.passphrase });
    try {
      // Whole transactions only: the three committed batches are there, nothing of the fourth.
      const partial = Object.values(recordCounts(reopened.store.db)).reduce((a, b) => a + b, 0);
      expect(partial).toBe(3000);
      expect(verifyStore(reopened.store).ok).toBe(true);

      const resumed = await importFiles(reopened.store, [{ path: population.populationPath }], { batchSize: 1000 });
      expect(resumed).toMatchObject({ status: 'completed', rejectedTotal: 0, totals: { unchanged: 3000, inserted: population.records - 3000 } });

      const uninterrupted = await createTempStore({ fastKdf: true });
      try {
        await importFiles(uninterrupted.store, [{ path: population.populationPath }], { batchSize: 1000 });
        expect(dumpRecords(reopened.store.db, 'content')).toBe(dumpRecords(uninterrupted.store.db, 'content'));
        expect(createRecordsRepository(reopened.store.db).findingsCount()).toBe(createRecordsRepository(uninterrupted.store.db).findingsCount());
      } finally {
        uninterrupted.cleanup();
      }
    } finally {
      reopened.store.close();
      killed.cleanup();
    }
  });
});
