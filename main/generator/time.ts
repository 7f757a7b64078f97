// Timestamps as lenders export them: ISO 8601 in China Standard Time with the offset written out.
const CST_OFFSET_MS = 8 * 3_600_000;
export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));
const pad3 = (n: number): string => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : String(n));

/** `2026-03-14T09:26:53.589+08:00` for an epoch instant. */
export function cstTimestamp(ms: number): string {
  const d = new Date(Math.round(ms) + CST_OFFSET_MS);
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}T${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}.${pad3(d.getUTCMilliseconds())}+08:00`;
}

/** `YYYY-MM` of an instant in China time. */
export function cstMonth(ms: number): string {
  const d = new Date(ms + CST_OFFSET_MS);
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}`;
}

/** The month `delta` months after `YYYY-MM`. */
export function addMonths(month: string, delta: number): string {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7)) - 1 + delta;
  const year = y + Math.floor(m / 12);
  const mm = ((m % 12) + 12) % 12;
  return `${year}-${pad2(mm + 1)}`;
}

export function monthsBetween(from: string, to: string): number {
  return (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 + Number(to.slice(5, 7)) - Number(from.slice(5, 7));
}

/** Hour of day (0-23) in China time. */
export function cstHour(ms: number): number {
  return new Date(ms + CST_OFFSET_MS).getUTCHours();
}

/** The instant of `hour:minute` China time on the China-time day containing `ms`. */
export function atCstTime(ms: number, hour: number, minute: number): number {
  const dayStart = Math.floor((ms + CST_OFFSET_MS) / DAY) * DAY - CST_OFFSET_MS;
  return dayStart + hour * HOUR + minute * MINUTE;
}
