// Interchange timestamps carry their offset; the applicant's local hour is read in that offset,
// falling back to China Standard Time for UTC-stamped records (the lenders are Chinese).
const OFFSET = /([+-])(\d{2}):?(\d{2})$/;
const CHINA_OFFSET_MINUTES = 8 * 60;

export function epochMs(timestamp: string): number {
  return Date.parse(timestamp);
}

export function offsetMinutes(timestamp: string): number {
  const m = OFFSET.exec(timestamp);
  if (m === null) return CHINA_OFFSET_MINUTES;
  const minutes = Number(m[2]) * 60 + Number(m[3]);
  return m[1] === '-' ? -minutes : minutes;
}

/** Hour of day (0-23) where the applicant was, from the timestamp's own offset. */
export function localHour(timestamp: string): number {
  const ms = epochMs(timestamp) + offsetMinutes(timestamp) * 60_000;
  return new Date(ms).getUTCHours();
}

/** Months since year 0 for a `YYYY-MM` string: month arithmetic without calendars. */
export function monthIndex(yearMonth: string): number {
  const year = Number(yearMonth.slice(0, 4));
  const month = Number(yearMonth.slice(5, 7));
  return year * 12 + (month - 1);
}

/** Back from a month index to `YYYY-MM`. */
export function monthString(index: number): string {
  const year = Math.floor(index / 12);
  return `${year}-${String(index - year * 12 + 1).padStart(2, '0')}`;
}

/** Month index of an instant, in China time (PF months are Chinese calendar months). */
export function monthIndexOfMs(ms: number): number {
  const d = new Date(ms + CHINA_OFFSET_MINUTES * 60_000);
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
}

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;
