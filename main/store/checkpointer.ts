// Background WAL checkpoints. With SQLCipher every checkpointed page is decrypted from the WAL and
// re-encrypted into the database: two cipher passes per page that, done by the writer's own connection,
// roughly halved insert throughput and stalled the main thread. A worker thread with its own connection
// runs PASSIVE checkpoints instead (they never block writers); the writer keeps only a far safety net.
// While the writer is busy the worker checkpoints every half second, not after every commit: a bulk
// write rewrites the same index pages in commit after commit, and a checkpoint copies (and re-encrypts)
// only the newest frame of each page, so batching commits saves most of the cipher work.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { sqliteNativeBinding } from './native.js';

const require = createRequire(import.meta.url);

/**
 * The writer checkpoints by itself only if the WAL grows this far (pages; 4 KiB each, so 1 GiB). A bulk
 * write never leaves the worker a gap to catch up in, so the WAL is not restarted until it ends and grows
 * meanwhile (to about the size of what was written); a 64 MiB net fired in the middle of every large
 * import and put the re-encryption back on the main thread. A restart cuts the file back (journal_size_limit).
 */
export const WRITER_SAFETY_CHECKPOINT_PAGES = 262_144;
/**
 * How much lower the worker runs than the writer (Linux): checkpoints can wait, the writer (and an
 * import's reading worker, at 10) cannot, so on a busy machine the checkpoint is the one that yields.
 */
export const CHECKPOINTER_NICENESS = 15;
/** How long the worker waits between checkpoints while the writer keeps committing. */
export const BUSY_CHECKPOINT_INTERVAL_MS = 500;

// Plain CommonJS evaluated in the worker, so it runs the same under tsx, vitest and a bundled Electron
// main without a separate build entry. It receives the raw-key literal, applies it and wipes its copy.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
// Linux applies a priority to the calling thread only; elsewhere it would lower the whole app.
if (process.platform === 'linux') {
  try { require('node:os').setPriority(workerData.niceness); } catch { /* not allowed: keep the writer's priority */ }
}
const Database = require(workerData.packageMain);
const options = workerData.nativeBinding ? { fileMustExist: true, nativeBinding: workerData.nativeBinding } : { fileMustExist: true };
const db = new Database(workerData.file, options);
if (workerData.keyLiteral !== null) {
  const key = Buffer.from(workerData.keyLiteral.buffer, workerData.keyLiteral.byteOffset, workerData.keyLiteral.byteLength);
  try {
    db.pragma("cipher='sqlcipher'");
    db.pragma('legacy=4');
    db.key(key);
  } finally {
    key.fill(0);
  }
}
db.pragma('busy_timeout = 1000');
let stopping = false;
let timer = null;
function stop() {
  stopping = true;
  if (timer !== null) clearTimeout(timer);
  try { db.close(); } finally { parentPort.postMessage({ stopped: true }); parentPort.close(); }
}
parentPort.on('message', (message) => { if (message === 'stop') stop(); });
function tick() {
  timer = null;
  if (stopping) return;
  let behind = false;
  try {
    const [row] = db.pragma('wal_checkpoint(PASSIVE)');
    behind = row !== undefined && row.log > row.checkpointed;
  } catch (error) {
    parentPort.postMessage({ error: String(error && error.message || error) });
  }
  timer = setTimeout(tick, behind ? workerData.busyMs : workerData.idleMs);
}
parentPort.postMessage({ ready: true });
tick();
`;

export interface Checkpointer {
  /** Stops the worker and waits until its connection (and key) are gone. */
  stop(): Promise<void>;
}

/** `keyLiteral` null: a plaintext database (only the benchmark's baseline uses that). */
export function startCheckpointer(file: string, keyLiteral: Buffer | null, options: { idleMs?: number; busyMs?: number; onError?: (message: string) => void } = {}): Checkpointer {
  const copy = keyLiteral === null ? null : new Uint8Array(keyLiteral); // structured-cloned into the worker; wiped here right after
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      packageMain: require.resolve('better-sqlite3-multiple-ciphers'),
      nativeBinding: sqliteNativeBinding() ?? null,
      file,
      keyLiteral: copy,
      idleMs: options.idleMs ?? 200,
      busyMs: options.busyMs ?? BUSY_CHECKPOINT_INTERVAL_MS,
      niceness: CHECKPOINTER_NICENESS,
    },
  });
  copy?.fill(0);
  worker.unref(); // never keeps a CLI or test process alive
  const stopped = new Promise<void>((resolve) => {
    worker.once('exit', () => resolve());
  });
  worker.on('message', (message: { error?: string }) => {
    if (message.error !== undefined) options.onError?.(message.error);
  });
  worker.on('error', (error) => options.onError?.(error.message));
  let stopping: Promise<void> | null = null;
  return {
    stop() {
      if (stopping === null) {
        // Referenced again while stopping: whoever awaits this must not see the process exit first.
        worker.ref();
        worker.postMessage('stop');
        stopping = stopped;
      }
      return stopping;
    },
  };
}
