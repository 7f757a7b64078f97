import { analyze, type AnalyzeSummary } from '../../services/analyze.js';
import { foldPendingKeys, PENDING_FOLD_KEYS } from '../../services/keyFold.js';
import { EXIT_OK, requiredString, type CliCommand } from '../command.js';
import type { StoreHandle } from '../../store/open.js';
import { formatCount, ProgressReporter, type CliIo } from '../io.js';
import { OUT_OPTION, writableFileOption, writeResult } from '../output.js';
import { closeStoreForCli, openStoreForCli, STORE_OPTIONS } from '../store.js';

/** Applicants whose stored analyses a run patched instead of recomputing (analyze.ts, cohortPatches and hubPatches). */
function patchedNote(s: AnalyzeSummary): string {
  const parts = [
    ...(s.cohortPatched > 0 ? [`${formatCount(s.cohortPatched)} only through their employer's cohort size`] : []),
    ...(s.hubPatched > 0 ? [`${formatCount(s.hubPatched)} only through a key that became a hub or stopped being one`] : []),
  ];
  return parts.length === 0 ? '' : ` (${parts.join('; ')}: stored analyses patched)`;
}

function renderSummary(s: AnalyzeSummary, keys: string): string {
  return [
    `mode: ${s.mode} (changes ${formatCount(s.fromSeq)}..${formatCount(s.toSeq)})`,
    `device observations linked: ${formatCount(s.observationsLinked)} (${formatCount(s.deviceIdentitiesTouched)} device identities touched)`,
    `applicants affected: ${formatCount(s.applicantsAffected)}${patchedNote(s)}`,
    `applications scored: ${formatCount(s.applicationsScored)}, rescored: ${formatCount(s.applicationsRescored)}, new score history rows: ${formatCount(s.historyRows)}`,
    `rings written: ${formatCount(s.ringsWritten)}`,
    keys,
    `rule set: ${s.ruleSet}; model: ${s.modelVersion ?? 'none (rules only)'}; behaviour baseline: ${s.baselineVersion}`,
    `IP region database: ${s.ipDatabase ? 'loaded' : 'NOT available (no geo or data-centre flags)'}`,
    `took: ${(s.durationMs / 1000).toFixed(1)} s`,
    '',
  ].join('\n');
}

/**
 * The window folds pending keys in the background after a run (keyFold.ts); the command line does it here,
 * after the run is saved. A failed fold loses nothing (the keys stay pending, and readers look there too).
 */
async function foldAfter(store: StoreHandle, summary: AnalyzeSummary, io: CliIo): Promise<string> {
  if (summary.mode === 'full') return 'link and device keys pending: 0 (a full run writes them to the main indexes)';
  if (summary.pendingKeys < PENDING_FOLD_KEYS) return `link and device keys pending: ${formatCount(summary.pendingKeys)} (folded into the main indexes at ${formatCount(PENDING_FOLD_KEYS)})`;
  io.stderr.write(`analyze: folding ${formatCount(summary.pendingKeys)} pending link and device keys into the main indexes\n`);
  try {
    const fold = await foldPendingKeys(store, { atLeast: PENDING_FOLD_KEYS });
    return `link and device keys folded into the main indexes: ${formatCount(fold.folded)} in ${(fold.durationMs / 1000).toFixed(1)} s (${formatCount(fold.pending)} pending)`;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    io.stderr.write(`analyze: folding pending keys stopped (${reason}); the keys stay pending, where lookups find them, and the next run tries again\n`);
    return `link and device keys pending: ${formatCount(summary.pendingKeys)} (the fold stopped: ${reason})`;
  }
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
      writeResult(line, io, renderSummary(summary, await foldAfter(opened.store, summary, io)), `run ${summary.runId} completed and is saved in the store`);
      return EXIT_OK;
    } finally {
      await closeStoreForCli(opened);
    }
  },
};
