// Importing interchange files from the window: files chosen in main's own file dialog (Electron), or
// content (the browser host's file input, drag and drop). Progress arrives as `progress` events with the taskId.
// The renderer never names a path: main shows the dialog, keeps the paths, and hands back a one-time id.
import { z } from 'zod';
import { RECORD_TYPES } from '../../interchange/schema.js';
import { operation } from '../define.js';

const taskId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, '1-64 letters, digits, _ or -');
/** Content handed over by the browser host: at most 64 MiB of text (or its base64) per call. */
const MAX_CONTENT_CHARS = 64 * 1024 * 1024;

/** A one-time handle on files chosen in main's dialog (base64url of 16 random bytes). */
const selectionId = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, '16-64 letters, digits, _ or -');

/** What the window learns of a chosen file: its base name and size, never its folder. */
export const chosenFile = z.strictObject({ name: z.string(), size: z.number().int().nonnegative() });
export type ChosenFileView = z.infer<typeof chosenFile>;

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
  /**
   * Shows main's native file dialog (only where getAppInfo says `nativeFileDialog`). Null when the person
   * cancels; otherwise a selection id for importChosenFiles, valid once, for this user, for a few minutes.
   */
  chooseImportFiles: operation({
    input: z.strictObject({}),
    output: z.strictObject({ selectionId: z.string(), files: z.array(chosenFile) }).nullable(),
    access: 'signed_in',
  }),
  /** Imports the files of a selection from chooseImportFiles; the id is spent by this call whatever happens. */
  importChosenFiles: operation({
    input: z.strictObject({ selectionId, ...importOptions }),
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
