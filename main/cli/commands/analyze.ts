import { analyze, type AnalyzeSummary } from '../../services/analyze.js';
import { EXIT_OK, requiredString, type CliCommand } from '../command.js';
import { formatCount, ProgressReporter } from '../io.js';
import { OUT_OPTION, writableFileOption, writeResult } from '../output.js';
import { closeStoreForCli, openStoreForCli, STORE_OPTIONS } from '../store.js';

function renderSummary(s: AnalyzeSummary): string {
  return [
    `mode: ${s.mode} (changes ${formatCount(s.fromSeq)}..${formatCount(s.toSeq)})`,
    `device observations linked: ${formatCount(s.observationsLinked)} (${formatCount(s.deviceIdentitiesTouched)} device identities touched)`,
    `applicants affected: ${formatCount(s.applicantsAffected)}`,
    `applications scored: ${formatCount(s.applicationsScored)}, rescored: ${formatCount(s.applicationsRescored)}, new score history rows: ${formatCount(s.historyRows)}`,
    `rings written: ${formatCount(s.ringsWritten)}`,
    `rule set: ${s.ruleSet}; model: ${s.modelVersion ?? 'none (rules only)'}; behaviour baseline: ${s.baselineVersion}`,
    `IP region database: ${s.ipDatabase ? 'loaded' : 'NOT available (no geo or data-centre flags)'}`,
    `took: ${(s.durationMs / 1000).toFixed(1)} s`,
    '',
  ].join('\n');
}

export const analyzeCommand: CliCommand = {
  name: 'analyze',
  usage: 'vigil analyze --store DIR [--full] [--user NAME] [--out FILE]',
  summary: 'runs the device, behaviour, link, PF and scoring engines over what changed since the last run (--full: everything)',
  options: { ...STORE_OPTIONS, ...OUT_OPTION, full: { type: 'boolean' } },
  positionals: { min: 0, max: 0 },
  async run(line, io) {
    const dir = requiredString(line, 'store');
    writableFileOption(line, 'out');
    const opened = await openStoreForCli(line, io, dir);
    try {
      const progress = new ProgressReporter(io, 'analyze');
      const summary = await analyze(opened.store, {
        full: line.values['full'] === true,
        actor: opened.user.id,
        onProgress: (p) => progress.update(p.done, p.total, `${p.phase} ${formatCount(p.done)}/${formatCount(p.total)}`),
      });
      progress.finish(`${summary.mode} run ${summary.runId}: ${formatCount(summary.applicationsScored + summary.applicationsRescored)} applications scored in ${(summary.durationMs / 1000).toFixed(1)} s`);
      writeResult(line, io, renderSummary(summary), `run ${summary.runId} completed and is saved in the store`);
      return EXIT_OK;
    } finally {
      await closeStoreForCli(opened);
    }
  },
};
