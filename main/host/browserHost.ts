// Runs the built renderer in Debian's Chromium through playwright-core, with window.vigil bound
// in-process to the real IPC registry over the real store. `npm start` (where Electron's binary is
// missing), the end-to-end tests and the renderer benchmarks all use this one code path.
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { eventChannelOf, isOperationName } from '../../shared/ipc/contract.js';
import type { EventName, EventPayload } from '../../shared/ipc/events.js';
import { createRuntime, type Runtime } from '../runtime.js';
import type { ChooseFiles } from '../services/fileChoice.js';
import { BROWSER_HOST_ORIGIN, originOf } from './origin.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const rendererDir = join(root, 'dist', 'renderer');
const preloadFile = join(root, 'dist', 'host', 'browser-preload.js');

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.map': 'application/json',
};

// The flags a closed network needs (no background fetches, no component updates), plus root's --no-sandbox.
const CHROMIUM_ARGS = [
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export function chromiumPath(): string {
  const candidates = [process.env['CHROMIUM_PATH'], '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
  const found = candidates.find((path): path is string => typeof path === 'string' && path.length > 0 && existsSync(path));
  if (found === undefined) throw new Error('Chromium not found: install Debian\'s `chromium` package or set CHROMIUM_PATH');
  return found;
}

export interface BrowserHostOptions {
  readonly dataDir: string;
  readonly headless?: boolean;
  /** Chromium's locale, i.e. what the renderer sees as the OS language. */
  readonly locale?: string;
  readonly viewport?: { width: number; height: number } | null;
  readonly colorScheme?: 'light' | 'dark';
  readonly onConsole?: (text: string) => void;
  /** Stands in for the OS file dialog (e2e tests); without it the window imports through a file input. */
  readonly chooseFiles?: ChooseFiles;
}

export interface BrowserHost {
  readonly browser: Browser;
  readonly context: BrowserContext;
  readonly page: Page;
  readonly runtime: Runtime;
  readonly origin: string;
  /** Loads (or reloads) the renderer and waits until it has mounted. */
  open(): Promise<void>;
  close(): Promise<void>;
}

export async function launchBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  if (!existsSync(join(rendererDir, 'index.html')) || !existsSync(preloadFile)) {
    throw new Error('the renderer is not built: run `npm run build` first');
  }
  const locale = options.locale ?? 'en-US';
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    headless: options.headless ?? true,
    // A person's window (npm start) opens at a working size; headless runs use the viewport.
    args: options.headless === false ? [...CHROMIUM_ARGS, '--window-size=1440,900'] : CHROMIUM_ARGS,
  });
  // Assigned once the context exists; events emitted before that have no page to reach.
  // eslint-disable-next-line prefer-const
  let page: Page | undefined;
  const emit = <E extends EventName>(event: E, payload: EventPayload<E>): void => {
    // Events are fire-and-forget by nature; a closed page simply misses them.
    page?.evaluate(([channel, body]) => {
      (globalThis as unknown as { __vigilDeliver?: (c: string, p: unknown) => void }).__vigilDeliver?.(channel, body);
    }, [eventChannelOf(event), payload] as const).catch(() => undefined);
  };
  const runtime = createRuntime({ dataDir: options.dataDir, host: 'browser', allowedOrigins: [BROWSER_HOST_ORIGIN], osLocale: locale, emit, checkOutputs: true, ...(options.chooseFiles === undefined ? {} : { chooseFiles: options.chooseFiles }) });
  const context = await browser.newContext({
    locale,
    viewport: options.viewport === undefined ? { width: 1440, height: 900 } : options.viewport,
    colorScheme: options.colorScheme ?? 'light',
    serviceWorkers: 'block',
  });

  // No network at all: the app origin is served from dist/renderer, anything else is refused, as the CSP does in Electron.
  await context.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    if (url.origin !== BROWSER_HOST_ORIGIN) return route.abort('blockedbyclient');
    const relative = normalize(decodeURIComponent(url.pathname)).replace(/^([/\\])+/, '') || 'index.html';
    const file = join(rendererDir, relative);
    if (!file.startsWith(rendererDir) || !existsSync(file)) return route.fulfill({ status: 404, body: 'not found' });
    return route.fulfill({ status: 200, body: await readFile(file), headers: { 'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream' } });
  });
  await context.exposeBinding('__vigilInvoke', async (source, channel: unknown, input: unknown) => {
    const name = typeof channel === 'string' && channel.startsWith('vigil:') ? channel.slice('vigil:'.length) : channel;
    const result = await runtime.registry.invoke(isOperationName(name) ? name : String(name), input, { origin: originOf(source.frame.url()) });
    // One JSON string crosses the binding far faster than Playwright's object serialisation (an
    // 800 KB result: ~110 ms against ~850 ms); the host preload parses it back.
    return JSON.stringify(result);
  });
  await context.addInitScript({ path: preloadFile });

  page = await context.newPage();
  if (options.onConsole !== undefined) {
    const onConsole = options.onConsole;
    page.on('console', (message) => onConsole(message.text()));
    page.on('pageerror', (error) => onConsole(`pageerror: ${error.message}`));
  }
  const openedPage = page;
  return {
    browser,
    context,
    page: openedPage,
    runtime,
    origin: BROWSER_HOST_ORIGIN,
    async open() {
      await openedPage.goto(`${BROWSER_HOST_ORIGIN}/index.html`);
      await openedPage.waitForSelector('[data-app-ready]');
    },
    async close() {
      await browser.close().catch(() => undefined);
      runtime.dispose();
    },
  };
}
