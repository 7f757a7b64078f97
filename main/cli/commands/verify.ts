import { verifyStore } from '../../store/verify.js';
import { EXIT_BAD_INPUT, EXIT_OK, requiredString, type CliCommand } from '../command.js';
import { OUT_OPTION, writableFileOption, writeResult } from '../output.js';
import { closeStoreForCli, openStoreForCli, STORE_OPTIONS } from '../store.js';

export const verifyCommand: CliCommand = {
  name: 'verify',
  usage: 'vigil verify --store DIR [--user NAME] [--out FILE]',
  summary: 'checks the integrity of the store and of the audit chain',
  options: { ...STORE_OPTIONS, ...OUT_OPTION },
  positionals: { min: 0, max: 0 },
  async run(line, io) {
    const dir = requiredString(line, 'store');
    writableFileOption(line, 'out');
    const opened = await openStoreForCli(line, io, dir);
    const { store } = opened;
    try {
      const report = verifyStore(store);
      const lines = [`integrity: ${report.integrity}`, `audit entries: ${report.auditEntries}`, `audit chain: ${report.firstBrokenEntry === null ? 'intact' : `broken at entry ${report.firstBrokenEntry}`}`];
      for (const problem of report.problems) lines.push(`problem: ${problem}`);
      lines.push(report.ok ? 'ok' : 'NOT OK');
      writeResult(line, io, `${lines.join('\n')}\n`);
      if (!report.ok) io.stderr.write(`vigil verify: the store has ${report.problems.length} problem(s)\n`);
      return report.ok ? EXIT_OK : EXIT_BAD_INPUT;
    } finally {
      await closeStoreForCli(opened);
    }
  },
};
