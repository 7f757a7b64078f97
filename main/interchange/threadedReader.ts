// Reading, parsing, validating and staging a large file on a worker thread while the calling thread
// writes: the two overlap instead of taking turns. The worker runs the very same code as the in-thread
// reader (stagingWorker.ts), so records, messages and line numbers are identical; it stays at most
// WORKER_CREDITS batches ahead (each one read chunk), so memory does not grow with the file.
// When the worker cannot start (no worker entry in this build), the file is read in the calling thread.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { VigilError } from '../../shared/errors.js';
import { openStagedReader, type StagedItem, type StagedReader } from './stage.js';
import { unpackStagedItems } from './stagedWire.js';
import type { StagingWorkerData, StagingWorkerMessage, StagingWriterMessage } from './stagingWorker.js';
import { assertReadable, type ReadOptions } from './read.js';
import type { ImportSource } from './source.js';

/** Batches (one read chunk each, READ_CHUNK_BYTES) the worker may have ready beyond the one being written. */
export const WORKER_CREDITS = 16;

const require = createRequire(import.meta.url);

// CommonJS evaluated in the worker: registers the TypeScript loader when the entry is a .ts source
// (tests, the CLI under tsx), then imports the entry. A bundled build points at compiled JavaScript.
const BOOTSTRAP = `
const { workerData, parentPort } = require('node:worker_threads');
(async () => {
  try {
    if (workerData.tsxApi !== null) (await import(workerData.tsxApi)).register();
    await import(workerData.entry);
  } catch (error) {
    parentPort.postMessage({ kind: 'load-failed', message: String((error && error.stack) || error) });
  }
})();
`;

interface WorkerEntry {
  readonly entry: string;
  readonly tsxApi: string | null;
}

let cachedEntry: WorkerEntry | null | undefined;

/** tsx's ESM register API as a URL (its CommonJS twin cannot register hooks from an eval'd worker). */
function tsxEsmApi(): string | null {
  try {
    return import.meta.resolve('tsx/esm/api');
  } catch {
    // Runtimes without import.meta.resolve: the package's ESM build sits beside its CommonJS one.
    try {
      const cjs = require.resolve('tsx/esm/api');
      const esm = cjs.replace(/\.cjs$/, '.mjs');
      return esm !== cjs && existsSync(esm) ? pathToFileURL(esm).href : null;
    } catch {
      return null;
    }
  }
}

/** The worker's entry module: compiled beside a bundle, or the TypeScript source run through tsx. */
function workerEntry(): WorkerEntry | null {
  if (cachedEntry !== undefined) return cachedEntry;
  cachedEntry = null;
  const compiled = new URL('./import-staging-worker.mjs', import.meta.url);
  const source = new URL('./stagingWorker.ts', import.meta.url);
  if (compiled.protocol === 'file:' && existsSync(fileURLToPath(compiled))) {
    cachedEntry = { entry: compiled.href, tsxApi: null };
  } else if (source.protocol === 'file:' && existsSync(fileURLToPath(source))) {
    const tsxApi = tsxEsmApi();
    cachedEntry = tsxApi === null ? null : { entry: source.href, tsxApi };
  }
  return cachedEntry;
}

// A small young generation and a capped old one: the worker holds a few batches, nothing more, and V8
// would otherwise grow its heap far beyond that before collecting. A worker that runs out anyway is
// replaced by in-thread reading (below), never a failed import.
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 64 };

function lineOf(item: StagedItem): number {
  return item.kind === 'record' ? item.staged.line : item.line;
}

type Incoming = StagingWorkerMessage | { readonly kind: 'load-failed'; readonly message: string } | { readonly kind: 'crashed'; readonly message: string };

/**
 * Like openStagedReader, with the reading done on a worker thread. Only files on disk go to the worker;
 * `bytesRead` reports the bytes behind the batches handed out so far.
 */
export interface ThreadedReaderHooks {
  /** Called with the worker after each batch it handed over (tests use it to stop the worker midway). */
  readonly onWorkerBatch?: (worker: Worker, batches: number) => void;
}

export function openThreadedStagedReader(source: ImportSource, options: ReadOptions = {}, hooks: ThreadedReaderHooks = {}): StagedReader {
  assertReadable(source, options);
  let worker: Worker | null = null;
  let fallback: StagedReader | null = null;
  let bytesRead = 0;
  let closed = false;

  const stopWorker = (): void => {
    if (worker === null) return;
    const w = worker;
    worker = null;
    w.postMessage({ kind: 'stop' } satisfies StagingWriterMessage);
    void w.terminate();
  };

  /** Reads in this thread, skipping the lines the worker already handed out. */
  async function* inThread(after: number): AsyncGenerator<StagedItem[]> {
    if (closed) return;
    fallback = openStagedReader(source, options);
    for await (const items of fallback.batches) {
      const rest = after === 0 ? items : items.filter((item) => lineOf(item) > after);
      if (rest.length > 0) yield rest;
    }
  }

  async function* batches(): AsyncGenerator<StagedItem[]> {
    const entry = workerEntry();
    if (entry === null || source.path === undefined) {
      yield* inThread(0);
      return;
    }
    const data: StagingWorkerData & WorkerEntry = { path: source.path, options, credits: WORKER_CREDITS, ...entry };
    const queue: Incoming[] = [];
    let notify: (() => void) | null = null;
    const push = (message: Incoming): void => {
      queue.push(message);
      notify?.();
      notify = null;
    };
    const started = new Worker(BOOTSTRAP, { eval: true, workerData: data, resourceLimits: WORKER_LIMITS });
    worker = started;
    started.on('message', (message: Incoming) => push(message));
    started.on('error', (error) => push({ kind: 'crashed', message: error.message }));
    started.on('exit', (code) => push({ kind: 'crashed', message: `exited with code ${code}` }));
    const next = async (): Promise<Incoming> => {
      while (queue.length === 0) {
        await new Promise<void>((resolve) => {
          notify = resolve;
        });
      }
      return queue.shift() as Incoming;
    };
    let handedOut = 0; // the last line number handed to the writer
    let handedBatches = 0;
    try {
      for (;;) {
        const message = await next();
        if (message.kind === 'ready') continue;
        if (message.kind === 'batch') {
          started.postMessage({ kind: 'credit' } satisfies StagingWriterMessage);
          bytesRead = message.bytesRead;
          const items = unpackStagedItems(message.packed, source.name);
          const last = items.at(-1);
          if (last !== undefined) handedOut = lineOf(last);
          handedBatches += 1;
          hooks.onWorkerBatch?.(started, handedBatches);
          yield items;
        } else if (message.kind === 'end') {
          bytesRead = message.bytesRead;
          return;
        } else if (message.kind === 'error') {
          // The reader itself stopped (truncated gzip, bad CSV header): exactly what it throws in-thread.
          if (message.vigil !== null) throw new VigilError(message.vigil.code, message.vigil.message, message.vigil.where);
          throw new Error(message.message);
        } else {
          // The worker could not load or died (out of memory on a pathological line): go on here, after
          // the last line already handed out, so nothing is written twice or skipped.
          stopWorker();
          yield* inThread(handedOut);
          return;
        }
      }
    } finally {
      stopWorker();
    }
  }

  return {
    batches: batches(),
    bytesRead: () => (fallback !== null ? fallback.bytesRead() : bytesRead),
    close: () => {
      closed = true;
      stopWorker();
      fallback?.close();
    },
  };
}
