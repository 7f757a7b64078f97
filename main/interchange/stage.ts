// From read items to what the store writes: key, indexed column values and domain findings, computed
// where the line was parsed (in the import's thread, or in the reading worker) so the writer only writes.
import type { RecordType } from '../../shared/interchange/schema.js';
import { recordKeyOf, rowValuesOf, type StagedRecord } from '../store/repositories/records.js';
import { recordFindings } from './findings.js';
import { openMappedReader, type ReadItem, type ReadOptions } from './read.js';
import type { ImportSource } from './source.js';

export type StagedItem = { readonly kind: 'record'; readonly staged: StagedRecord } | { readonly kind: 'rejected'; readonly line: number; readonly message: string };

export function stageItem(item: ReadItem, file: string): StagedItem {
  if (item.kind === 'rejected') return item;
  const type: RecordType = item.type;
  return {
    kind: 'record',
    staged: { type, key: recordKeyOf(type, item.record), values: rowValuesOf(type, item.record), json: item.json, findings: recordFindings(type, item.record), file, line: item.line },
  };
}

export function stageItems(items: readonly ReadItem[], file: string): StagedItem[] {
  return items.map((item) => stageItem(item, file));
}

export interface StagedReader {
  readonly batches: AsyncIterable<StagedItem[]>;
  /** Bytes of the file consumed so far. */
  bytesRead(): number;
  close(): void;
}

/** Reads and stages in the calling thread. */
export function openStagedReader(source: ImportSource, options: ReadOptions = {}): StagedReader {
  const reader = openMappedReader(source, options, (item) => stageItem(item, source.name));
  return { batches: reader.batches, bytesRead: () => reader.bytesRead(), close: () => reader.close() };
}
