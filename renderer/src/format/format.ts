// Dates, durations and reason titles in the reader's language. Pure functions over a translator.
import { isReasonCode, reasonTitle } from '../../../shared/reasons.js';
import type { Language } from '../../../shared/i18n/index.js';
import type { Translate } from '../i18n/I18nProvider.js';

/**
 * Every time on screen is China Standard Time, whatever the computer's own zone: the applicants, the
 * lenders and the engines' "night" are in China, and a team lead reviewing on a laptop set to another zone
 * must see the same 01:24 the night-activity reason speaks of.
 */
export const DISPLAY_TIME_ZONE = 'Asia/Shanghai';

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();
function cachedFormat(language: Language, options: Intl.DateTimeFormatOptions, key: string): Intl.DateTimeFormat {
  const cacheKey = `${language}|${key}`;
  let format = dateTimeFormats.get(cacheKey);
  if (format === undefined) {
    format = new Intl.DateTimeFormat(language, { ...options, timeZone: DISPLAY_TIME_ZONE });
    dateTimeFormats.set(cacheKey, format);
  }
  return format;
}

/**
 * English dates year first (2026-01-10 01:24): readers of English disagree on month/day order, and a
 * team lead abroad must not read 01/10 as 1 October. Chinese keeps its own 2026/01/10 01:24.
 */
function render(language: Language, options: Intl.DateTimeFormatOptions, key: string, date: Date): string {
  const format = cachedFormat(language, { ...options, hourCycle: 'h23' }, key);
  if (language !== 'en') return format.format(date);
  const part: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
  for (const p of format.formatToParts(date)) part[p.type] = p.value;
  const day = [part.year, part.month, part.day].filter((v) => v !== undefined).join('-');
  const time = [part.hour, part.minute, part.second].filter((v) => v !== undefined).join(':');
  return [day, time].filter((v) => v !== '').join(' ');
}

function parsed(iso: string | number): Date | null {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}

export function formatDateTime(language: Language, iso: string | null): string {
  if (iso === null) return '—';
  const date = parsed(iso);
  return date === null ? iso : render(language, { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }, 'datetime', date);
}

/** The same to the second: events, where seconds between steps are the evidence. */
export function formatDateTimeSeconds(language: Language, iso: string | null): string {
  if (iso === null) return '—';
  const date = parsed(iso);
  return date === null ? iso : render(language, { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }, 'datetime-seconds', date);
}

/** Month, day and time without the year: dense lists where the year is obvious. */
export function formatShortDateTime(language: Language, iso: string): string {
  const date = parsed(iso);
  return date === null ? iso : render(language, { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }, 'short', date);
}

export function formatDate(language: Language, iso: string | null): string {
  if (iso === null) return '—';
  const date = parsed(iso);
  return date === null ? iso : render(language, { year: 'numeric', month: '2-digit', day: '2-digit' }, 'date', date);
}

export function formatTime(language: Language, iso: string | number): string {
  const date = parsed(iso);
  return date === null ? String(iso) : render(language, { hour: '2-digit', minute: '2-digit', second: '2-digit' }, 'time', date);
}

export function formatNumber(language: Language, value: number | null, digits = 0): string {
  if (value === null || !Number.isFinite(value)) return '—';
  return value.toLocaleString(language, { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

export function formatMoney(language: Language, value: number | null): string {
  if (value === null) return '—';
  return value.toLocaleString(language, { style: 'currency', currency: 'CNY', maximumFractionDigits: 0 });
}

/** A span of time as the largest two units: `2d 3h`, `3h 12m`, `45m`, `30s`. */
export function formatDuration(t: Translate, milliseconds: number): string {
  const total = Math.max(0, Math.round(milliseconds / 1000));
  const days = Math.floor(total / 86_400);
  const hours = Math.floor((total % 86_400) / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  if (days > 0) return t('duration.daysHours', { days, hours });
  if (hours > 0) return t('duration.hoursMinutes', { hours, minutes });
  if (minutes > 0) return t('duration.minutes', { minutes });
  return t('duration.seconds', { seconds: total % 60 });
}

export type SlaTone = 'overdue' | 'due_soon' | 'on_time';
export const DUE_SOON_MS = 4 * 3600_000;

export function slaTone(dueAt: string, now: number): SlaTone {
  const left = Date.parse(dueAt) - now;
  if (left < 0) return 'overdue';
  return left < DUE_SOON_MS ? 'due_soon' : 'on_time';
}

export function slaText(t: Translate, dueAt: string, now: number): string {
  const left = Date.parse(dueAt) - now;
  return left < 0 ? t('sla.overdueBy', { time: formatDuration(t, -left) }) : t('sla.left', { time: formatDuration(t, left) });
}

/** The SLA in a queue cell: the time alone when there is time left, marked when it has run out. */
export function slaShortText(t: Translate, dueAt: string, now: number): string {
  const left = Date.parse(dueAt) - now;
  return left < 0 ? t('sla.short.overdue', { time: formatDuration(t, -left) }) : formatDuration(t, left);
}

/** The catalogue title of a reason code; codes outside the catalogue (platform rules) show as they are. */
export function reasonLabel(language: Language, code: string): string {
  return isReasonCode(code) ? reasonTitle(code, language) : code;
}
