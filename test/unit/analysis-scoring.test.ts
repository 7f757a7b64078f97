import { describe, expect, it } from 'vitest';
import { REASON_CODES, REASONS } from '../../shared/reasons.js';
import { fitLogistic, modelContributions, type LogisticModel } from '../../main/analysis/scoring/model.js';
import { conditionFeatures, holds, parseRuleSet, renderTemplate } from '../../main/analysis/scoring/rules.js';
import { defaultRuleSet, KNOWN_EVIDENCE_WORDS, KNOWN_FEATURES, neutralFeatures } from '../../main/analysis/scoring/ruleSets.js';
import { FEATURE_REASON, MODEL_DIRECTIONS, MODEL_FEATURES, REASON_HOLDS, scoreApplication } from '../../main/analysis/scoring/score.js';
import { PATTERN_REASONS } from '../eval/run.js';

const rules = defaultRuleSet();
const quiet: Record<string, number> = neutralFeatures();

describe('the reason-code catalogue and the default rule set', () => {
  it('titles every reason code in English and Chinese', () => {
    for (const code of REASON_CODES) {
      expect(REASONS[code].en.length).toBeGreaterThan(0);
      expect(REASONS[code]['zh-CN']).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('is versioned, reads only features the engines produce and explains every rule in both languages', () => {
    expect(`${rules.id}-v${rules.version}`).toBe('default-v4');
    for (const rule of rules.rules) {
      for (const name of conditionFeatures(rule.when)) expect(KNOWN_FEATURES.has(name), `${rule.id} reads ${name}`).toBe(true);
      expect(rule.explain['zh-CN']).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('gives every fraud pattern of the domain its own reason code, each produced by a rule', () => {
    const ruleCodes = new Set(rules.rules.map((r) => r.code));
    for (const [pattern, codes] of Object.entries(PATTERN_REASONS)) expect(codes.some((c) => ruleCodes.has(c)), pattern).toBe(true);
    for (const code of Object.values(FEATURE_REASON)) expect(REASON_CODES).toContain(code);
  });

  it('refuses a rule that reads a feature nobody computes', () => {
    const bad = { ...rules, rules: [{ ...rules.rules[0], when: { feature: 'shoe_size', op: '>', value: 40 } }] };
    expect(() => parseRuleSet(bad, KNOWN_FEATURES)).toThrow(/unknown feature shoe_size/);
  });

  it('refuses an explanation that quotes a word nobody computes, naming the rule and the language', () => {
    const first = rules.rules[0] as (typeof rules.rules)[number];
    const typo = { ...rules, rules: [{ ...first, explain: { en: first.explain.en, 'zh-CN': '共用{ring_lnks}' } }] };
    expect(() => parseRuleSet(typo, KNOWN_FEATURES, KNOWN_EVIDENCE_WORDS)).toThrow(/rule .+: the zh-CN explanation quotes \{ring_lnks\}/);
    // Evidence words and features both may be quoted.
    const fine = { ...rules, rules: [{ ...first, explain: { en: 'shared {ring_links}, {device_unrelated_applicants} others', 'zh-CN': '共用{ring_links}' } }] };
    expect(() => parseRuleSet(fine, KNOWN_FEATURES, KNOWN_EVIDENCE_WORDS)).not.toThrow();
  });
});

describe('rule conditions and explanations', () => {
  it('evaluates all, any, not and comparisons, and never fires on a missing feature', () => {
    const f = { a: 3, b: 0 };
    expect(holds({ all: [{ feature: 'a', op: '>=', value: 3 }, { not: { feature: 'b', op: '>', value: 0 } }] }, f)).toBe(true);
    expect(holds({ any: [{ feature: 'a', op: '<', value: 1 }, { feature: 'b', op: '==', value: 0 }] }, f)).toBe(true);
    expect(holds({ feature: 'missing', op: '!=', value: 1 }, f)).toBe(false);
  });

  it('fills templates from evidence words first, then feature values', () => {
    expect(renderTemplate('device {device_id} used by {n} others ({unknown})', { n: 4 }, { device_id: 'Dx' })).toBe('device Dx used by 4 others ({unknown})');
  });
});

describe('the score', () => {
  it('puts an application without evidence in the low band with no reasons', () => {
    const s = scoreApplication(quiet, {}, rules, null);
    expect(s.band).toBe('low');
    expect(s.reasons).toEqual([]);
  });

  it('puts an emulator in the high band or above with its reason code and both explanations', () => {
    const s = scoreApplication({ ...quiet, device_emulator: 1 }, { device_emulator_evidence: 'gpu=swiftshader' }, rules, null);
    expect(['high', 'critical']).toContain(s.band);
    expect(s.reasons[0]).toMatchObject({ code: 'DEVICE_EMULATOR', ruleIds: ['device.emulator'], detail: { en: 'The device shows emulator traits (gpu=swiftshader).' } });
    expect(s.reasons[0]?.detail['zh-CN']).toContain('模拟器');
  });

  it('orders reasons by contribution and shares out no more points than the score', () => {
    const s = scoreApplication({ ...quiet, device_emulator: 1, pf_base_round: 1, beh_bot: 1 }, {}, rules, null);
    expect(s.reasons.map((r) => r.code)).toEqual(['BEHAVIOUR_BOT_FILL', 'DEVICE_EMULATOR', 'PF_BASE_SUSPICIOUS']);
    const points = s.reasons.reduce((sum, r) => sum + r.points, 0);
    expect(points).toBeLessThanOrEqual(s.score);
    expect(s.reasons[0]?.points ?? 0).toBeGreaterThan(s.reasons[2]?.points ?? 0);
  });

  it('keeps a genuine look-alike (shared family device, campus IP, pasted ID) below the high band', () => {
    const familyCampusPaster = { ...quiet, ip_campus: 1, ip_crowd: 6, beh_paste_identity: 2, device_other_applicants_30d: 2, ring_member: 1, ring_household_share: 1, ring_base_score: 0.05 };
    expect(scoreApplication(familyCampusPaster, {}, rules, null).band).toBe('low');
  });
});

describe('the explainable model', () => {
  const rows = Array.from({ length: 400 }, (_, i) => {
    const fraud = i % 4 === 0;
    return { features: { ...quiet, bureau_inquiries_3m: fraud ? 8 + (i % 5) : i % 3, account_age_log: fraud ? 2 : 6 + (i % 3) }, offset: rules.intercept, fraud };
  });
  const model = fitLogistic(rows, MODEL_FEATURES, { version: 'test', l2: 1 });

  it('learns from labels what the rules miss and separates the classes', () => {
    const j = model.features.indexOf('bureau_inquiries_3m');
    expect(model.coefficients[j]).toBeGreaterThan(0);
    const risky = scoreApplication({ ...quiet, bureau_inquiries_3m: 10, account_age_log: 2, account_new: 1 }, {}, rules, model);
    const calm = scoreApplication({ ...quiet, bureau_inquiries_3m: 1, account_age_log: 7 }, {}, rules, model);
    expect(risky.score).toBeGreaterThan(calm.score + 500);
    expect(risky.reasons.map((r) => r.code)).toEqual(expect.arrayContaining(['BUREAU_ADVERSE', 'ACCOUNT_NEW']));
  });

  it('adds per-feature contributions up to the linear predictor, measured from each feature\'s reference', () => {
    const features: Record<string, number> = { ...quiet, bureau_inquiries_3m: 9, account_age_log: 3 };
    const { intercept, contributions } = modelContributions(model, features);
    let eta = model.intercept;
    model.features.forEach((name, j) => {
      eta += ((model.coefficients[j] as number) * ((features[name] ?? 0) - (model.means[j] as number))) / (model.scales[j] as number);
    });
    expect(intercept + contributions.reduce((a, b) => a + b, 0)).toBeCloseTo(eta, 9);
    const atReference = Object.fromEntries(model.features.map((name, j) => [name, model.references[j] as number]));
    expect(modelContributions(model, atReference).contributions.every((c) => Math.abs(c) < 1e-12)).toBe(true);
  });
});

describe('the model explains only from the suspicious side of each feature', () => {
  // Fraud here has no PF record (ratio 0), genuine applicants a base near their income: an unconstrained
  // fit learns "lower base-to-income, more fraud" and would report it as "base far above income".
  const rows = Array.from({ length: 400 }, (_, i) => {
    const fraud = i % 4 === 0;
    const features: Record<string, number> = { ...quiet, bureau_inquiries_3m: fraud ? 6 + (i % 5) : i % 3, pf_base_to_income: fraud ? 0 : 0.85 + (i % 5) * 0.05 };
    if (!fraud) features['pf_months_before_apply'] = 12 + (i % 50);
    return { features, offset: rules.intercept, fraud };
  });
  const j = MODEL_FEATURES.indexOf('pf_base_to_income');

  it('would learn the wrong-way coefficient without the sign constraints (the trap is real)', () => {
    const free = fitLogistic(rows, MODEL_FEATURES, { version: 'free', l2: 1 });
    expect(free.coefficients[j]).toBeLessThan(-0.1);
    // It would push the score up for a PF base of 0: "far above income". (REASON_HOLDS keeps the name off
    // such a reason too, but the score would still carry the push.)
    const { contributions } = modelContributions(free, { ...quiet, bureau_inquiries_3m: 1, pf_base_to_income: 0 });
    expect(contributions[free.features.indexOf('pf_base_to_income')]).toBeGreaterThan(0.1);
  });

  it('holds each coefficient on its side, so no reason is owed to a value on the harmless side', () => {
    const model = fitLogistic(rows, MODEL_FEATURES, { version: 'signed', l2: 1, directions: MODEL_DIRECTIONS });
    model.coefficients.forEach((c, k) => expect(c * (MODEL_DIRECTIONS[k] as number), model.features[k]).toBeGreaterThanOrEqual(0));
    expect(model.coefficients[j]).toBe(0);
    // The signal it may still use, from its suspicious side.
    expect(model.coefficients[MODEL_FEATURES.indexOf('bureau_inquiries_3m')]).toBeGreaterThan(0);
    const noPf = scoreApplication({ ...quiet, bureau_inquiries_3m: 1, pf_base_to_income: 0 }, {}, rules, model);
    expect(noPf.reasons.map((r) => r.code)).not.toContain('PF_BASE_ABOVE_INCOME');
    expect(noPf.reasons.map((r) => r.code)).not.toContain('PF_RECENT_START');
  });

  it('takes a feature an application does not have at its reference: it adds nothing either way', () => {
    const model = fitLogistic(rows, MODEL_FEATURES, { version: 'signed', l2: 1, directions: MODEL_DIRECTIONS });
    const k = model.features.indexOf('pf_months_before_apply');
    expect(model.references[k]).toBeGreaterThanOrEqual(12);
    const { contributions } = modelContributions(model, { ...quiet, bureau_inquiries_3m: 1 });
    expect(contributions[k]).toBe(0);
    // Stored as 0, the same applicant would look like a PF history that started this month.
    expect(modelContributions(model, { ...quiet, bureau_inquiries_3m: 1, pf_months_before_apply: 0 }).contributions[k]).toBeGreaterThanOrEqual(0);
  });
});

describe('a reason only the model pushes is named only where its title is true', () => {
  // A hand-built model that has learnt night sessions and younger accounts (relative to a 3-year reference) are riskier.
  const references = MODEL_FEATURES.map((name) => (name === 'account_age_log' ? Math.log1p(3 * 365) : 0));
  const model: LogisticModel = {
    version: 'hand-built', features: MODEL_FEATURES, means: references, scales: MODEL_FEATURES.map(() => 1), references,
    coefficients: MODEL_FEATURES.map((name) => (name === 'beh_night' ? 1.5 : name === 'account_age_log' ? -1 : name === 'beh_key_cv' ? -2 : 0)),
    // Offsets the rule set's intercept, so that scores sit mid-scale where a push shows.
    intercept: -rules.intercept - 1, trainedOn: { applications: 0, fraud: 0 },
  };
  const codes = (features: Record<string, number>): string[] => scoreApplication(features, {}, rules, model).reasons.map((r) => r.code);

  it('keeps a night session without linked devices out of "night-time burst", though the score carries the push', () => {
    const night = { ...quiet, beh_night: 1 };
    expect(codes(night)).not.toContain('BEHAVIOUR_NIGHT_BURST');
    expect(scoreApplication(night, {}, rules, model).score).toBeGreaterThan(scoreApplication(quiet, {}, rules, model).score);
    // One linked device active the same night (below the rule's two): now it is a burst, named by the model.
    expect(codes({ ...night, night_burst_peers: 1 })).toContain('BEHAVIOUR_NIGHT_BURST');
  });

  it('does not call a 172-day-old account new, nor a session the behaviour engine judged human scripted', () => {
    expect(codes({ ...quiet, account_age_log: Math.log1p(172) })).not.toContain('ACCOUNT_NEW');
    expect(codes({ ...quiet, account_age_log: Math.log1p(172), beh_key_cv: 0.2, beh_bot: 0 })).not.toContain('BEHAVIOUR_BOT_FILL');
    expect(codes({ ...quiet, account_age_log: Math.log1p(172), beh_key_cv: 0.02, beh_bot: 1 })).toContain('BEHAVIOUR_BOT_FILL');
  });

  it('has a condition for every reason code, none of which holds for an application without evidence', () => {
    for (const code of REASON_CODES) expect(REASON_HOLDS[code](quiet), code).toBe(false);
  });
});

