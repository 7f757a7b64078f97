// `npm run eval`: generate labelled populations, run the engines, print how well they find what the
// generator planted. The model is fitted on one population and measured on another (different seed),
// so the AUC is not a training-set figure.
import { REASONS, type ReasonCode } from '../../shared/reasons.js';
import { exactFingerprint } from '../../main/analysis/devices/link.js';
import { normaliseDevice } from '../../main/analysis/devices/normalise.js';
import { analyseDataset, type FullAnalysis } from '../../main/analysis/pipeline/run.js';
import { DEFAULT_PF_CAPS } from '../../main/analysis/pf/caps.js';
import { defaultRuleSet } from '../../main/analysis/scoring/ruleSets.js';
import { trainModel } from '../../main/analysis/scoring/training.js';
import type { LogisticModel } from '../../main/analysis/scoring/model.js';
import { fmt, pairwiseAgreement, rocAuc } from './metrics.js';
import { labelledPopulation, type LabelledPopulation } from './population.js';
import type { ApplicationTruth } from '../../main/generator/truth.js';

/** The reason codes that count as detecting each planted pattern. */
export const PATTERN_REASONS: Readonly<Record<string, readonly ReasonCode[]>> = {
  device_farm: ['DEVICE_SHARED_APPLICANTS'],
  emulator: ['DEVICE_EMULATOR'],
  spoofed_fingerprint: ['DEVICE_INCONSISTENT'],
  bot_form_filling: ['BEHAVIOUR_BOT_FILL'],
  synthetic_identity: ['ID_CHECKSUM_INVALID', 'ID_REGION_INVALID', 'ID_AGE_IMPLAUSIBLE', 'CARD_HOLDER_MISMATCH', 'PHONE_SHARED'],
  pf_fabrication: ['PF_EMPLOYER_COHORT', 'PF_RECENT_START', 'PF_BASE_ABOVE_INCOME'],
  fraud_ring: ['RING_MEMBER'],
  account_takeover: ['ACCOUNT_TAKEOVER'],
};

function analyse(population: LabelledPopulation, model: LogisticModel | null): FullAnalysis {
  return analyseDataset(population.dataset, { rules: defaultRuleSet(), model, pfCaps: DEFAULT_PF_CAPS });
}

export interface EvalFigures {
  readonly auc: number;
  readonly aucRulesOnly: number;
  readonly highPrecision: number;
  readonly highRecall: number;
  readonly linkPrecision: number;
  readonly linkRecall: number;
  readonly exactPrecision: number;
  readonly exactRecall: number;
  readonly ringRecall: number;
  readonly trapHighRate: number;
}

/**
 * The issue's figures on the default population, then the same measures on a hard one (careful
 * fraudsters, messy genuine applicants, no credit-file giveaway): how far the engines fall short when
 * fraud does not look like the textbook. `EVAL_HARD=0` skips the second.
 */
export function runEval(applicants = Number(process.env['EVAL_APPLICANTS'] ?? 20000)): { standard: EvalFigures; hard: EvalFigures | null } {
  const standard = evaluate(applicants, false);
  if (process.env['EVAL_HARD'] === '0') return { standard, hard: null };
  console.log('');
  console.log('=== hard population (informational): about half the fraud groups cover their tracks, genuine applicants are messier, credit files do not give fraud away');
  return { standard, hard: evaluate(applicants, true) };
}

