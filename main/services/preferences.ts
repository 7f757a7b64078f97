// Language and theme live outside the encrypted store: the unlock screen needs them before any key exists.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { preferences as preferencesSchema, type Preferences } from '../../shared/ipc/ops/app.js';

export interface PreferencesService {
  get(): Preferences;
  update(change: Partial<Preferences>): Preferences;
}

export function defaultLanguageFor(osLocale: string): Preferences['language'] {
  return osLocale.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

export function createPreferencesService(dataDir: string, osLocale: string): PreferencesService {
  const file = join(dataDir, 'preferences.json');
  const defaults: Preferences = { language: defaultLanguageFor(osLocale), theme: 'system' };
  const read = (): Preferences => {
    try {
      const parsed = preferencesSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
      return parsed.success ? parsed.data : defaults;
    } catch {
      return defaults; // missing or unreadable: first run
    }
  };
  return {
    get: read,
    update(change) {
      const next = preferencesSchema.parse({ ...read(), ...change });
      mkdirSync(dataDir, { recursive: true });
      const tmp = `${file}.tmp`;
      writeFileSync(tmp, JSON.stringify(next, null, 2));
      renameSync(tmp, file);
      return next;
    },
  };
}
