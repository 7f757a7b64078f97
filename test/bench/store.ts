// Store benchmark: insert throughput into the encrypted store against the same rows into a plaintext
// database (same library, same pragmas, same statements) in the same run, and unlock time with the
// real scrypt parameters. `VIGIL_BENCH_SCALE=0.1` shrinks the row count for a quick look.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyStorePragmas, openPlainDatabase, type Database } from '../../main/store/database.js';
import { startCheckpointer, WRITER_SAFETY_CHECKPOINT_PAGES } from '../../main/store/checkpointer.js';
import { createStore, DEFAULT_SCRYPT, unlockStore } from '../../main/store/open.js';
import { WORKER_IMPORT_BATCH_SIZE } from '../../main/services/import.js';

const SCALE = Number(process.env['VIGIL_BENCH_SCALE'] ?? '1');
const ROWS = Math.max(10_000, Math.round(400_000 * SCALE));
// The headline uses the transaction size of the store's one bulk writer, the import; 10,000 is printed beside it.
const BATCHES = [WORKER_IMPORT_BATCH_SIZE, 10_000] as const;
const ROUNDS = 5;
const UNLOCKS = 7;

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '欧阳', '司马'];
const GIVEN = ['伟', '芳', '娜', '秀英', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超'];
const CITIES = [
  ['北京市', '北京市', '朝阳区', '110105'],
  ['上海市', '上海市', '浦东新区', '310115'],
  ['广东省', '深圳市', '南山区', '440305'],
  ['浙江省', '杭州市', '西湖区', '330106'],
  ['四川省', '成都市', '武侯区', '510107'],
] as const;

interface ApplicantRow {
  id: string;
  name: string;
  id_number: string;
  phone: string;
  email: string;
  employer: string;
  province: string;
  city: string;
  district: string;
  address_line: string;
  declared_income_monthly: number;
  registered_at: string;
  raw_json: string;
}

/** Deterministic, realistic applicant rows (about 600 bytes each, mostly the raw record JSON). */
function applicantRow(i: number): ApplicantRow {
  const place = CITIES[i % CITIES.length] ?? CITIES[0];
  const name = `${SURNAMES[i % SURNAMES.length]}${GIVEN[(i * 7) % GIVEN.length]}${i % 3 === 0 ? GIVEN[(i * 13) % GIVEN.length] : ''}`;
  const birth = `19${60 + (i % 40)}${String(1 + (i % 12)).padStart(2, '0')}${String(1 + (i % 28)).padStart(2, '0')}`;
  const idNumber = `${place[3]}${birth}${String(i % 1000).padStart(3, '0')}${i % 11 === 10 ? 'X' : i % 10}`;
  const phone = `1${3 + (i % 7)}${String((i * 7919) % 1_000_000_000).padStart(9, '0')}`;
  const row = {
    id: `ap-${String(i).padStart(8, '0')}`,
    name,
    id_number: idNumber,
    phone,
    email: `user${i}@example.cn`,
    employer: `${place[1]}${['星辰', '远航', '华信', '鼎盛'][i % 4]}科技有限公司`,
    province: place[0],
    city: place[1],
    district: place[2],
    address_line: `${place[2]}建设路${(i % 300) + 1}号${(i % 30) + 1}栋${(i % 20) + 1}单元`,
    declared_income_monthly: 5000 + ((i * 37) % 40_000),
    registered_at: new Date(Date.UTC(2024, 0, 1) + i * 61_000).toISOString(),
    raw_json: '',
  };
  row.raw_json = JSON.stringify({ type: 'applicant', ...row, emergency_contacts: [{ name: `${SURNAMES[(i + 3) % SURNAMES.length]}${GIVEN[i % GIVEN.length]}`, phone, relation: 'spouse' }] });
  return row;
}

const SCHEMA = `CREATE TABLE bench_applicants (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, id_number TEXT NOT NULL, phone TEXT NOT NULL, email TEXT, employer TEXT,
  province TEXT, city TEXT, district TEXT, address_line TEXT, declared_income_monthly REAL, registered_at TEXT, raw_json TEXT NOT NULL
) STRICT;
CREATE INDEX bench_applicants_id_number ON bench_applicants(id_number);
CREATE INDEX bench_applicants_phone ON bench_applicants(phone);`;

interface Rates {
  /** Rows per second as the writer sees them (commits durable in the WAL, synchronous=FULL). */
  writer: number;
  /** Rows per second until the WAL is also folded into the database file (checkpoint done). */
  settled: number;
  /** Largest WAL file seen after a commit (bytes). */
  peakWal: number;
}

/** Rows per second for the rows in `size`-row transactions through one prepared statement. */
async function insertRates(db: Database, rows: ApplicantRow[], size: number): Promise<Rates> {
  db.exec(`DROP TABLE IF EXISTS bench_applicants; ${SCHEMA}`);
  db.pragma('wal_checkpoint(TRUNCATE)');
  const insert = db.prepare(
    `INSERT INTO bench_applicants (id, name, id_number, phone, email, employer, province, city, district, address_line, declared_income_monthly, registered_at, raw_json)
     VALUES (@id, @name, @id_number, @phone, @email, @employer, @province, @city, @district, @address_line, @declared_income_monthly, @registered_at, @raw_json)`,
  );
  const batch = db.transaction((slice: ApplicantRow[]) => {
    for (const row of slice) insert.run(row);
  });
  const started = process.hrtime.bigint();
  let peakWal = 0;
  for (let start = 0; start < rows.length; start += size) {
    batch(rows.slice(start, start + size));
    peakWal = Math.max(peakWal, statSync(`${db.name}-wal`).size);
  }
  const writerSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  // Settled: wait for the background checkpointer to catch up (PASSIVE here never blocks it).
  for (;;) {
    const [state] = db.pragma('wal_checkpoint(PASSIVE)') as { log: number; checkpointed: number }[];
    if (state === undefined || state.log === state.checkpointed) break;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const settledSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { writer: rows.length / writerSeconds, settled: rows.length / settledSeconds, peakWal };
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

export async function runBench(): Promise<void> {
  const parent = mkdtempSync(join(tmpdir(), 'vigil-bench-store-'));
  try {
    const passphrase = 'bench passphrase for the store';
    // The store as the app opens it (background checkpoints), and a plaintext database with the same
    // pragmas and the same background checkpointer.
    const created = await createStore(join(parent, 'store'), { username: 'bench', displayName: 'Bench', passphrase, kdf: DEFAULT_SCRYPT, backgroundCheckpoint: true });
    const plainFile = join(parent, 'plain.db');
    const plain = openPlainDatabase(plainFile);
    applyStorePragmas(plain);
    plain.pragma(`wal_autocheckpoint = ${WRITER_SAFETY_CHECKPOINT_PAGES}`);
    const plainCheckpointer = startCheckpointer(plainFile, null);
    const rows = Array.from({ length: ROWS }, (_, i) => applicantRow(i));
    console.log(`store rows: ${ROWS} rows of ~${Math.round(JSON.stringify(rows[0]).length)} bytes, 2 indexes, WAL + synchronous=FULL, background checkpoints on both, ${ROUNDS} interleaved rounds (median)`);
    for (const [index, size] of BATCHES.entries()) {
      const encryptedRates: Rates[] = [];
      const plainRates: Rates[] = [];
      // Interleaved rounds, so disk and CPU noise hits both sides alike.
      for (let round = 0; round < ROUNDS; round += 1) {
        plainRates.push(await insertRates(plain, rows, size));
        encryptedRates.push(await insertRates(created.store.db, rows, size));
      }
      const encrypted = median(encryptedRates.map((r) => r.writer));
      const plaintext = median(plainRates.map((r) => r.writer));
      const settled = median(encryptedRates.map((r) => r.settled)) / median(plainRates.map((r) => r.settled));
      const label = index === 0 ? `${size} per transaction (the import's)` : `${size} per transaction`;
      console.log(`store insert ${label}: encrypted ${Math.round(encrypted)} rows/s, plaintext ${Math.round(plaintext)} rows/s`);
      console.log(`store insert ratio encrypted/plaintext, ${label}: ${(encrypted / plaintext).toFixed(2)}${index === 0 ? ' (target >= 0.75)' : ' (for information)'}`);
      console.log(`store insert settled ratio (WAL checkpointed too), ${label}: ${settled.toFixed(2)} (for information)`);
      console.log(`store WAL peak, ${label}: ${(Math.max(...encryptedRates.map((r) => r.peakWal)) / 2 ** 20).toFixed(0)} MiB encrypted, ${(Math.max(...plainRates.map((r) => r.peakWal)) / 2 ** 20).toFixed(0)} MiB plaintext (cut back to 64 MiB when it restarts)`);
    }
    plain.close();
    await plainCheckpointer.stop();
    created.store.close();
    // Unlocks are timed once the last session's connections are gone: the checkpoint worker folds the
    // hundreds of MiB of WAL left by the inserts above into the file as it closes, which is not an unlock's work.
    await created.store.whenClosed();

    const times: number[] = [];
    for (let i = 0; i < UNLOCKS; i += 1) {
      const started = process.hrtime.bigint();
      const opened = await unlockStore(join(parent, 'store'), { username: 'bench', passphrase });
      times.push(Number(process.hrtime.bigint() - started) / 1e6);
      opened.store.close();
    }
    console.log(`store unlock scrypt: N=2^${Math.log2(DEFAULT_SCRYPT.N)} r=${DEFAULT_SCRYPT.r} p=${DEFAULT_SCRYPT.p} (${(128 * DEFAULT_SCRYPT.N * DEFAULT_SCRYPT.r) / 2 ** 20} MiB)`);
    console.log(`store unlock median: ${median(times).toFixed(0)} ms (target < 300 ms, includes key derivation)`);
    console.log(`store unlock max: ${Math.max(...times).toFixed(0)} ms (target < 300 ms)`);
  } finally {
    rmSync(parent, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runBench();
