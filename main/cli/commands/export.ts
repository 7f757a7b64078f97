import { closeSync, openSync, writeSync } from 'node:fs';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { VigilError } from '../../../shared/errors.js';
import { analysisState, EXPORT_KINDS, exportLines, type ExportKind } from '../../services/analysisExport.js';
import { EXIT_OK, requiredString, UsageError, type CliCommand } from '../command.js';
import { formatCount } from '../io.js';
import { fileErrorText } from '../../fileErrors.js';
import { OUT_OPTION, writableFileOption } from '../output.js';
import { closeStoreForCli, openStoreForCli, STORE_OPTIONS } from '../store.js';

function isExportKind(value: string): value is ExportKind {
  return (EXPORT_KINDS as readonly string[]).includes(value);
}

export const exportCommand: CliCommand = {
  name: 'export',
  usage: 'vigil export scores|devices|rings --store DIR [--out FILE] [--user NAME]',
  summary: 'writes the latest analysis as JSON Lines: one line per application (scores), device observation (devices) or ring (rings)',
  options: { ...STORE_OPTIONS, ...OUT_OPTION },
  positionals: { min: 1, max: 1 },
  async run(line, io) {
    const kind = line.positionals[0] ?? '';
    if (!isExportKind(kind)) throw new UsageError(`what to export must be one of ${EXPORT_KINDS.join(', ')}`);
    const dir = requiredString(line, 'store');
    const out = writableFileOption(line, 'out');
    const opened = await openStoreForCli(line, io, dir);
    try {
      const state = analysisState(opened.store);
      // Records but no analysis: every line the spec promises would be missing. An empty store exports nothing.
      if (!state.analysed && state.pending > 0) throw new VigilError('invalid_input', `the store has not been analysed yet: run vigil analyze --store ${dir} first`, dir);
      if (state.pending > 0) io.stderr.write(`vigil export: ${formatCount(state.pending)} record changes are not analysed yet (run vigil analyze first for current results)\n`);
      // Streamed in batches: a million device lines never sit in one string.
      const fd = out === undefined ? null : openSync(out, 'w');
      // A reader that stops early (`| head`) closes the pipe: the export stops quietly, as other tools do.
      let readerGone = false;
      let writeError: Error | null = null;
      const onError = (error: NodeJS.ErrnoException): void => {
        if (error.code === 'EPIPE') readerGone = true;
        else writeError = error;
      };
      if (fd === null) io.stdout.on('error', onError);
      let batch: string[] = [];
      let lines = 0;
      const flush = async (): Promise<boolean> => {
        if (batch.length === 0) return true;
        const text = batch.join('');
        batch = [];
        if (fd !== null) {
          try {
            writeSync(fd, text);
          } catch (error) {
            throw new VigilError('invalid_input', `cannot write ${out} (--out): ${fileErrorText(error)}`, out);
          }
          return true;
        }
        io.stdout.write(text);
        // Lets a write error (emitted on the next tick) arrive before the next batch.
        await yieldToLoop();
        if (writeError !== null) throw writeError;
        return !readerGone;
      };
      try {
        for (const item of exportLines(opened.store, kind)) {
          batch.push(`${JSON.stringify(item)}\n`);
          lines++;
          if (batch.length >= 5_000 && !(await flush())) return EXIT_OK;
        }
        if (!(await flush())) return EXIT_OK;
      } finally {
        if (fd !== null) closeSync(fd);
        else io.stdout.removeListener('error', onError);
      }
      if (out !== undefined) io.stderr.write(`vigil export: ${formatCount(lines)} ${kind} lines written to ${out}\n`);
      return EXIT_OK;
    } finally {
      await closeStoreForCli(opened);
    }
  },
};
