// The 0-1000 score: rule evidence and (when labels allow) the fitted model, added in log-odds, then
// split back into reasons so every point of the score is owed to a reason code.
import { REASONS, type ReasonCode, type ScoreBand } from '../../../shared/reasons.js';
import type { Evidence, FeatureVector } from './features.js';
import { modelContributions, sigmoid, type LogisticModel } from './model.js';
import { evaluateRules, renderTemplate, ruleSetVersion, type RuleHit, type RuleSet } from './rules.js';

/** Which reason a model feature's contribution is reported under. */
export const FEATURE_REASON: Readonly<Record<string, ReasonCode>> = {
  device_emulator: 'DEVICE_EMULATOR',
  device_tampered: 'DEVICE_TAMPERED',
  device_automation: 'DEVICE_AUTOMATION',
  device_inconsistent: 'DEVICE_INCONSISTENT',
  device_geo_mismatch: 'DEVICE_GEO_MISMATCH',
  network_proxy: 'NETWORK_PROXY',
  network_datacenter: 'NETWORK_PROXY',
  device_other_applicants_30d: 'DEVICE_SHARED_APPLICANTS',
  device_unrelated_applicants: 'DEVICE_SHARED_APPLICANTS',
  device_shared_log: 'DEVICE_SHARED_APPLICANTS',
  device_id_resets: 'DEVICE_SHARED_APPLICANTS',
  ip_crowd_noncampus: 'NETWORK_SHARED_IP',
  beh_bot: 'BEHAVIOUR_BOT_FILL',
  beh_bot_points: 'BEHAVIOUR_BOT_FILL',
  beh_key_cv: 'BEHAVIOUR_BOT_FILL',
  beh_speed_z: 'BEHAVIOUR_BOT_FILL',
  beh_coached: 'BEHAVIOUR_COACHED',
  beh_face_retries: 'BEHAVIOUR_COACHED',
  beh_paste_identity: 'BEHAVIOUR_PASTED_IDENTITY',
  beh_sms_instant: 'BEHAVIOUR_SMS_INSTANT',
  beh_sms_latency_s: 'BEHAVIOUR_SMS_INSTANT',
  night_burst_peers: 'BEHAVIOUR_NIGHT_BURST',
  beh_night: 'BEHAVIOUR_NIGHT_BURST',
  id_checksum_invalid: 'ID_CHECKSUM_INVALID',
  id_region_invalid: 'ID_REGION_INVALID',
  id_age_implausible: 'ID_AGE_IMPLAUSIBLE',
  id_age_pf_conflict: 'ID_AGE_IMPLAUSIBLE',
  beh_face_fail: 'FACE_CHECK_FAILED',
  beh_face_score: 'FACE_CHECK_FAILED',
  card_holder_mismatch: 'CARD_HOLDER_MISMATCH',
  phone_shared_applicants: 'PHONE_SHARED',
  pf_recent_start: 'PF_RECENT_START',
  pf_months_before_apply: 'PF_RECENT_START',
  pf_gap_months: 'PF_GAPS',
  pf_base_above_income: 'PF_BASE_ABOVE_INCOME',
  pf_base_to_income: 'PF_BASE_ABOVE_INCOME',
  pf_base_round: 'PF_BASE_SUSPICIOUS',
  pf_base_at_cap: 'PF_BASE_SUSPICIOUS',
  pf_employer_mismatch: 'PF_EMPLOYER_MISMATCH',
  pf_cohort_suspicious: 'PF_EMPLOYER_COHORT',
  pf_cohort_size: 'PF_EMPLOYER_COHORT',
  ring_member: 'RING_MEMBER',
  ring_base_score: 'RING_MEMBER',
  ring_size: 'RING_MEMBER',
  ring_strong_kinds: 'RING_MEMBER',
  ring_confirmed_other: 'RING_CONFIRMED_FRAUD',
  account_new: 'ACCOUNT_NEW',
  account_age_log: 'ACCOUNT_NEW',
  // Only the conjunction speaks for a takeover; a new phone or a trip alone is everyday life.
  ato: 'ACCOUNT_TAKEOVER',
  ato_local: 'ACCOUNT_TAKEOVER',
  card_reserved_phone_other: 'CARD_PHONE_MISMATCH',
  bureau_overdue: 'BUREAU_ADVERSE',
  bureau_inquiries_3m: 'BUREAU_ADVERSE',
};
const has = (f: FeatureVector, name: string, atLeast = 1): boolean => (f[name] ?? 0) >= atLeast;

/**
 * What must be true of an application before a reason's title may be said of it. A rule that fired is
 * that proof. A reason only the model pushes (a graded feature leaning the risky way) is named only when
 * this holds: an applicant active at 01:00 is not "a night-time burst from linked devices", a 172-day-old
 * account is not "registered shortly before activation", and a session the behaviour engine judged human
 * is not "filled by a script". Otherwise the model's push stays in the score, unnamed, like the small
 * nudges under MIN_REASON_LOG_ODDS.
 */
