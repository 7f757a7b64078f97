import { closeSync, openSync, writeSync } from 'node:fs';
import { changesSinceAnalysis, EXPORT_KINDS, exportLines, type ExportKind } from '../../services/analysisExport.js';
import { EXIT_OK, optionalString, requiredString, UsageError, type CliCommand } from '../command.js';
import { formatCount } from '../io.js';
import { OUT_OPTION } from '../output.js';
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
    const out = optionalString(line, 'out');
    const opened = await openStoreForCli(line, io, dir);
    try {
      const pending = changesSinceAnalysis(opened.store);
      if (pending > 0) io.stderr.write(`vigil export: ${formatCount(pending)} record changes are not analysed yet (run vigil analyze first for current results)\n`);
      // Streamed in batches: a million device lines never sit in one string.
      const fd = out === undefined ? null : openSync(out, 'w');
      let batch: string[] = [];
      let lines = 0;
      const flush = (): void => {
        if (batch.length === 0) return;
        const text = batch.join('');
        if (fd === null) io.stdout.write(text);
        else writeSync(fd, text);
        batch = [];
      };
      try {
        for (const item of exportLines(opened.store, kind)) {
          batch.push(`${JSON.stringify(item)}\n`);
          lines++;
          if (batch.length >= 5_000) flush();
        }
        flush();
      } finally {
        if (fd !== null) closeSync(fd);
      }
      if (out !== undefined) io.stderr.write(`vigil export: ${formatCount(lines)} ${kind} lines written to ${out}\n`);
      return EXIT_OK;
    } finally {
      await closeStoreForCli(opened);
    }
  },
};
