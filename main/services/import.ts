// Importing interchange files into the open store: stream, validate, check the domain, upsert in
// batched transactions, check references at the end. Used alike by the CLI, the IPC handlers and tests.
import { writeFileSync } from 'node:fs';
import { VigilError } from '../../shared/errors.js';
import type { ImportSummaryView, RejectedLineView } from '../../shared/ipc/ops/import.js';
import { RECORD_TYPES, type RecordType } from '../../shared/interchange/schema.js';
import { applicationAgeFinding } from '../interchange/findings.js';
import { openPullReader, type PullReader } from '../interchange/pull.js';
import { openThreadedPullReader } from '../interchange/threadedReader.js';
import { fileSource, memorySource, type ImportSource } from '../interchange/source.js';
import { appendAudit } from '../store/audit.js';
import type { StoreHandle } from '../store/open.js';
import { repositoryFor } from '../store/repositories/cache.js';
import { createRecordsRepository, emptyCounts, type CountsByType, type RejectedLine, type StagedRecord } from '../store/repositories/records.js';
import type { EmitEvent } from './events.js';
import type { SessionService } from './session.js';
import { fileErrorText } from '../fileErrors.js';

/** `name`, with a path: what messages call the file (default: its base name). */
export type ImportFileInput = { readonly path: string; readonly name?: string } | { readonly name: string; readonly bytes: Buffer } | { readonly source: ImportSource };

export interface ImportProgress {
  readonly file: string;
  readonly fileIndex: number;
  readonly fileCount: number;
  /** Lines (records and rejected lines) read so far, all files. */
  readonly linesRead: number;
  readonly recordsWritten: number;
  readonly bytesRead: number;
  readonly bytesTotal: number;
  readonly recordsPerSecond: number;
}

export interface ImportOptions {
  /** Stop at the first rejected line (`--strict`). */
  readonly strict?: boolean;
  /** Record type of CSV files not named `<type>.csv`. */
  readonly csvType?: RecordType;
  readonly onProgress?: (progress: ImportProgress) => void;
  readonly signal?: AbortSignal;
  /** Who imports: a user id, or `cli`. */
  readonly actor?: string;
  /** Records per transaction (default DEFAULT_IMPORT_BATCH_SIZE, or WORKER_IMPORT_BATCH_SIZE when read on a worker). */
  readonly batchSize?: number;
  /**
   * Read, validate and stage on a worker thread while this thread writes. Default: for files on disk
   * of at least READ_IN_WORKER_MIN_BYTES (below that, starting the worker costs more than it saves).
   */
  readonly readInWorker?: boolean;
  /**
   * At the end, scan every row changed since the last check for references that point nowhere, instead
   * of only the rows whose references pointed nowhere when they were written (same result; slower).
   */
  readonly checkAllReferences?: boolean;
  /** Called after each committed transaction (tests use it to kill an import midway). */
  readonly onCommit?: (committedRecords: number) => void;
  readonly now?: () => string;
}

export interface ImportSummary {
  readonly batchId: number;
  readonly counts: CountsByType;
  readonly totals: { inserted: number; updated: number; unchanged: number };
  /** Rejected lines (the first REJECTED_IN_SUMMARY; `rejectedTotal` counts all). */
  readonly rejected: readonly RejectedLine[];
  readonly rejectedTotal: number;
  /** Findings written by this import (failed domain checks stored on records). */
  readonly findings: number;
  readonly cancelled: boolean;
  /** `--strict` and a line was rejected: the import stopped there. */
  readonly stopped: boolean;
  readonly status: 'completed' | 'cancelled' | 'failed';
  readonly durationMs: number;
  readonly bytesRead: number;
  /** One sentence for the person: what happened, and for cancel/stop what stayed in the store. */
  readonly message: string;
}

export const DEFAULT_IMPORT_BATCH_SIZE = 5_000;
/**
 * Records per transaction when the file is read on a worker: there records wait serialized in the
 * worker's port until the transaction takes them, so a larger transaction costs no memory, and each
 * commit rewrites (and re-encrypts) fewer index pages per record.
 */
export const WORKER_IMPORT_BATCH_SIZE = 20_000;
export const READ_IN_WORKER_MIN_BYTES = 8 * 1024 * 1024;
export const REJECTED_IN_SUMMARY = 10_000;
const PROGRESS_INTERVAL_MS = 100;

export function formatRejection(rejection: RejectedLine): string {
  // Line 0: the file as a whole (a CSV whose record type cannot be told, say).
  return rejection.line === 0 ? `${rejection.file}: ${rejection.message}` : `${rejection.file}:${rejection.line}: ${rejection.message}`;
}

