// Per-session behaviour features from the activation flow's events: how the form was filled, how
// fast the SMS code came back, how many face-check retries, how directly the applicant navigated.
import type { EventRecord } from '../../../shared/interchange/schema.js';
import { coefficientOfVariation, mean } from '../common/stats.js';
import { epochMs, localHour } from '../common/time.js';
import { ipWindowKeys } from '../links/identifiers.js';

/** Fields whose pasting matters: identity and card data an applicant normally types or autofills. */
export const IDENTITY_FIELDS = new Set(['name', 'id_number', 'bank_card', 'phone', 'reserved_phone', 'pf_account']);
/** Fields a password manager or the SMS autofill legitimately pastes. */
export const SECRET_FIELDS = new Set(['password', 'sms_code']);

export interface SessionFeatures {
  readonly sessionId: string;
  readonly applicationId: string;
  /** `device` records the session's events point at. */
  readonly deviceObservationIds: readonly string[];
  readonly ips: readonly string[];
  /** IP window keys of every event with an IP (links applicants seen on one IP within half an hour). */
  readonly ipKeys: readonly string[];
  /** Has form-filling, SMS or face-check events: the activation itself, not a later visit. */
  readonly form: boolean;
  readonly startMs: number;
  readonly endMs: number;
  readonly startTs: string;
  readonly hourLocal: number;
  readonly eventCount: number;
  /** Fields typed (field_input events) and their total fill time. */
  readonly fieldsTyped: number;
  readonly fillMsTotal: number | null;
  readonly fillMsByField: Readonly<Record<string, number>>;
  /** Milliseconds per typed character over all typed fields. */
  readonly msPerChar: number | null;
  readonly keyIntervalCount: number;
  readonly keyIntervalMean: number | null;
  readonly keyIntervalCv: number | null;
  readonly keyCount: number;
  readonly backspaces: number;
  readonly backspaceRate: number | null;
  readonly pastesIdentity: number;
  readonly pastedIdentityFields: readonly string[];
  readonly pastesSecret: number;
  readonly smsLatencyMs: number | null;
  readonly smsAttempts: number | null;
  readonly faceRetries: number | null;
  readonly faceScore: number | null;
  /** The liveness check said no (a replayed or injected face). */
  readonly faceLivenessFailed: boolean;
  readonly pageViews: number;
  /** Distinct pages over page views: 1 is a straight walk through the flow, lower means wandering back. */
  readonly navDirectness: number | null;
  readonly navBacktracks: number;
  readonly durationMs: number;
}

