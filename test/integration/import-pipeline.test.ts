// The import's fast paths must change nothing but speed: reading on a worker thread, and checking at
// the end only the references that pointed nowhere when their rows were written.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { writePopulation } from '../../main/generator/write.js';
import { openPullReader, type PullReader } from '../../main/interchange/pull.js';
import type { StagedItem } from '../../main/interchange/stage.js';
import { openThreadedPullReader } from '../../main/interchange/threadedReader.js';
import { fileSource } from '../../main/interchange/source.js';
import type { ReadOptions } from '../../main/interchange/read.js';
import { formatRejection, importFiles, type ImportOptions, type ImportSummary } from '../../main/services/import.js';
import { RECORD_TABLES } from '../../main/store/repositories/records.js';
import { RECORD_KEY, RECORD_REFERENCES } from '../../shared/interchange/references.js';
import { dumpRecords } from '../support/import-dump.js';
import { storeWorkspace, type TempStore } from '../support/store.js';

const { dir: work, store, file } = storeWorkspace('vigil-pipeline-');
const line = (value: Record<string, unknown>): string => JSON.stringify(value);
const applicant = (id: string, extra: Record<string, unknown> = {}): string => line({ type: 'applicant', id, name: '张伟', id_number: '11010519491231002X', phone: '13812345678', ...extra });
const application = (id: string, applicantId: string, extra: Record<string, unknown> = {}): string => line({ type: 'application', id, applicant_id: applicantId, submitted_at: '2026-03-14T09:26:53.589+08:00', ...extra });
const event = (id: string, applicationId: string, extra: Record<string, unknown> = {}): string => line({ type: 'event', id, application_id: applicationId, ts: '2026-03-14T09:27:00+08:00', kind: 'login', ...extra });

type Outcome = { items: StagedItem[] } | { error: { name: string; message: string; where: unknown } };

const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Drains a reader the way the import does: wait for `want` items, take what is ready, repeat; with
 * `busyMs`, each round also blocks this thread that long, like a long transaction.
 */
async function readAll(open: () => PullReader, want = 700, busyMs = 0): Promise<Outcome> {
  const reader = open();
  const items: StagedItem[] = [];
  try {
    for (;;) {
      await reader.ready(want);
      if (busyMs > 0) Atomics.wait(pause, 0, 0, busyMs);
      for (;;) {
        const pulled = reader.take();
        if (pulled.kind === 'item') items.push(pulled.item);
        else if (pulled.kind === 'none') break;
        else if (pulled.kind === 'end') return { items };
        else {
          const e = pulled.error as Error & { where?: unknown };
          return { error: { name: e.name, message: e.message, where: e.where } };
        }
      }
    }
  } finally {
    reader.close();
  }
}

async function compareReaders(path: string, options: ReadOptions = {}): Promise<{ inThread: Outcome; batches: number }> {
  let batches = 0;
  const fallbacks: string[] = [];
  const threaded = await readAll(() => openThreadedPullReader(fileSource(path), options, { maxAhead: 1000, onWorkerBatch: (_, n) => (batches = n), onFallback: (reason) => fallbacks.push(reason) }), 700, 15);
  expect(fallbacks).toEqual([]); // the worker read the whole file
  const inThread = await readAll(() => openPullReader(fileSource(path), options), 300);
  expect(threaded).toEqual(inThread);
  return { inThread, batches };
}

const population = writePopulation(join(work, 'pop'), { applicants: 120, seed: 'pipeline' });
const messy = [
  '\ufeff' + applicant('A1'),
  '{"type":"applicant","id":',
  applicant('A2', { declared_income_monthly: 'high' }),
  line({ type: 'loan', id: 'L1' }),
  application('AP1', 'A1', { submitted_at: '2026-03-14 09:26' }),
  applicant('A3', { note: 'x'.repeat(3000) }),
  '',
  application('AP2', 'A1'),
  event('E1', 'AP2', { attrs: { duration_ms: -5 }, kind: 'field_input' }),
  event('E2', 'AP2', { attrs: { field: 'name', key_count: 3 }, kind: 'field_input' }),
].join('\r\n');

