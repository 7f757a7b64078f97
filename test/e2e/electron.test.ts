// The real Electron shell, where its binary exists. On machines that cannot download it (ours), this
// file reports the skip plainly instead of passing silently.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { electronBinary } from '../../main/host/paths.js';
import type { VigilApi } from '../../shared/ipc/contract.js';

const binary = electronBinary();
const root = fileURLToPath(new URL('../../', import.meta.url));
if (binary === null) console.log("electron.test.ts: skipped: Electron's binary is not installed (ELECTRON_SKIP_BINARY_DOWNLOAD); the Chromium host specs cover the renderer.");

describe.skipIf(binary === null)('Electron shell', () => {
  it('opens the renderer sandboxed, with window.vigil and without Node', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'vigil-electron-'));
    const app = await _electron.launch({ executablePath: binary ?? '', args: [root], env: { ...process.env, VIGIL_DATA_DIR: dataDir } });
    try {
      const window = await app.firstWindow();
      await window.waitForSelector('[data-app-ready]');
      const probe = await window.evaluate(async () => {
        const scope = globalThis as unknown as { vigil: VigilApi; require?: unknown; process?: unknown; location: { origin: string } };
        return { info: await scope.vigil.getAppInfo({}), require: typeof scope.require, process: typeof scope.process, origin: scope.location.origin };
      });
      expect(probe).toMatchObject({ info: { ok: true, value: { host: 'electron' } }, require: 'undefined', process: 'undefined', origin: 'app://vigil' });
    } finally {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    }
  });
});
