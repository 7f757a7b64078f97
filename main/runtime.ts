// The main-process runtime without Electron: services plus the IPC registry. The Electron shell,
// the Chromium host (npm start fallback, e2e tests) and the integration tests all build exactly this.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from './projectRoot.js';
import { createHandlers } from './ipc/handlers/index.js';
import { createIpcRegistry, type IpcRegistry } from './ipc/registry.js';
import type { EmitEvent } from './services/events.js';
import { createServices, type Host, type Services } from './services/index.js';
import type { ChooseFiles } from './services/fileChoice.js';
import type { SessionOptions } from './services/session.js';

export interface RuntimeOptions {
  readonly dataDir: string;
  readonly host: Host;
  readonly allowedOrigins: readonly string[];
  readonly osLocale?: string;
  readonly emit?: EmitEvent;
  readonly checkOutputs?: boolean;
  /** The app's version; read from package.json when not given (Node, tests). */
  readonly version?: string;
  /** Store and session settings (the Electron shell passes its safeStorage wrapper here). */
  readonly session?: SessionOptions;
  /** The OS file dialog (Electron's dialog.showOpenDialog); absent in the Chromium host, which uses a file input. */
  readonly chooseFiles?: ChooseFiles;
}

export interface Runtime {
  readonly services: Services;
  readonly registry: IpcRegistry;
  dispose(): void;
}

export function appVersion(): string {
  const pkg = JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

export function createRuntime(options: RuntimeOptions): Runtime {
  const services = createServices({
    dataDir: options.dataDir,
    host: options.host,
    osLocale: options.osLocale ?? Intl.DateTimeFormat().resolvedOptions().locale,
    version: options.version ?? appVersion(),
    emit: options.emit ?? (() => undefined),
    ...(options.session === undefined ? {} : { session: options.session }),
    ...(options.chooseFiles === undefined ? {} : { chooseFiles: options.chooseFiles }),
  });
  const registry = createIpcRegistry({
    handlers: createHandlers(services),
    session: services.session,
    allowedOrigins: options.allowedOrigins,
    checkOutputs: options.checkOutputs ?? false,
    onInternalError: (operation, error) => console.error(`[vigil] ${operation} failed:`, error),
  });
  return { services, registry, dispose: () => services.dispose() };
}
