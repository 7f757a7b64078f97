// Import benchmark: a generated population of >= 1,000,000 events imported into the encrypted store
// (records/s, MB/s), against a bare prepared-statement insert of the same rows into plaintext
// better-sqlite3 in the same run, and the import's peak memory at two file sizes (child processes,
// max RSS). `VIGIL_BENCH_SCALE=0.1` shrinks the population for a quick look; `VIGIL_BENCH_ROUNDS=1`
// runs the import and the bare insert once instead of twice.
import { spawnSync } from 'node:child_process';
import type { Statement } from 'better-sqlite3-multiple-ciphers';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writePopulation } from '../../main/generator/write.js';
import { openStagedReader } from '../../main/interchange/stage.js';
import { fileSource } from '../../main/interchange/source.js';
import { DEFAULT_IMPORT_BATCH_SIZE, importFiles, READ_IN_WORKER_MIN_BYTES, WORKER_IMPORT_BATCH_SIZE } from '../../main/services/import.js';
import { startCheckpointer, WRITER_SAFETY_CHECKPOINT_PAGES, type Checkpointer } from '../../main/store/checkpointer.js';
import { applyStorePragmas, openPlainDatabase } from '../../main/store/database.js';
import { MIGRATIONS } from '../../main/store/migrations/index.js';
import { applyMigrations } from '../../main/store/migrations/runner.js';
import { createStore, TEST_SCRYPT } from '../../main/store/open.js';
import { RECORD_TABLES, rowColumnsOf } from '../../main/store/repositories/records.js';
import type { RecordType } from '../../shared/interchange/schema.js';

const SCALE = Number(process.env['VIGIL_BENCH_SCALE'] ?? '1');
const APPLICANTS = Math.max(500, Math.round(50_000 * SCALE));
const ROUNDS = Math.max(1, Number(process.env['VIGIL_BENCH_ROUNDS'] ?? '2'));

interface ChildResult {
  seconds: number;
  records: number;
  bytes: number;
  maxRssMb: number;
  rejected: number;
  /** Closing the store after the import: the background checkpointer finishing the WAL. */
  drainSeconds: number;
}

