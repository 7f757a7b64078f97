// Runs in a worker thread (threadedReader.ts starts it): reads one file, parses, validates and stages
// its lines exactly as openStagedReader does in the calling thread, and posts packed batches to the
// writer's port. It never has more than `maxAhead` items posted and not yet taken, so memory stays flat.
import { setPriority } from 'node:os';
import { type MessagePort, workerData } from 'node:worker_threads';
import { VigilError } from '../../shared/errors.js';
import { openStagedReader, type StagedReader } from './stage.js';
import { changeOf, DONE, packStagedItems, POSTED, RECEIVED, type PackedBatch } from './stagedWire.js';
import { fileSource } from './source.js';
import type { ReadOptions } from './read.js';

export interface StagingWorkerData {
  readonly path: string;
  /** What messages call the file (ImportSource.name). */
  readonly name: string;
  readonly options: ReadOptions;
  readonly port: MessagePort;
  readonly shared: SharedArrayBuffer;
  /** Items the worker may have posted beyond those the writer has received. */
  readonly maxAhead: number;
}

export type StagingWorkerMessage =
  | { readonly kind: 'ready' }
  | { readonly kind: 'batch'; readonly packed: PackedBatch; readonly count: number; readonly bytesRead: number }
  | { readonly kind: 'end'; readonly bytesRead: number }
  | { readonly kind: 'error'; readonly vigil: { code: VigilError['code']; message: string; where: string | undefined } | null; readonly message: string };

/**
 * How much lower this thread runs than the writer. The writer is the import's critical path; on a busy
 * machine the reader, which is ahead anyway, should wait for a core rather than take one from it.
 */
const READER_NICENESS = 10;

async function run(): Promise<void> {
  // Linux applies a priority to the calling thread only; elsewhere it would lower the whole app.
  if (process.platform === 'linux') {
    try {
      setPriority(READER_NICENESS);
    } catch {
      // Not allowed here: the reader simply keeps the writer's priority.
    }
  }
  const data = workerData as StagingWorkerData;
  const port = data.port;
  const shared = new Int32Array(data.shared);
  const post = (message: StagingWorkerMessage): void => port.postMessage(message);
  post({ kind: 'ready' });
  let reader: StagedReader | null = null;
  try {
    reader = openStagedReader(fileSource(data.path, data.name), data.options);
    for await (const items of reader.batches) {
      for (;;) {
        const received = Atomics.load(shared, RECEIVED);
        if (((Atomics.load(shared, POSTED) - received) | 0) < data.maxAhead) break;
        await changeOf(shared, RECEIVED, received, 1000);
      }
      post({ kind: 'batch', packed: packStagedItems(items), count: items.length, bytesRead: reader.bytesRead() });
      Atomics.add(shared, POSTED, items.length);
      Atomics.notify(shared, POSTED);
    }
    post({ kind: 'end', bytesRead: reader.bytesRead() });
  } catch (error) {
    const vigil = error instanceof VigilError ? { code: error.code, message: error.message, where: error.where } : null;
    post({ kind: 'error', vigil, message: error instanceof Error ? error.message : String(error) });
  } finally {
    Atomics.store(shared, DONE, 1);
    Atomics.notify(shared, POSTED);
    reader?.close();
    port.close();
  }
}

await run();
