// One build for the three targets: Vite bundles the renderer; esbuild (which Vite itself ships on)
// bundles the Electron main process, the sandboxed preload and the Chromium host's preload.
// Why not electron-vite: its preload/main handling assumes Electron's binary for dev; we need a build
// that runs identically where Electron cannot be downloaded.
import { build as esbuild } from 'esbuild';
import { build as viteBuild } from 'vite';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

export async function buildAll(options: { quiet?: boolean } = {}): Promise<void> {
  const started = Date.now();
  rmSync(`${root}dist`, { recursive: true, force: true });
  await viteBuild({ configFile: `${root}vite.config.ts`, logLevel: options.quiet === true ? 'warn' : 'info' });
  const common = { bundle: true, sourcemap: true, logLevel: 'warning' as const, absWorkingDir: root };
  await Promise.all([
    // Main: ESM, dependencies stay external (electron-builder ships node_modules; the native module must stay a file).
    esbuild({ ...common, entryPoints: ['main/app/main.ts'], outfile: 'dist/main/main.mjs', platform: 'node', format: 'esm', target: 'node22', packages: 'external' }),
    // A sandboxed preload cannot require anything but electron: everything else is bundled in.
    esbuild({ ...common, entryPoints: ['main/preload/preload.ts'], outfile: 'dist/preload/preload.cjs', platform: 'node', format: 'cjs', target: 'node22', external: ['electron'] }),
    esbuild({ ...common, entryPoints: ['main/host/browserPreload.ts'], outfile: 'dist/host/browser-preload.js', platform: 'browser', format: 'iife', target: 'chrome130' }),
  ]);
  if (options.quiet !== true) console.log(`built in ${Date.now() - started} ms`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await buildAll();
}