export const REASON_HOLDS: Readonly<Record<ReasonCode, (f: FeatureVector) => boolean>> = {
  DEVICE_SHARED_APPLICANTS: (f) => has(f, 'device_unrelated_applicants') || has(f, 'device_id_resets', 2),
  DEVICE_EMULATOR: (f) => has(f, 'device_emulator'),
  DEVICE_TAMPERED: (f) => has(f, 'device_tampered'),
  DEVICE_AUTOMATION: (f) => has(f, 'device_automation'),
  DEVICE_INCONSISTENT: (f) => has(f, 'device_inconsistent'),
  DEVICE_GEO_MISMATCH: (f) => has(f, 'device_geo_mismatch'),
  NETWORK_PROXY: (f) => has(f, 'network_proxy') || has(f, 'network_datacenter'),
  NETWORK_SHARED_IP: (f) => has(f, 'ip_crowd_noncampus', 3),
  BEHAVIOUR_BOT_FILL: (f) => has(f, 'beh_bot'),
  BEHAVIOUR_COACHED: (f) => has(f, 'beh_coached'),
  BEHAVIOUR_PASTED_IDENTITY: (f) => has(f, 'beh_paste_identity'),
  BEHAVIOUR_SMS_INSTANT: (f) => has(f, 'beh_sms_instant'),
  BEHAVIOUR_NIGHT_BURST: (f) => has(f, 'night_burst_peers'),
  ID_CHECKSUM_INVALID: (f) => has(f, 'id_checksum_invalid'),
  ID_REGION_INVALID: (f) => has(f, 'id_region_invalid'),
  ID_AGE_IMPLAUSIBLE: (f) => has(f, 'id_age_implausible') || has(f, 'id_age_pf_conflict'),
  FACE_CHECK_FAILED: (f) => has(f, 'beh_face_fail') || (f['beh_face_score'] !== undefined && f['beh_face_score'] < 0.8),
  CARD_HOLDER_MISMATCH: (f) => has(f, 'card_holder_mismatch'),
  CARD_PHONE_MISMATCH: (f) => has(f, 'card_reserved_phone_other'),
  PHONE_SHARED: (f) => has(f, 'phone_shared_applicants'),
  PF_RECENT_START: (f) => has(f, 'pf_recent_start'),
  PF_GAPS: (f) => has(f, 'pf_gap_months'),
  PF_BASE_ABOVE_INCOME: (f) => has(f, 'pf_base_above_income'),
  PF_BASE_SUSPICIOUS: (f) => has(f, 'pf_base_round') || has(f, 'pf_base_at_cap'),
  PF_EMPLOYER_MISMATCH: (f) => has(f, 'pf_employer_mismatch'),
  PF_EMPLOYER_COHORT: (f) => has(f, 'pf_cohort_suspicious'),
  RING_MEMBER: (f) => has(f, 'ring_member'),
  RING_CONFIRMED_FRAUD: (f) => has(f, 'ring_confirmed_other'),
  ACCOUNT_NEW: (f) => has(f, 'account_new'),
  ACCOUNT_TAKEOVER: (f) => has(f, 'ato') || has(f, 'ato_local'),
  BUREAU_ADVERSE: (f) => has(f, 'bureau_overdue') || has(f, 'bureau_inquiries_3m', 6),
};

/** The features the model learns from: every one of them reports under a reason code. */
export const MODEL_FEATURES: readonly string[] = Object.keys(FEATURE_REASON);

/**
 * Features whose low values speak for their reason (uniform typing, an instant SMS code, a low face
 * score, a recent PF start, a new account); every other model feature speaks for it when high.
 */
const LOWER_IS_SUSPICIOUS: ReadonlySet<string> = new Set(['beh_key_cv', 'beh_speed_z', 'beh_sms_latency_s', 'beh_face_score', 'pf_months_before_apply', 'account_age_log']);

/** For each model feature, the side on which it may raise a score (the model's sign constraints). */
export const MODEL_DIRECTIONS: readonly number[] = MODEL_FEATURES.map((name) => (LOWER_IS_SUSPICIOUS.has(name) ? -1 : 1));

/** Model-only contributions below this (log-odds) are not reported as reasons. */
export const MIN_REASON_LOG_ODDS = 0.25;

export interface ScoredReason {
  readonly code: ReasonCode;
  /** Share of the score owed to this reason, in points (0-1000 scale). */
  readonly points: number;
  /** Log-odds this reason added (rules plus model). */
  readonly logOdds: number;
  readonly ruleIds: readonly string[];
  readonly detail: { readonly en: string; readonly 'zh-CN': string };
}

