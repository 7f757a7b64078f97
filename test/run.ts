// `npm test`: every gate in order (typecheck, lint, build, unit + integration + e2e, security scan),
// stopping at the first that fails, and closing with one plain `N passed, N failed, N skipped` line.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const report = `${root}test-output/vitest-report.json`;

function step(name: string, command: string, args: string[]): boolean {
  console.log(`\n== ${name}: ${command} ${args.join(' ')}`);
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  const ok = result.status === 0;
  console.log(`== ${name}: ${ok ? 'ok' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return ok;
}

interface VitestReport {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
}

mkdirSync(`${root}test-output`, { recursive: true });
rmSync(report, { force: true });
const bin = (name: string): string => `${root}node_modules/.bin/${name}`;
const gates: [string, string, string[]][] = [
  ['typecheck', bin('tsc'), ['-b']],
  ['lint', bin('eslint'), ['.']],
  ['build', process.execPath, ['--import', 'tsx', 'main/tools/build.ts']],
  ['tests', bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`]],
  ['security', process.execPath, ['--import', 'tsx', 'main/tools/security.ts']],
];

let failedGate: string | null = null;
for (const [name, command, args] of gates) {
  if (!step(name, command, args)) {
    failedGate = name;
    if (name !== 'tests') break; // after failing tests, still scan: both reports help
  }
}

let counts: VitestReport = { numPassedTests: 0, numFailedTests: 0, numPendingTests: 0, numTodoTests: 0 };
try {
  counts = JSON.parse(readFileSync(report, 'utf8')) as VitestReport;
} catch {
  // no report: the tests did not run (an earlier gate failed)
}
if (failedGate !== null) console.log(`\nnpm test: the ${failedGate} gate failed`);
const failed = counts.numFailedTests + (failedGate !== null && counts.numFailedTests === 0 ? 1 : 0);
console.log(`${counts.numPassedTests} passed, ${failed} failed, ${counts.numPendingTests + counts.numTodoTests} skipped`);
process.exitCode = failedGate === null ? 0 : 1;
