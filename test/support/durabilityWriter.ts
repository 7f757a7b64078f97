// Child process for the durability test: writes batches of cases, one transaction each, and reports
// each commit on stdout. From batch `openBatch` on it never commits: it keeps inserting inside one
// large transaction (spilling pages into the WAL) until the parent SIGKILLs it.
import { unlockStore } from '../../main/store/open.js';

const [dir, rowsPerBatchText, openBatchText] = process.argv.slice(2);
const passphrase = process.env['VIGIL_PASSPHRASE'];
if (dir === undefined || passphrase === undefined) throw new Error('usage: durabilityWriter.ts DIR ROWS_PER_BATCH OPEN_BATCH (VIGIL_PASSPHRASE set)');
const rowsPerBatch = Number(rowsPerBatchText ?? '2000');
const openBatch = Number(openBatchText ?? '0'); // 0: commit every batch until killed

const { store } = await unlockStore(dir, { username: 'admin', passphrase });
const insert = store.db.prepare('INSERT INTO cases (id, application_id, applicant_id, status, score, band, import_batch, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
const filler = '风险评估 device farm 设备农场 '.repeat(4);

function writeRow(batch: number, row: number): void {
  const id = `b${batch}-r${row}`;
  const now = new Date().toISOString();
  insert.run(id, `app-${id}`, `applicant-${filler}-${row}`, 'open', (row * 37) % 1000, 'high', `batch-${batch}`, now, now);
}

for (let batch = 1; ; batch += 1) {
  if (openBatch > 0 && batch >= openBatch) {
    store.db.transaction(() => {
      for (let row = 0; ; row += 1) {
        writeRow(batch, row);
        if (row === rowsPerBatch * 10) process.stdout.write(`inside ${batch}\n`);
      }
    })();
  }
  store.db.transaction(() => {
    for (let row = 0; row < rowsPerBatch; row += 1) writeRow(batch, row);
  })();
  process.stdout.write(`committed ${batch}\n`);
}
