// Importing interchange files from the window: by path (Electron's file dialog), or by content (the
// browser host's file input and drag and drop). Progress arrives as `progress` events with the taskId.
import { z } from 'zod';
import { RECORD_TYPES } from '../../interchange/schema.js';
import { operation } from '../define.js';

const taskId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, '1-64 letters, digits, _ or -');
/** Content handed over by the browser host: at most 64 MiB of text (or its base64) per call. */
const MAX_CONTENT_CHARS = 64 * 1024 * 1024;

const typeCounts = z.strictObject({ inserted: z.number(), updated: z.number(), unchanged: z.number() });
export const rejectedLine = z.strictObject({ file: z.string(), line: z.number(), message: z.string() });
export type RejectedLineView = z.infer<typeof rejectedLine>;

export const importSummary = z.strictObject({
  taskId: z.string(),
  batchId: z.number(),
  status: z.enum(['completed', 'cancelled', 'failed']),
  counts: z.strictObject(Object.fromEntries(RECORD_TYPES.map((t) => [t, typeCounts])) as Record<(typeof RECORD_TYPES)[number], typeof typeCounts>),
  totals: typeCounts,
  /** The first rejected lines; getImportReport has all of them (up to the stored limit). */
  rejected: z.array(rejectedLine),
  rejectedTotal: z.number(),
  findings: z.number(),
  cancelled: z.boolean(),
  durationMs: z.number(),
  /** What happened, for the person; on cancel it says what stayed in the store. */
  message: z.string(),
});
export type ImportSummaryView = z.infer<typeof importSummary>;

const importOptions = {
  taskId: taskId.optional(),
  strict: z.boolean().default(false),
  /** Record type of CSV files not named `<type>.csv`. */
  csvType: z.enum(RECORD_TYPES).optional(),
};

export const importOperations = {
  importFiles: operation({
    input: z.strictObject({ paths: z.array(z.string().min(1).max(4096)).min(1).max(100), ...importOptions }),
    output: importSummary,
    access: 'signed_in',
  }),
  importFileContents: operation({
    input: z.strictObject({
      files: z
        .array(
          z.strictObject({
            name: z.string().min(1).max(255),
            text: z.string().max(MAX_CONTENT_CHARS).optional(),
            base64: z.string().max(MAX_CONTENT_CHARS).optional(),
          }),
        )
        .min(1)
        .max(20),
      ...importOptions,
    }),
    output: importSummary,
    access: 'signed_in',
  }),
  cancelImport: operation({ input: z.strictObject({ taskId }), output: z.strictObject({ cancelled: z.boolean() }), access: 'signed_in' }),
  /** The rejected-lines report of a finished import (the latest when no batchId), as lines and as the file's text. */
  getImportReport: operation({
    input: z.strictObject({ batchId: z.number().int().positive().optional() }),
    output: z.strictObject({
      batchId: z.number().nullable(),
      status: z.string().nullable(),
      files: z.array(z.string()),
      rejected: z.array(rejectedLine),
      text: z.string(),
    }),
    access: 'signed_in',
  }),
};
