// Regenerates shared/interchange/interchange-v1.schema.json from the zod schemas:
//   node --import tsx main/interchange/writeJsonSchema.ts
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { JSON_SCHEMA_FILE_NAME, renderInterchangeJsonSchema } from '../../shared/interchange/jsonSchema.js';

export const JSON_SCHEMA_PATH = fileURLToPath(new URL(`../../shared/interchange/${JSON_SCHEMA_FILE_NAME}`, import.meta.url));

if (import.meta.url === `file://${process.argv[1]}`) {
  writeFileSync(JSON_SCHEMA_PATH, renderInterchangeJsonSchema());
  process.stdout.write(`wrote ${JSON_SCHEMA_PATH}\n`);
}
