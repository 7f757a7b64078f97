// Input arrives as structured-clone (Electron) or JSON (Chromium host) data. Keys that could reach
// an object's prototype are refused outright, before any schema or service sees them.
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const MAX_DEPTH = 32;

export function findForbiddenKey(value: unknown, path: string[] = [], depth = 0): { key: string; path: string } | null {
  if (depth > MAX_DEPTH) return { key: '(nesting)', path: path.join('.') };
  if (value === null || typeof value !== 'object') return null;
  for (const key of Object.keys(value)) {
    if (FORBIDDEN_KEYS.has(key)) return { key, path: [...path, key].join('.') };
    const found = findForbiddenKey((value as Record<string, unknown>)[key], [...path, key], depth + 1);
    if (found !== null) return found;
  }
  return null;
}