function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}
function str(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** Groups events by session within each application (by application when the exporter left sessions out). */
export function groupSessions(events: readonly EventRecord[]): [sessionId: string, events: EventRecord[]][] {
  // A session id is unique within an application, not across applications: two applications' events
  // carrying the same id are two sessions.
  const sessions = new Map<string, [string, EventRecord[]]>();
  for (const e of events) {
    const id = e.session_id ?? `app:${e.application_id}`;
    const key = `${e.application_id}\u0000${id}`;
    let entry = sessions.get(key);
    if (entry === undefined) sessions.set(key, (entry = [id, []]));
    entry[1].push(e);
  }
  return [...sessions.values()];
}

export function sessionFeatures(sessionId: string, events: readonly EventRecord[]): SessionFeatures {
  const sorted = [...events].sort((a, b) => epochMs(a.ts) - epochMs(b.ts) || (a.id < b.id ? -1 : 1));
  const first = sorted[0] as EventRecord;
  const startMs = epochMs(first.ts);
  const endMs = epochMs((sorted[sorted.length - 1] as EventRecord).ts);
  const fillMsByField: Record<string, number> = {};
  const intervals: number[] = [];
  let fieldsTyped = 0;
  let typedMs = 0;
  let typedChars = 0;
  let keyCount = 0;
  let backspaces = 0;
  const pastedIdentity = new Set<string>();
  let pastesIdentity = 0;
  let pastesSecret = 0;
  let smsSentMs: number | null = null;
  let smsLatencyMs: number | null = null;
  let smsAttempts: number | null = null;
  let faceRetries: number | null = null;
  let faceScore: number | null = null;
  let faceLivenessFailed = false;
  const pages: string[] = [];
  const deviceIds = new Set<string>();
  const ips = new Set<string>();
  const ipKeys = new Set<string>();

  for (const e of sorted) {
    if (e.device_id !== undefined) deviceIds.add(e.device_id);
    if (e.ip !== undefined) {
      ips.add(e.ip);
      for (const key of ipWindowKeys(e.ip, epochMs(e.ts))) ipKeys.add(key);
    }
    const attrs = e.attrs ?? {};
    switch (e.kind) {
      case 'field_input': {
        const field = str(attrs['field']) ?? 'unknown';
        const duration = num(attrs['duration_ms']);
        if (duration !== null) {
          fillMsByField[field] = (fillMsByField[field] ?? 0) + duration;
          fieldsTyped++;
          const len = num(attrs['value_length']);
          if (len !== null && len > 0) {
            typedMs += duration;
            typedChars += len;
          }
        }
        keyCount += num(attrs['key_count']) ?? 0;
        backspaces += num(attrs['backspaces']) ?? 0;
        const ki = attrs['key_intervals_ms'];
        if (Array.isArray(ki)) for (const v of ki) if (typeof v === 'number' && Number.isFinite(v) && v >= 0) intervals.push(v);
        break;
      }
      case 'paste': {
        const field = str(attrs['field']) ?? 'unknown';
        if (IDENTITY_FIELDS.has(field)) {
          pastesIdentity++;
          pastedIdentity.add(field);
        } else if (SECRET_FIELDS.has(field)) pastesSecret++;
        break;
      }
      case 'sms_sent':
        smsSentMs = epochMs(e.ts);
        break;
      case 'sms_verified': {
        const latency = num(attrs['latency_ms']);
        smsLatencyMs = latency ?? (smsSentMs === null ? null : epochMs(e.ts) - smsSentMs);
        smsAttempts = num(attrs['attempts']);
        break;
      }
      case 'face_check': {
        const attempts = num(attrs['attempts']);
        if (attempts !== null) faceRetries = Math.max(faceRetries ?? 0, attempts - 1);
        const score = num(attrs['score']);
        if (score !== null) faceScore = faceScore === null ? score : Math.min(faceScore, score);
        const liveness = attrs['liveness'];
        if (liveness === false || (typeof liveness === 'string' && /fail|reject|spoof|attack/i.test(liveness))) faceLivenessFailed = true;
        break;
      }
      case 'page_view': {
        const page = str(attrs['page']);
        if (page !== null) pages.push(page);
        break;
      }
      default:
        break;
    }
  }
  let backtracks = 0;
  const seen = new Set<string>();
  for (let i = 0; i < pages.length; i++) {
    const page = pages[i] as string;
    if (seen.has(page) && pages[i - 1] !== page) backtracks++;
    seen.add(page);
  }
  const form = fieldsTyped > 0 || pastesIdentity > 0 || pastesSecret > 0 || smsLatencyMs !== null || faceRetries !== null;
  return {
    sessionId,
    applicationId: first.application_id,
    deviceObservationIds: [...deviceIds].sort(),
    ips: [...ips].sort(),
    ipKeys: [...ipKeys].sort(),
    form,
    startMs,
    endMs,
    startTs: first.ts,
    hourLocal: localHour(first.ts),
    eventCount: sorted.length,
    fieldsTyped,
    fillMsTotal: fieldsTyped > 0 ? Object.values(fillMsByField).reduce((a, b) => a + b, 0) : null,
    fillMsByField,
    msPerChar: typedChars > 0 ? typedMs / typedChars : null,
    keyIntervalCount: intervals.length,
    keyIntervalMean: intervals.length > 0 ? mean(intervals) : null,
    keyIntervalCv: intervals.length >= 2 ? coefficientOfVariation(intervals) : null,
    keyCount,
    backspaces,
    backspaceRate: keyCount > 0 ? backspaces / keyCount : null,
    pastesIdentity,
    pastedIdentityFields: [...pastedIdentity].sort(),
    pastesSecret,
    smsLatencyMs,
    smsAttempts,
    faceRetries,
    faceScore,
    faceLivenessFailed,
    pageViews: pages.length,
    navDirectness: pages.length > 0 ? new Set(pages).size / pages.length : null,
    navBacktracks: backtracks,
    durationMs: endMs - startMs,
  };
}

/** Whether a session is the activation form (as opposed to a later login or an appeal visit). */
export function isFormSession(s: SessionFeatures): boolean {
  return s.form;
}
