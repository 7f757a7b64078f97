// The shipped rule sets, read once from resources/rules/ (static data at startup).
import { readFileSync } from 'node:fs';
import { applicationFeatures, type ApplicationContext } from './features.js';
import { parseRuleSet, type RuleSet } from './rules.js';
import { resourcePath } from '../../projectRoot.js';

const EMPTY_CONTEXT: ApplicationContext = {
  application: { type: 'application', id: '-', applicant_id: '-', submitted_at: '2026-01-01T00:00:00+08:00' },
  applicant: null,
  cards: [],
  bureau: null,
  observations: [],
  devices: [],
  priorDeviceIds: [],
  priorProvinces: [],
  sessions: [],
  identity: null,
  pf: [],
  cohort: null,
  phoneSharedWith: 0,
  ipCrowd: 0,
  ipCampus: false,
  nightBurstPeers: 0,
  ring: null,
};

/**
 * Features present only when their data is (a PF start needs a PF record, an account age a registration
 * date); a condition on a missing feature does not hold.
 */
const DATA_DEPENDENT_FEATURES = ['pf_months_before_apply', 'account_age_log'];

const EMPTY_ANALYSIS = applicationFeatures(EMPTY_CONTEXT);

/** Every feature name the engines produce: rules may read only these. */
export const KNOWN_FEATURES: ReadonlySet<string> = new Set([...Object.keys(EMPTY_ANALYSIS.features), ...DATA_DEPENDENT_FEATURES]);

/** Every evidence word the engines produce: explanations may quote these (and features). */
export const KNOWN_EVIDENCE_WORDS: ReadonlySet<string> = new Set(Object.keys(EMPTY_ANALYSIS.evidence));

/** The features of an application with no evidence at all (no device, no session, no PF, no ring). */
export function neutralFeatures(): Record<string, number> {
  return applicationFeatures(EMPTY_CONTEXT).features;
}

// Resolved from the package root so it is right from the sources and from the bundled main alike.
export const DEFAULT_RULE_SET_FILE = resourcePath('rules', 'default-v4.json');

let cached: RuleSet | null = null;

export function defaultRuleSet(): RuleSet {
  if (cached === null) cached = parseRuleSet(JSON.parse(readFileSync(DEFAULT_RULE_SET_FILE, 'utf8')), KNOWN_FEATURES, KNOWN_EVIDENCE_WORDS);
  return cached;
}
