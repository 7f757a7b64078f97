// better-sqlite3-multiple-ciphers is a native addon compiled for one runtime ABI. Node (tests, CLI) and
// Electron (the app) need different builds, so both are kept side by side and chosen here at open time:
// rebuilding for one must never break the other (ARCHITECTURE.md, "The native module").
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** The package folder of better-sqlite3-multiple-ciphers (inside app.asar.unpacked when packaged). */
function packageDir(): string {
  return dirname(require.resolve('better-sqlite3-multiple-ciphers/package.json'));
}

/**
 * The `nativeBinding` path for `new Database(...)`, or undefined for the package's default Node build.
 * Order: `VIGIL_SQLITE_BINDING` (an explicit override for packaging and debugging), then under Electron the
 * per-ABI build `build/electron-<modules ABI>/better_sqlite3.node` if the packaging step produced it.
 */
export function sqliteNativeBinding(env: NodeJS.ProcessEnv = process.env, versions: NodeJS.ProcessVersions = process.versions): string | undefined {
  const override = env['VIGIL_SQLITE_BINDING'];
  if (override !== undefined && override !== '') return override;
  if (versions['electron'] !== undefined) {
    const candidate = join(packageDir(), 'build', `electron-${versions.modules}`, 'better_sqlite3.node');
    // asar: the packaged app must unpack the addon, and Node's loader reads it from the unpacked folder.
    const unpacked = candidate.replace(`app.asar${'/'}`, `app.asar.unpacked${'/'}`);
    if (existsSync(unpacked)) return unpacked;
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}