function evaluate(applicants: number, hard: boolean): EvalFigures {
  const log = (line: string): void => console.log(line);
  let t = Date.now();
  const suffix = hard ? '-hard' : '';
  const train = labelledPopulation(applicants, `eval-train${suffix}`, hard);
  const test = labelledPopulation(applicants, `eval-test${suffix}`, hard);
  log(`populations: ${applicants} applicants each (train seed eval-train${suffix}, test seed eval-test${suffix}), generated in ${((Date.now() - t) / 1000).toFixed(1)} s`);

  t = Date.now();
  const trainRun = analyse(train, null);
  const model = trainModel([...trainRun.applications.values()], train.dataset.labels, defaultRuleSet(), 'eval-model');
  log(`model: ${model === null ? 'not fitted' : `fitted on ${model.trainedOn.applications} labelled applications (${model.trainedOn.fraud} fraud)`} in ${((Date.now() - t) / 1000).toFixed(1)} s`);

  t = Date.now();
  const rulesOnly = analyse(test, null);
  const full = analyse(test, model);
  const analyseSeconds = (Date.now() - t) / 2000;
  log(`analysis of the test population: ${analyseSeconds.toFixed(1)} s per run`);

  const truthByApp = new Map(test.applications.map((a) => [a.application_id, a]));
  const ids = [...full.applications.keys()].filter((id) => truthByApp.has(id));
  const isFraud = ids.map((id) => truthByApp.get(id)?.is_fraud === true);
  const auc = rocAuc(ids.map((id) => full.applications.get(id)?.score.score ?? 0), isFraud);
  const aucRulesOnly = rocAuc(ids.map((id) => rulesOnly.applications.get(id)?.score.score ?? 0), isFraud);
  const high = (id: string): boolean => {
    const band = full.applications.get(id)?.score.band;
    return band === 'high' || band === 'critical';
  };
  let tp = 0;
  let flagged = 0;
  let fraud = 0;
  ids.forEach((id, i) => {
    if (high(id)) flagged++;
    if (isFraud[i]) fraud++;
    if (high(id) && isFraud[i]) tp++;
  });
  const highPrecision = flagged === 0 ? Number.NaN : tp / flagged;
  const highRecall = fraud === 0 ? Number.NaN : tp / fraud;
  log(`fraud ROC AUC: ${fmt(auc)} (target >= 0.95; rules alone ${fmt(aucRulesOnly)})`);
  // Fraud groups that covered their tracks (a hard population only).
  const carefulTruths = test.applications.filter((a) => a.careful === true);
  const careful = new Set(carefulTruths.map((a) => a.application_id));
  if (careful.size > 0) {
    // Careful fraud against every genuine application: the fraud that looks least like the textbook.
    const subset = ids.filter((id) => careful.has(id) || truthByApp.get(id)?.is_fraud === false);
    const aucCareful = rocAuc(subset.map((id) => full.applications.get(id)?.score.score ?? 0), subset.map((id) => careful.has(id)));
    log(`  careful fraud only (${careful.size} applications) against genuine: ROC AUC ${fmt(aucCareful)}`);
  }
  log(`high band (>= high): precision ${fmt(highPrecision)}, recall ${fmt(highRecall)} (${flagged} flagged of ${ids.length}; ${fraud} fraud)`);

  // Device linking against the generator's physical devices, beside an exact hash of every attribute.
  const physical = new Map(test.devices.map((d) => [d.observation_id, d.physical_id]));
  const linked = new Map<string, string>();
  for (const [obs, o] of full.run.observations) linked.set(obs, o.deviceId);
  const exact = new Map<string, string>();
  for (const record of test.dataset.devices) exact.set(record.id, exactFingerprint(normaliseDevice(record)));
  const ours = pairwiseAgreement(linked, physical);
  const baseline = pairwiseAgreement(exact, physical);
  log(`device links (${physical.size} observations, ${new Set(physical.values()).size} physical devices, ${ours.truePairs} true pairs):`);
  log(`  vigil linking: precision ${fmt(ours.precision, 4)}, recall ${fmt(ours.recall, 4)} (targets >= 0.99, >= 0.95)`);
  log(`  exact hash of all attributes (FingerprintJS-style): precision ${fmt(baseline.precision, 4)}, recall ${fmt(baseline.recall, 4)}`);

  // Rings: a planted ring counts as found when one found ring holds at least half of it and is at least half its members.
  let found = 0;
  const ringsByApplicant = new Map<string, Set<string>>();
  for (const ring of full.rings.rings) ringsByApplicant.set(ring.ringId, new Set(ring.applicantIds));
  const byPattern = new Map<string, { total: number; found: number }>();
  const carefulApplicants = new Set(carefulTruths.map((a) => a.applicant_id));
  for (const truth of test.rings) {
    const members = new Set(truth.applicant_ids);
    let best = 0;
    for (const ring of ringsByApplicant.values()) {
      let overlap = 0;
      for (const m of members) if (ring.has(m)) overlap++;
      const jaccard = overlap / (members.size + ring.size - overlap);
      if (jaccard > best) best = jaccard;
    }
    const hit = best >= 0.5;
    if (hit) found++;
    const key = truth.applicant_ids.some((a) => carefulApplicants.has(a)) ? `${truth.pattern} (careful)` : truth.pattern;
    const entry = byPattern.get(key) ?? { total: 0, found: 0 };
    entry.total++;
    if (hit) entry.found++;
    byPattern.set(key, entry);
  }
  const ringRecall = test.rings.length === 0 ? Number.NaN : found / test.rings.length;
  log(`ring recall: ${fmt(ringRecall)} (${found} of ${test.rings.length} planted groups matched with Jaccard >= 0.5; ${full.rings.rings.length} rings found)`);
  for (const [pattern, e] of [...byPattern].sort()) log(`  ${pattern}: ${e.found}/${e.total}`);

  log('per-pattern detection (share of the pattern\'s applications carrying its reason code; share in high band):');
  for (const [pattern, codes] of Object.entries(PATTERN_REASONS)) {
    const all = test.applications.filter((a) => a.pattern === pattern);
    const groups: [string, ApplicationTruth[]][] = [[pattern, all]];
    if (all.some((a) => a.careful === true)) groups.push([`  of them careful`, all.filter((a) => a.careful === true)]);
    for (const [name, apps] of groups) {
      let detected = 0;
      let inHigh = 0;
      for (const a of apps) {
        const result = full.applications.get(a.application_id);
        if (result === undefined) continue;
        if (result.score.reasons.some((r) => codes.includes(r.code))) detected++;
        if (high(a.application_id)) inHigh++;
      }
      log(`  ${name.padEnd(20)} ${(name === pattern ? codes.join('|') : '').padEnd(40)} detected ${fmt(detected / Math.max(1, apps.length))}  high ${fmt(inHigh / Math.max(1, apps.length))}  (n=${apps.length})`);
    }
  }

  log('genuine-but-suspicious traps (share at high band or above = false-positive rate):');
  const traps = test.applications.filter((a) => a.trap !== null);
  const trapKinds = [...new Set(traps.map((a) => a.trap as string))].sort();
  for (const kind of trapKinds) {
    const list = traps.filter((a) => a.trap === kind);
    const fp = list.filter((a) => high(a.application_id)).length;
    log(`  ${kind.padEnd(24)} ${fmt(fp / list.length)} (${fp}/${list.length})`);
  }
  const trapHighRate = traps.filter((a) => high(a.application_id)).length / Math.max(1, traps.length);
  const genuine = test.applications.filter((a) => !a.is_fraud && a.trap === null);
  const genuineHigh = genuine.filter((a) => high(a.application_id)).length / Math.max(1, genuine.length);
  log(`  all traps ${fmt(trapHighRate)}; plain genuine ${fmt(genuineHigh)}`);

  if (model !== null && process.env['EVAL_COEFFICIENTS'] === '1') {
    log('model coefficients (standardised):');
    model.features.forEach((name, j) => log(`  ${name.padEnd(28)} ${fmt(model.coefficients[j] as number)}`));
    log(`  intercept ${fmt(model.intercept)}`);
  }
  const reasonCounts = new Map<string, number>();
  for (const r of full.applications.values()) for (const reason of r.score.reasons) reasonCounts.set(reason.code, (reasonCounts.get(reason.code) ?? 0) + 1);
  log(`reason codes in use: ${[...reasonCounts].sort((a, b) => b[1] - a[1]).map(([c, n]) => `${c} ${n}`).join(', ')}`);
  void REASONS;
  return { auc, aucRulesOnly, highPrecision, highRecall, linkPrecision: ours.precision, linkRecall: ours.recall, exactPrecision: baseline.precision, exactRecall: baseline.recall, ringRecall, trapHighRate };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runEval();
}
