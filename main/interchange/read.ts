// One interchange file, read as a stream of validated records and rejected lines, in batches.
// JSONL (plain or gzip) or CSV; memory stays flat: at most one line and one chunk are held.
import { VigilError } from '../../shared/errors.js';
import type { InterchangeRecord, RecordType } from '../../shared/interchange/schema.js';
import { isRecordType, validateRecord } from '../../shared/interchange/validate.js';
import { CsvHeader } from './csvRecords.js';
import { fastValidRecord } from './fastCheck.js';
import { tokenizeCsv } from './csvTokenizer.js';
import { MAX_LINE_LENGTH, splitLines, TruncatedInputError } from './lines.js';
import { logicalName, openSource, type ImportSource } from './source.js';

export type ReadItem =
  | { readonly kind: 'record'; readonly line: number; readonly type: RecordType; readonly record: InterchangeRecord; readonly json: string }
  /** `message` is `type.field: what is wrong`; the caller prefixes `file:line: `. */
  | { readonly kind: 'rejected'; readonly line: number; readonly message: string };

export type InterchangeFormat = 'jsonl' | 'csv';

export interface ReadOptions {
  /** The record type of a CSV file whose name is not `<type>.csv` (the CLI's `--type`). */
  readonly csvType?: RecordType;
  readonly maxLineLength?: number;
}

export interface InterchangeReader<T = ReadItem> {
  readonly format: InterchangeFormat;
  readonly gzip: boolean;
  readonly batches: AsyncGenerator<T[]>;
  /** Bytes of the file (compressed, if gzip) consumed so far. */
  bytesRead(): number;
  close(): void;
}

export function formatOf(source: ImportSource): InterchangeFormat {
  return /\.csv$/i.test(logicalName(source)) ? 'csv' : 'jsonl';
}

function csvTypeOf(source: ImportSource, given: RecordType | undefined): RecordType {
  const stem = logicalName(source).replace(/\.csv$/i, '');
  if (isRecordType(stem)) return stem;
  if (given !== undefined) return given;
  throw new VigilError('import_failed', `${source.name}: cannot tell which record type this CSV file holds; name it <type>.csv (e.g. applicant.csv) or pass --type`, source.name);
}

/** Bytes that are not UTF-8, as a rejected line (JSON Lines) or row (CSV) and a CSV header say it. */
const NOT_UTF8 = 'not valid UTF-8 (the file must be UTF-8 encoded)';
const NOT_UTF8_MESSAGE = `record: ${NOT_UTF8}`;

function tooLongMessage(length: number, max: number): string {
  return `record: line is ${length} characters long, over the ${max}-character limit; skipped`;
}

function truncatedError(source: ImportSource, error: TruncatedInputError): VigilError {
  const line = error.lastCompleteLine;
  const cause = error.cause instanceof Error ? error.cause.message : String(error.cause);
  return new VigilError(
    'import_failed',
    `${source.name}:${line + 1}: the file ends unexpectedly after line ${line} (${cause}): it is truncated or corrupt; the records before it were read`,
    `${source.name}:${line + 1}`,
  );
}

/** `json` is the line as received when there is one (JSONL), else the value serialised (CSV). */
function recordFrom(line: number, value: unknown, expected: RecordType | undefined, text?: string): ReadItem {
  // Nearly every record passes the compiled pre-check; zod sees the rest and words their message.
  const fast = fastValidRecord(value, expected);
  if (fast !== null) return { kind: 'record', line, type: fast.type, record: fast.record, json: text ?? JSON.stringify(value) };
  const result = validateRecord(value, expected);
  if (!result.ok) return { kind: 'rejected', line, message: result.message };
  return { kind: 'record', line, type: result.type, record: result.record, json: text ?? JSON.stringify(value) };
}

