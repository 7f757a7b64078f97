// Bot-like and coached sessions. Each verdict needs several independent signs: pasting an ID number
// alone is what password-manager users do, and a fast typist alone is just fast.
import { percentileOf, robustZ } from '../common/stats.js';
import { BASELINE_FEATURES, SPREAD_FLOORS, featureValue, type BaselineFeature, type BehaviourBaseline } from './population.js';
import type { SessionFeatures } from './sessions.js';

export const BOT_THRESHOLD = 3;
export const COACHED_MIN_SIGNS = 2;
/** Under this an SMS code was not read by a person: delivery plus reading plus typing takes longer. */
export const SMS_INSTANT_MS = 3000;

export interface BehaviourAssessment {
  readonly bot: boolean;
  readonly botPoints: number;
  readonly botSignals: readonly string[];
  readonly coached: boolean;
  readonly coachedSignals: readonly string[];
  readonly smsInstant: boolean;
  readonly night: boolean;
  readonly z: Readonly<Partial<Record<BaselineFeature, number>>>;
  readonly percentiles: Readonly<Partial<Record<BaselineFeature, number>>>;
}

export function isNightHour(hour: number): boolean {
  return hour >= 0 && hour < 6;
}

export function assessSession(s: SessionFeatures, baseline: BehaviourBaseline | null): BehaviourAssessment {
  const z: Partial<Record<BaselineFeature, number>> = {};
  const percentiles: Partial<Record<BaselineFeature, number>> = {};
  if (baseline !== null) {
    for (const name of BASELINE_FEATURES) {
      const v = featureValue(s, name);
      const summary = baseline.features[name];
      if (v === null || summary.count < 20) continue;
      z[name] = robustZ(v, summary, SPREAD_FLOORS[name]);
      const p = percentileOf(v, summary);
      if (p !== null) percentiles[name] = p;
    }
  }

  const bot: string[] = [];
  let botPoints = 0;
  const sign = (points: number, text: string): void => {
    botPoints += points;
    bot.push(text);
  };
  const enoughKeys = s.keyIntervalCount >= 15;
  if (enoughKeys && s.keyIntervalCv !== null && s.keyIntervalCv < 0.15) sign(2, `keystroke_cv=${s.keyIntervalCv.toFixed(3)}`);
  if (enoughKeys && s.keyIntervalMean !== null && s.keyIntervalMean < 50) sign(2, `keystroke_mean_ms=${Math.round(s.keyIntervalMean)}`);
  else if (s.msPerChar !== null && s.msPerChar < 40) sign(2, `ms_per_char=${Math.round(s.msPerChar)}`);
  if ((z.fillMsTotal ?? 0) < -3 && s.fillMsTotal !== null) sign(1, `fill_ms=${Math.round(s.fillMsTotal)} z=${(z.fillMsTotal ?? 0).toFixed(1)}`);
  if (s.keyCount >= 40 && s.backspaces === 0) sign(0.5, 'no_corrections');
  const smsInstant = s.smsLatencyMs !== null && s.smsLatencyMs < SMS_INSTANT_MS;
  if (smsInstant) sign(1.5, `sms_latency_ms=${Math.round(s.smsLatencyMs ?? 0)}`);
  if (s.pastedIdentityFields.includes('id_number') && s.pastedIdentityFields.includes('bank_card')) sign(0.5, 'pasted=id_number+bank_card');

  const coached: string[] = [];
  if ((s.faceRetries ?? 0) >= 2) coached.push(`face_retries=${s.faceRetries}`);
  if (s.smsLatencyMs !== null && s.smsLatencyMs > 60_000 && (z.smsLatencyMs ?? 0) > 3) coached.push(`sms_latency_ms=${Math.round(s.smsLatencyMs)}`);
  if (s.navBacktracks >= 3 || (s.navDirectness !== null && s.navDirectness < 0.6 && s.pageViews >= 5)) coached.push(`nav_backtracks=${s.navBacktracks}`);
  if ((z.durationMs ?? 0) > 3) coached.push(`session_minutes=${Math.round(s.durationMs / 60_000)}`);
  if ((z.msPerChar ?? 0) > 3) coached.push(`ms_per_char=${Math.round(s.msPerChar ?? 0)}`);
  const night = isNightHour(s.hourLocal);
  if (night) coached.push(`hour=${s.hourLocal}`);
  // Coaching means someone else's identity data is being relayed: it starts with pasted identity fields.
  const identityPasted = s.pastedIdentityFields.some((f) => f === 'id_number' || f === 'bank_card' || f === 'name');
  const isBot = botPoints >= BOT_THRESHOLD;
  const isCoached = !isBot && identityPasted && coached.length >= COACHED_MIN_SIGNS;
  return {
    bot: isBot,
    botPoints,
    botSignals: bot,
    coached: isCoached,
    coachedSignals: identityPasted ? [`pasted=${s.pastedIdentityFields.join('+')}`, ...coached] : coached,
    smsInstant,
    night,
    z,
    percentiles,
  };
}
