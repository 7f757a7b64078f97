// The engines write what a check rests on as tokens (`keystroke_cv=0.043; fill_ms=2127 z=-3.0`,
// `base=25000 round`): data, not prose. On screen each token's name is said in the reader's language
// and its value is kept as it is; a name the catalogue does not know yet stays as written.
import { labelOf } from '../i18n/optionalKey.js';
import type { Translate } from '../i18n/I18nProvider.js';

/** `name=` where a token starts: at the start, or after a space, `;`, `:` or an opening bracket. */
const NAME = /(^|[\s;:(（])([a-z][a-z0-9_]*)=/g;
/** Words that are tokens on their own (`no_corrections`, `round`). */
const BARE = /(^|[\s;])(no_corrections|round|confirmed_fraud_member|always_full)(?=$|[\s;])/g;
/** Pasted fields, `id_number+bank_card`: each named like the form's fields. */
const PASTED = /(^|[\s;:])pasted=([a-z_]+(?:\+[a-z_]+)*)/g;

export function describeTokens(t: Translate, text: string): string {
  return text
    .replace(PASTED, (_all, before: string, fields: string) => `${before}${labelOf(t, 'token', 'pasted')} ${fields.split('+').map((f) => labelOf(t, 'field', f)).join(' + ')}`)
    .replace(NAME, (all, before: string, name: string) => {
      const label = labelOf(t, 'token', name);
      return label === name ? all : `${before}${label} `;
    })
    .replace(BARE, (_all, before: string, word: string) => `${before}${labelOf(t, 'token', word)}`);
}
