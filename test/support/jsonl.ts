// Interchange records as the bytes of one JSON Lines file (interchange.md), for tests and benchmarks
// that import what they generate.
import type { InterchangeRecord } from '../../shared/interchange/schema.js';

export function jsonl(records: readonly InterchangeRecord[]): Buffer {
  return Buffer.from(`${records.map((r) => JSON.stringify(r)).join('\n')}\n`);
}
