// `npm run bench:compare -- <git ref>`: incremental analyze of this tree against another commit, paired.
//
// On a machine whose speed drifts by a third within an hour, two benchmark runs taken minutes apart
// cannot tell a 10% change from noise. This runs both versions in one process, on two copies of one
// store, and alternates them batch by batch (the order flips every batch), so both see the same machine.
// The other commit is checked out in a temporary git worktree that borrows this tree's node_modules.
// The store is built and fully analysed by the older code; each side then unlocks its own copy (the
// newer code migrates its copy) and runs one untimed analyze with nothing new, so one-off upgrade work
// (building key filters, say) is not billed to the first batch. Code that folds pending keys after a run
// (main/services/keyFold.ts) folds them there, untimed, as the window does once the run has answered;
// older code folds inside the run. Code whose window rehearses a run after unlock (rehearseAnalysis in
// main/services/analyze.ts) rehearses there, untimed, too. `VIGIL_BENCH_SCALE=0.05` for a quick look.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as AnalyzeTypes from '../../main/services/analyze.js';
import type * as ImportTypes from '../../main/services/import.js';
import type * as FoldTypes from '../../main/services/keyFold.js';
import type * as OpenTypes from '../../main/store/open.js';
import { jsonl } from '../support/jsonl.js';
import { splitPopulation } from './incrementalPopulation.js';

// The other commit's modules are loaded at run time; this tree's declarations type them.
type AnalyzeModule = typeof AnalyzeTypes;
type ImportModule = typeof ImportTypes;
type OpenModule = typeof OpenTypes;
type Store = Awaited<ReturnType<OpenModule['unlockStore']>>['store'];

interface Side {
  readonly name: string;
  readonly analyze: AnalyzeModule['analyze'];
  readonly importFiles: ImportModule['importFiles'];
  /** Absent in code that folds inside the run. */
  readonly fold: (typeof FoldTypes)['foldPendingKeys'] | null;
  /** Absent in code whose window does not rehearse a run after unlock. */
  readonly rehearse: AnalyzeModule['rehearseAnalysis'] | null;
  readonly open: OpenModule;
  store: Store | null;
  readonly seconds: number[];
}

const SCALE = Number(process.env['VIGIL_BENCH_SCALE'] ?? '1');
const STORE_APPLICANTS = Math.max(2_000, Math.round(100_000 * SCALE));
const NEW_APPLICANTS = Math.max(100, Math.round(1_000 * Math.min(1, SCALE * 10)));
const BATCHES = 6;
const PASSPHRASE = 'bench passphrase';
const here = fileURLToPath(new URL('../../', import.meta.url));

async function load(name: string, root: string): Promise<Side> {
  const analyzeModule = (await import(join(root, 'main/services/analyze.ts'))) as AnalyzeModule;
  const importModule = (await import(join(root, 'main/services/import.ts'))) as ImportModule;
  const open = (await import(join(root, 'main/store/open.ts'))) as OpenModule;
  const foldFile = join(root, 'main/services/keyFold.ts');
  const fold = existsSync(foldFile) ? ((await import(foldFile)) as typeof FoldTypes).foldPendingKeys : null;
  const rehearse = typeof (analyzeModule as Partial<AnalyzeModule>).rehearseAnalysis === 'function' ? analyzeModule.rehearseAnalysis : null;
  return { name, analyze: analyzeModule.analyze, importFiles: importModule.importFiles, fold, rehearse, open, store: null, seconds: [] };
}

const ref = process.argv[2];
if (ref === undefined || ref.startsWith('-')) {
  console.error('usage: npm run bench:compare -- <git ref to compare this tree against>');
  process.exit(2);
}
const work = mkdtempSync(join(tmpdir(), 'vigil-bench-compare-'));
const tree = join(work, 'tree');
try {
  execFileSync('git', ['worktree', 'add', '--detach', tree, ref], { cwd: here, stdio: 'ignore' });
  symlinkSync(join(here, 'node_modules'), join(tree, 'node_modules'), 'dir');
  const base = await load(`${ref}`, tree);
  const current = await load('this tree', here);

  // The analysis benchmark's population, its initial part built and analysed by the other commit's code.
  const built = join(work, 'built');
  const t = performance.now();
  const { store } = await base.open.createStore(built, { username: 'bench', displayName: 'Bench', passphrase: PASSPHRASE, kdf: base.open.TEST_SCRYPT, backgroundCheckpoint: true });
  const late = await splitPopulation({ storeApplicants: STORE_APPLICANTS, newApplicants: NEW_APPLICANTS, batches: BATCHES }, async (records, part) => {
    await base.importFiles(store, [{ name: `initial-${part}.jsonl`, bytes: jsonl(records) }], { actor: 'bench' });
  });
  await base.analyze(store, { actor: 'bench' });
  store.close();
  await store.whenClosed();
  console.log(`store of ${STORE_APPLICANTS.toLocaleString('en-US')} applications built and analysed by ${ref}: ${((performance.now() - t) / 1000).toFixed(1)} s (not timed below)`);

  const sides = [base, current];
  for (const side of sides) {
    const dir = join(work, side === base ? 'base-store' : 'current-store');
    cpSync(built, dir, { recursive: true });
    side.store = (await side.open.unlockStore(dir, { username: 'bench', passphrase: PASSPHRASE, backgroundCheckpoint: true })).store;
    await side.analyze(side.store, { actor: 'bench' });
    // What that version's window does after unlock, untimed.
    if (side.rehearse !== null) await side.rehearse(side.store);
  }
  for (let batch = 0; batch < BATCHES; batch++) {
    for (const side of batch % 2 === 0 ? sides : [...sides].reverse()) {
      const open = side.store as Store;
      await side.importFiles(open, [{ name: `late-${batch}.jsonl`, bytes: jsonl(late[batch] ?? []) }], { actor: 'bench' });
      global.gc?.();
      const started = performance.now();
      const summary = await side.analyze(open, { actor: 'bench' });
      side.seconds.push((performance.now() - started) / 1000);
      const after = side.fold === null ? null : await side.fold(open);
      const folded = after === null ? (summary.keysFolded > 0 ? ` (folded ${summary.keysFolded.toLocaleString('en-US')} pending keys in the run)` : '') : after.folded > 0 ? ` (then, untimed, folded ${after.folded.toLocaleString('en-US')} pending keys in ${(after.durationMs / 1000).toFixed(2)} s)` : '';
      console.log(`  batch ${batch + 1}, ${side.name}: ${(side.seconds[batch] ?? 0).toFixed(2)} s${folded}`);
    }
  }
  const sum = (xs: readonly number[]): number => xs.reduce((a, x) => a + x, 0);
  for (const side of sides) console.log(`${side.name}: ${side.seconds.map((s) => s.toFixed(2)).join(', ')} s; sum ${sum(side.seconds).toFixed(2)} s`);
  const ratios = current.seconds.map((s, i) => s / (base.seconds[i] ?? s));
  console.log(`this tree / ${ref}, batch by batch: ${ratios.map((r) => r.toFixed(2)).join(', ')}; in sum ${(sum(current.seconds) / sum(base.seconds)).toFixed(2)}`);
  for (const side of sides) {
    side.store?.close();
    await side.store?.whenClosed();
  }
} finally {
  try {
    execFileSync('git', ['worktree', 'remove', '--force', tree], { cwd: here, stdio: 'ignore' });
  } catch {
    // not created
  }
  rmSync(work, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
}
