import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { unlockStore } from '../../main/store/open.js';
import { verifyStore } from '../../main/store/verify.js';
import { createTempStore, type TempStore } from '../support/store.js';

const WRITER = fileURLToPath(new URL('../support/durabilityWriter.ts', import.meta.url));
const ROWS_PER_BATCH = 2000;

const temps: TempStore[] = [];
afterEach(() => {
  for (const temp of temps.splice(0)) temp.cleanup();
});

/** Runs the writer and SIGKILLs it when `killWhen` says so; resolves with the batches it reported committed. */
function runAndKill(temp: TempStore, openBatch: number, killWhen: (line: string, committed: number[]) => boolean): Promise<{ committed: number[]; signal: string | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WRITER, temp.dir, String(ROWS_PER_BATCH), String(openBatch)], {
      env: { ...process.env, VIGIL_PASSPHRASE: temp.passphrase },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const committed: number[] = [];
    let buffered = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      let newline = buffered.indexOf('\n');
      while (newline >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        const match = /^committed (\d+)$/.exec(line);
        if (match !== null) committed.push(Number(match[1]));
        if (killWhen(line, committed)) child.kill('SIGKILL');
        newline = buffered.indexOf('\n');
      }
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`writer exited by itself (code ${code}): ${stderr}`));
      else resolve({ committed, signal });
    });
  });
}

async function batchesInStore(temp: TempStore): Promise<{ counts: Map<number, number>; integrity: string; auditOk: boolean }> {
  const { store } = await unlockStore(temp.dir, { username: 'admin', passphrase: temp.passphrase });
  try {
    const report = verifyStore(store);
    const rows = store.db.prepare(`SELECT import_batch AS batch, count(*) AS n FROM cases WHERE import_batch LIKE 'batch-%' GROUP BY import_batch`).all() as { batch: string; n: number }[];
    return { counts: new Map(rows.map((row) => [Number(row.batch.slice('batch-'.length)), row.n])), integrity: report.integrity, auditOk: report.firstBrokenEntry === null };
  } finally {
    store.close();
  }
}

describe('durability under SIGKILL', () => {
  it('keeps every committed batch and nothing of the large transaction it was killed in', async () => {
    const temp = await createTempStore({ fastKdf: true });
    temps.push(temp);
    temp.store.close(); // the child is the only writer, as the app would be
    const openBatch = 4;
    const { committed } = await runAndKill(temp, openBatch, (line) => line === `inside ${openBatch}`);
    expect(committed).toEqual([1, 2, 3]);

    const { counts, integrity, auditOk } = await batchesInStore(temp);
    expect(integrity).toBe('ok');
    expect(auditOk).toBe(true);
    expect([...counts.keys()].sort()).toEqual([1, 2, 3]);
    for (const batch of committed) expect(counts.get(batch)).toBe(ROWS_PER_BATCH);
  });

  it('after a kill at an arbitrary moment, every batch present is whole and every reported commit is present', async () => {
    const temp = await createTempStore({ fastKdf: true });
    temps.push(temp);
    temp.store.close();
    // Kill as soon as the fifth commit is reported: the sixth batch is then somewhere in flight.
    const { committed } = await runAndKill(temp, 0, (_line, done) => done.length >= 5);
    const { counts, integrity } = await batchesInStore(temp);
    expect(integrity).toBe('ok');
    for (const batch of committed) expect(counts.get(batch)).toBe(ROWS_PER_BATCH);
    for (const [, n] of counts) expect(n).toBe(ROWS_PER_BATCH);
    const present = [...counts.keys()].sort((a, b) => a - b);
    expect(present).toEqual(present.map((_, i) => i + 1));
  });
});
