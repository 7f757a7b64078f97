// Every end-to-end test gets its own data folder and its own Chromium, over the real runtime.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchBrowserHost, type BrowserHost, type BrowserHostOptions } from '../../main/host/browserHost.js';

export interface TestHost extends BrowserHost {
  readonly dataDir: string;
  readonly consoleLines: string[];
  /** Console lines where Chromium refused something under the CSP: each is a renderer defect. */
  cspViolations(): string[];
}

export async function startTestHost(options: Partial<BrowserHostOptions> = {}): Promise<TestHost> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'vigil-e2e-'));
  const consoleLines: string[] = [];
  const host = await launchBrowserHost({ ...options, dataDir, onConsole: (line) => consoleLines.push(line) });
  return {
    ...host,
    dataDir,
    consoleLines,
    cspViolations: () => consoleLines.filter((line) => line.includes('Content Security Policy')),
    async close() {
      await host.close();
      if (options.dataDir === undefined) rmSync(dataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    },
  };
}
