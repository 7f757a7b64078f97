// The declarative rule set (resources/rules/default-v<N>.json): each rule names a reason code, a
// condition over named features, a weight in log-odds and an explanation in both languages.
import { z } from 'zod';
import { REASON_CODES, type ReasonCode } from '../../../shared/reasons.js';
import type { Evidence, FeatureVector } from './features.js';

export const COMPARISONS = ['>', '>=', '<', '<=', '==', '!='] as const;

export type Condition =
  | { readonly all: readonly Condition[] }
  | { readonly any: readonly Condition[] }
  | { readonly not: Condition }
  | { readonly feature: string; readonly op: (typeof COMPARISONS)[number]; readonly value: number };

export const condition: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.strictObject({ all: z.array(condition).min(1) }),
    z.strictObject({ any: z.array(condition).min(1) }),
    z.strictObject({ not: condition }),
    z.strictObject({ feature: z.string().regex(/^[a-z0-9_]+$/), op: z.enum(COMPARISONS), value: z.number() }),
  ]),
);

export const rule = z.strictObject({
  id: z.string().regex(/^[a-z0-9_.]+$/),
  code: z.enum(REASON_CODES as [ReasonCode, ...ReasonCode[]]),
  when: condition,
  /** Log-odds added when the rule fires. */
  weight: z.number().min(-10).max(10),
  explain: z.strictObject({ en: z.string().min(1), 'zh-CN': z.string().min(1) }),
});
export type Rule = z.infer<typeof rule>;

export const ruleSet = z.strictObject({
  id: z.string().min(1),
  version: z.number().int().positive(),
  description: z.string().optional(),
  /** Log-odds of an application with no evidence at all. */
  intercept: z.number(),
  /** Lowest score of each band above `low` (0-1000). */
  bands: z.strictObject({ medium: z.number(), high: z.number(), critical: z.number() }),
  rules: z.array(rule).min(1),
});
export type RuleSet = z.infer<typeof ruleSet>;

export function ruleSetVersion(rules: RuleSet): string {
  return `${rules.id}-v${rules.version}`;
}

export function conditionFeatures(c: Condition, out = new Set<string>()): Set<string> {
  if ('all' in c) for (const x of c.all) conditionFeatures(x, out);
  else if ('any' in c) for (const x of c.any) conditionFeatures(x, out);
  else if ('not' in c) conditionFeatures(c.not, out);
  else out.add(c.feature);
  return out;
}

export function holds(c: Condition, features: FeatureVector): boolean {
  if ('all' in c) return c.all.every((x) => holds(x, features));
  if ('any' in c) return c.any.some((x) => holds(x, features));
  if ('not' in c) return !holds(c.not, features);
  const v = features[c.feature];
  if (v === undefined || !Number.isFinite(v)) return false;
  switch (c.op) {
    case '>': return v > c.value;
    case '>=': return v >= c.value;
    case '<': return v < c.value;
    case '<=': return v <= c.value;
    case '==': return v === c.value;
    case '!=': return v !== c.value;
  }
}

export interface RuleHit {
  readonly ruleId: string;
  readonly code: ReasonCode;
  readonly weight: number;
}

export function evaluateRules(rules: RuleSet, features: FeatureVector): RuleHit[] {
  const hits: RuleHit[] = [];
  for (const r of rules.rules) if (holds(r.when, features)) hits.push({ ruleId: r.id, code: r.code, weight: r.weight });
  return hits;
}

export function formatNumber(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(2);
}

/** A `{name}` in an explanation template: an evidence word or a feature. */
const PLACEHOLDER = /\{([a-z0-9_]+)\}/g;

/**
 * Fills `{name}` from the evidence words, else from the feature value. A word may have a variant for the
 * template's language (`name:zh-CN`, so list separators and units read as that language); it wins.
 */
export function renderTemplate(template: string, features: FeatureVector, evidence: Evidence, language?: string): string {
  return template.replace(PLACEHOLDER, (whole, name: string) => {
    const word = (language === undefined ? undefined : evidence[`${name}:${language}`]) ?? evidence[name];
    if (word !== undefined) return word;
    const v = features[name];
    return v === undefined ? whole : formatNumber(v);
  });
}

/**
 * Parses a rule set and checks it only names features the engines produce, and (given the evidence
 * words) that its explanations only quote what exists: a misspelt `{placeholder}` would otherwise reach
 * the investigator, and an appealing applicant, as it is.
 */
export function parseRuleSet(json: unknown, knownFeatures: ReadonlySet<string>, knownWords?: ReadonlySet<string>): RuleSet {
  const rules = ruleSet.parse(json);
  const ids = new Set<string>();
  for (const r of rules.rules) {
    if (ids.has(r.id)) throw new Error(`rule id ${r.id} is used twice`);
    ids.add(r.id);
    for (const name of conditionFeatures(r.when)) {
      if (!knownFeatures.has(name)) throw new Error(`rule ${r.id} reads unknown feature ${name}`);
    }
    if (knownWords === undefined) continue;
    for (const [language, template] of Object.entries(r.explain)) {
      for (const [, name] of template.matchAll(PLACEHOLDER)) {
        if (name !== undefined && !knownFeatures.has(name) && !knownWords.has(name)) throw new Error(`rule ${r.id}: the ${language} explanation quotes {${name}}, which is neither a feature nor an evidence word`);
      }
    }
  }
  return rules;
}
