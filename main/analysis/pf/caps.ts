// City contribution-base caps, read once from resources/rules/ (static data at startup).
import { readFileSync } from 'node:fs';
import type { PfCityCaps } from './checks.js';
import { resourcePath } from '../../projectRoot.js';

function load(): PfCityCaps {
  const file = resourcePath('rules', 'pf-caps-2024.json');
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { caps: Record<string, number> };
  return Object.freeze({ ...parsed.caps });
}

export const DEFAULT_PF_CAPS: PfCityCaps = load();