/** The rejected-lines report: one `file:line: type.field: what is wrong` per line. */
export function renderRejectionReport(rejections: readonly RejectedLine[]): string {
  return rejections.map((r) => `${formatRejection(r)}\n`).join('');
}

export function writeRejectionReport(path: string, rejections: readonly RejectedLine[]): void {
  writeFileSync(path, renderRejectionReport(rejections));
}

function sourceOf(file: ImportFileInput): ImportSource {
  if ('source' in file) return file.source;
  if ('path' in file) {
    try {
      return fileSource(file.path, file.name);
    } catch (error) {
      throw new VigilError('import_failed', `${file.path}: cannot read the file: ${fileErrorText(error)}`, file.path);
    }
  }
  return memorySource(file.name, file.bytes);
}

function totalsOf(counts: CountsByType): ImportSummary['totals'] {
  const totals = { inserted: 0, updated: 0, unchanged: 0 };
  for (const type of RECORD_TYPES) {
    totals.inserted += counts[type].inserted;
    totals.updated += counts[type].updated;
    totals.unchanged += counts[type].unchanged;
  }
  return totals;
}

function addCounts(into: CountsByType, from: CountsByType): void {
  for (const type of RECORD_TYPES) {
    into[type].inserted += from[type].inserted;
    into[type].updated += from[type].updated;
    into[type].unchanged += from[type].unchanged;
  }
}

