// Staged items as they cross from the reading worker to the writer: one flat array of primitives per
// batch, because structured clone copies a flat array far faster than one small object per record.
import type { RecordFinding } from '../../shared/interchange/findings.js';
import { RECORD_TYPES, type RecordType } from '../../shared/interchange/schema.js';
import type { SqlValue, StagedRecord } from '../store/repositories/records.js';
import type { StagedItem } from './stage.js';

export type PackedBatch = (string | number | null)[];

/** Int32 slots of the counters the worker and the writer share (items modulo 2^32; only differences are compared). */
export const POSTED = 0;
export const RECEIVED = 1;
export const DONE = 2;
export const SHARED_SLOTS = 3;

// Atomics.waitAsync is in Node since 16, but only in TypeScript's es2024 lib.
type WaitAsync = (array: Int32Array, index: number, value: number, timeoutMs: number) => { readonly async: boolean; readonly value: Promise<string> | string };
const waitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;

/** Resolves when `shared[index]` is no longer `value`, or after `timeoutMs`. */
export async function changeOf(shared: Int32Array, index: number, value: number, timeoutMs: number): Promise<void> {
  const result = waitAsync(shared, index, value, timeoutMs);
  if (!result.async) return;
  // A pending waitAsync does not keep a thread's event loop alive; this timer does.
  const keepAlive = setTimeout(() => undefined, timeoutMs + 50);
  try {
    await result.value;
  } finally {
    clearTimeout(keepAlive);
  }
}

const RECORD = 0;
const REJECTED = 1;
const TYPE_INDEX = new Map<RecordType, number>(RECORD_TYPES.map((type, index) => [type, index]));

// Record:   RECORD, type index, key, line, json, value count, ...values, finding count, (code, field, detail)...
// Rejected: REJECTED, line, message
export function packStagedItems(items: readonly StagedItem[]): PackedBatch {
  const out: PackedBatch = [];
  for (const item of items) {
    if (item.kind === 'rejected') {
      out.push(REJECTED, item.line, item.message);
      continue;
    }
    const staged = item.staged;
    out.push(RECORD, TYPE_INDEX.get(staged.type) as number, staged.key, staged.line, staged.json, staged.values.length);
    for (const value of staged.values) out.push(value);
    out.push(staged.findings.length);
    for (const finding of staged.findings) out.push(finding.code, finding.field, finding.detail);
  }
  return out;
}

const NO_FINDINGS: readonly RecordFinding[] = Object.freeze([]);

export function unpackStagedItems(packed: PackedBatch, file: string): StagedItem[] {
  const items: StagedItem[] = [];
  let i = 0;
  while (i < packed.length) {
    if (packed[i] === REJECTED) {
      items.push({ kind: 'rejected', line: packed[i + 1] as number, message: packed[i + 2] as string });
      i += 3;
      continue;
    }
    const type = RECORD_TYPES[packed[i + 1] as number] as RecordType;
    const key = packed[i + 2] as string;
    const line = packed[i + 3] as number;
    const json = packed[i + 4] as string;
    const width = packed[i + 5] as number;
    i += 6;
    const values = packed.slice(i, i + width) as SqlValue[];
    i += width;
    const findingCount = packed[i] as number;
    i += 1;
    let findings = NO_FINDINGS;
    if (findingCount > 0) {
      const list: RecordFinding[] = [];
      for (let f = 0; f < findingCount; f++, i += 3) {
        list.push({ code: packed[i] as RecordFinding['code'], field: packed[i + 1] as string, detail: packed[i + 2] as string });
      }
      findings = list;
    }
    const staged: StagedRecord = { type, key, values, json, findings, file, line };
    items.push({ kind: 'record', staged });
  }
  return items;
}
