// Import benchmark: a generated population of >= 1,000,000 events imported into the encrypted store
// (records/s, MB/s), against a bare prepared-statement insert of the same rows into plaintext
// better-sqlite3 in the same run, and the import's peak memory at two file sizes (child processes,
// max RSS). `VIGIL_BENCH_SCALE=0.1` shrinks the population for a quick look.
import { spawnSync } from 'node:child_process';
import type { Statement } from 'better-sqlite3-multiple-ciphers';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writePopulation } from '../../main/generator/write.js';
import { openInterchangeReader } from '../../main/interchange/read.js';
import { fileSource } from '../../main/interchange/source.js';
import { importFiles } from '../../main/services/import.js';
import { openPlainDatabase } from '../../main/store/database.js';
import { MIGRATIONS } from '../../main/store/migrations/index.js';
import { applyMigrations } from '../../main/store/migrations/runner.js';
import { createStore, TEST_SCRYPT } from '../../main/store/open.js';
import { RECORD_TABLES, recordKeyOf, rowValuesOf } from '../../main/store/repositories/records.js';
import type { RecordType } from '../../shared/interchange/schema.js';

const SCALE = Number(process.env['VIGIL_BENCH_SCALE'] ?? '1');
const APPLICANTS = Math.max(500, Math.round(50_000 * SCALE));
const BATCH = 5_000;

interface ChildResult {
  seconds: number;
  records: number;
  bytes: number;
  maxRssMb: number;
  rejected: number;
}

/** In a child process: create a store, import one file, report time and max RSS. */
async function childImport(storeDir: string, file: string): Promise<void> {
  const { store } = await createStore(storeDir, { username: 'bench', displayName: 'Bench', passphrase: 'bench passphrase', kdf: TEST_SCRYPT, backgroundCheckpoint: true });
  const started = performance.now();
  const summary = await importFiles(store, [{ path: file }]);
  const seconds = (performance.now() - started) / 1000;
  store.close();
  await store.whenClosed();
  const result: ChildResult = {
    seconds,
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

/** The same rows, bare: prepared INSERTs into the same tables of a plaintext database; only the inserts are timed. */
async function bareInsert(file: string, dir: string): Promise<{ seconds: number; rows: number }> {
  const db = openPlainDatabase(join(dir, 'bare.db'));
  applyMigrations(db, MIGRATIONS);
  const statements = new Map<RecordType, ReturnType<typeof db.prepare>>();
  const statementFor = (type: RecordType, width: number): ReturnType<typeof db.prepare> => {
    let statement = statements.get(type);
    if (statement === undefined) {
      const columns = (db.prepare(`SELECT name FROM pragma_table_info('${RECORD_TABLES[type]}')`).pluck().all() as string[]).slice(0, width);
      statement = db.prepare(`INSERT INTO ${RECORD_TABLES[type]} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
      statements.set(type, statement);
    }
    return statement;
  };
  let seconds = 0;
  let rows = 0;
  let pending: { type: RecordType; values: unknown[] }[] = [];
  let seq = 0;
  const flush = (): void => {
    const started = performance.now();
    db.transaction(() => {
      for (const row of pending) (statementFor(row.type, row.values.length) as Statement<unknown[]>).run(...row.values);
    })();
    seconds += (performance.now() - started) / 1000;
    rows += pending.length;
    pending = [];
  };
  const reader = openInterchangeReader(fileSource(file));
  for await (const batch of reader.batches) {
    for (const item of batch) {
      if (item.kind !== 'record') continue;
      seq += 1;
      pending.push({ type: item.type, values: [recordKeyOf(item.type, item.record), ...rowValuesOf(item.type, item.record), item.json, 1, 1, 'f', item.line, seq] });
      if (pending.length >= BATCH) flush();
    }
  }
  flush();
  db.close();
  return { seconds, rows };
}

export async function runBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-import-'));
  try {
    let started = performance.now();
    const big = writePopulation(join(dir, 'big'), { applicants: APPLICANTS, seed: 'bench' });
    const generateSeconds = (performance.now() - started) / 1000;
    const small = writePopulation(join(dir, 'small'), { applicants: Math.round(APPLICANTS / 4), seed: 'bench-small' });
    const mb = big.bytes / 1e6;
    console.log(`generate: ${big.events.toLocaleString('en-US')} events, ${big.records.toLocaleString('en-US')} records, ${mb.toFixed(0)} MB in ${generateSeconds.toFixed(1)} s (target: 1,000,000 events well under 60 s)`);

    const imported = runChild(join(dir, 'store-big'), big.populationPath);
    if (imported.rejected > 0) throw new Error(`the generated population had ${imported.rejected} rejected lines`);
    const recordsPerSecond = imported.records / imported.seconds;
    console.log(`import records/s: ${Math.round(recordsPerSecond).toLocaleString('en-US')} records/s (${imported.records.toLocaleString('en-US')} records in ${imported.seconds.toFixed(1)} s)`);
    console.log(`import MB/s: ${(mb / imported.seconds).toFixed(1)} MB/s`);

    started = performance.now();
    const bare = await bareInsert(big.populationPath, dir);
    const bareRate = bare.rows / bare.seconds;
    console.log(`bare plaintext insert: ${Math.round(bareRate).toLocaleString('en-US')} rows/s (${bare.rows.toLocaleString('en-US')} rows, inserts only)`);
    console.log(`import / bare insert ratio: ${(recordsPerSecond / bareRate).toFixed(2)} (target >= 0.5)`);

    const smallRun = runChild(join(dir, 'store-small'), small.populationPath);
    console.log(`import peak RSS, ${small.events.toLocaleString('en-US')} events (${(small.bytes / 1e6).toFixed(0)} MB file): ${smallRun.maxRssMb.toFixed(0)} MB (target < 300 MB, flat)`);
    console.log(`import peak RSS, ${big.events.toLocaleString('en-US')} events (${mb.toFixed(0)} MB file): ${imported.maxRssMb.toFixed(0)} MB (target < 300 MB, flat)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') {
  await childImport(process.argv[3] ?? '', process.argv[4] ?? '');
} else if (import.meta.url === `file://${process.argv[1]}`) {
  await runBench();
}