export async function importFiles(store: StoreHandle, files: readonly ImportFileInput[], options: ImportOptions = {}): Promise<ImportSummary> {
  if (files.length === 0) throw new VigilError('invalid_input', 'no files to import');
  const sources = files.map(sourceOf);
  const repository = repositoryFor(store.db, createRecordsRepository);
  const now = options.now ?? (() => new Date().toISOString());
  const actor = options.actor ?? 'system';
  const strict = options.strict === true;
  const started = performance.now();
  const bytesTotal = sources.reduce((sum, s) => sum + s.size, 0);
  const batchId = repository.beginBatch({ actor, strict, files: sources.map((s) => s.name), startedAt: now(), trackReferences: options.checkAllReferences !== true });

  const counts = emptyCounts();
  const rejected: RejectedLine[] = [];
  let rejectedTotal = 0;
  let findings = 0;
  let pendingRejected: RejectedLine[] = [];
  let linesRead = 0;
  let written = 0;
  let bytesDone = 0;
  let cancelled = false;
  let stopped = false;
  let lastProgress = -Infinity;

  const reject = (line: RejectedLine): void => {
    rejectedTotal += 1;
    if (rejected.length < REJECTED_IN_SUMMARY) rejected.push(line);
    pendingRejected.push(line);
    if (strict) stopped = true;
  };
  /** One transaction: the records as `records` yields them, and the rejected lines met meanwhile. */
  const write = (records: Iterable<StagedRecord>): void => {
    const result = repository.writeBatch(batchId, records, pendingRejected);
    const wroteRejections = pendingRejected.length > 0;
    pendingRejected = [];
    addCounts(counts, result.counts);
    findings += result.findings;
    written += result.records;
    if (result.records > 0 || wroteRejections) options.onCommit?.(written);
  };
  const progress = (file: string, fileIndex: number, bytesInFile: number, force: boolean): void => {
    if (options.onProgress === undefined) return;
    const t = performance.now();
    if (!force && t - lastProgress < PROGRESS_INTERVAL_MS) return;
    lastProgress = t;
    const seconds = Math.max(0.001, (t - started) / 1000);
    options.onProgress({ file, fileIndex, fileCount: sources.length, linesRead, recordsWritten: written, bytesRead: bytesDone + bytesInFile, bytesTotal, recordsPerSecond: Math.round(linesRead / seconds) });
  };
  /** A file that cannot be read on (truncated gzip, bad CSV header): its earlier records stand. */
  const readFailed = (source: ImportSource, error: unknown): void => {
    if (!(error instanceof VigilError)) throw error;
    const where = error.where ?? source.name;
    const line = Number(/:(\d+)$/.exec(where)?.[1] ?? 0);
    const prefix = line > 0 ? `${source.name}:${line}: ` : `${source.name}: `;
    const message = error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
    reject({ file: source.name, line, message });
  };

  try {
    for (let index = 0; index < sources.length && !cancelled && !stopped; index++) {
      const source = sources[index] as ImportSource;
      let reader: PullReader | null = null;
      let failure: { error: unknown } | null = null;
      try {
        const readOptions = options.csvType === undefined ? {} : { csvType: options.csvType };
        const inWorker = options.readInWorker ?? (source.path !== undefined && source.size >= READ_IN_WORKER_MIN_BYTES);
        const workerBatchSize = options.batchSize ?? WORKER_IMPORT_BATCH_SIZE;
        const open = inWorker ? openThreadedPullReader(source, readOptions, { maxAhead: workerBatchSize + 1 }) : openPullReader(source, readOptions);
        reader = open;
        // Read in this thread after all (no worker in this build), records wait as objects: smaller transactions.
        const fileBatchSize = open.threaded ? workerBatchSize : (options.batchSize ?? DEFAULT_IMPORT_BATCH_SIZE);
        let ended = false;
        /** Takes the next record for the transaction; rejected lines on the way go with it. */
        const next = (): StagedRecord | null => {
          for (;;) {
            const pulled = open.take();
            if (pulled.kind === 'none') return null;
            if (pulled.kind !== 'item') {
              ended = true;
              if (pulled.kind === 'error') failure = { error: pulled.error };
              return null;
            }
            linesRead += 1;
            const item = pulled.item;
            if (item.kind === 'record') return item.staged;
            reject({ file: source.name, line: item.line, message: item.message });
            // Strict: what came before the first error is committed, nothing after it.
            if (stopped) return null;
          }
        };
        while (!ended && !stopped) {
          // Waiting happens here, between transactions; a transaction only takes what is ready.
          await open.ready(fileBatchSize);
          if (options.signal?.aborted === true) {
            cancelled = true;
            break;
          }
          const first = next();
          // A run of rejected lines with no record among them still goes to the store now and then.
          if (first === null && pendingRejected.length >= fileBatchSize) write([]);
          if (first !== null) {
            write(
              (function* records(): Generator<StagedRecord> {
                let record: StagedRecord | null = first;
                for (let n = 0; record !== null; record = n < fileBatchSize ? next() : null) {
                  n += 1;
                  yield record;
                }
              })(),
            );
          }
          progress(source.name, index, open.bytesRead(), false);
        }
      } catch (error) {
        failure = { error };
      } finally {
        if (reader !== null) {
          bytesDone += source.size;
          reader.close();
        }
      }
      if (failure !== null) readFailed(source, failure.error);
      if (!cancelled && pendingRejected.length > 0) write([]);
      progress(source.name, index, 0, true);
    }
    if (pendingRejected.length > 0) write([]);

    // References are checked once everything is in (a record may name one that comes later). A cancelled
    // or stopped import leaves that to the next import that completes, which checks these rows too.
    if (!cancelled && !stopped) {
      const result = repository.finishReferences(batchId, applicationAgeFinding);
      findings += result.ageFindings;
      const lines: RejectedLine[] = [];
      for (const d of result.removed) {
        if (d.countedAs !== 'earlier_batch') counts[d.type][d.countedAs] -= 1;
        lines.push({ file: d.file, line: d.line, message: `${d.type}.${d.field}: refers to unknown ${d.target} "${d.value}"` });
      }
      for (const line of lines) reject(line);
      stopped = false; // a strict import still completes its reference check; the rejection marks it failed below
      if (pendingRejected.length > 0) repository.writeBatch(batchId, [], pendingRejected);
      pendingRejected = [];
    }
  } catch (error) {
    try {
      repository.finishBatch(batchId, 'failed', { error: error instanceof Error ? error.message : String(error) }, now());
    } catch (recording) {
      // The store refused the failure row too (a full disk, a closed connection): the caller still gets the
      // import's own error, which says where and what went wrong first.
      console.error(`[vigil] could not record the failed import: ${recording instanceof Error ? recording.message : String(recording)}`);
    }
    throw error;
  }

  const totals = totalsOf(counts);
  const failed = strict && rejectedTotal > 0;
  const status: ImportSummary['status'] = cancelled ? 'cancelled' : failed ? 'failed' : 'completed';
  const kept = `${totals.inserted + totals.updated} records committed before it stay in the store`;
  const message = cancelled
    ? `import cancelled: ${kept}; import the same files again to finish (unchanged records are skipped)`
    : failed
      ? `import stopped at the first rejected line (--strict): ${kept}`
      : `imported ${totals.inserted} new, ${totals.updated} changed, ${totals.unchanged} unchanged records; ${rejectedTotal} rejected; ${findings} findings`;
  const summary: ImportSummary = {
    batchId,
    counts,
    totals,
    rejected,
    rejectedTotal,
    findings,
    cancelled,
    stopped: failed,
    status,
    durationMs: Math.round(performance.now() - started),
    bytesRead: bytesTotal,
    message,
  };
  repository.finishBatch(batchId, status, { counts, totals, rejectedTotal, findings, message }, now());
  appendAudit(store.db, { actor, action: 'import.finish', target: `import_batch:${batchId}`, after: { files: sources.map((s) => s.name), status, totals, rejectedTotal, findings } });
  return summary;
}

