// `npm run bench [names...]`: runs each benchmark in its own Node process (so memory figures are its
// own), in a fixed order, and prints their figures. Targets are printed beside figures, never asserted.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const BENCHES = ['startup', 'store', 'import', 'analysis', 'renderer'] as const;
const here = fileURLToPath(new URL('./', import.meta.url));
const wanted = process.argv.slice(2);
const selected = wanted.length > 0 ? BENCHES.filter((name) => wanted.includes(name)) : [...BENCHES];

let failed = 0;
// The startup and renderer figures are of the built renderer: build it from the current sources first,
// so a missing or stale dist/ never fails the run or measures old code.
if (selected.some((name) => name === 'startup' || name === 'renderer')) {
  console.log('\n== build (for the startup and renderer benchmarks)');
  const build = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('../../main/tools/build.ts', import.meta.url))], { stdio: 'inherit' });
  if (build.status !== 0) failed += 1;
}
for (const name of selected) {
  const file = `${here}${name}.ts`;
  if (!existsSync(file)) {
    console.log(`\n== ${name}: no benchmark yet`);
    continue;
  }
  console.log(`\n== ${name}`);
  const started = Date.now();
  const result = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', file], { stdio: 'inherit' });
  console.log(`(${name} took ${((Date.now() - started) / 1000).toFixed(1)} s)`);
  if (result.status !== 0) failed += 1;
}
process.exitCode = failed > 0 ? 1 : 0;
