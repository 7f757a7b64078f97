// `npm start`: build, then open Vigil in Electron; where Electron's binary is missing, open the very
// same renderer in Chromium through the browser host (the e2e harness's code path, no port, no server).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { buildAll } from './build.js';
import { launchBrowserHost } from '../host/browserHost.js';
import { defaultDataDir, electronBinaryForStart } from '../host/paths.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

async function main(): Promise<number> {
  await buildAll({ quiet: true });
  const electron = electronBinaryForStart();
  if (electron !== null) {
    const child = spawn(electron, [root], { stdio: 'inherit' });
    return new Promise((resolve) => child.on('exit', (code) => resolve(code ?? 0)));
  }
  console.log("Electron's binary is not installed here: opening Vigil in Chromium instead (same renderer, same services).");
  if (process.platform === 'linux' && (process.env['DISPLAY'] ?? '') === '' && (process.env['WAYLAND_DISPLAY'] ?? '') === '') {
    console.error('No display to open a window on: set DISPLAY, or run `xvfb-run npm start`.');
    return 1;
  }
  const dataDir = defaultDataDir();
  const host = await launchBrowserHost({
    dataDir,
    headless: false,
    viewport: null,
    locale: Intl.DateTimeFormat().resolvedOptions().locale,
  });
  await host.open();
  console.log(`Vigil is open. Store folder: ${dataDir}. Close the window or press Ctrl+C to quit.`);
  return new Promise((resolve) => {
    const quit = (): void => {
      host.close().then(() => resolve(0), () => resolve(1));
    };
    host.page.on('close', quit);
    host.browser.on('disconnected', quit);
    process.once('SIGINT', quit);
    process.once('SIGTERM', quit);
  });
}

process.exitCode = await main();