async function* jsonlBatches<T>(source: ImportSource, chunks: AsyncIterable<Buffer>, max: number, map: (item: ReadItem) => T): AsyncGenerator<T[]> {
  try {
    for await (const lines of splitLines(chunks, max)) {
      const out: T[] = [];
      for (const item of lines) {
        if ('tooLong' in item) {
          out.push(map({ kind: 'rejected', line: item.line, message: tooLongMessage(item.tooLong, max) }));
          continue;
        }
        if ('notUtf8' in item) {
          out.push(map({ kind: 'rejected', line: item.line, message: NOT_UTF8_MESSAGE }));
          continue;
        }
        const text = item.text;
        if (text.trim() === '') continue;
        let value: unknown;
        try {
          value = JSON.parse(text);
        } catch (error) {
          out.push(map({ kind: 'rejected', line: item.line, message: `record: not valid JSON (${(error as Error).message.slice(0, 160)})` }));
          continue;
        }
        // Mapped right away, so the parsed value dies young instead of living as long as its batch.
        out.push(map(recordFrom(item.line, value, undefined, text.trim())));
      }
      if (out.length > 0) yield out;
    }
  } catch (error) {
    if (error instanceof TruncatedInputError) throw truncatedError(source, error);
    throw error;
  }
}

async function* csvBatches<T>(source: ImportSource, chunks: AsyncIterable<Buffer>, type: RecordType, max: number, map: (item: ReadItem) => T): AsyncGenerator<T[]> {
  let header: CsvHeader | null = null;
  try {
    for await (const rows of tokenizeCsv(chunks, max)) {
      const out: T[] = [];
      for (const row of rows) {
        if ('tooLong' in row) {
          if (header === null) throw new VigilError('import_failed', `${source.name}:${row.line}: the header row is too long`, `${source.name}:${row.line}`);
          out.push(map({ kind: 'rejected', line: row.line, message: tooLongMessage(row.tooLong, max) }));
          continue;
        }
        if ('notUtf8' in row) {
          if (header === null) throw new VigilError('import_failed', `${source.name}:${row.line}: the header row is ${NOT_UTF8}`, `${source.name}:${row.line}`);
          out.push(map({ kind: 'rejected', line: row.line, message: NOT_UTF8_MESSAGE }));
          continue;
        }
        if ('unterminated' in row) {
          out.push(map({ kind: 'rejected', line: row.line, message: 'record: a quoted field is never closed before the end of the file' }));
          continue;
        }
        if (header === null) {
          try {
            header = new CsvHeader(type, row.fields);
          } catch (error) {
            throw new VigilError('import_failed', `${source.name}:${row.line}: ${(error as Error).message}`, `${source.name}:${row.line}`);
          }
          continue;
        }
        const converted = header.toValue(row.fields);
        if ('message' in converted) out.push(map({ kind: 'rejected', line: row.line, message: converted.message }));
        else out.push(map(recordFrom(row.line, converted.value, type)));
      }
      if (out.length > 0) yield out;
    }
  } catch (error) {
    if (error instanceof TruncatedInputError) throw truncatedError(source, error);
    throw error;
  }
}

/** Throws what openInterchangeReader would throw before reading a byte (a CSV file of no known type). */
export function assertReadable(source: ImportSource, options: ReadOptions = {}): void {
  if (formatOf(source) === 'csv') csvTypeOf(source, options.csvType);
}

export function openInterchangeReader(source: ImportSource, options: ReadOptions = {}): InterchangeReader {
  return openMappedReader(source, options, (item) => item);
}

/** Like openInterchangeReader, each item passed through `map` as soon as it is read. */
export function openMappedReader<T>(source: ImportSource, options: ReadOptions, map: (item: ReadItem) => T): InterchangeReader<T> {
  const format = formatOf(source);
  const max = options.maxLineLength ?? MAX_LINE_LENGTH;
  const csvType = format === 'csv' ? csvTypeOf(source, options.csvType) : undefined;
  const opened = openSource(source);
  const batches = csvType !== undefined ? csvBatches(source, opened.stream, csvType, max, map) : jsonlBatches(source, opened.stream, max, map);
  return { format, gzip: opened.gzip, batches, bytesRead: () => opened.bytesRead(), close: () => opened.close() };
}
