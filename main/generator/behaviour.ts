// The activation flow (DOMAIN.md steps 1-6) as events, with keystroke timing by who is at the keyboard:
// people type unevenly, pause and correct; password managers paste; scripts type evenly and at once.
import type { DecisionRecord, EventRecord } from '../../shared/interchange/schema.js';
import type { Rng } from './random.js';
import { cstTimestamp } from './time.js';

export type FillStyle = 'human' | 'paster' | 'bot' | 'farm';

export interface FlowPlan {
  readonly rng: Rng;
  readonly nextEventId: () => string;
  readonly applicationId: string;
  readonly sessionId: string;
  readonly deviceId: string;
  readonly ip: string;
  readonly startMs: number;
  readonly style: FillStyle;
  /** Median milliseconds between keystrokes for this person (people differ). */
  readonly keyMedianMs: number;
  readonly nameLength: number;
  readonly cardLength: number;
  readonly bankCardId: string;
  readonly pfCity: string | null;
  readonly pfRecordId: string | null;
  readonly pfResult: string;
  /** Face check done by a person (`live`), replayed or injected (`injected`), or an ID card OCR instead. */
  readonly identityCheck: 'live' | 'injected' | 'ocr';
  readonly riskScore: number;
  readonly rules: readonly string[];
  readonly outcome: DecisionRecord['outcome'];
}

interface Typed {
  readonly intervals: number[];
  readonly duration: number;
  readonly keys: number;
  readonly backspaces: number;
}

function typeText(rng: Rng, plan: FlowPlan, valueLength: number, imeKeysPerChar: number): Typed {
  const bot = plan.style === 'bot';
  let keys = bot ? valueLength : Math.round(valueLength * imeKeysPerChar) + (imeKeysPerChar > 1 ? rng.int(1, 2) : 0);
  let backspaces = 0;
  if (!bot && rng.chance(0.3)) {
    backspaces = rng.int(1, 3);
    keys += backspaces * 2;
  }
  const intervals: number[] = [];
  let duration = 0;
  for (let i = 1; i < keys; i++) {
    let gap: number;
    if (bot) gap = 38 + rng.next() * 6;
    else {
      gap = rng.logNormal(plan.keyMedianMs, 0.45);
      if (rng.chance(0.06)) gap += rng.int(400, 2200);
    }
    const rounded = Math.round(gap);
    intervals.push(rounded);
    duration += rounded;
  }
  return { intervals, duration: duration + (bot ? 5 : rng.int(80, 400)), keys, backspaces };
}

export function activationEvents(plan: FlowPlan): { events: EventRecord[]; endMs: number } {
  const { rng } = plan;
  const events: EventRecord[] = [];
  let t = plan.startMs;
  const bot = plan.style === 'bot';
  const think = (min: number, max: number): void => {
    t += bot ? rng.int(120, 400) : rng.int(min, max);
  };
  const emit = (kind: string, step: number, attrs?: Record<string, unknown>): void => {
    const event: EventRecord = {
      type: 'event',
      id: plan.nextEventId(),
      application_id: plan.applicationId,
      ts: cstTimestamp(t),
      kind,
      session_id: plan.sessionId,
      device_id: plan.deviceId,
      ip: plan.ip,
      step,
    };
    if (attrs !== undefined) event.attrs = attrs;
    events.push(event);
  };
  const field = (name: string, step: number, valueLength: number, imeKeysPerChar: number, paste: boolean): void => {
    if (bot || rng.chance(0.6)) {
      emit('field_focus', step, { field: name });
      think(300, 1500);
    }
    if (paste) {
      emit('paste', step, { field: name, value_length: valueLength });
      think(400, 1800);
      return;
    }
    const typed = typeText(rng, plan, valueLength, imeKeysPerChar);
    t += typed.duration;
    emit('field_input', step, { field: name, duration_ms: typed.duration, key_count: typed.keys, key_intervals_ms: typed.intervals, backspaces: typed.backspaces, value_length: valueLength });
    think(500, 2500);
  };
  const pastes = (name: string): boolean => {
    if (plan.style === 'paster') return name === 'id_number' || name === 'bank_card' || (name === 'phone' && rng.chance(0.5));
    if (plan.style === 'farm') return name === 'id_number' || name === 'bank_card' || name === 'name';
    if (plan.style === 'bot') return rng.chance(0.3) && (name === 'id_number' || name === 'bank_card');
    return false;
  };

  emit('login', 1);
  think(1500, 6000);
  emit('page_view', 1, { page: 'credit_home' });
  think(2000, 15000);
  if (rng.chance(0.5)) {
    emit('page_view', 1, { page: 'activation' });
    think(1000, 5000);
  }
  emit('page_view', 2, { page: 'real_name' });
  think(1000, 4000);
  // Chinese names go through a pinyin IME: about three keystrokes per character for a person.
  field('name', 2, plan.nameLength, 3.2, pastes('name'));
  field('id_number', 2, 18, 1, pastes('id_number'));
  emit('sms_sent', 2);
  const smsSentAt = t;
  // People switch to the SMS app and back; scripts read the code from a modem pool.
  t += bot ? rng.int(700, 1600) : plan.style === 'farm' ? rng.int(4000, 12000) : rng.int(8000, 45000);
  field('sms_code', 2, 6, 1, false);
  emit('sms_verified', 2, { latency_ms: t - smsSentAt, attempts: bot || rng.chance(0.9) ? 1 : 2 });
  think(1500, 5000);
  if (plan.identityCheck === 'ocr') emit('id_ocr', 2, { match: true });
  else if (plan.identityCheck === 'injected') emit('face_check', 2, { score: Math.round((0.6 + rng.next() * 0.25) * 1000) / 1000, liveness: rng.chance(0.6) ? 'pass' : 'fail', attempts: rng.int(2, 4) });
  else emit('face_check', 2, { score: Math.round((0.86 + rng.next() * 0.13) * 1000) / 1000, liveness: 'pass', attempts: rng.chance(0.9) ? 1 : 2 });
  think(2000, 8000);
  emit('page_view', 3, { page: 'bind_card' });
  think(1000, 4000);
  field('bank_card', 3, plan.cardLength, 1, pastes('bank_card'));
  field('reserved_phone', 3, 11, 1, pastes('phone'));
  emit('bank_card_bound', 3, { bank_card_id: plan.bankCardId });
  think(1500, 6000);
  emit('password_set', 3);
  think(2000, 9000);
  if (plan.pfCity !== null && plan.pfRecordId !== null) {
    emit('pf_authorized', 4, { city: plan.pfCity });
    t += rng.int(3000, 20000);
    emit('pf_verified', 4, { pf_record_id: plan.pfRecordId, result: plan.pfResult });
    think(500, 3000);
  }
  t += rng.int(800, 4000);
  emit('risk_evaluated', 5, { score: plan.riskScore, rules: [...plan.rules] });
  t += rng.int(200, 2000);
  emit('decision', 6, { outcome: plan.outcome });
  return { events, endMs: t };
}
