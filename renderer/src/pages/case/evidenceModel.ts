// Pure shaping of evidence for the case panels (kept apart from the components so it is unit-tested).
import type { CaseEvidence } from '../../../../shared/ipc/ops/cases.js';
import type { LoadedTimeline } from './useCase.js';

export const AXIS_WIDTH = 168;

/** Shortens a label to about `width` pixels at 11 px (CJK characters count double), ending in an ellipsis. */
export function fitLabel(label: string, width = AXIS_WIDTH - 8): string {
  let used = 0;
  let out = '';
  for (const char of label) {
    used += /[\u2e80-\uffff]/.test(char) ? 11 : 6.2;
    if (used > width) return `${out}…`;
    out += char;
  }
  return out;
}

/** The message key of an engine finding: some checks say what they found only in their detail. */
export function checkKey(check: string, detail: string): string {
  if (check === 'base') return detail.includes('declared_income') ? 'base_above_income' : detail.includes('city_cap') ? 'base_at_cap' : 'base_round';
  if (check.startsWith('pf_employer')) return 'employer_mismatch';
  return check;
}

/** The months where the contributing employer differs from the month before. */
export function employerChanges(history: CaseEvidence['pf'][number]['history'], fallback: string): Array<{ month: string; employer: string }> {
  const changes: Array<{ month: string; employer: string }> = [];
  let previous: string | null = null;
  for (const entry of [...history].sort((a, b) => a.month.localeCompare(b.month))) {
    const employer = entry.employer ?? fallback;
    if (previous !== null && employer !== previous) changes.push({ month: entry.month, employer });
    previous = employer;
  }
  return changes;
}

export const INTERVAL_BIN_MS = 25;
export const INTERVAL_MAX_MS = 600;

/** Key intervals of every typed field in the application, as a histogram (25 ms bins; the last bin holds the rest). */
export function intervalHistogram(timeline: Pick<LoadedTimeline, 'events'> | null): Array<{ bin: number; count: number }> {
  const bins = new Array<number>(INTERVAL_MAX_MS / INTERVAL_BIN_MS + 1).fill(0);
  for (const event of timeline?.events ?? []) {
    const intervals = event.attrs['key_intervals_ms'];
    if (event.kind !== 'field_input' || !Array.isArray(intervals)) continue;
    for (const value of intervals) {
      if (typeof value !== 'number' || !Number.isFinite(value)) continue;
      const bin = Math.min(bins.length - 1, Math.floor(value / INTERVAL_BIN_MS));
      bins[bin] = (bins[bin] ?? 0) + 1;
    }
  }
  return bins.map((count, index) => ({ bin: index * INTERVAL_BIN_MS, count }));
}
