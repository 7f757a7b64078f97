// PII as investigators see it by default (DOMAIN.md, Privacy): enough to tell records apart, not enough
// to reuse. Pure functions: the renderer, the exports and the services all mask the same way.

const chars = (value: string): string[] => Array.from(value);
const stars = (count: number): string => '*'.repeat(Math.max(0, count));

/** `110105199001011234` -> `110105********1234`: region kept, birth date and sequence hidden. */
export function maskIdNumber(idNumber: string): string {
  const c = chars(idNumber.trim());
  if (c.length <= 10) return stars(c.length);
  return `${c.slice(0, 6).join('')}${stars(c.length - 10)}${c.slice(-4).join('')}`;
}

/** `13812345678` -> `138****5678`; a `+86`/`86` prefix is kept as written. */
export function maskPhone(phone: string): string {
  const trimmed = phone.trim();
  const prefix = /^(\+?86)[\s-]?/.exec(trimmed);
  const rest = chars((prefix === null ? trimmed : trimmed.slice(prefix[0].length)).replace(/[\s-]/g, ''));
  const head = prefix === null ? '' : `${prefix[1]} `;
  if (rest.length <= 7) return `${head}${stars(rest.length)}`;
  return `${head}${rest.slice(0, 3).join('')}${stars(rest.length - 7)}${rest.slice(-4).join('')}`;
}

/** `6222021234567891234` -> `6222 **** **** 1234`: issuer prefix and last four, nothing else. */
export function maskCard(cardNumber: string): string {
  const digits = chars(cardNumber.replace(/[\s-]/g, ''));
  if (digits.length <= 8) return stars(digits.length);
  return `${digits.slice(0, 4).join('')} **** **** ${digits.slice(-4).join('')}`;
}

/** `李小明` -> `李*明`, `李明` -> `李*`, `欧阳小明` -> `欧**明`; Latin names mask each word alike. */
export function maskName(name: string): string {
  const trimmed = name.trim();
  if (/\s/.test(trimmed)) return trimmed.split(/\s+/).map(maskName).join(' ');
  const c = chars(trimmed);
  if (c.length <= 1) return stars(c.length);
  if (c.length === 2) return `${c[0]}*`;
  return `${c[0]}${stars(c.length - 2)}${c.at(-1)}`;
}

export const PII_FIELDS = ['name', 'id_number', 'phone'] as const;
export type PiiField = (typeof PII_FIELDS)[number];

export function maskPii(field: PiiField, value: string): string {
  switch (field) {
    case 'name':
      return maskName(value);
    case 'id_number':
      return maskIdNumber(value);
    case 'phone':
      return maskPhone(value);
  }
}
