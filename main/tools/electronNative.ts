// Packaging step: compile better-sqlite3-multiple-ciphers for Electron's ABI into its own folder
// (build/electron-<abi>/) from a scratch copy, so the Node build used by tests and the CLI is never
// replaced. main/store/native.ts picks the right one at run time. Needs Electron's headers, which
// a packaging machine downloads; the project's build machines cannot, so this runs only in `npm run dist`.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, copyFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const moduleDir = join(root, 'node_modules', 'better-sqlite3-multiple-ciphers');
const electronVersion = (JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')) as { version: string }).version;
const abi = readFileSync(join(root, 'node_modules', 'electron', 'abi_version'), 'utf8').trim();

const scratch = mkdtempSync(join(tmpdir(), 'vigil-native-'));
try {
  cpSync(moduleDir, scratch, { recursive: true, filter: (path) => !path.includes(`${moduleDir}/build`) });
  execFileSync('npx', ['--yes', 'node-gyp', 'rebuild', '--release', `--target=${electronVersion}`, '--runtime=electron', '--dist-url=https://electronjs.org/headers'], { cwd: scratch, stdio: 'inherit' });
  const target = join(moduleDir, 'build', `electron-${abi}`);
  mkdirSync(target, { recursive: true });
  copyFileSync(join(scratch, 'build', 'Release', 'better_sqlite3.node'), join(target, 'better_sqlite3.node'));
  console.log(`built better_sqlite3.node for Electron ${electronVersion} (ABI ${abi}) into ${target}`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
