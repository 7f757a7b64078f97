// Everything the window, the CLI and the tests can do is a call on these services.
import type { EmitEvent } from './events.js';
import { createPreferencesService, type PreferencesService } from './preferences.js';
import { createSessionService, type SessionService } from './session.js';

export type Host = 'electron' | 'browser';

export interface ServiceOptions {
  readonly dataDir: string;
  readonly host: Host;
  readonly osLocale: string;
  readonly version: string;
  readonly emit: EmitEvent;
}

export interface Services {
  readonly appInfo: { name: string; version: string; host: Host; osLocale: string };
  readonly preferences: PreferencesService;
  readonly session: SessionService;
  dispose(): void;
}

export function createServices(options: ServiceOptions): Services {
  const session = createSessionService(options.dataDir, options.emit);
  return {
    appInfo: { name: 'Vigil', version: options.version, host: options.host, osLocale: options.osLocale },
    preferences: createPreferencesService(options.dataDir, options.osLocale),
    session,
    dispose() {
      session.close();
    },
  };
}
