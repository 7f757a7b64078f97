import { MESSAGES, type MessageKey } from '../../../shared/i18n/index.js';
import type { Translate } from './I18nProvider.js';

export function isMessageKey(key: string): key is MessageKey {
  return Object.prototype.hasOwnProperty.call(MESSAGES.en, key);
}

/**
 * The translation of `prefix.value` when the catalogue has it, else the value itself: engine codes
 * (device flags, link kinds) may grow faster than the messages, and a raw code beats a blank.
 */
export function labelOf(t: Translate, prefix: string, value: string): string {
  const key = `${prefix}.${value}`;
  return isMessageKey(key) ? t(key) : value;
}
