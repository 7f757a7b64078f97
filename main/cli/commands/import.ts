import { statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { VigilError } from '../../../shared/errors.js';
import { RECORD_TYPES, type RecordType } from '../../../shared/interchange/schema.js';
import { isRecordType } from '../../../shared/interchange/validate.js';
import { formatRejection, importFiles, writeRejectionReport, type ImportSummary } from '../../services/import.js';
import { EXIT_BAD_INPUT, EXIT_OK, optionalString, requiredString, UsageError, type CliCommand } from '../command.js';
import { formatCount, ProgressReporter } from '../io.js';
import { fileErrorText } from '../../fileErrors.js';
import { OUT_OPTION, writableFileOption, writeResult } from '../output.js';
import { closeStoreForCli, openStoreForCli, STORE_OPTIONS } from '../store.js';

function renderSummary(summary: ImportSummary): string {
  const rows = RECORD_TYPES.filter((t) => summary.counts[t].inserted + summary.counts[t].updated + summary.counts[t].unchanged > 0);
  const lines = [`${'type'.padEnd(12)} ${'inserted'.padStart(10)} ${'updated'.padStart(10)} ${'unchanged'.padStart(10)}`];
  for (const type of rows) {
    const c = summary.counts[type];
    lines.push(`${type.padEnd(12)} ${formatCount(c.inserted).padStart(10)} ${formatCount(c.updated).padStart(10)} ${formatCount(c.unchanged).padStart(10)}`);
  }
  lines.push(`${'total'.padEnd(12)} ${formatCount(summary.totals.inserted).padStart(10)} ${formatCount(summary.totals.updated).padStart(10)} ${formatCount(summary.totals.unchanged).padStart(10)}`);
  lines.push(`rejected: ${formatCount(summary.rejectedTotal)}`, `findings: ${formatCount(summary.findings)}`, `status: ${summary.status}`);
  for (const rejection of summary.rejected) lines.push(formatRejection(rejection));
  if (summary.rejectedTotal > summary.rejected.length) lines.push(`... and ${formatCount(summary.rejectedTotal - summary.rejected.length)} more rejected lines (use --report FILE for the full list)`);
  return `${lines.join('\n')}\n`;
}

/** Every file named is there and is a file, checked before the store is opened. */
function readableFile(file: string): void {
  let folder: boolean;
  try {
    folder = statSync(file).isDirectory();
  } catch (error) {
    throw new VigilError('invalid_input', `cannot read ${file}: ${fileErrorText(error)}`, file);
  }
  if (folder) throw new VigilError('invalid_input', `cannot import ${file}: it is a folder (name the files in it)`, file);
}

export const importCommand: CliCommand = {
  name: 'import',
  usage: 'vigil import FILE... --store DIR [--strict] [--type TYPE] [--report FILE] [--out FILE] [--user NAME]',
  summary: 'imports interchange files (.jsonl, .jsonl.gz, <type>.csv); prints counts per type and rejected lines',
  options: { ...STORE_OPTIONS, ...OUT_OPTION, strict: { type: 'boolean' }, type: { type: 'string' }, report: { type: 'string' } },
  positionals: { min: 1, max: 10_000 },
  async run(line, io) {
    const dir = requiredString(line, 'store');
    const typeOption = optionalString(line, 'type');
    if (typeOption !== undefined && !isRecordType(typeOption)) throw new UsageError(`--type must be one of ${RECORD_TYPES.join(', ')}`);
    const csvType: RecordType | undefined = typeOption;
    const report = writableFileOption(line, 'report');
    writableFileOption(line, 'out');
    for (const file of line.positionals) readableFile(file);
    // Rejected lines say file:line with the base name, unless two files share one: then the paths as given.
    const sameBaseName = new Set(line.positionals.map((file) => basename(file))).size < line.positionals.length;
    const opened = await openStoreForCli(line, io, dir);
    const { store, user } = opened;
    const progress = new ProgressReporter(io, 'import');
    const controller = new AbortController();
    const onSignal = (): void => controller.abort();
    process.once('SIGINT', onSignal);
    try {
      const summary = await importFiles(
        store,
        line.positionals.map((file) => ({ path: resolve(file), name: sameBaseName ? file : basename(file) })),
        {
          strict: line.values['strict'] === true,
          ...(csvType === undefined ? {} : { csvType }),
          actor: user.id,
          signal: controller.signal,
          onProgress: (p) => progress.update(p.bytesRead, p.bytesTotal, `${p.file} ${formatCount(p.linesRead)} records, ${formatCount(p.recordsPerSecond)} records/s`),
        },
      );
      progress.finish(summary.message);
      if (report !== undefined) {
        const { createRecordsRepository } = await import('../../store/repositories/records.js');
        writeRejectionReport(report, createRecordsRepository(store.db).rejections(summary.batchId));
      }
      writeResult(line, io, renderSummary(summary), `the import itself is saved in the store (batch ${summary.batchId})`);
      // A cancelled import has said so in its last progress line (what stayed, how to finish).
      if (summary.cancelled) return EXIT_BAD_INPUT;
      if (summary.rejectedTotal > 0) {
        const lines = summary.rejectedTotal === 1 ? '1 line was' : `${formatCount(summary.rejectedTotal)} lines were`;
        io.stderr.write(`vigil import: ${lines} rejected${summary.status === 'failed' ? ' (stopped at the first, --strict)' : ''}\n`);
        return EXIT_BAD_INPUT;
      }
      return EXIT_OK;
    } finally {
      process.removeListener('SIGINT', onSignal);
      await closeStoreForCli(opened);
    }
  },
};
