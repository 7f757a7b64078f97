import { en, type MessageKey, type Messages } from './en.js';
import { zhCN } from './zh-CN.js';

export type { MessageKey, Messages };
export type Language = 'zh-CN' | 'en';
export const MESSAGES: Record<Language, Messages> = { en, 'zh-CN': zhCN };

/** Fills `{name}` placeholders; a missing parameter stays visible rather than silently vanishing. */
export function translate(language: Language, key: MessageKey, params: Record<string, string | number> = {}): string {
  return MESSAGES[language][key].replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** Each language in its own name: a language picker must be readable whatever language is active. */
export const LANGUAGE_ENDONYMS: Record<Language, string> = { 'zh-CN': '中文（简体）', en: 'English' };
