// `npm run fuzz:incremental -- [cases] [first seed]`: the differential fuzz of incrementalCases.ts, case
// after case from a seed; a difference prints the case's seed and what it did (`-- 1 <seed>` replays it).
import { makeCase, runCase } from './incrementalCases.js';

/** A whole number from the command line, or the usage and exit 2 (a seed like "s21" once ran no case and passed). */
function wholeNumber(arg: string | undefined, fallback: number, what: string, min: number): number {
  if (arg === undefined) return fallback;
  const n = Number(arg);
  if (/^\d+$/.test(arg) && Number.isSafeInteger(n) && n >= min) return n;
  console.error(`fuzz:incremental: ${what} must be a whole number of at least ${min}, not "${arg}"\nusage: npm run fuzz:incremental -- [cases] [first seed]`);
  process.exit(2);
}
const cases = wholeNumber(process.argv[2], 20, 'cases', 1);
const first = wholeNumber(process.argv[3], 1, 'the first seed', 0);
let failed = 0;
const started = performance.now();
for (let seed = first; seed < first + cases; seed++) {
  const c = makeCase(seed);
  const differences = await runCase(c);
  if (differences.length === 0) {
    console.log(`case ${seed}: same (${c.log[0]}; ${c.log[1]}; ${c.log.length - 2} edits)`);
    continue;
  }
  failed++;
  console.log(`case ${seed}: DIFFERENT\n  ${c.log.join('\n  ')}\n  ${differences.join('\n  ')}`);
}
console.log(`${cases - failed} of ${cases} cases ended where a full recompute ends (${((performance.now() - started) / 1000).toFixed(0)} s)`);
process.exitCode = failed === 0 ? 0 : 1;