describe('reading on a worker thread', () => {
  it('hands over exactly what reading in the calling thread yields: records, rejections, line numbers', async () => {
    const big = await compareReaders(population.populationPath);
    expect(big.batches).toBeGreaterThan(0); // the worker really ran
    expect('items' in big.inThread && big.inThread.items.length).toBe(population.records);
    await compareReaders(file('messy.jsonl', messy), { maxLineLength: 2000 });
    await compareReaders(file('pop.jsonl.gz', gzipSync(readFileSync(population.populationPath))));
    await compareReaders(new URL('../fixtures/interchange/applicant.csv', import.meta.url).pathname);
  });

  it('reports a truncated gzip file and a CSV file of no known type exactly as in-thread reading does', async () => {
    const gz = gzipSync(readFileSync(population.populationPath));
    const truncated = await compareReaders(file('cut.jsonl.gz', gz.subarray(0, Math.floor(gz.length / 2))));
    expect(truncated.inThread).toMatchObject({ error: { name: 'VigilError', message: expect.stringMatching(/^cut\.jsonl\.gz:\d+: the file ends unexpectedly after line \d+/) as unknown } });
    const csv = file('export.csv', 'id,name\nA1,x\n');
    expect(() => openThreadedPullReader(fileSource(csv), {}, { maxAhead: 100 })).toThrow(/cannot tell which record type this CSV file holds/);
  });

  it('goes on in the calling thread after the last line handed out when the worker dies midway', async () => {
    let stoppedAfter = 0;
    const fallbacks: number[] = [];
    const threaded = await readAll(() =>
      openThreadedPullReader(fileSource(population.populationPath), {}, {
        maxAhead: 500,
        onFallback: (_, afterLine) => fallbacks.push(afterLine),
        onWorkerBatch: (worker, n) => {
          if (n === 2) {
            stoppedAfter = n;
            void worker.terminate();
          }
        },
      }),
    );
    const inThread = await readAll(() => openPullReader(fileSource(population.populationPath)));
    expect(stoppedAfter).toBe(2);
    expect(fallbacks).toHaveLength(1);
    expect(fallbacks[0]).toBeGreaterThan(0);
    expect(threaded).toEqual(inThread);
  });
});

function summaryOf(summary: ImportSummary): unknown {
  return { counts: summary.counts, totals: summary.totals, rejected: summary.rejected.map(formatRejection), findings: summary.findings, status: summary.status };
}

async function importBoth(files: string[], fast: ImportOptions, slow: ImportOptions): Promise<{ fast: TempStore; slow: TempStore; summary: unknown }> {
  const a = await store();
  const b = await store();
  const fastSummary = summaryOf(await importFiles(a.store, files.map((path) => ({ path })), fast));
  const slowSummary = summaryOf(await importFiles(b.store, files.map((path) => ({ path })), slow));
  expect(fastSummary).toEqual(slowSummary);
  expect(dumpRecords(a.store.db, 'full')).toBe(dumpRecords(b.store.db, 'full'));
  return { fast: a, slow: b, summary: fastSummary };
}

function danglingCount(s: TempStore): number {
  let n = 0;
  for (const ref of RECORD_REFERENCES) {
    const row = s.store.db
      .prepare(
        `SELECT count(*) AS n FROM ${RECORD_TABLES[ref.type]} s WHERE s.${ref.field} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ${RECORD_TABLES[ref.target]} t WHERE t.${RECORD_KEY[ref.target]} = s.${ref.field})`,
      )
      .get() as { n: number };
    n += row.n;
  }
  return n;
}

