// The population a session is compared with: robust summaries (median, MAD, quantiles) per feature.
// A baseline is versioned data: analysis runs reuse it until the population has grown enough to refresh it.
import { summarise, type RobustSummary } from '../common/stats.js';
import type { SessionFeatures } from './sessions.js';

export const BASELINE_FEATURES = [
  'msPerChar', 'keyIntervalMean', 'keyIntervalCv', 'fillMsTotal', 'backspaceRate', 'smsLatencyMs', 'faceRetries',
  'navDirectness', 'durationMs', 'hourLocal', 'pastesIdentity',
] as const;
export type BaselineFeature = (typeof BASELINE_FEATURES)[number];

export interface BehaviourBaseline {
  readonly sessions: number;
  readonly features: Readonly<Record<BaselineFeature, RobustSummary>>;
}

/** Spread floors: below these, a MAD of near zero would make ordinary differences look extreme. */
export const SPREAD_FLOORS: Readonly<Record<BaselineFeature, number>> = {
  msPerChar: 25,
  keyIntervalMean: 25,
  keyIntervalCv: 0.06,
  fillMsTotal: 3000,
  backspaceRate: 0.02,
  smsLatencyMs: 4000,
  faceRetries: 0.5,
  navDirectness: 0.05,
  durationMs: 30_000,
  hourLocal: 2,
  pastesIdentity: 0.5,
};

export function featureValue(s: SessionFeatures, name: BaselineFeature): number | null {
  const v = s[name];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

export function buildBaseline(sessions: readonly SessionFeatures[]): BehaviourBaseline {
  const features = {} as Record<BaselineFeature, RobustSummary>;
  for (const name of BASELINE_FEATURES) {
    const values: number[] = [];
    for (const s of sessions) {
      const v = featureValue(s, name);
      if (v !== null) values.push(v);
    }
    features[name] = summarise(values);
  }
  return { sessions: sessions.length, features };
}
