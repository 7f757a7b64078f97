import { homedir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';

/** Where Electron keeps userData for an app named Vigil, so both hosts open the same store. */
export function defaultDataDir(): string {
  const fromEnv = process.env['VIGIL_DATA_DIR'];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  if (process.platform === 'win32') return join(process.env['APPDATA'] ?? join(homedir(), 'AppData', 'Roaming'), 'Vigil');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Vigil');
  return join(process.env['XDG_CONFIG_HOME'] ?? join(homedir(), '.config'), 'Vigil');
}

/** The Electron binary's path, or null where `npm install` skipped its download (as on our build machines). */
export function electronBinary(): string | null {
  try {
    const require = createRequire(import.meta.url);
    // The electron package exports the binary's path, and throws when the download was skipped.
    const path = require('electron') as unknown;
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}