export interface ApplicationScore {
  readonly score: number;
  readonly band: ScoreBand;
  readonly logOdds: number;
  readonly ruleLogOdds: number;
  readonly reasons: readonly ScoredReason[];
  /** Reasons that lowered the score (the model's mitigating evidence), for the case view. */
  readonly mitigations: readonly { readonly code: ReasonCode; readonly logOdds: number }[];
  readonly hits: readonly RuleHit[];
  readonly ruleSetVersion: string;
  readonly modelVersion: string | null;
}

export function bandOf(score: number, rules: RuleSet): ScoreBand {
  if (score >= rules.bands.critical) return 'critical';
  if (score >= rules.bands.high) return 'high';
  if (score >= rules.bands.medium) return 'medium';
  return 'low';
}

/** The rule set's log-odds alone: the model's offset, and the first-pass risk used for ring scores. */
export function ruleLogOdds(rules: RuleSet, features: FeatureVector): { logOdds: number; hits: RuleHit[] } {
  const hits = evaluateRules(rules, features);
  let logOdds = rules.intercept;
  for (const h of hits) logOdds += h.weight;
  return { logOdds, hits };
}

function formatValue(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(2);
}

export function scoreApplication(features: FeatureVector, evidence: Evidence, rules: RuleSet, model: LogisticModel | null): ApplicationScore {
  const { logOdds: ruleLogit, hits } = ruleLogOdds(rules, features);
  const byCode = new Map<ReasonCode, { logOdds: number; ruleIds: string[]; modelFeatures: string[] }>();
  const entry = (code: ReasonCode): { logOdds: number; ruleIds: string[]; modelFeatures: string[] } => {
    let e = byCode.get(code);
    if (e === undefined) byCode.set(code, (e = { logOdds: 0, ruleIds: [], modelFeatures: [] }));
    return e;
  };
  for (const h of hits) {
    const e = entry(h.code);
    e.logOdds += h.weight;
    e.ruleIds.push(h.ruleId);
  }
  let base = rules.intercept;
  if (model !== null) {
    const { intercept, contributions } = modelContributions(model, features);
    base += intercept;
    model.features.forEach((name, j) => {
      const c = contributions[j] as number;
      if (Math.abs(c) < 1e-6) return;
      const code = FEATURE_REASON[name];
      if (code === undefined) return;
      const e = entry(code);
      e.logOdds += c;
      if (Math.abs(c) >= 0.05) e.modelFeatures.push(name);
    });
  }
  let positive = 0;
  let negative = 0;
  for (const e of byCode.values()) {
    if (e.logOdds > 0) positive += e.logOdds;
    else negative += e.logOdds;
  }
  const total = base + positive + negative;
  const score = Math.round(1000 * sigmoid(total));
  // Points above what the mitigations alone would give are shared among the positive reasons.
  const floor = 1000 * sigmoid(base + negative);
  const spread = Math.max(0, score - floor);
  const ruleById = new Map(rules.rules.map((r) => [r.id, r]));
  const reasons: ScoredReason[] = [];
  const mitigations: { code: ReasonCode; logOdds: number }[] = [];
  for (const [code, e] of byCode) {
    if (e.logOdds <= 0) {
      if (e.logOdds <= -MIN_REASON_LOG_ODDS) mitigations.push({ code, logOdds: e.logOdds });
      continue;
    }
    // The model nudges many codes a little; only a fired rule, or a real push where the reason holds, makes a reason.
    if (e.ruleIds.length === 0 && (e.logOdds < MIN_REASON_LOG_ODDS || !REASON_HOLDS[code](features))) continue;
    const points = positive > 0 ? (spread * e.logOdds) / positive : 0;
    if (e.ruleIds.length === 0 && points < 1) continue;
    const en: string[] = [];
    const zh: string[] = [];
    for (const id of e.ruleIds) {
      const r = ruleById.get(id);
      if (r === undefined) continue;
      en.push(renderTemplate(r.explain.en, features, evidence, 'en'));
      zh.push(renderTemplate(r.explain['zh-CN'], features, evidence, 'zh-CN'));
    }
    if (en.length === 0) {
      const values = e.modelFeatures.map((name) => `${name}=${formatValue(features[name] ?? 0)}`).join(', ');
      en.push(`${REASONS[code].en} (model: ${values})`);
      zh.push(`${REASONS[code]['zh-CN']}（模型：${values}）`);
    }
    reasons.push({ code, points, logOdds: e.logOdds, ruleIds: e.ruleIds, detail: { en: en.join(' '), 'zh-CN': zh.join(' ') } });
  }
  reasons.sort((a, b) => b.logOdds - a.logOdds || (a.code < b.code ? -1 : 1));
  mitigations.sort((a, b) => a.logOdds - b.logOdds);
  return {
    score,
    band: bandOf(score, rules),
    logOdds: total,
    ruleLogOdds: ruleLogit,
    reasons,
    mitigations,
    hits,
    ruleSetVersion: ruleSetVersion(rules),
    modelVersion: model?.version ?? null,
  };
}