describe('the import pipeline end to end', () => {
  it('ends with the same store and summary whether the file is read on a worker or in this thread', async () => {
    const content = `${readFileSync(population.populationPath, 'utf8')}${messy}\n${event('E9', 'NOPE')}\n`;
    const path = file('mixed-pop.jsonl', content);
    await importBoth([path], { readInWorker: true, batchSize: 400 }, { readInWorker: false, batchSize: 400 });
    const strict = await importBoth([path], { readInWorker: true, strict: true }, { readInWorker: false, strict: true });
    expect(strict.summary).toMatchObject({ status: 'failed' });
  });

  it('commits exactly batchSize records per transaction when the file is read on a worker', async () => {
    const s = await store();
    const commits: number[] = [];
    const summary = await importFiles(s.store, [{ path: population.populationPath }], { readInWorker: true, batchSize: 700, onCommit: (n) => commits.push(n) });
    expect(summary.totals.inserted).toBe(population.records);
    expect(commits).toEqual([...Array.from({ length: Math.floor(population.records / 700) }, (_, i) => (i + 1) * 700), population.records]);
  });

  it('finds the same dangling references as a full scan: forward references, repeats, cascades, earlier imports', async () => {
    const earlier = file('earlier.jsonl', [applicant('OLD'), application('APOLD', 'OLD')].join('\n'));
    const first = file(
      'first.jsonl',
      [
        application('AP1', 'A1'), // forward: A1 comes in the second file
        application('AP2', 'NOPE'), // dangling: removed, and everything under it with it
        event('E1', 'AP2'),
        event('E2', 'AP1', { device_id: 'D9' }), // device never arrives
        line({ type: 'decision', id: 'DC1', application_id: 'AP2', at: '2026-03-15T10:00:00+08:00', outcome: 'rejected' }),
        line({ type: 'label', application_id: 'AP2', is_fraud: true }),
        application('AP3', 'GONE'), // dangling now, fixed by a repeat later in the import
        application('AP4', 'A1'), // fine now, broken by a repeat later
        event('E3', 'APOLD'), // refers to an earlier import
        line({ type: 'device', id: 'D1', observed_at: '2026-03-14T09:00:00+08:00', platform: 'ios', application_id: 'AP9' }),
      ].join('\n'),
    );
    const second = file('second.jsonl', [applicant('A1'), application('AP3', 'A1'), application('AP4', 'MISSING'), application('AP9', 'A1')].join('\n'));
    const fast = await store();
    const slow = await store();
    for (const s of [fast, slow]) await importFiles(s.store, [{ path: earlier }]);
    const fastSummary = summaryOf(await importFiles(fast.store, [{ path: first }, { path: second }]));
    const slowSummary = summaryOf(await importFiles(slow.store, [{ path: first }, { path: second }], { checkAllReferences: true }));
    expect(fastSummary).toEqual(slowSummary);
    expect(dumpRecords(fast.store.db, 'full')).toBe(dumpRecords(slow.store.db, 'full'));
    expect((fastSummary as { rejected: string[] }).rejected).toEqual([
      'first.jsonl:2: application.applicant_id: refers to unknown applicant "NOPE"',
      'second.jsonl:3: application.applicant_id: refers to unknown applicant "MISSING"',
      'first.jsonl:3: event.application_id: refers to unknown application "AP2"',
      'first.jsonl:4: event.device_id: refers to unknown device "D9"',
      'first.jsonl:5: decision.application_id: refers to unknown application "AP2"',
      'first.jsonl:6: label.application_id: refers to unknown application "AP2"',
    ]);
    expect(danglingCount(fast)).toBe(0);
  });

  it('refreshes the age finding of an unchanged application when its applicant changes', async () => {
    const s = await store();
    const findings = (): unknown[] => s.store.db.prepare(`SELECT record_id, code FROM record_findings WHERE code = 'applicant_age_implausible'`).all();
    await importFiles(s.store, [{ path: file('age-1.jsonl', [applicant('K1'), application('KA1', 'K1')].join('\n')) }]);
    expect(findings()).toEqual([]);
    await importFiles(s.store, [{ path: file('age-2.jsonl', applicant('K1', { id_number: '110105201203140012' })) }]);
    expect(findings()).toEqual([{ record_id: 'KA1', code: 'applicant_age_implausible' }]);
    await importFiles(s.store, [{ path: file('age-3.jsonl', applicant('K1')) }]);
    expect(findings()).toEqual([]);
  });

  it('leaves no reference pointing nowhere when two imports run at once', async () => {
    const s = await store();
    const one = file('one.jsonl', [applicant('P1'), application('Q1', 'P2'), ...Array.from({ length: 300 }, (_, i) => event(`EA${i}`, i % 2 === 0 ? 'Q1' : 'Q2'))].join('\n'));
    const two = file('two.jsonl', [applicant('P2'), application('Q2', 'P1'), application('Q3', 'NOBODY'), ...Array.from({ length: 300 }, (_, i) => event(`EB${i}`, i % 3 === 0 ? 'Q3' : 'Q1'))].join('\n'));
    const [a, b] = await Promise.all([importFiles(s.store, [{ path: one }], { batchSize: 50 }), importFiles(s.store, [{ path: two }], { batchSize: 50 })]);
    expect(a.status).toBe('completed');
    expect(b.status).toBe('completed');
    expect(danglingCount(s)).toBe(0);
    const rejected = [...a.rejected, ...b.rejected].map(formatRejection);
    expect(rejected).toContain('two.jsonl:3: application.applicant_id: refers to unknown applicant "NOBODY"');
  });
});
