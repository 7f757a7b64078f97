// What the import's writer reads from: staged items it can take synchronously inside a transaction,
// after waiting (outside any transaction) until enough of them are ready.
import { openStagedReader, type StagedItem, type StagedReader } from './stage.js';
import type { ReadOptions } from './read.js';
import type { ImportSource } from './source.js';

export type Pulled =
  | { readonly kind: 'item'; readonly item: StagedItem }
  /** Nothing ready yet: wait with ready() before taking more. */
  | { readonly kind: 'none' }
  /** The file has been read to its end. */
  | { readonly kind: 'end' }
  /** Reading stopped here (truncated gzip, bad CSV header): everything before it was handed out. */
  | { readonly kind: 'error'; readonly error: unknown };

export interface PullReader {
  /** True when a worker thread reads the file (items then wait serialized, not in this thread's memory). */
  readonly threaded: boolean;
  /** Resolves once `count` items can be taken without waiting, or once the file has ended or failed. */
  ready(count: number): Promise<void>;
  /** Never waits and never throws: the next item, or why there is none. */
  take(): Pulled;
  /** Bytes of the file behind the items handed out (or buffered) so far. */
  bytesRead(): number;
  close(): void;
}

/**
 * A pull reader over batches yielded by an async reader, buffering only what ready() asked for (and
 * never more than `maxBuffered` items), skipping items up to line `skipThrough`.
 */
export function pullFrom(reader: StagedReader, skipThrough = 0, maxBuffered = Number.POSITIVE_INFINITY): PullReader {
  const iterator = reader.batches[Symbol.asyncIterator]();
  let buffer: StagedItem[] = [];
  let at = 0;
  let finished: Pulled | null = null;
  let delivered = false;
  return {
    threaded: false,
    async ready(count) {
      const want = Math.min(count, maxBuffered);
      while (buffer.length - at < want && finished === null) {
        try {
          const next = await iterator.next();
          if (next.done === true) {
            finished = { kind: 'end' };
            break;
          }
          const items = skipThrough === 0 ? next.value : next.value.filter((item) => lineOf(item) > skipThrough);
          if (at > 0) {
            buffer = buffer.slice(at);
            at = 0;
          }
          for (const item of items) buffer.push(item);
        } catch (error) {
          finished = { kind: 'error', error };
        }
      }
    },
    take() {
      if (at < buffer.length) {
        const item = buffer[at] as StagedItem;
        at += 1;
        if (at === buffer.length) {
          buffer = [];
          at = 0;
        }
        return { kind: 'item', item };
      }
      if (finished === null) return { kind: 'none' };
      if (finished.kind === 'error' && delivered) return { kind: 'end' };
      delivered = true;
      return finished;
    },
    bytesRead: () => reader.bytesRead(),
    close: () => reader.close(),
  };
}

export function lineOf(item: StagedItem): number {
  return item.kind === 'record' ? item.staged.line : item.line;
}

/** Reads in the calling thread. */
export function openPullReader(source: ImportSource, options: ReadOptions = {}): PullReader {
  return pullFrom(openStagedReader(source, options));
}
