import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

/** Where Electron keeps userData for an app named Vigil, so both hosts open the same store. */
export function defaultDataDir(): string {
  const fromEnv = process.env['VIGIL_DATA_DIR'];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  if (process.platform === 'win32') return join(process.env['APPDATA'] ?? join(homedir(), 'AppData', 'Roaming'), 'Vigil');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Vigil');
  return join(process.env['XDG_CONFIG_HOME'] ?? join(homedir(), '.config'), 'Vigil');
}

function electronPackageDir(): string | null {
  try {
    return dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return null;
  }
}

/**
 * The installed Electron binary's path, or null. Never downloads: Electron 45 fetches its binary on
 * first `require('electron')`, which must not happen behind a test's back.
 */
export function electronBinary(): string | null {
  const dir = electronPackageDir();
  if (dir === null || !existsSync(join(dir, 'path.txt'))) return null;
  const relative = readFileSync(join(dir, 'path.txt'), 'utf8').trim();
  const override = process.env['ELECTRON_OVERRIDE_DIST_PATH'];
  const binary = override !== undefined && override !== '' ? join(override, relative) : join(dir, 'dist', relative);
  return existsSync(binary) ? binary : null;
}

/**
 * For `npm start` only: the binary, downloading it first where that is allowed and possible.
 * Returns null (after one line saying why) where it cannot be had, e.g. with ELECTRON_SKIP_BINARY_DOWNLOAD.
 */
export function electronBinaryForStart(): string | null {
  const installed = electronBinary();
  if (installed !== null) return installed;
  const dir = electronPackageDir();
  if (dir === null || (process.env['ELECTRON_SKIP_BINARY_DOWNLOAD'] ?? '') !== '') return null;
  const download = spawnSync(process.execPath, [join(dir, 'install.js')], { stdio: 'pipe', timeout: 180_000 });
  if (download.status !== 0) {
    console.log("Could not download Electron's binary (its download host is out of reach).");
    return null;
  }
  return electronBinary();
}