/** In a child process: create a store, import one file, report time and max RSS. */
async function childImport(storeDir: string, file: string): Promise<void> {
  const { store } = await createStore(storeDir, { username: 'bench', displayName: 'Bench', passphrase: 'bench passphrase', kdf: TEST_SCRYPT, backgroundCheckpoint: true });
  const started = performance.now();
  const summary = await importFiles(store, [{ path: file }]);
  const seconds = (performance.now() - started) / 1000;
  const drainStarted = performance.now();
  store.close();
  await store.whenClosed();
  const result: ChildResult = {
    seconds,
    drainSeconds: (performance.now() - drainStarted) / 1000,
    records: summary.totals.inserted + summary.totals.updated + summary.totals.unchanged,
    bytes: statSync(file).size,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    rejected: summary.rejectedTotal,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

function runChild(storeDir: string, file: string): ChildResult {
  const self = fileURLToPath(import.meta.url);
  const child = spawnSync(process.execPath, ['--import', 'tsx', self, '--child', storeDir, file], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (child.status !== 0) throw new Error(`import child failed: ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '{}') as ChildResult;
}

type BareSettings = 'store' | 'defaults';

/** Records per transaction in the import of this file (larger when it is read on a worker). */
function batchSizeFor(file: string): number {
  return statSync(file).size >= READ_IN_WORKER_MIN_BYTES ? WORKER_IMPORT_BATCH_SIZE : DEFAULT_IMPORT_BATCH_SIZE;
}

/**
 * The same rows, bare: prepared INSERTs into the same tables (same migrations, so the same indexes) of a
 * plaintext database, in transactions of the import's size; only the inserts are timed. `store` gives it
 * what the encrypted store runs with (WAL, synchronous=FULL, 32 MiB cache, the background checkpointer);
 * `defaults` is better-sqlite3 as it comes (rollback journal, synchronous=FULL, 16 MB cache).
 */
async function bareInsert(file: string, dir: string, settings: BareSettings): Promise<{ seconds: number; rows: number; drainSeconds: number }> {
  const path = join(dir, `bare-${settings}-${Date.now()}.db`);
  const db = openPlainDatabase(path);
  let checkpointer: Checkpointer | null = null;
  if (settings === 'store') {
    applyStorePragmas(db);
    db.pragma(`wal_autocheckpoint = ${WRITER_SAFETY_CHECKPOINT_PAGES}`);
    checkpointer = startCheckpointer(path, null);
  }
  applyMigrations(db, MIGRATIONS);
  const statements = new Map<RecordType, Statement<unknown[]>>();
  const statementFor = (type: RecordType): Statement<unknown[]> => {
    let statement = statements.get(type);
    if (statement === undefined) {
      // The import's own column list: columns added by later migrations sit at the end of the table, not in write order.
      const columns = rowColumnsOf(type);
      statement = db.prepare<unknown[]>(`INSERT INTO ${RECORD_TABLES[type]} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
      statements.set(type, statement);
    }
    return statement;
  };
  // The transaction size the import uses for this file.
  const batchSize = batchSizeFor(file);
  let seconds = 0;
  let rows = 0;
  let pending: { type: RecordType; values: unknown[] }[] = [];
  let seq = 0;
  const flush = (): void => {
    const started = performance.now();
    db.transaction(() => {
      for (const row of pending) statementFor(row.type).run(...row.values);
    })();
    seconds += (performance.now() - started) / 1000;
    rows += pending.length;
    pending = [];
  };
  // The rows exactly as the import writes them: key, column values and JSON as staged, then bookkeeping.
  const reader = openStagedReader(fileSource(file));
  for await (const batch of reader.batches) {
    for (const item of batch) {
      if (item.kind !== 'record') continue;
      const staged = item.staged;
      seq += 1;
      pending.push({ type: staged.type, values: [staged.key, ...staged.values, staged.json, 1, 1, staged.file, staged.line, seq] });
      if (pending.length >= batchSize) flush();
    }
  }
  flush();
  const drainStarted = performance.now();
  db.close();
  await checkpointer?.stop();
  return { seconds, rows, drainSeconds: (performance.now() - drainStarted) / 1000 };
}

const rate = (rows: number, seconds: number): number => rows / seconds;
const count = (n: number): string => Math.round(n).toLocaleString('en-US');

export async function runBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-import-'));
  try {
    const started = performance.now();
    const big = writePopulation(join(dir, 'big'), { applicants: APPLICANTS, seed: 'bench' });
    const generateSeconds = (performance.now() - started) / 1000;
    const small = writePopulation(join(dir, 'small'), { applicants: Math.round(APPLICANTS / 4), seed: 'bench-small' });
    const mb = big.bytes / 1e6;
    console.log(`generate: ${count(big.events)} events, ${count(big.records)} records, ${mb.toFixed(0)} MB in ${generateSeconds.toFixed(1)} s (target: 1,000,000 events well under 60 s)`);

    // Interleaved rounds (import, then the bare insert with the store's settings), best of each, so a
    // burst of load on the machine does not decide the ratio; the defaults baseline runs once.
    const imports: ChildResult[] = [];
    const bares: Awaited<ReturnType<typeof bareInsert>>[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      const imported = runChild(join(dir, `store-big-${round}`), big.populationPath);
      if (imported.rejected > 0) throw new Error(`the generated population had ${imported.rejected} rejected lines`);
      imports.push(imported);
      bares.push(await bareInsert(big.populationPath, dir, 'store'));
      rmSync(join(dir, `store-big-${round}`), { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    }
    const defaults = await bareInsert(big.populationPath, dir, 'defaults');
    const best = imports.reduce((a, b) => (rate(b.records, b.seconds) > rate(a.records, a.seconds) ? b : a));
    const importRate = rate(best.records, best.seconds);
    console.log(`import records/s: ${count(importRate)} records/s (${count(best.records)} records in ${best.seconds.toFixed(1)} s; best of ${imports.length}: ${imports.map((r) => count(rate(r.records, r.seconds))).join(', ')})`);
    console.log(`import MB/s: ${(mb / best.seconds).toFixed(1)} MB/s`);
    const bareRates = bares.map((b) => rate(b.rows, b.seconds));
    const bareStore = Math.max(...bareRates);
    const bareDefaults = rate(defaults.rows, defaults.seconds);
    console.log(
      `bare plaintext insert, the store's settings: ${count(bareStore)} rows/s (best of ${bareRates.length}: ${bareRates.map(count).join(', ')}; same rows, tables, indexes, prepared statements and ${count(batchSizeFor(big.populationPath))}-row transactions as the import; WAL, synchronous=FULL, 32 MiB cache, background checkpointer; inserts only)`,
    );
    console.log(`bare plaintext insert, better-sqlite3 defaults: ${count(bareDefaults)} rows/s (rollback journal, synchronous=FULL, 16 MB cache; inserts only)`);
    const baseline = Math.max(bareStore, bareDefaults);
    console.log(`import / bare insert ratio: ${(importRate / baseline).toFixed(2)} (target >= 0.5; against the faster bare insert)`);
    console.log(`left to checkpoint after the last commit: import ${best.drainSeconds.toFixed(1)} s, bare insert ${Math.min(...bares.map((b) => b.drainSeconds)).toFixed(1)} s (not in either figure)`);

    const smallRun = runChild(join(dir, 'store-small'), small.populationPath);
    console.log(`import peak RSS, ${count(small.events)} events (${(small.bytes / 1e6).toFixed(0)} MB file): ${smallRun.maxRssMb.toFixed(0)} MB (target < 300 MB, flat)`);
    console.log(`import peak RSS, ${count(big.events)} events (${mb.toFixed(0)} MB file): ${Math.max(...imports.map((r) => r.maxRssMb)).toFixed(0)} MB (target < 300 MB, flat)`);
  } finally {
    rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  }
}

if (process.argv[2] === '--child') {
  await childImport(process.argv[3] ?? '', process.argv[4] ?? '');
} else if (import.meta.url === `file://${process.argv[1]}`) {
  await runBench();
}
