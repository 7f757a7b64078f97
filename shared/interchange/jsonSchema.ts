// The machine-readable contract for exporters: JSON Schema generated from the zod schemas, so the two cannot drift.
// Committed as interchange-v1.schema.json; a test fails when that file is stale.
import { z } from 'zod';
import { INTERCHANGE_VERSION, interchangeRecord } from './schema.js';

export const JSON_SCHEMA_FILE_NAME = `interchange-v${INTERCHANGE_VERSION}.schema.json`;

export function buildInterchangeJsonSchema(): Record<string, unknown> {
  // `input` describes what an exporter may send; refinements (per-kind event attrs) are not expressible and are skipped.
  const generated = z.toJSONSchema(interchangeRecord, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' });
  return {
    ...generated,
    $id: `https://vigil.invalid/interchange/v${INTERCHANGE_VERSION}/record.schema.json`,
    title: `Vigil interchange v${INTERCHANGE_VERSION} record`,
    description: 'One line of a .jsonl interchange file (see shared/spec/interchange.md). Unknown fields are allowed and kept.',
  };
}

/** The committed file's exact text: stable key order, two-space indent, trailing newline. */
export function renderInterchangeJsonSchema(): string {
  return `${JSON.stringify(buildInterchangeJsonSchema(), null, 2)}\n`;
}
