// Reading, parsing, validating and staging a large file on a worker thread while the calling thread
// writes: the two overlap instead of taking turns. The worker runs the very same code as the in-thread
// reader (stagingWorker.ts), so records, messages and line numbers are identical. Batches wait in the
// port still serialized (compact) until the writer takes them inside its transaction, and the worker
// stops `maxAhead` items ahead, so memory does not grow with the file.
// When the worker cannot start (no worker entry in this build) or dies, reading goes on in the calling
// thread after the last line received.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { VigilError } from '../../shared/errors.js';
import { lineOf, openPullReader, pullFrom, type Pulled, type PullReader } from './pull.js';
import { openStagedReader, type StagedItem } from './stage.js';
import { changeOf, DONE, POSTED, RECEIVED, SHARED_SLOTS, unpackStagedItems } from './stagedWire.js';
import type { StagingWorkerData, StagingWorkerMessage } from './stagingWorker.js';
import { assertReadable, type ReadOptions } from './read.js';
import type { ImportSource } from './source.js';

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

// A small young generation and a capped old one: the worker holds a chunk or two, nothing more, and V8
// would otherwise grow its heap far beyond that before collecting. A worker that runs out anyway is
// replaced by in-thread reading, never a failed import.
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 16, maxOldGenerationSizeMb: 64 };

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

/** The worker's entry module: compiled beside a bundle (import-staging-worker.mjs), or the TypeScript source run through tsx. */
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

/** Items buffered at most when reading goes on in this thread after the worker failed. */
export const IN_THREAD_BUFFER_LIMIT = 5_000;

export interface ThreadedReaderSettings {
  /** Items the worker may read ahead of the writer; the writer must never wait for more than this. */
  readonly maxAhead: number;
  /** Called with the worker after each batch received from it (tests use it to stop the worker midway). */
  readonly onWorkerBatch?: (worker: Worker, batches: number) => void;
  /** Called when reading goes on in the calling thread after the worker failed, with why and after which line. */
  readonly onFallback?: (reason: string, afterLine: number) => void;
}

/** Like openPullReader, with the reading done on a worker thread (files on disk only). */
export function openThreadedPullReader(source: ImportSource, options: ReadOptions, settings: ThreadedReaderSettings): PullReader {
  assertReadable(source, options);
  const entry = workerEntry();
  if (entry === null || source.path === undefined) return openPullReader(source, options);

  const shared = new Int32Array(new SharedArrayBuffer(SHARED_SLOTS * Int32Array.BYTES_PER_ELEMENT));
  const channel = new MessageChannel();
  const data: StagingWorkerData & WorkerEntry = { path: source.path, name: source.name, options, port: channel.port2, shared: shared.buffer, maxAhead: settings.maxAhead, ...entry };
  let worker: Worker | null = new Worker(BOOTSTRAP, { eval: true, workerData: data, transferList: [channel.port2], resourceLimits: WORKER_LIMITS });
  const started = worker;
  let failure: string | null = null;
  started.on('message', (message: { kind?: string; message?: string }) => {
    if (message.kind === 'load-failed') failure ??= message.message ?? 'could not load';
  });
  started.on('error', (error) => (failure ??= error.message));
  started.on('exit', (code) => (failure ??= `exited with code ${code}`));

  let queue: StagedItem[] = [];
  let at = 0;
  let received = 0;
  let lastLine = 0;
  let batches = 0;
  let bytes = 0;
  let terminal: Pulled | null = null;
  let delivered = false;
  let fallback: PullReader | null = null;

  const stopWorker = (): void => {
    if (worker === null) return;
    const w = worker;
    worker = null;
    void w.terminate();
  };

  /** Moves one message from the port into the queue; false when the port has none. */
  const receive = (): boolean => {
    const got = receiveMessageOnPort(channel.port1);
    if (got === undefined) return false;
    const message = got.message as StagingWorkerMessage;
    if (message.kind === 'batch') {
      const items = unpackStagedItems(message.packed, source.name);
      received += message.count;
      Atomics.add(shared, RECEIVED, message.count);
      Atomics.notify(shared, RECEIVED);
      bytes = message.bytesRead;
      if (at > 0) {
        queue = queue.slice(at);
        at = 0;
      }
      for (const item of items) queue.push(item);
      const last = items.at(-1);
      if (last !== undefined) lastLine = lineOf(last);
      batches += 1;
      settings.onWorkerBatch?.(started, batches);
    } else if (message.kind === 'end') {
      bytes = message.bytesRead;
      terminal = { kind: 'end' };
    } else if (message.kind === 'error') {
      const error = message.vigil !== null ? new VigilError(message.vigil.code, message.vigil.message, message.vigil.where) : new Error(message.message);
      terminal = { kind: 'error', error };
    }
    return true;
  };

  return {
    get threaded() {
      return fallback === null;
    },
    async ready(count) {
      for (;;) {
        if (fallback !== null) return fallback.ready(count - (queue.length - at));
        const posted = Atomics.load(shared, POSTED);
        if (terminal !== null || queue.length - at + ((posted - received) | 0) >= count || Atomics.load(shared, DONE) === 1) return;
        if (failure !== null) {
          settings.onFallback?.(failure, lastLine);
          // The worker could not load or died (out of memory on a pathological line): keep what it
          // sent, then read on here after the last line received, so nothing is skipped or repeated.
          while (receive());
          stopWorker();
          // In-thread items are objects in this thread's memory: buffer no more than an in-thread import would.
          if (terminal === null) fallback = pullFrom(openStagedReader(source, options), lastLine, IN_THREAD_BUFFER_LIMIT);
          continue;
        }
        await changeOf(shared, POSTED, posted, 50);
      }
    },
    take() {
      for (;;) {
        if (at < queue.length) {
          const item = queue[at] as StagedItem;
          at += 1;
          return { kind: 'item', item };
        }
        if (fallback !== null) return fallback.take();
        if (terminal !== null) {
          if (terminal.kind === 'error' && delivered) return { kind: 'end' };
          delivered = true;
          return terminal;
        }
        if (!receive()) return { kind: 'none' };
      }
    },
    bytesRead: () => (fallback !== null ? fallback.bytesRead() : bytes),
    close() {
      stopWorker();
      channel.port1.close();
      fallback?.close();
    },
  };
}