// ---------------------------------------------------------------- the service the window calls

export interface ImportServiceInput {
  readonly taskId?: string | undefined;
  readonly strict: boolean;
  readonly csvType?: RecordType | undefined;
}

export interface ImportService {
  importPaths(input: ImportServiceInput & { paths: readonly string[] }): Promise<ImportSummaryView>;
  importContents(input: ImportServiceInput & { files: readonly { name: string; text?: string | undefined; base64?: string | undefined }[] }): Promise<ImportSummaryView>;
  cancel(taskId: string): { cancelled: boolean };
  report(batchId?: number): { batchId: number | null; status: string | null; files: string[]; rejected: RejectedLineView[]; text: string };
}

/** Rejected lines returned with the summary over IPC; the full list is in the report. */
export const REJECTED_IN_IPC_SUMMARY = 1_000;

export function createImportService(session: SessionService, emit: EmitEvent): ImportService {
  const running = new Map<string, AbortController>();
  let taskCounter = 0;

  const run = async (files: ImportFileInput[], input: ImportServiceInput): Promise<ImportSummaryView> => {
    const store = session.store();
    const user = session.requireUser();
    const taskId = input.taskId ?? `import-${Date.now().toString(36)}-${(taskCounter += 1)}`;
    if (running.has(taskId)) throw new VigilError('conflict', `an import with task id ${taskId} is already running`);
    const controller = new AbortController();
    running.set(taskId, controller);
    try {
      const summary = await importFiles(store, files, {
        strict: input.strict,
        ...(input.csvType === undefined ? {} : { csvType: input.csvType }),
        actor: user.id,
        signal: controller.signal,
        onProgress: (p) => {
          session.touch(); // an import in progress is activity: the idle lock must not close the store under it
          emit('progress', { taskId, kind: 'import', done: p.bytesRead, total: p.bytesTotal, ratePerSecond: p.recordsPerSecond, message: `${p.file}: ${p.linesRead} records` });
        },
      });
      emit('progress', { taskId, kind: 'import', done: summary.bytesRead, total: summary.bytesRead, ratePerSecond: null, message: summary.message });
      return {
        taskId,
        batchId: summary.batchId,
        status: summary.status,
        counts: summary.counts,
        totals: summary.totals,
        rejected: summary.rejected.slice(0, REJECTED_IN_IPC_SUMMARY).map((r) => ({ file: r.file, line: r.line, message: r.message })),
        rejectedTotal: summary.rejectedTotal,
        findings: summary.findings,
        cancelled: summary.cancelled,
        durationMs: summary.durationMs,
        message: summary.message,
      };
    } finally {
      running.delete(taskId);
    }
  };

  return {
    importPaths: (input) => run(input.paths.map((path) => ({ path })), input),
    importContents(input) {
      const files = input.files.map((file): ImportFileInput => {
        if ((file.text === undefined) === (file.base64 === undefined)) throw new VigilError('invalid_input', `${file.name}: give either text or base64`, 'files');
        return { name: file.name, bytes: file.text !== undefined ? Buffer.from(file.text, 'utf8') : Buffer.from(file.base64 ?? '', 'base64') };
      });
      return run(files, input);
    },
    cancel(taskId) {
      const controller = running.get(taskId);
      if (controller === undefined) return { cancelled: false };
      controller.abort();
      return { cancelled: true };
    },
    report(batchId) {
      const store = session.store();
      const repository = repositoryFor(store.db, createRecordsRepository);
      const batch = batchId === undefined ? repository.latestBatch() : repository.batch(batchId);
      if (batch === undefined) {
        if (batchId !== undefined) throw new VigilError('not_found', `there is no import ${batchId}`);
        return { batchId: null, status: null, files: [], rejected: [], text: '' };
      }
      const rejected = repository.rejections(batch.id);
      return { batchId: batch.id, status: batch.status, files: [...batch.files], rejected, text: renderRejectionReport(rejected) };
    },
  };
}
