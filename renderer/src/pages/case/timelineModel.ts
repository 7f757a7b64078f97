// Pure geometry for the applicant timeline: lanes, time ticks, and the one-mark-per-pixel reduction
// that keeps 5,000 events to a few hundred SVG nodes without hiding any lane's activity.
import type { TimelineEvent } from '../../../../shared/ipc/ops/cases.js';

/** Swim lanes: the activation steps of DOMAIN.md, then events the exporter gave no step. */
export const LANES = [1, 2, 3, 4, 5, 6, 7, 0] as const;
export type Lane = (typeof LANES)[number];

export function laneOf(event: TimelineEvent): Lane {
  const step = event.step ?? STEP_BY_KIND[event.kind] ?? 0;
  return (LANES as readonly number[]).includes(step) ? (step as Lane) : 0;
}

const STEP_BY_KIND: Record<string, number> = {
  login: 1, logout: 1, page_view: 1,
  field_focus: 2, field_input: 2, paste: 2, sms_sent: 2, sms_verified: 2, face_check: 2, id_ocr: 2,
  bank_card_bound: 3, password_set: 3,
  pf_authorized: 4, pf_verified: 4,
  risk_evaluated: 5, decision: 6, appeal_filed: 7,
};

export type KindFamily = 'navigation' | 'input' | 'paste' | 'verification' | 'binding' | 'pf' | 'risk' | 'other';
export function familyOf(kind: string): KindFamily {
  switch (kind) {
    case 'login': case 'logout': case 'page_view': return 'navigation';
    case 'field_focus': case 'field_input': return 'input';
    case 'paste': return 'paste';
    case 'sms_sent': case 'sms_verified': case 'face_check': case 'id_ocr': return 'verification';
    case 'bank_card_bound': case 'password_set': return 'binding';
    case 'pf_authorized': case 'pf_verified': return 'pf';
    case 'risk_evaluated': case 'decision': case 'appeal_filed': return 'risk';
    default: return 'other';
  }
}

export interface PreparedEvent {
  readonly index: number;
  readonly time: number;
  readonly lane: Lane;
  readonly family: KindFamily;
  readonly event: TimelineEvent;
  /** The device or IP differs from the previous event that named one. */
  readonly deviceChanged: boolean;
  readonly ipChanged: boolean;
}

export function prepareEvents(events: readonly TimelineEvent[]): PreparedEvent[] {
  const sorted = events.map((event) => ({ event, time: Date.parse(event.ts) })).filter((entry) => Number.isFinite(entry.time));
  sorted.sort((a, b) => a.time - b.time);
  let device: string | null = null;
  let ip: string | null = null;
  return sorted.map(({ event, time }, index) => {
    const deviceChanged = event.deviceId !== null && device !== null && event.deviceId !== device;
    const ipChanged = event.ip !== null && ip !== null && event.ip !== ip;
    if (event.deviceId !== null) device = event.deviceId;
    if (event.ip !== null) ip = event.ip;
    return { index, time, lane: laneOf(event), family: familyOf(event.kind), event, deviceChanged, ipChanged };
  });
}

/** First index whose time is >= t (binary search over time-sorted events). */
export function lowerBound(events: readonly PreparedEvent[], t: number): number {
  let low = 0;
  let high = events.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((events[mid]?.time ?? Infinity) < t) low = mid + 1;
    else high = mid;
  }
  return low;
}

export interface Mark {
  readonly x: number;
  readonly lane: Lane;
  readonly family: KindFamily;
  readonly first: PreparedEvent;
  readonly count: number;
}

/** Events in [start, end] as marks, at most one per lane per pixel column (a paste always shows). */
export function marksInView(events: readonly PreparedEvent[], start: number, end: number, width: number): Mark[] {
  const from = lowerBound(events, start);
  const to = lowerBound(events, end + 1);
  const span = Math.max(1, end - start);
  const buckets = new Map<number, { x: number; lane: Lane; family: KindFamily; first: PreparedEvent; count: number }>();
  for (let index = from; index < to; index += 1) {
    const prepared = events[index];
    if (prepared === undefined) continue;
    const x = ((prepared.time - start) / span) * width;
    const key = Math.round(x) * 16 + prepared.lane * 2 + (prepared.family === 'paste' ? 1 : 0);
    const bucket = buckets.get(key);
    if (bucket === undefined) buckets.set(key, { x, lane: prepared.lane, family: prepared.family, first: prepared, count: 1 });
    else bucket.count += 1;
  }
  return [...buckets.values()];
}

const TICK_STEPS = [1, 5, 15, 30, 60, 300, 900, 1800, 3600, 3 * 3600, 6 * 3600, 12 * 3600, 86_400, 7 * 86_400, 30 * 86_400].map((s) => s * 1000);

/** Round-valued ticks, about `target` of them, across [start, end]. */
export function timeTicks(start: number, end: number, target = 7): { step: number; ticks: number[] } {
  const span = Math.max(1, end - start);
  const step = TICK_STEPS.find((candidate) => span / candidate <= target) ?? TICK_STEPS[TICK_STEPS.length - 1] ?? 86_400_000;
  // Align to the step in local time so ticks fall on whole minutes, hours or days.
  const offset = new Date(start).getTimezoneOffset() * 60_000;
  const first = Math.ceil((start - offset) / step) * step + offset;
  const ticks: number[] = [];
  for (let tick = first; tick <= end; tick += step) ticks.push(tick);
  return { step, ticks };
}

/** Event counts in `bins` equal slices of [start, end], for the overview strip under the brush. */
export function density(events: readonly PreparedEvent[], start: number, end: number, bins: number): number[] {
  const counts = new Array<number>(bins).fill(0);
  const span = Math.max(1, end - start);
  for (const prepared of events) {
    const bin = Math.min(bins - 1, Math.max(0, Math.floor(((prepared.time - start) / span) * bins)));
    counts[bin] = (counts[bin] ?? 0) + 1;
  }
  return counts;
}
