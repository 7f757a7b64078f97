// Runs in a worker thread (threadedReader.ts starts it): reads one file, parses, validates and stages
// its lines exactly as openStagedReader does in the calling thread, and hands packed batches over.
// It never runs ahead of the writer by more than the credits it was given, so memory stays flat.
import { parentPort, workerData } from 'node:worker_threads';
import { VigilError } from '../../shared/errors.js';
import { openStagedReader, type StagedReader } from './stage.js';
import { packStagedItems } from './stagedWire.js';
import { fileSource } from './source.js';
import type { ReadOptions } from './read.js';

export interface StagingWorkerData {
  readonly path: string;
  readonly options: ReadOptions;
  /** Batches the worker may send before the writer has taken any. */
  readonly credits: number;
}

export type StagingWorkerMessage =
  | { readonly kind: 'ready' }
  | { readonly kind: 'batch'; readonly packed: (string | number | null)[]; readonly bytesRead: number }
  | { readonly kind: 'end'; readonly bytesRead: number }
  | { readonly kind: 'error'; readonly vigil: { code: VigilError['code']; message: string; where: string | undefined } | null; readonly message: string };

export type StagingWriterMessage = { readonly kind: 'credit' } | { readonly kind: 'stop' };

async function run(): Promise<void> {
  const port = parentPort;
  if (port === null) return;
  const data = workerData as StagingWorkerData;
  let credits = data.credits;
  let stopped = false;
  let wake: (() => void) | null = null;
  port.on('message', (message: StagingWriterMessage) => {
    if (message.kind === 'credit') credits += 1;
    else stopped = true;
    wake?.();
    wake = null;
  });
  port.postMessage({ kind: 'ready' } satisfies StagingWorkerMessage);
  let reader: StagedReader | null = null;
  try {
    reader = openStagedReader(fileSource(data.path), data.options);
    for await (const items of reader.batches) {
      while (credits <= 0 && !stopped) {
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      }
      if (stopped) break;
      credits -= 1;
      port.postMessage({ kind: 'batch', packed: packStagedItems(items), bytesRead: reader.bytesRead() } satisfies StagingWorkerMessage);
    }
    if (!stopped) port.postMessage({ kind: 'end', bytesRead: reader.bytesRead() } satisfies StagingWorkerMessage);
  } catch (error) {
    const vigil = error instanceof VigilError ? { code: error.code, message: error.message, where: error.where } : null;
    port.postMessage({ kind: 'error', vigil, message: error instanceof Error ? error.message : String(error) } satisfies StagingWorkerMessage);
  } finally {
    reader?.close();
    port.close();
  }
}

await run();
