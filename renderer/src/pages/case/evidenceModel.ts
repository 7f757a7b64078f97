// Pure shaping of evidence for the case panels (kept apart from the components so it is unit-tested).
import type { CaseEvidence } from '../../../../shared/ipc/ops/cases.js';
import type { LoadedTimeline } from './useCase.js';

export const AXIS_WIDTH = 168;
/** Lines a reason label may take beside its bar: every shipped label fits in three, in both languages (a unit test checks). */
export const REASON_LABEL_LINES = 3;

/** About how wide a character is at 11 px (CJK characters count double). */
function charWidth(char: string): number {
  return /[\u2e80-\uffff]/.test(char) ? 11 : 6.2;
}

/** Shortens a label to about `width` pixels at 11 px (CJK characters count double), ending in an ellipsis. */
export function fitLabel(label: string, width = AXIS_WIDTH - 8): string {
  let used = 0;
  let out = '';
  for (const char of label) {
    used += charWidth(char);
    if (used > width) return `${out}…`;
    out += char;
  }
  return out;
}

/**
 * Breaks a label into at most `lines` lines of about `width` pixels at 11 px: between words where the
 * text has spaces, anywhere in CJK text. Only what still does not fit ends in an ellipsis.
 */
export function wrapLabel(label: string, width = AXIS_WIDTH - 8, lines = 2): string[] {
  const out: string[] = [];
  let rest = label.trim();
  while (rest !== '' && out.length < lines - 1) {
    let used = 0;
    let cut = 0;
    let lastSpace = -1;
    const chars = [...rest];
    for (; cut < chars.length; cut++) {
      const char = chars[cut] as string;
      if (used + charWidth(char) > width) break;
      used += charWidth(char);
      if (char === ' ') lastSpace = cut;
    }
    if (cut >= chars.length) break;
    // Break at the last space on the line when there is one, so words stay whole.
    const at = lastSpace > 0 ? lastSpace : cut;
    out.push(chars.slice(0, at).join('').trimEnd());
    rest = chars.slice(at).join('').trimStart();
  }
  if (rest === '') return out;
  const fitted = fitLabel(rest, width);
  // Cut after the last whole word rather than inside one.
  const space = fitted.endsWith('…') ? fitted.lastIndexOf(' ') : -1;
  out.push(space > 0 ? `${fitted.slice(0, space)}…` : fitted);
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
