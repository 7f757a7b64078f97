import { z } from 'zod';
import { operation } from '../define.js';

export const LANGUAGES = ['zh-CN', 'en'] as const;
export const THEMES = ['light', 'dark', 'system'] as const;
export const preferences = z.strictObject({
  language: z.enum(LANGUAGES),
  theme: z.enum(THEMES),
});
export type Preferences = z.infer<typeof preferences>;

export const appOperations = {
  getAppInfo: operation({
    input: z.strictObject({}),
    output: z.strictObject({
      name: z.string(),
      version: z.string(),
      /** `electron` in the desktop shell, `browser` in the Chromium host (npm start fallback, e2e). */
      host: z.enum(['electron', 'browser']),
      osLocale: z.string(),
      /** Main can show the OS file dialog (chooseImportFiles); otherwise the window uses a file input. */
      nativeFileDialog: z.boolean(),
    }),
    access: 'public',
  }),
  getPreferences: operation({ input: z.strictObject({}), output: preferences, access: 'public' }),
  setPreferences: operation({ input: preferences.partial().strict(), output: preferences, access: 'public' }),
};
