// `npm run fuzz:incremental -- [cases] [first seed]`: the differential fuzz of incrementalCases.ts, case
// after case from a seed; a difference prints the case's seed and what it did (`-- 1 <seed>` replays it).
import { makeCase, runCase } from './incrementalCases.js';

const cases = Number(process.argv[2] ?? '20');
const first = Number(process.argv[3] ?? '1');
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
