// `vigil analyze` and the "Run analysis" button: engines over what changed since the last run.
//
// A run reads the import change log (rows with change_seq above the watermark) and walks outwards:
// sessions of changed applications; device observations re-linked against stored ones sharing a
// blocking key; link keys of the applicants touched; the applicants sharing a device, phone or IP
// window with them; the ring region around all of those; then features and scores of every applicant
// whose evidence could have moved. A full run is the same walk with everything changed. Parameters
// (rule set, fitted model, behaviour baseline) are versioned; when one changes, stored features are
// rescored (rules, model) or recomputed (baseline). Labels are read only to fit the model and for
// confirmed-fraud ring taint (never an application's own label: see AnalysisRun.finish).
import { createHash, randomBytes } from 'node:crypto';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { ZodError } from 'zod';
import { VigilError } from '../../shared/errors.js';
import type { ApplicantRecord } from '../../shared/interchange/schema.js';
import { buildBaseline, type BehaviourBaseline } from '../analysis/behaviour/population.js';
import { groupSessions, sessionFeatures, type SessionFeatures } from '../analysis/behaviour/sessions.js';
import { keyedValueHasher } from '../analysis/common/hash.js';
import { flagObservation } from '../analysis/devices/flags.js';
import { ipDatabaseAvailable } from '../analysis/devices/ipRegion.js';
import { blockKeyDigest, blockKeys, COMMON_BLOCK, deviceIdFor, linkProfiles } from '../analysis/devices/link.js';
import { normaliseDevice, type DeviceProfile } from '../analysis/devices/normalise.js';
import { kindsAmong, type LinkIdentifier, type LinkKind } from '../analysis/links/identifiers.js';
import { expandRegion } from '../analysis/links/region.js';
import { findRings, HUB_AT, MAX_CLIQUE, type Ring } from '../analysis/links/rings.js';
import { DEFAULT_PF_CAPS } from '../analysis/pf/caps.js';
import { cohortFeatureSize, employerCohorts, normaliseEmployer, SMALL_EMPLOYER_MAX, type EmployerCohort } from '../analysis/pf/checks.js';
import { AnalysisRun, holderKey, sameHousehold, type ApplicationResult } from '../analysis/pipeline/run.js';
import { writeCohortFeatures, type FeatureVector, type Evidence } from '../analysis/scoring/features.js';
import { applicationFindings, type Finding } from '../analysis/scoring/findings.js';
import { MIN_TRAINING_ROWS, type LogisticModel } from '../analysis/scoring/model.js';
import { conditionFeatures, parseRuleSet, ruleSetVersion, type RuleSet } from '../analysis/scoring/rules.js';
import { defaultRuleSet, KNOWN_EVIDENCE_WORDS, KNOWN_FEATURES } from '../analysis/scoring/ruleSets.js';
import { scoreApplication, type ApplicationScore } from '../analysis/scoring/score.js';
import { trainModel } from '../analysis/scoring/training.js';
import type { StoreHandle } from '../store/open.js';
import { createAnalysisRepository, type AnalysisRepository, type ApplicationAnalysisRow, type ChangedRecords, type IdentityRow, type ObservationRow, type RingRow } from '../store/repositories/analysis.js';
import { repositoryFor } from '../store/repositories/cache.js';
import { cohortClosure, inSlices, linkClosure, scoringClosure, sessionKey, type Closure, type RunParameters } from './analysisClosure.js';
import { RunRecords } from './runRecords.js';
import { nextSliceMayBegin } from './slices.js';

export const ANALYZE_PHASES = ['sessions', 'devices', 'links', 'first_pass', 'rings', 'scores', 'model'] as const;
export type AnalyzePhase = (typeof ANALYZE_PHASES)[number];

export interface AnalyzeProgress {
  readonly phase: AnalyzePhase;
  readonly done: number;
  readonly total: number;
}

export interface AnalyzeOptions {
  readonly onProgress?: (progress: AnalyzeProgress) => void;
  /** Recompute everything (sessions from events, every device link, every ring and score). */
  readonly full?: boolean;
  /** Refit the model / rebuild the behaviour baseline: when the data grew enough (auto), never, or now. */
  readonly refreshParameters?: 'auto' | 'never' | 'always';
  /** A rule set to score with instead of the store's active one (back-tests, tests). */
  readonly rules?: RuleSet;
  readonly actor?: string;
  readonly now?: () => string;
  /** Applicants per closure read from the store. */
  readonly chunkSize?: number;
}

export interface AnalyzeSummary {
  readonly runId: number;
  readonly mode: 'full' | 'incremental';
  readonly fromSeq: number;
  readonly toSeq: number;
  readonly observationsLinked: number;
  readonly deviceIdentitiesTouched: number;
  readonly applicantsAffected: number;
  /** Of those, applicants whose employer's cohort size alone moved: their stored analyses were patched, not recomputed (cohortPatches). */
  readonly cohortPatched: number;
  /** Of those, holders of a key that became a hub or stopped being one, and nothing else: their stored findings were patched (hubPatches). */
  readonly hubPatched: number;
  readonly applicationsScored: number;
  /** Applications rescored from stored features after the rules or the model changed. */
  readonly applicationsRescored: number;
  readonly historyRows: number;
  readonly ringsWritten: number;
  /** Pending link and device keys a full run moved into the main indexes (an incremental run leaves them: see keyFold.ts). */
  readonly keysFolded: number;
  /** Link and device keys waiting in the pending indexes after the run (keyFold.ts folds them once PENDING_FOLD_KEYS wait). */
  readonly pendingKeys: number;
  readonly ruleSet: string;
  readonly modelVersion: string | null;
  readonly baselineVersion: string;
  /** Whether the offline IP database loaded (geo and data-centre flags need it). */
  readonly ipDatabase: boolean;
  readonly durationMs: number;
  /** Milliseconds per phase of this run (sessions, devices, links, first pass, rings, scores, model, commit...). */
  readonly phases: Readonly<Record<string, number>>;
}

/**
 * What the stored features mean. Bump it when an engine computes a feature differently: the next run
 * then recomputes everything (a full run) and refits the model, instead of mixing old and new features.
 * 2: a feature an applicant cannot have (PF start without a PF record, account age without a
 * registration date) is left out instead of stored as 0; the model is fitted with sign constraints.
 * 3: evidence words for the explanations' own languages (`ring_links:zh-CN`, PF cohort, takeover and
 * credit-file numbers) and findings as `name=value` tokens, so stored explanations and findings are
 * written again with them; two more fingerprint consistency checks (an iPhone without motion sensors or
 * with more memory than its model), so stored observations are flagged again.
 * 4: a reason only the model pushes is named only where its title holds (REASON_HOLDS), and a behaviour
 * value most sessions share gets the middle of its percentile run, so stored reasons and session
 * assessments are written again.
 * 5: sessions are grouped per application (two applications reusing a session id had theirs merged), and
 * a ring joined by weak kinds alone names them in its explanation ("shared address, IP").
 * 6: `ato_local`, a takeover from the account's own province (rule set default-v3), so stored features
 * are computed again with it.
 * 7: false positives an engine audit found: a PF start is judged on the applicant's earliest record and
 * 0-3 months before applying (was 0-4), a closed record's employer is no mismatch, a former district's
 * ID code is a known region, campus network peers make no night-time burst, and an explanation quotes the
 * PF base-to-income multiple uncapped; a Xinjiang IP expects Xinjiang time as well as Beijing's (device flags).
 * 8: each identity and PF explanation quotes its own finding (rule set default-v4): the region code, the
 * age or an impossible birth date, the earliest record's start, the bases at a cap or round, the months a
 * cohort began in; a PF cohort counts only for members whose contributions with the employer span at most
 * two years, and an ID younger than 16 when its PF record began is an implausible age (`id_age_pf_conflict`).
 * Stored features and evidence are computed again with them.
 * 9: a PF cohort's words depend only on what an incremental run tracks of it: the counted size
 * (`pf_cohort_members`) for a small employer's recent cohort, and the employer's size and the months only
 * for a shell's cohort (a colleague joining or leaving used to leave "1 of 2 applicants" stored where a
 * full run wrote "1 of 1"). A holder of a key that became a hub, or stopped being one, is analysed again:
 * the hub is named beside its score. Where an application's sessions tie, the signals quoted are one
 * session's by id order, not the order a run read them in. An incremental run patches the stored analyses of applicants whose
 * cohort size alone moved (cohortPatches).
 */
export const ENGINE_VERSION = '9';

const DEFAULT_CHUNK = 2_000;
/**
 * The connection's page cache from its first run (or rehearsal) on (negative: KiB). Its random reads and
 * writes over large indexes otherwise decrypt the same pages again and again, and the pages one run
 * decrypted (the indexes' upper levels, the recent applicants) are what the next one reads first.
 */
export const RUN_CACHE_KIB = -262_144;
/** Neighbours through a key held by more applicants than this are not rescored: its weight is negligible. */
export const EXPANSION_CAP = 200;
const BASELINE_GROWTH = 1.25;
const MODEL_GROWTH = 1.1;
/** Kinds whose store-wide holder counts enter another applicant's features (device sharing, phone reuse, IP crowds). */
const COUNTED_KINDS: ReadonlySet<string> = new Set(['device', 'phone', 'ip']);

function uniq(values: Iterable<string | null | undefined>): string[] {
  const out = new Set<string>();
  for (const v of values) if (v !== null && v !== undefined && v !== '') out.add(v);
  return [...out].sort();
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function sameKeys(a: readonly { kind: string; key: string }[], b: readonly { kind: string; key: string }[]): boolean {
  const set = new Set(a.map((k) => `${k.kind}|${k.key}`));
  return b.every((k) => set.has(`${k.kind}|${k.key}`));
}

function sha(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

/** The store's active rule set (003 rule_sets, tuned by team leads) or the shipped default. */
export function activeRuleSet(store: StoreHandle): RuleSet {
  const repo = repositoryFor(store.db, createAnalysisRepository);
  const stored = repo.activeRuleSetDefinition();
  if (stored === undefined) return defaultRuleSet();
  try {
    return parseRuleSet(JSON.parse(stored.definition), KNOWN_FEATURES, KNOWN_EVIDENCE_WORDS);
  } catch (error) {
    // Nothing is analysed with it: the run stops before it writes, and says which rule set and why.
    const reason = error instanceof ZodError ? error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ') : error instanceof Error ? error.message : String(error);
    throw new VigilError('invalid_input', `the active rule set ${stored.name} v${stored.version} cannot be used: ${reason}`, `rule_sets/${stored.name}/v${stored.version}`);
  }
}

/**
 * Digesters kept per repository (one per open store) with the key they hash with: their caches outlive a
 * run, and go with the repository when the store is locked (the values they remember are identifiers).
 */
const digesters = new WeakMap<AnalysisRepository, { key: string; digest: (value: string) => string }>();

/**
 * The per-store key of identifier digests (a random 256-bit value, created on first use). The digester is
 * kept between runs while the key stays the same: the next run digests many of the same phones and IP
 * windows again (neighbours of the new applicants), and each HMAC costs more than a map lookup.
 */
export function valueDigester(repo: AnalysisRepository): (key: string) => string {
  let key = repo.state('value_key');
  if (key === null) {
    key = randomBytes(32).toString('hex');
    repo.setState('value_key', key);
  }
  const kept = digesters.get(repo);
  if (kept !== undefined && kept.key === key) return kept.digest;
  const hasher = keyedValueHasher(Buffer.from(key, 'hex'));
  const digest = (value: string): string => hasher('link', value);
  digesters.set(repo, { key, digest });
  return digest;
}

function loadModel(repo: AnalysisRepository): LogisticModel | null {
  const row = repo.activeParameter('model');
  return row === undefined ? null : (JSON.parse(row.bodyJson) as LogisticModel);
}

function toRing(row: RingRow): Ring {
  return {
    ringId: row.ringId, applicantIds: row.members, links: row.links.map((l) => ({ kind: l.kind as LinkKind, key: l.value_hash, members: l.members })), edges: [], score: row.score, baseScore: row.baseScore,
    confirmedApplicantIds: row.confirmed, householdShare: row.householdShare, strongKinds: row.strongKinds as Ring['strongKinds'],
  };
}

function ringRowOf(ring: Ring): RingRow {
  return {
    ringId: ring.ringId, score: ring.score, baseScore: ring.baseScore, size: ring.applicantIds.length, householdShare: ring.householdShare,
    strongKinds: [...ring.strongKinds], links: ring.links.map((l) => ({ kind: l.kind, value_hash: l.key, members: l.members })),
    edges: ring.edges.map((e) => ({ a: e.a, b: e.b, weight: Math.round(e.weight * 1000) / 1000, kinds: [...e.kinds] })),
    confirmed: [...ring.confirmedApplicantIds], members: [...ring.applicantIds],
  };
}

/**
 * Everything of a ring its members' features and explanations read (RingSummary): equal facts before and
 * after a run mean equal ring features for every member.
 */
function ringFacts(row: RingRow): string {
  return JSON.stringify([row.ringId, row.members.length, row.baseScore, row.strongKinds, kindsAmong(row.links), row.householdShare, row.confirmed]);
}

/** What a stored score rests on: equal digest means the score cannot have changed, so no history row. */
function inputsHash(featuresJson: string, ruleSet: string, modelVersion: string | null): string {
  return sha(`${ruleSet}\u0000${modelVersion ?? ''}\u0000${featuresJson}`);
}

function scoreRow(
  base: { applicationId: string; applicantId: string; featuresJson: string; evidenceJson: string; findingsJson: string; ringId: string | null },
  score: ApplicationScore,
  runId: number,
  scoredAt: string,
): ApplicationAnalysisRow {
  const reasons = score.reasons.map((r) => ({ code: r.code, weight: Math.round(r.points), logOdds: Math.round(r.logOdds * 1000) / 1000, rules: r.ruleIds, detail: r.detail }));
  return {
    ...base,
    score: score.score,
    band: score.band,
    reasonsJson: JSON.stringify(reasons),
    ruleSet: score.ruleSetVersion,
    modelVersion: score.modelVersion,
    inputsHash: inputsHash(base.featuresJson, score.ruleSetVersion, score.modelVersion),
    runId,
    scoredAt,
  };
}

/** Whether a fresh analysis equals the stored one in everything but the run that produced it. */
function sameAnalysis(stored: ApplicationAnalysisRow, next: ApplicationAnalysisRow): boolean {
  return stored.inputsHash === next.inputsHash && stored.score === next.score && stored.band === next.band && stored.reasonsJson === next.reasonsJson
    && stored.featuresJson === next.featuresJson && stored.evidenceJson === next.evidenceJson && stored.findingsJson === next.findingsJson
    && stored.ringId === next.ringId && stored.applicantId === next.applicantId && stored.ruleSet === next.ruleSet && stored.modelVersion === next.modelVersion;
}

/** A device identity as stored (same field order as the repository reads it back, so rows compare as JSON). */
function identityRowOf(identity: AnalysisRun['identities'] extends ReadonlyMap<string, infer I> ? I : never): IdentityRow {
  return {
    deviceId: identity.deviceId, anchorObservationId: identity.anchorObservationId, firstSeenMs: identity.firstSeenMs, lastSeenMs: identity.lastSeenMs,
    observations: identity.observationIds.length, applicants: identity.applicantIds.length, applications: identity.applicationIds.length,
    flags: [...identity.flags], traits: identity.traits.map((t) => ({ flag: t.flag, detail: t.detail })), hardwareIdResets: identity.hardwareIdResets,
  };
}

/** How many applicants a link key gained and lost in a run's link phase, under which kinds. */
interface KeyChange {
  readonly kinds: Set<LinkKind>;
  gained: number;
  lost: number;
}

/** An applicant whose cohort alone moved, with what its stored analyses need rewritten (cohortPatches). */
interface CohortPatch {
  readonly applicantId: string;
  /** The cohort as the features read it, after applicantCohort's recency. */
  readonly cohort: EmployerCohort | null;
  /** The cohort's size as counted and stored with the applicant, now and before. */
  readonly countedSize: number;
  readonly storedSize: number;
  readonly rows: readonly ApplicationAnalysisRow[];
}

/** A holder of a key that became a hub or stopped being one, and nothing else moved (hubPatches). */
interface HubPatch {
  readonly applicantId: string;
  /** The kinds it holds a hub of, in the order its findings name them. */
  readonly hubKinds: readonly string[];
  readonly rows: readonly ApplicationAnalysisRow[];
}

/**
 * Findings with their hub_down_weighted entries replaced, where applicationFindings puts them: after the
 * ring's, before the shared-IP finding it adds last.
 */
function withHubs(findings: readonly Finding[], hubKinds: readonly string[]): Finding[] {
  const isHub = (f: Finding): boolean => f.family === 'ring' && f.check === 'hub_down_weighted';
  const rest = findings.filter((f) => !isHub(f));
  const last = rest[rest.length - 1];
  const sharedIpLast = last !== undefined && last.family === 'network' && (last.check === 'shared_ip' || last.check === 'shared_ip_campus');
  const at = sharedIpLast ? rest.length - 1 : rest.length;
  const hubs: Finding[] = hubKinds.map((kind) => ({ family: 'ring', check: 'hub_down_weighted', detail: `kind=${kind}` }));
  return [...rest.slice(0, at), ...hubs, ...rest.slice(at)];
}

/** One slice of applicants with its closure and the engines' run over it (kept from first pass to scoring). */
interface ChunkRun {
  readonly applicants: readonly string[];
  readonly closure: Closure;
  readonly run: AnalysisRun;
}

class AnalyzeRun {
  private readonly repo: AnalysisRepository;
  /** Imported records read this run: the link, first-pass and scoring phases read many of the same. */
  private readonly records: RunRecords;
  private readonly chunk: number;
  private readonly now: () => string;
  private observationsLinked = 0;
  private deviceIdentitiesTouched = 0;
  private applicationsScored = 0;
  private applicationsRescored = 0;
  private historyRows = 0;
  private ringsWritten = 0;
  private cohortPatched = 0;
  private hubPatched = 0;

  /**
   * `rehearsal`: redo the analysis of changes already analysed, (fromSeq, toSeq], then roll it all back
   * (one slice of rehearseAnalysis). Null for a real run.
   */
  constructor(private readonly store: StoreHandle, private readonly options: AnalyzeOptions, private readonly rehearsal: { readonly fromSeq: number; readonly toSeq: number } | null = null) {
    this.repo = repositoryFor(store.db, createAnalysisRepository);
    this.records = new RunRecords(this.repo);
    this.chunk = options.chunkSize ?? DEFAULT_CHUNK;
    this.now = options.now ?? (() => new Date().toISOString());
  }

  /**
   * Lets progress events and other work through between chunks of a full run. Not inside the single
   * transaction of an incremental run: work interleaved there would join (and share the fate of) it.
   */
  private async breathe(): Promise<void> {
    if (!this.store.db.inTransaction) await yieldToLoop();
  }

  private readonly timings: Record<string, number> = {};
  private lap = performance.now();
  private time(label: string): void {
    const now = performance.now();
    this.timings[label] = Math.round(now - this.lap);
    this.lap = now;
  }

  private progress(phase: AnalyzePhase, done: number, total: number): void {
    this.options.onProgress?.({ phase, done, total });
  }

  async run(): Promise<AnalyzeSummary> {
    const started = performance.now();
    const repo = this.repo;
    const rules = this.options.rules ?? activeRuleSet(this.store);
    const ruleVersion = ruleSetVersion(rules);
    const watermark = Number(repo.state('watermark') ?? '0');
    // A rehearsal goes over changes already analysed (the latest applicants' records), and nothing newer.
    const fromSeq = this.rehearsal?.fromSeq ?? watermark;
    const toSeq = this.rehearsal?.toSeq ?? repo.currentChangeSeq();
    const last = repo.lastRun();
    const digestKey = valueDigester(repo);
    // Features stored by another engine version are recomputed whole, and the model refitted on them.
    const engineChanged = repo.state('engine_version') !== ENGINE_VERSION;
    let full = this.options.full === true || watermark === 0 || last === undefined || engineChanged;
    if (this.rehearsal !== null && full) throw new Error('a rehearsal needs a store analysed by this engine');
    const changes = full ? null : repo.changedSince(fromSeq, toSeq);
    // Analysed rows can lose their record only through a deletion, and every deletion moves the removal count.
    const removals = repo.removalCount();
    const vanished = changes === null || repo.state('removals_seen') !== String(removals) ? repo.vanished() : { observations: [], applications: [] };
    // A rehearsal refits and rebuilds nothing: a new baseline would turn it into a full run.
    const refresh = this.rehearsal !== null ? 'never' : (this.options.refreshParameters ?? 'auto');
    const modelRefresh = engineChanged && last !== undefined && refresh === 'auto' ? 'always' : refresh;
    let model = loadModel(repo);
    // A run owns its transactions: one begun by a caller would be joined, and rolled back with the run.
    if (this.store.db.inTransaction) throw new VigilError('conflict', 'an analysis cannot run inside another transaction on the store');
    // An incremental run is one transaction: short, and never half-applied. Full runs commit per chunk.
    const single = !full;
    // Scores are derived data: a crash may lose this run (the watermark goes with it and the next run
    // redoes it), never corrupt the store, so this transaction skips the fsync that decisions get.
    const synchronous = single ? (this.store.db.pragma('synchronous', { simple: true }) as number) : null;
    this.store.db.pragma(`cache_size = ${RUN_CACHE_KIB}`);
    let runId: number;
    try {
      if (single) {
        this.store.db.pragma('synchronous = NORMAL');
        this.store.db.exec('BEGIN IMMEDIATE');
      }
      runId = repo.beginRun({
        startedAt: this.now(), mode: full ? 'full' : 'incremental', actor: this.options.actor ?? 'system', fromSeq, toSeq,
        ruleSet: ruleVersion, modelVersion: model?.version ?? null, baselineVersion: repo.activeParameter('baseline')?.version ?? null,
      });
      // A full run rewrites the analysis chunk by chunk, committing each. Until it finishes, the store says
      // it was never analysed, so a run after one that failed, or stopped with a lock or a crash, is full
      // again instead of incremental on top of half-rewritten keys and rings (and exports call it stale).
      if (!single) repo.setState('watermark', '0');
    } catch (error) {
      // Nothing began (another connection held the write lock past the busy timeout, say): the connection
      // goes back to the fsync decisions and the audit chain get, and holds no transaction.
      if (single && this.store.db.inTransaction) this.store.db.exec('ROLLBACK');
      if (synchronous !== null) this.store.db.pragma(`synchronous = ${synchronous}`);
      throw error;
    }
    try {
      // 1. Sessions of applications whose events changed (all of them on a first or full run).
      const sessionApps = full ? repo.allApplicationIds() : uniq([...(changes?.eventApplications ?? []), ...(changes?.applications.map(([id]) => id) ?? [])]);
      this.time('setup');
      const { viaEvents, fresh } = await this.sessions(sessionApps);
      this.time('sessions');

      // 2. The behaviour baseline: a versioned parameter, rebuilt when the population grew enough.
      const { baseline, version: baselineVersion, changed: baselineChanged } = this.baseline(refresh, fresh);
      this.time('baseline');
      const goFull = full || baselineChanged;
      // Confirmed outcomes only taint rings: a full run needs them all, an incremental one only its ring region's.
      const params: RunParameters = { rules, model: null, baseline, pfCaps: DEFAULT_PF_CAPS, digestKey, confirmedFraud: goFull ? repo.confirmedFraudApplicants() : new Set(), freshSessions: fresh };
      let targets: string[];
      if (goFull) {
        // A new baseline moves every behaviour feature: recompute everything from the stored sessions.
        full = true;
        targets = await this.fullRun(params, model, runId, viaEvents, modelRefresh);
      } else {
        targets = await this.incremental(changes as ChangedRecords, vanished, viaEvents, params, model, runId);
      }

      // The model: refit when labels grew enough (a full run already did, in memory); rescore stored
      // features when the rules or the model changed since they were scored.
      if (this.modelFitted !== false) {
        if (this.modelFitted !== null) model = this.modelFitted;
      } else if (this.wantsModel(modelRefresh)) {
        this.progress('model', 0, 1);
        const fitted = this.fitModel(rules, [...repo.featureRows()].map((r) => ({ applicationId: r.applicationId, features: JSON.parse(r.featuresJson) as FeatureVector })));
        if (fitted !== null) model = fitted;
        this.progress('model', 1, 1);
      }
      const rulesChanged = last !== undefined && last.ruleSet !== ruleVersion;
      const modelChanged = (last?.modelVersion ?? null) !== (model?.version ?? null);
      if ((rulesChanged || modelChanged) && this.rehearsal === null) await this.rescore(rules, model, runId);

      this.time('model');
      // A full run folds whatever an earlier incremental run left pending (it wrote its own keys to the main
      // indexes); an incremental run leaves its new keys pending, and the fold is maintenance after it.
      const folded = full ? repo.foldPendingKeys(0) : { linkKeys: 0, deviceKeys: 0 };
      repo.saveKeyFilters();
      const pendingKeys = full ? 0 : repo.pendingKeyCount();
      this.time(full ? 'fold' : 'pending');
      repo.pruneMoves(toSeq);
      repo.setState('watermark', String(toSeq));
      repo.setState('removals_seen', String(removals));
      repo.setState('engine_version', ENGINE_VERSION);
      const summary: AnalyzeSummary = {
        runId, mode: full ? 'full' : 'incremental', fromSeq, toSeq,
        observationsLinked: this.observationsLinked, deviceIdentitiesTouched: this.deviceIdentitiesTouched,
        applicantsAffected: targets.length, cohortPatched: this.cohortPatched, hubPatched: this.hubPatched, applicationsScored: this.applicationsScored, applicationsRescored: this.applicationsRescored,
        historyRows: this.historyRows, ringsWritten: this.ringsWritten, keysFolded: folded.linkKeys + folded.deviceKeys, pendingKeys, ruleSet: ruleVersion, modelVersion: model?.version ?? null,
        baselineVersion, ipDatabase: ipDatabaseAvailable(), durationMs: Math.round(performance.now() - started), phases: this.timings,
      };
      repo.finishRun(runId, 'completed', this.now(), summary, model?.version ?? null, baselineVersion);
      if (single) {
        // A rehearsal leaves the store as it found it. The key filters held in memory stay valid: an
        // incremental run writes keys only to the pending indexes, which the filters do not cover, and a
        // filter it had to rebuild carries a generation the rollback removed, so the next run reads again.
        this.store.db.exec(this.rehearsal === null ? 'COMMIT' : 'ROLLBACK');
        this.store.db.pragma(`synchronous = ${synchronous ?? 2}`);
      }
      this.time('commit');
      return summary;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      repo.discardKeyFilters();
      // Roll back first: SQLite refuses to change the safety level inside a transaction, and that refusal
      // would leave this run's transaction open on the connection and hide the run's own error.
      if (single && this.store.db.inTransaction) this.store.db.exec('ROLLBACK');
      if (single && synchronous !== null) this.store.db.pragma(`synchronous = ${synchronous}`);
      try {
        if (single) {
          // A real run's failure gets a run row of its own (the rollback took its first one); a rehearsal's leaves no trace.
          if (this.rehearsal === null) {
            const failed = repo.beginRun({ startedAt: this.now(), mode: full ? 'full' : 'incremental', actor: this.options.actor ?? 'system', fromSeq, toSeq, ruleSet: ruleVersion, modelVersion: model?.version ?? null, baselineVersion: null });
            repo.finishRun(failed, 'failed', this.now(), { error: message }, model?.version ?? null, null);
          }
        } else repo.finishRun(runId, 'failed', this.now(), { error: message }, model?.version ?? null, null);
      } catch (recording) {
        // The store refused the failure row too (the same full disk, a lock, a closed connection): the
        // caller still gets the run's own error, which says what went wrong first.
        console.error(`[vigil] could not record the failed analysis run: ${recording instanceof Error ? recording.message : String(recording)}`);
      }
      throw error;
    }
  }

  /** Walks outwards from what changed: devices, link keys, counted neighbours, ring region, scores. */
  private async incremental(
    c: ChangedRecords,
    vanished: ReturnType<AnalysisRepository['vanished']>,
    viaEvents: ReadonlyMap<string, string>,
    params: RunParameters,
    model: LogisticModel | null,
    runId: number,
  ): Promise<string[]> {
    const repo = this.repo;
    repo.openKeyFilters();
    this.time('filters');
    const deviceApplicants = this.devicesIncremental(uniq([...c.devices, ...viaEvents.keys(), ...vanished.observations]), vanished.observations, viaEvents);
    this.records.observationsSettled();
    this.time('devices');
    const viaApplications = repo.applicantOfApplications(uniq([...c.eventApplications, ...vanished.applications.map((a) => a.applicationId)]));
    const cohort = this.cohortNeighbours(c.pfRecords);
    const relink = uniq([
      ...c.applicants, ...c.applications.map(([, applicant]) => applicant), ...viaApplications.values(), ...c.cardApplicants,
      ...c.pfRecords.map((p) => p.applicantId), ...c.bureauApplicants, ...deviceApplicants, ...vanished.applications.map((a) => a.applicantId),
      ...cohort.relinked,
    ]);
    const { counted: countedKeys, reweighed } = await this.links(relink, params);
    this.records.linkKeysSettled();
    this.time('links');
    const keyHolders = this.holdersWithin(countedKeys);
    const { ringSeeds: rewired, hubHolders } = this.rewired(reweighed);
    // Applicants here only because their small employer's cohort size moved, or only because a key of theirs
    // became a hub or stopped being one, get their stored analyses patched (cohortPatches, hubPatches); those
    // a patch cannot vouch for go the full way with the rest.
    const moved = new Set([...relink, ...keyHolders, ...hubHolders]);
    const patched = this.cohortPatches(uniq(cohort.affected.filter((id) => !moved.has(id))), params);
    const keyed = new Set([...relink, ...keyHolders, ...cohort.affected]);
    const hubOnly = hubHolders.filter((id) => !keyed.has(id));
    const hubPatched = this.hubPatches(hubOnly);
    const hubPatchedSet = new Set(hubPatched.patches.map((p) => p.applicantId));
    this.cohortPatched = patched.patches.length;
    this.hubPatched = hubPatched.patches.length;
    const affected = uniq([...relink, ...patched.fallback, ...keyHolders, ...hubHolders.filter((id) => !hubPatchedSet.has(id))]);
    this.time('expansion');
    const { runs, riskMoved } = await this.firstPass(affected, params, model);
    this.time('first_pass');
    // Labels changed: their ring's confirmed-fraud taint may have too.
    const labelApplicants = [...repo.applicantOfApplications(c.labelApplications).values()];
    // A ring moves with its members' keys, the counts of their keys, their first-pass risk and labels. An
    // applicant affected only through its employer's cohort size, its keys and risk as they were, is reached
    // from any of those that did move, and seeds nothing itself.
    const ringChanged = await this.rings(uniq([...relink, ...keyHolders, ...riskMoved, ...labelApplicants, ...rewired]));
    this.time('rings');
    for (const gone of vanished.applications) repo.deleteApplication(gone.applicationId);
    const targets = uniq([...affected, ...ringChanged]);
    await this.scores(targets, params, model, runId, runs);
    this.writeCohortPatches(patched.patches, new Set(targets), params, model, runId);
    this.writeHubPatches(hubPatched.patches, new Set(targets), runId);
    this.time('scores');
    return uniq([...targets, ...patched.patches.map((p) => p.applicantId), ...hubPatchedSet]);
  }

  /**
   * Everything at once, in memory, from the stored sessions (events were read in the sessions phase):
   * the same engines and the same order of work as analyseDataset.
   */
  private async fullRun(params: RunParameters, model: LogisticModel | null, runId: number, viaEvents: ReadonlyMap<string, string>, refresh: 'auto' | 'never' | 'always'): Promise<string[]> {
    const repo = this.repo;
    const devices = [...repo.allDevices()];
    const applicants = repo.allRecords('applicants');
    // Every key is written again: the filters start empty, sized for about as many keys as a store holds per record.
    repo.openKeyFilters({ link: applicants.length * 12, device: devices.length * 3 });
    const dataset = {
      applicants, applications: repo.allRecords('applications'), devices, events: [],
      bankCards: repo.allRecords('cards'), pfRecords: repo.allRecords('pf'), bureaus: repo.allRecords('bureaus'), decisions: [], labels: [],
    };
    const sessions: SessionFeatures[] = [];
    for (const f of repo.allSessionFeatures()) {
      const s = f as SessionFeatures;
      if (!params.freshSessions.has(s.applicationId)) sessions.push(s);
    }
    for (const list of params.freshSessions.values()) sessions.push(...list);
    this.time('load');
    const run = new AnalysisRun(dataset, {
      rules: params.rules, model, baseline: params.baseline, pfCaps: params.pfCaps, digestKey: params.digestKey,
      confirmedFraud: params.confirmedFraud, sessions, observationApplication: this.observationApplications(viaEvents),
    });
    this.time('devices');
    this.progress('devices', devices.length, devices.length);
    const stale = repo.vanished();
    const observations = [...run.observations.values()];
    for (const slice of chunks(observations, 5000)) {
      repo.transaction(() => {
        for (const o of slice) {
          repo.upsertObservation({
            observationId: o.profile.observationId, deviceId: o.deviceId, applicantId: o.applicantId, applicationId: o.applicationId, observedMs: o.profile.observedAtMs,
            flags: [...o.flags], evidence: o.evidence.map((e) => ({ flag: e.flag, detail: e.detail })), ipProvince: o.ipProvince, ipCity: o.ipCity, ipIsp: o.ipIsp,
          });
          repo.replaceDeviceKeys(o.profile.observationId, blockKeys(o.profile).map(blockKeyDigest), false);
        }
      });
      await this.breathe();
    }
    repo.transaction(() => {
      for (const id of stale.observations) repo.deleteObservation(id);
      for (const gone of stale.applications) repo.deleteApplication(gone.applicationId);
      repo.deleteOrphanIdentities();
    });
    this.observationsLinked = observations.length;
    this.deviceIdentitiesTouched = run.identities.size;
    this.time('write_devices');

    const links = run.applicantLinks();
    const ids = run.applicationIds();
    run.firstPassFor(ids);
    const applicantIds = dataset.applicants.map((a) => a.id).sort();
    repo.transaction(() => repo.clearLinkKeys());
    for (const slice of chunks(applicantIds, 5000)) {
      repo.transaction(() => {
        for (const id of slice) {
          const l = links.get(id) ?? { identifiers: [], householdKeys: [] };
          repo.insertLinkKeys(id, l.identifiers);
          repo.upsertApplicant(id, run.firstPassRisk.get(id) ?? 0, l.householdKeys, runId);
          const cohort = run.cohortFeatures(id);
          repo.setCohort(id, cohort.size, cohort.suspicious);
        }
      });
      this.progress('links', Math.min(applicantIds.length, applicantIds.indexOf(slice[slice.length - 1] as string) + 1), applicantIds.length);
      await this.breathe();
    }
    repo.transaction(() => repo.rebuildLinkCounts());
    this.time('links');
    const rings = run.rings();
    repo.transaction(() => {
      repo.clearRings();
      for (const ring of rings.rings) repo.insertRing(ringRowOf(ring), runId);
    });
    this.ringsWritten = rings.rings.length;
    this.progress('rings', 1, 1);
    this.time('rings');

    let results = run.finish(ids, rings.rings);
    if (this.wantsModel(refresh)) {
      // Fit on the features just computed and score once, instead of writing rule-only scores and rescoring.
      this.progress('model', 0, 1);
      const fitted = this.fitModel(params.rules, [...results.values()].map((r) => ({ applicationId: r.applicationId, features: r.features })));
      this.modelFitted = fitted;
      if (fitted !== null) {
        model = fitted;
        const rescored = new Map<string, ApplicationResult>();
        for (const [id, r] of results) rescored.set(id, { ...r, score: scoreApplication(r.features, r.evidence, params.rules, fitted) });
        results = rescored;
      }
      this.progress('model', 1, 1);
      this.time('model_fit');
    }
    const sessionsOf = new Map<string, SessionFeatures[]>();
    for (const f of sessions) {
      let list = sessionsOf.get(f.applicationId);
      if (list === undefined) sessionsOf.set(f.applicationId, (list = []));
      list.push(f);
    }
    const all = [...results.values()];
    const scoredAt = this.now();
    let done = 0;
    for (const slice of chunks(all, 2000)) {
      const previous = repo.applicationsAnalysed(slice.map((r) => r.applicationId));
      repo.transaction(() => {
        for (const result of slice) {
          this.writeSessions(result.applicationId, sessionsOf.get(result.applicationId) ?? [], new Map(result.context.sessions.map((x) => [x.features.sessionId, x])), new Map(), true);
          const row = this.rowOf(result, runId, scoredAt);
          if (repo.saveApplication(row, previous.get(row.applicationId))) this.historyRows++;
          this.applicationsScored++;
        }
      });
      done += slice.length;
      this.progress('scores', done, all.length);
      await this.breathe();
    }
    repo.transaction(() => {
      for (const identity of run.identities.values()) repo.upsertIdentity(identityRowOf(identity), runId);
    });
    this.time('scores');
    return applicantIds;
  }

  /** Each observation's application as stored, or through the events read this run (the smallest id wins). */
  private observationApplications(viaEvents: ReadonlyMap<string, string>): Map<string, string | null> {
    const out = new Map<string, string | null>();
    for (const o of this.repo.allObservations()) out.set(o.observationId, o.applicationId);
    for (const [obs, app] of viaEvents) {
      const prev = out.get(obs);
      if (prev === undefined || prev === null || app < prev) out.set(obs, app);
    }
    return out;
  }

  /**
   * Session features from events, kept in memory until the scoring phase writes them with their
   * assessment (one write per session). Also returns, for each observation the events were made on,
   * the smallest application id among them (how an observation without an application id reaches one).
   */
  private async sessions(applicationIds: readonly string[]): Promise<{ viaEvents: Map<string, string>; fresh: Map<string, SessionFeatures[]> }> {
    const referenced = new Map<string, string>();
    const fresh = new Map<string, SessionFeatures[]>();
    let done = 0;
    for (const slice of chunks(applicationIds, this.chunk * 2)) {
      const events = this.repo.eventsOfApplications(slice);
      for (const id of slice) fresh.set(id, []);
      for (const [id, list] of groupSessions(events)) {
        const features = sessionFeatures(id, list);
        fresh.get(features.applicationId)?.push(features);
      }
      for (const e of events) {
        if (e.device_id === undefined) continue;
        const prev = referenced.get(e.device_id);
        if (prev === undefined || e.application_id < prev) referenced.set(e.device_id, e.application_id);
      }
      done += slice.length;
      this.progress('sessions', done, applicationIds.length);
      await this.breathe();
    }
    return { viaEvents: referenced, fresh };
  }

  private baseline(refresh: 'auto' | 'never' | 'always', fresh: ReadonlyMap<string, readonly SessionFeatures[]>): { baseline: BehaviourBaseline; version: string; changed: boolean } {
    const active = this.repo.activeParameter('baseline');
    // Growth is measured in applications (a cheap count); the baseline itself is built from form sessions.
    const applications = this.repo.applicationCount();
    const stale = active === undefined || refresh === 'always' || (refresh === 'auto' && applications >= active.basis * BASELINE_GROWTH && applications > active.basis);
    if (!stale && active !== undefined) return { baseline: JSON.parse(active.bodyJson) as BehaviourBaseline, version: active.version, changed: false };
    const sessions: SessionFeatures[] = [];
    for (const f of this.repo.allSessionFeatures()) {
      const s = f as SessionFeatures;
      if (s.form && !fresh.has(s.applicationId)) sessions.push(s);
    }
    for (const list of fresh.values()) for (const s of list) if (s.form) sessions.push(s);
    const baseline = buildBaseline(sessions);
    const body = JSON.stringify(baseline);
    const version = `baseline-${sha(body).slice(0, 12)}`;
    if (active?.version === version) return { baseline, version, changed: false };
    this.repo.transaction(() => this.repo.activateParameter({ version, kind: 'baseline', bodyJson: body, basis: applications, createdAt: this.now() }));
    return { baseline, version, changed: active !== undefined };
  }

  private resolveObservations(profiles: readonly DeviceProfile[], viaEvents: ReadonlyMap<string, string>): { applicationOf: Map<string, string | null>; applicantOf: Map<string, string | null> } {
    const stored = new Map(inSlices(profiles.filter((p) => p.applicationId === null).map((p) => p.observationId), (s) => this.repo.observations(s)).map((o) => [o.observationId, o]));
    const applicationOf = new Map<string, string | null>();
    for (const p of profiles) {
      const candidates = [viaEvents.get(p.observationId), stored.get(p.observationId)?.applicationId].filter((x): x is string => x !== undefined && x !== null).sort();
      applicationOf.set(p.observationId, p.applicationId ?? candidates[0] ?? null);
    }
    const needApplicant = uniq(profiles.filter((p) => p.applicantId === null).map((p) => applicationOf.get(p.observationId)));
    const applicantOfApp = new Map<string, string>();
    for (const slice of chunks(needApplicant, 5000)) for (const [k, v] of this.repo.applicantOfApplications(slice)) applicantOfApp.set(k, v);
    const applicantOf = new Map<string, string | null>();
    for (const p of profiles) {
      const app = applicationOf.get(p.observationId);
      applicantOf.set(p.observationId, p.applicantId ?? (app === null || app === undefined ? null : applicantOfApp.get(app) ?? null));
    }
    return { applicationOf, applicantOf };
  }

  private observationRow(p: DeviceProfile, deviceId: string, applicationOf: Map<string, string | null>, applicantOf: Map<string, string | null>): ObservationRow {
    const flagged = flagObservation(p);
    return {
      observationId: p.observationId, deviceId, applicantId: applicantOf.get(p.observationId) ?? null, applicationId: applicationOf.get(p.observationId) ?? null,
      observedMs: p.observedAtMs, flags: [...flagged.flags], evidence: flagged.evidence.map((e) => ({ flag: e.flag, detail: e.detail })),
      ipProvince: flagged.ipRegion.province || null, ipCity: flagged.ipRegion.city || null, ipIsp: flagged.ipRegion.isp || null,
    };
  }

  /**
   * Re-links changed observations against stored ones sharing a blocking key. Stored identities that
   * did not contain a changed observation are kept whole (seeded) and can only merge; those that did are
   * re-linked from all their members. Returns the applicants on every identity touched, and the owners of
   * the applications their observations were made for.
   */
  private devicesIncremental(changedIds: readonly string[], vanishedIds: readonly string[], viaEvents: ReadonlyMap<string, string>): string[] {
    if (changedIds.length === 0) return [];
    const repo = this.repo;
    const gone = new Set(vanishedIds);
    const changed = this.records.devices(changedIds.filter((id) => !gone.has(id))).map((d) => normaliseDevice(d));
    const changedSet = new Set(changedIds);
    const storedChanged = inSlices([...changedIds], (s) => repo.observations(s));
    // Block sizes store-wide: common values propose no candidates, in a full run or here alike.
    const changedKeyCount = new Map<string, number>();
    // Each blocking key is digested once here, however often linking asks about its block.
    const digests = new Map<string, string>();
    const digestOf = (key: string): string => {
      let d = digests.get(key);
      if (d === undefined) digests.set(key, (d = blockKeyDigest(key)));
      return d;
    };
    for (const p of changed) {
      for (const k of blockKeys(p)) {
        const d = digestOf(k);
        changedKeyCount.set(d, (changedKeyCount.get(d) ?? 0) + 1);
      }
    }
    const storedCounts = new Map<string, number>();
    // Only whether a block is over COMMON_BLOCK matters: stored counts stop one past it.
    for (const slice of chunks([...changedKeyCount.keys()], 2000)) for (const [k, n] of repo.deviceKeyCounts(slice, changedIds, COMMON_BLOCK + 1)) storedCounts.set(k, n);
    const blockSize = (digest: string): number => (storedCounts.get(digest) ?? 0) + (changedKeyCount.get(digest) ?? 0);
    const keys = [...changedKeyCount.keys()].filter((k) => blockSize(k) <= COMMON_BLOCK);
    // A block the changed or vanished observations leave may fall back to COMMON_BLOCK or below: a full run
    // compares its observations again, so they are proposed as candidates here too.
    // Its size before this run: the other stored observations plus the changed ones that held it.
    const leaving = new Map<string, number>();
    for (const slice of chunks(changedIds, 5000)) for (const [k, n] of repo.deviceKeysOf(slice)) if (!changedKeyCount.has(k)) leaving.set(k, (leaving.get(k) ?? 0) + n);
    const left = [...leaving.keys()];
    for (const slice of chunks(left, 2000)) for (const [k, n] of repo.deviceKeyCounts(slice, changedIds, COMMON_BLOCK + 1)) storedCounts.set(k, n);
    keys.push(...left.filter((k) => blockSize(k) + (leaving.get(k) ?? 0) > COMMON_BLOCK && blockSize(k) <= COMMON_BLOCK));
    // A block that this change pushes past COMMON_BLOCK links nothing any more, as in a full run: the identities
    // of its stored observations are re-linked from their members, so the links only it made are undone.
    const storedSize = (k: string): number => storedCounts.get(k) ?? 0;
    const crossing = [...changedKeyCount.keys()].filter((k) => storedSize(k) > 0 && storedSize(k) <= COMMON_BLOCK && blockSize(k) > COMMON_BLOCK);
    const crossed = crossing.length === 0 ? [] : inSlices(inSlices(crossing, (s) => repo.observationsWithKeys(s)).filter((id) => !changedSet.has(id)), (s) => repo.observations(s));
    const recompute = new Set([...storedChanged, ...crossed].map((o) => o.deviceId));
    const members = inSlices([...recompute], (s) => repo.observationsOfDevices(s)).filter((o) => !changedSet.has(o.observationId));
    const memberIds = new Set(members.map((m) => m.observationId));
    const candidateIds = inSlices(keys, (s) => repo.observationsWithKeys(s)).filter((id) => !changedSet.has(id) && !memberIds.has(id));
    const candidates = inSlices(uniq(candidateIds), (s) => repo.observations(s));
    const loadedRows = [...members, ...candidates];
    const storedRow = new Map(loadedRows.map((r) => [r.observationId, r]));
    const loaded = this.records.devices(loadedRows.map((r) => r.observationId)).map((d) => normaliseDevice(d));
    const profiles = [...changed, ...loaded];
    const index = new Map(profiles.map((p, i) => [p.observationId, i]));

    // Stored identities untouched by the change stay whole.
    const seeds: [number, number][] = [];
    const firstOf = new Map<string, number>();
    for (const row of candidates) {
      if (recompute.has(row.deviceId)) continue;
      const i = index.get(row.observationId);
      if (i === undefined) continue;
      const first = firstOf.get(row.deviceId);
      if (first === undefined) firstOf.set(row.deviceId, i);
      else seeds.push([first, i]);
    }
    // Keys of the loaded profiles whose blocks reach outside what was loaded: their store-wide size decides.
    const loadedKeys = new Map<string, number>();
    for (const p of profiles) for (const k of blockKeys(p)) loadedKeys.set(digestOf(k), 0);
    const unknown = [...loadedKeys.keys()].filter((k) => !changedKeyCount.has(k));
    for (const slice of chunks(unknown, 2000)) for (const [k, n] of repo.deviceKeyCounts(slice, changedIds, COMMON_BLOCK + 1)) storedCounts.set(k, n);
    const linked = linkProfiles(profiles, seeds, (key) => blockSize(digestOf(key)) > COMMON_BLOCK);
    const { applicationOf, applicantOf } = this.resolveObservations(changed, viaEvents);

    // Each group's anchor: its earliest loaded member, or the stored anchor of a partly loaded identity.
    const groups = new Map<number, number[]>();
    profiles.forEach((_p, i) => {
      const root = linked.anchorOf[i] as number;
      let list = groups.get(root);
      if (list === undefined) groups.set(root, (list = []));
      list.push(i);
    });
    const touched = new Set<string>(recompute);
    const renames: [string, string][] = [];
    const renamedTo = new Map<string, string>();
    const rows: ObservationRow[] = [];
    for (const list of groups.values()) {
      let anchorId = '';
      let anchorMs = Number.POSITIVE_INFINITY;
      const consider = (ms: number, id: string): void => {
        if (ms < anchorMs || (ms === anchorMs && id < anchorId)) {
          anchorMs = ms;
          anchorId = id;
        }
      };
      const partial = new Set<string>();
      for (const i of list) {
        const p = profiles[i] as DeviceProfile;
        consider(p.observedAtMs, p.observationId);
        const stored = storedRow.get(p.observationId);
        if (stored !== undefined && !recompute.has(stored.deviceId)) partial.add(stored.deviceId);
      }
      for (const deviceId of partial) {
        const earliest = repo.earliestObservation(deviceId);
        if (earliest !== undefined) consider(earliest.observedMs, earliest.observationId);
      }
      const deviceId = deviceIdFor(anchorId);
      const hasChanged = list.some((i) => !storedRow.has((profiles[i] as DeviceProfile).observationId));
      const recomputed = list.some((i) => recompute.has(storedRow.get((profiles[i] as DeviceProfile).observationId)?.deviceId ?? ''));
      // A stored identity that met nothing new stays as it is: nothing to write, nobody affected.
      if (!hasChanged && !recomputed && partial.size <= 1 && partial.has(deviceId)) continue;
      touched.add(deviceId);
      for (const old of partial) {
        touched.add(old);
        if (old !== deviceId) {
          renames.push([old, deviceId]);
          renamedTo.set(old, deviceId);
        }
      }
      for (const i of list) {
        const p = profiles[i] as DeviceProfile;
        const stored = storedRow.get(p.observationId);
        if (stored === undefined) rows.push(this.observationRow(p, deviceId, applicationOf, applicantOf));
        // A stored row already on this identity (or moved to it by a rename) stays as it is.
        else if (stored.deviceId !== deviceId && renamedTo.get(stored.deviceId) !== deviceId) rows.push({ ...stored, deviceId });
      }
    }
    repo.transaction(() => {
      for (const [from, to] of renames) repo.renameDevice(from, to);
      for (const row of rows) repo.upsertObservation(row);
      for (const p of changed) repo.replaceDeviceKeys(p.observationId, blockKeys(p).map(digestOf), true);
      for (const id of vanishedIds) repo.deleteObservation(id);
      repo.deleteOrphanIdentities([...recompute, ...renames.map(([from]) => from)]);
    });
    this.observationsLinked = changed.length;
    this.deviceIdentitiesTouched = touched.size;
    this.progress('devices', changed.length, changed.length);
    const observations = [...inSlices([...touched], (s) => repo.observationsOfDevices(s)), ...storedChanged];
    // An application's features read every observation made for it, whoever it is filed under: the
    // applicant who owns it is affected too (a device record may name one applicant and another's application).
    const owners = repo.applicantOfApplications(uniq(observations.map((o) => o.applicationId)));
    return uniq([...observations.map((o) => o.applicantId), ...owners.values()]);
  }

  /**
   * Applicants whose PF cohort verdict or size changed with these records: the whole employer group is
   * recounted, and members whose stored features disagree with the new count are affected.
   */
  private cohortNeighbours(pfs: readonly { applicantId: string; employer: string; employerCode: string | null }[]): { affected: string[]; relinked: string[] } {
    if (pfs.length === 0) return { affected: [], relinked: [] };
    const codes = uniq(pfs.map((p) => p.employerCode));
    const names = uniq(pfs.filter((p) => p.employerCode === null || p.employerCode === '').map((p) => normaliseEmployer(p.employer)));
    const sizes = this.records.employerSizes(codes, names);
    // A big employer's cohorts never count (see the pf_cohort_size feature): only an employer that is small
    // now or was before these records is recounted. Its size before is at least its size now less the
    // changed records naming it (each adds at most one applicant).
    const changedAt = new Map<string, number>();
    for (const p of pfs) {
      const key = p.employerCode !== null && p.employerCode !== '' ? `code:${p.employerCode}` : `name:${normaliseEmployer(p.employer)}`;
      changedAt.set(key, (changedAt.get(key) ?? 0) + 1);
    }
    const smallCodes = codes.filter((c) => (sizes.byCode.get(c) ?? 0) - (changedAt.get(`code:${c}`) ?? 0) <= SMALL_EMPLOYER_MAX);
    const smallNames = names.filter((n) => (sizes.byName.get(n) ?? 0) - (changedAt.get(`name:${n}`) ?? 0) <= SMALL_EMPLOYER_MAX);
    if (smallCodes.length === 0 && smallNames.length === 0) return { affected: [], relinked: [] };
    const group = this.repo.cohortMembers(smallCodes, smallNames);
    const cohorts = employerCohorts(group.map((pf) => ({ applicantId: pf.applicant_id, pf })));
    const members = uniq(group.map((p) => p.applicant_id));
    const stored = new Map<string, { size: number; suspicious: number }>();
    for (const slice of chunks(members, 5000)) for (const [id, row] of this.repo.storedCohorts(slice)) stored.set(id, row);
    const out: string[] = [];
    const relinked: string[] = [];
    for (const id of members) {
      const cohort = cohorts.get(id);
      const size = cohortFeatureSize(cohort);
      const suspicious = cohort?.suspicious === true ? 1 : 0;
      const before = stored.get(id);
      // A suspicious cohort's explanation quotes the employer's size ("3 of 4 applicants"), which every
      // changed record naming the employer moves: its members are rescored even when their cohort stays.
      // A rehearsal takes in every member of its applicants' small employers: old applicants' records and
      // analyses, read as a real run reads its neighbours', from all over the store (rehearseAnalysis).
      if (this.rehearsal !== null || before === undefined || before.size !== size || before.suspicious !== suspicious || suspicious === 1) out.push(id);
      // Only a suspicious cohort gives its members a link key (employer_cohort): a member outside one before
      // and after keeps its keys, and the link phase can pass it by.
      if (this.rehearsal !== null || before === undefined || before.suspicious === 1 || suspicious === 1) relinked.push(id);
    }
    return { affected: out, relinked };
  }

  /**
   * Applicants affected only because their small employer's cohort size moved, in a cohort that was not a
   * shell's before and is not now. Nothing else of theirs moved: not their records (a changed record relinks
   * its applicant), not their keys or the counts of those keys (the key holders are in the run the full way),
   * not their devices or sessions. So each stored analysis is what a full run would compute but for the
   * cohort's own features and words, and those come from the PF records alone (cohortClosure). The shipped
   * rules read only the cohort's verdict, which stays, so first-pass risk and with it the rings stand; a rule
   * set that reads the cohort's size sends everyone the full way. So does an applicant whose stored analysis
   * is missing, or whose cohort reads as a shell's after all, by the count a full run makes.
   */
  private cohortPatches(ids: readonly string[], params: RunParameters): { patches: CohortPatch[]; fallback: string[] } {
    if (ids.length === 0) return { patches: [], fallback: [] };
    const readsSize = params.rules.rules.some((r) => conditionFeatures(r.when).has('pf_cohort_size'));
    if (readsSize) return { patches: [], fallback: [...ids] };
    const patches: CohortPatch[] = [];
    const fallback: string[] = [];
    for (const slice of chunks(ids, 5000)) {
      const cohorts = cohortClosure(this.repo, this.records, slice);
      const analyses = this.repo.storedAnalysesOfApplicants(slice);
      const stored = this.repo.applicantRows(slice);
      for (const id of slice) {
        const cohort = cohorts.get(id);
        const before = stored.get(id);
        const rows = analyses.get(id) ?? [];
        const shell = before === undefined || before.cohortSuspicious || cohort === undefined || cohort.counted?.suspicious === true || cohort.judged?.suspicious === true;
        if (shell || rows === null) fallback.push(id);
        else patches.push({ applicantId: id, cohort: cohort.judged, countedSize: cohortFeatureSize(cohort.counted), storedSize: before.cohortSize, rows });
      }
    }
    return { patches, fallback };
  }

  /** Writes the patched cohorts and analyses (savePatched). */
  private writeCohortPatches(patches: readonly CohortPatch[], scored: ReadonlySet<string>, params: RunParameters, model: LogisticModel | null, runId: number): void {
    if (patches.length === 0) return;
    this.repo.transaction(() => {
      for (const patch of patches) if (patch.countedSize !== patch.storedSize) this.repo.setCohort(patch.applicantId, patch.countedSize, false);
    });
    this.savePatched(patches, scored, (before, patch, scoredAt) => {
      const features = JSON.parse(before.featuresJson) as FeatureVector;
      const evidence = JSON.parse(before.evidenceJson) as Evidence;
      writeCohortFeatures(patch.cohort, features, evidence);
      return scoreRow(
        { applicationId: before.applicationId, applicantId: before.applicantId, featuresJson: JSON.stringify(features), evidenceJson: JSON.stringify(evidence), findingsJson: before.findingsJson, ringId: before.ringId },
        scoreApplication(features, evidence, params.rules, model), runId, scoredAt,
      );
    });
  }

  /**
   * Holders of a key that became a hub or stopped being one, and nothing else moved for them: the hubs an
   * applicant holds are named beside its scores (hub_down_weighted) and read by nothing else of its analysis
   * (no feature counts an address's, an employer's or a contact phone's holders; phones and IP windows
   * never become hubs), so only the stored findings are rewritten, from the applicant's stored keys and
   * their counts, in the order a scoring closure reads them. Their rings move with the key's weight: a
   * holder whose ring facts changed is scored the full way (writeHubPatches). One without a stored
   * analysis for every application goes the full way too.
   */
  private hubPatches(ids: readonly string[]): { patches: HubPatch[]; fallback: string[] } {
    if (ids.length === 0) return { patches: [], fallback: [] };
    const keys = this.records.linkKeysOf(ids);
    const counts = this.records.holderCounts(uniq(keys.map((k) => k.key)));
    const hubsOf = new Map<string, string[]>();
    for (const k of keys) {
      const hubAt = HUB_AT[k.kind as LinkKind];
      if (!Number.isFinite(hubAt)) continue;
      // A key without a count has at most one holder of a kind (run.ts, holders).
      const holders = Math.max(counts.get(holderKey(k.kind, k.key)) ?? 0, 1);
      let hubs = hubsOf.get(k.applicantId);
      if (hubs === undefined) hubsOf.set(k.applicantId, (hubs = []));
      if (holders - 1 > hubAt && !hubs.includes(k.kind)) hubs.push(k.kind);
    }
    const patches: HubPatch[] = [];
    const fallback: string[] = [];
    const analyses = this.repo.storedAnalysesOfApplicants(ids);
    for (const id of ids) {
      const rows = analyses.get(id) ?? [];
      if (rows === null) fallback.push(id);
      else patches.push({ applicantId: id, hubKinds: hubsOf.get(id) ?? [], rows });
    }
    return { patches, fallback };
  }

  /** Writes the patched findings (savePatched). */
  private writeHubPatches(patches: readonly HubPatch[], scored: ReadonlySet<string>, runId: number): void {
    if (patches.length === 0) return;
    this.savePatched(patches, scored, (before, patch, scoredAt) => ({
      ...before, findingsJson: JSON.stringify(withHubs(JSON.parse(before.findingsJson) as Finding[], patch.hubKinds)), runId, scoredAt,
    }));
  }

  /**
   * Saves patched applicants' stored analyses as `rewrite` makes them, each only where it changed. An
   * applicant whose ring moved was scored the full way (`scored`) and is passed by.
   */
  private savePatched<P extends { readonly applicantId: string; readonly rows: readonly ApplicationAnalysisRow[] }>(
    patches: readonly P[],
    scored: ReadonlySet<string>,
    rewrite: (before: ApplicationAnalysisRow, patch: P, scoredAt: string) => ApplicationAnalysisRow,
  ): void {
    const scoredAt = this.now();
    this.repo.transaction(() => {
      for (const patch of patches) {
        if (scored.has(patch.applicantId)) continue;
        for (const before of patch.rows) {
          const row = rewrite(before, patch, scoredAt);
          if (!sameAnalysis(before, row) && this.repo.saveApplication(row, before)) this.historyRows++;
          this.applicationsScored++;
        }
      }
    });
  }

  /**
   * Recomputes and stores link keys. Returns every old and new key of a counted kind (their holders'
   * features moved), and how many holders the others gained and lost (their weight may have moved).
   */
  private async links(applicantIds: readonly string[], params: RunParameters): Promise<{ counted: string[]; reweighed: Map<string, KeyChange> }> {
    const counted = new Set<string>();
    const reweighed = new Map<string, KeyChange>();
    const note = (k: { kind: string; key: string }, gained: number): void => {
      if (k.kind === 'device' || k.kind === 'ip') return; // counted, one role: their holders are rescored already
      let change = reweighed.get(k.key);
      if (change === undefined) reweighed.set(k.key, (change = { kinds: new Set(), gained: 0, lost: 0 }));
      change.kinds.add(k.kind as LinkKind);
      if (gained > 0) change.gained += 1;
      else change.lost += 1;
    };
    let done = 0;
    for (const slice of chunks(applicantIds, this.chunk)) {
      const closure = linkClosure(this.repo, this.records, slice, params);
      const run = new AnalysisRun(closure.dataset, closure.options);
      const byId = new Map<string, ApplicantRecord>(closure.dataset.applicants.map((a) => [a.id, a]));
      const old = new Map<string, { kind: string; key: string }[]>();
      for (const row of this.repo.linkKeysOf(slice)) {
        let list = old.get(row.applicantId);
        if (list === undefined) old.set(row.applicantId, (list = []));
        list.push({ kind: row.kind, key: row.key });
      }
      const stored = this.repo.applicantRows(slice);
      this.repo.transaction(() => {
        const moves: { applicantId: string; before: readonly { kind: string; key: string }[]; after: readonly { kind: string; key: string }[] }[] = [];
        for (const id of slice) {
          const applicant = byId.get(id);
          const links = applicant === undefined ? { identifiers: [], householdKeys: [] } : run.computeLinks(applicant);
          const before = old.get(id) ?? [];
          // Unchanged keys change no one's counts: nothing to write, no neighbour to revisit.
          if (before.length !== links.identifiers.length || !sameKeys(before, links.identifiers)) {
            for (const k of [...before, ...links.identifiers]) if (COUNTED_KINDS.has(k.kind)) counted.add(k.key);
            const now = new Set(links.identifiers.map((k) => `${k.kind}|${k.key}`));
            const was = new Set(before.map((k) => `${k.kind}|${k.key}`));
            for (const k of links.identifiers) if (!was.has(`${k.kind}|${k.key}`)) note(k, 1);
            for (const k of before) if (!now.has(`${k.kind}|${k.key}`)) note(k, -1);
            moves.push({ applicantId: id, before, after: links.identifiers });
          } else if (this.rehearsal !== null) {
            // A rehearsal's applicants were new when their import was analysed: their keys were gained then,
            // and that run walked out to every neighbour sharing them. So does the rehearsal (nothing is written).
            for (const k of links.identifiers) {
              if (COUNTED_KINDS.has(k.kind)) counted.add(k.key);
              note(k, 1);
            }
          }
          const row = stored.get(id);
          if (row === undefined || row.householdJson !== JSON.stringify(links.householdKeys)) this.repo.upsertApplicant(id, row?.risk ?? 0, links.householdKeys, 0);
        }
        this.repo.replaceLinkKeysOf(moves);
      });
      done += slice.length;
      this.progress('links', done, applicantIds.length);
      await this.breathe();
    }
    return { counted: [...counted], reweighed };
  }

  /**
   * Applicants whose links changed weight or shape though none of their keys did: a key that gained holders
   * beyond its hub threshold (or past MAX_CLIQUE) weakens every earlier holder's link through it, and those
   * links that mattered are inside rings naming the key; a key that lost holders strengthens the links of all
   * its remaining holders. Counts are read after this run's keys are written. Apart (`hubHolders`): the
   * holders of a key that may have become a hub or stopped being one, in a kind whose hubs an analysis names
   * beside its score (hub_down_weighted): they are analysed again.
   */
  private rewired(reweighed: ReadonlyMap<string, KeyChange>): { ringSeeds: string[]; hubHolders: string[] } {
    if (reweighed.size === 0) return { ringSeeds: [], hubHolders: [] };
    const counts = this.records.holderCounts([...reweighed.keys()]);
    const grown: string[] = [];
    const shrunk: string[] = [];
    const flipped: { key: string; kinds: Set<LinkKind> }[] = [];
    for (const [key, change] of reweighed) {
      // A kind's hub holds more than HUB_AT + 1 (run.ts, hubs). Gains and losses are counted over the key's
      // kinds together, so each kind's count before lies within them: a flip is possible if they straddle it.
      const kinds = new Set<LinkKind>();
      for (const kind of change.kinds) {
        const hubFrom = HUB_AT[kind] + 2;
        if (!Number.isFinite(hubFrom)) continue;
        const now = counts.get(`${kind}|${key}`) ?? 1;
        if (now >= hubFrom ? now - change.gained < hubFrom : now + change.lost >= hubFrom) kinds.add(kind);
      }
      if (kinds.size > 0) flipped.push({ key, kinds });
      // Phones are held as own, card-reserved and emergency-contact numbers: a contact role makes the key a contact link.
      const roles = new Set<LinkKind>(change.kinds);
      if (roles.has('phone') || roles.has('contact_phone')) for (const r of ['phone', 'contact_phone'] as const) if (counts.has(`${r}|${key}`)) roles.add(r);
      let now = 0;
      for (const r of roles) now += counts.get(`${r}|${key}`) ?? 0;
      now = Math.max(now, 1); // a key without a count has at most one holder per role
      const before = Math.max(0, now - change.gained + change.lost);
      const hubAt = roles.has('contact_phone') ? HUB_AT.contact_phone : Math.min(...[...roles].map((r) => HUB_AT[r]));
      const shaped = (n: number): boolean => n - 1 > hubAt || n > MAX_CLIQUE;
      if (now > before && shaped(now)) grown.push(key);
      else if (now < before && shaped(before) && Math.min(before, now) <= EXPANSION_CAP) shrunk.push(key);
    }
    const out: string[] = [];
    if (grown.length > 0) {
      const ringIds = inSlices(grown, (s) => this.repo.ringIdsOfKeys(s));
      for (const ring of inSlices(uniq(ringIds), (s) => this.repo.rings(s))) out.push(...ring.members);
    }
    if (shrunk.length > 0) for (const h of this.records.holdersOf(shrunk)) out.push(h.applicantId);
    const hubHolders: string[] = [];
    if (flipped.length > 0) {
      const kindsOf = new Map(flipped.map((f) => [f.key, f.kinds]));
      for (const h of this.records.holdersOf(flipped.map((f) => f.key))) if (kindsOf.get(h.key)?.has(h.kind as LinkKind) === true) hubHolders.push(h.applicantId);
    }
    return { ringSeeds: uniq(out), hubHolders: uniq(hubHolders) };
  }

  private holdersWithin(keys: readonly string[]): string[] {
    const small: string[] = [];
    for (const slice of chunks(uniq(keys), 5000)) {
      const perKey = new Map<string, number>();
      for (const [kindKey, n] of this.records.holderCounts(slice)) {
        const key = kindKey.slice(kindKey.indexOf('|') + 1);
        perKey.set(key, (perKey.get(key) ?? 0) + n);
      }
      // A key without a count has at most one holder per kind: small.
      for (const key of slice) if ((perKey.get(key) ?? 0) <= EXPANSION_CAP) small.push(key);
    }
    return uniq(inSlices(small, (s) => this.repo.holdersOfKinds(s, [...COUNTED_KINDS])));
  }

  /** First pass over the affected applicants; returns the runs (scoring reuses their closures) and the applicants whose first-pass risk moved. */
  private async firstPass(applicantIds: readonly string[], params: RunParameters, model: LogisticModel | null): Promise<{ runs: ChunkRun[]; riskMoved: string[] }> {
    const runs: ChunkRun[] = [];
    const riskMoved: string[] = [];
    let done = 0;
    for (const slice of chunks(applicantIds, this.chunk)) {
      const closure = scoringClosure(this.repo, this.records, slice, params, model);
      const run = new AnalysisRun(closure.dataset, closure.options);
      run.firstPassFor(closure.targetApplicationIds);
      const stored = this.repo.applicantRows(slice);
      this.repo.transaction(() => {
        for (const id of slice) {
          // Rows are written only where the risk or the cohort moved: most neighbours' stay as they were.
          const before = stored.get(id);
          const risk = run.firstPassRisk.get(id) ?? 0;
          if (before === undefined || before.risk !== risk) {
            this.repo.upsertApplicant(id, risk, before?.household ?? [], 0);
            riskMoved.push(id);
          }
          const cohort = run.cohortFeatures(id);
          if (before === undefined || before.cohortSize !== cohort.size || before.cohortSuspicious !== cohort.suspicious) this.repo.setCohort(id, cohort.size, cohort.suspicious);
        }
      });
      runs.push({ applicants: slice, closure, run });
      done += slice.length;
      this.progress('first_pass', done, applicantIds.length);
      await this.breathe();
    }
    return { runs, riskMoved };
  }

  /** Recomputes rings over the region around `seeds` (incremental runs; a full run finds them in fullRun); returns the region's members whose ring facts changed. */
  private async rings(seeds: readonly string[]): Promise<string[]> {
    const repo = this.repo;
    this.progress('rings', 0, 1);
    // The region's rings as stored, read by the walk's last step: replaced below, and compared with the new ones.
    let oldRings: RingRow[] = [];
    // Keys and holder counts read during the region walk, kept for the ring build over the same members.
    const keysRead = new Map<string, LinkIdentifier[]>();
    const counts = new Map<string, number>();
    const keysOf = (ids: readonly string[]): Map<string, LinkIdentifier[]> => {
      const missing = ids.filter((id) => !keysRead.has(id));
      for (const id of missing) keysRead.set(id, []);
      for (const r of this.records.linkKeysOf(missing)) keysRead.get(r.applicantId)?.push({ kind: r.kind as LinkKind, key: r.key });
      return new Map(ids.map((id) => [id, keysRead.get(id) ?? []]));
    };
    const holderCounts = (keys: readonly string[]): Map<string, number> => {
      // RunRecords reads each key's counts once; here they gather for the ring build.
      for (const [k, n] of this.records.holderCounts(keys)) counts.set(k, n);
      // Every count read so far: a superset of what was asked, which is all a reader looks up.
      return counts;
    };
    const lookup = {
      keysOf,
      holderCounts: (keys: readonly LinkIdentifier[]) => holderCounts(keys.map((k) => k.key)),
      holdersOf: (keys: readonly string[]) => {
        const out = new Map<string, { applicantId: string; kind: LinkKind }[]>();
        for (const r of this.records.holdersOf(keys)) {
          let list = out.get(r.key);
          if (list === undefined) out.set(r.key, (list = []));
          list.push({ applicantId: r.applicantId, kind: r.kind as LinkKind });
        }
        return out;
      },
    };
    const region = expandRegion(seeds, lookup);
    // Old rings reaching outside the region are recomputed whole, or their other members would lose them.
    for (;;) {
      oldRings = inSlices(uniq(inSlices([...region], (s) => repo.ringIdsOfApplicants(s))), (s) => repo.rings(s));
      const oldMembers = uniq(oldRings.flatMap((r) => r.members));
      const outside = oldMembers.filter((m) => !region.has(m));
      if (outside.length === 0) break;
      for (const m of expandRegion(outside, lookup)) region.add(m);
    }
    const members = [...region].sort();
    const identifiers = new Map([...keysOf(members)].filter(([, list]) => list.length > 0));
    const holders = holderCounts([...identifiers.values()].flatMap((list) => list.map((k) => k.key)));
    const household = new Map<string, string[]>();
    const risk = new Map<string, number>();
    for (const slice of chunks(members, 5000)) {
      for (const [id, row] of repo.applicantRows(slice)) {
        household.set(id, row.household);
        risk.set(id, row.risk);
      }
    }
    const confirmed = new Set(inSlices(members, (s) => [...repo.confirmedFraudAmong(s)]));
    const result = findRings({
      identifiers, holders, memberRisk: risk, confirmedFraud: confirmed,
      household: (a, b) => sameHousehold(household.get(a) ?? [], household.get(b) ?? []),
    });
    const oldRingIds = oldRings.map((r) => r.ringId);
    // A member's score reads its ring only through what ringFacts keeps: members whose facts came out the
    // same (most of a region, whose rings were only re-weighed) need no rescoring.
    const before = new Map<string, string>();
    for (const row of oldRings) {
      const facts = ringFacts(row);
      for (const m of row.members) before.set(m, facts);
    }
    const rows = result.rings.map(ringRowOf);
    const after = new Map<string, string>();
    for (const row of rows) {
      const facts = ringFacts(row);
      for (const m of row.members) after.set(m, facts);
    }
    repo.transaction(() => {
      repo.deleteRings(oldRingIds, members);
      for (const row of rows) repo.insertRing(row, 0);
    });
    this.ringsWritten = result.rings.length;
    this.progress('rings', 1, 1);
    await this.breathe();
    return members.filter((m) => before.get(m) !== after.get(m));
  }

  private async scores(applicantIds: readonly string[], params: RunParameters, model: LogisticModel | null, runId: number, reuse: readonly ChunkRun[] = []): Promise<void> {
    const covered = new Set(reuse.flatMap((r) => r.applicants));
    const rest = applicantIds.filter((id) => !covered.has(id));
    const work: (ChunkRun | string[])[] = [...reuse, ...chunks(rest, this.chunk)];
    let done = 0;
    for (const item of work) {
      let chunk: ChunkRun;
      if (Array.isArray(item)) {
        const closure = scoringClosure(this.repo, this.records, item, params, model);
        chunk = { applicants: item, closure, run: new AnalysisRun(closure.dataset, closure.options) };
      } else chunk = item;
      this.scoreChunk(chunk, runId, params.freshSessions);
      done += chunk.applicants.length;
      this.progress('scores', done, applicantIds.length);
      await this.breathe();
    }
  }

  private scoreChunk({ applicants, closure, run }: ChunkRun, runId: number, fresh: ReadonlyMap<string, unknown>): void {
    const rings = this.repo.rings(this.repo.ringIdsOfApplicants(applicants)).map(toRing);
    const results = run.finish(closure.targetApplicationIds, rings);
    const previous = this.repo.applicationsAnalysed(closure.targetApplicationIds);
    const scoredAt = this.now();
    const targetSet = new Set(applicants);
    const sessionsOf = new Map<string, SessionFeatures[]>();
    for (const f of closure.options.sessions ?? []) {
      let list = sessionsOf.get(f.applicationId);
      if (list === undefined) sessionsOf.set(f.applicationId, (list = []));
      list.push(f);
    }
    const identities = [...run.identities.values()].filter((identity) => identity.applicantIds.some((a) => targetSet.has(a))).map(identityRowOf);
    const storedIdentities = this.repo.identities(identities.map((i) => i.deviceId));
    this.repo.transaction(() => {
      for (const result of results.values()) {
        this.writeSessions(result.applicationId, sessionsOf.get(result.applicationId) ?? [], new Map(result.context.sessions.map((s) => [s.features.sessionId, s])), closure.storedAssessments, fresh.has(result.applicationId));
        const row = this.rowOf(result, runId, scoredAt);
        const before = previous.get(row.applicationId);
        // An analysis that came out exactly as stored is not written again (its row keeps the run that produced it).
        if (before === undefined || !sameAnalysis(before, row)) {
          if (this.repo.saveApplication(row, before)) this.historyRows++;
        }
        this.applicationsScored++;
      }
      for (const identity of identities) {
        const stored = storedIdentities.get(identity.deviceId);
        if (stored === undefined || JSON.stringify(stored) !== JSON.stringify(identity)) this.repo.upsertIdentity(identity, runId);
      }
    });
  }

  /** Stores the application's sessions with their assessments, unless they are stored exactly so already. */
  private writeSessions(
    applicationId: string,
    all: readonly SessionFeatures[],
    assessed: ReadonlyMap<string, ApplicationResult['context']['sessions'][number]>,
    stored: ReadonlyMap<string, string>,
    fresh: boolean,
  ): void {
    const rows = all.map((features) => {
      const a = assessed.get(features.sessionId)?.assessment;
      return { sessionId: features.sessionId, bot: a?.bot ?? false, coached: a?.coached ?? false, features, assessment: a ?? {} };
    });
    if (!fresh && rows.every((r) => stored.get(sessionKey(applicationId, r.sessionId)) === JSON.stringify(r.assessment))) return;
    this.repo.replaceSessions(applicationId, rows);
  }

  private rowOf(result: ApplicationResult, runId: number, scoredAt: string): ApplicationAnalysisRow {
    return scoreRow({
      applicationId: result.applicationId, applicantId: result.applicantId, featuresJson: JSON.stringify(result.features), evidenceJson: JSON.stringify(result.evidence),
      findingsJson: JSON.stringify(applicationFindings(result.context)), ringId: result.ringId,
    }, result.score, runId, scoredAt);
  }

  /** A model is due: none yet and enough labels, labels grew by MODEL_GROWTH, or a refit was asked for. */
  private wantsModel(refresh: 'auto' | 'never' | 'always'): boolean {
    if (refresh === 'never') return false;
    if (refresh === 'always') return true;
    const labelCount = this.repo.labelCount();
    const active = this.repo.activeParameter('model');
    return active === undefined ? labelCount >= MIN_TRAINING_ROWS : labelCount >= active.basis * MODEL_GROWTH;
  }

  /** Set when a full run fitted the model in memory before writing its scores. */
  private modelFitted: LogisticModel | null | false = false;

  private fitModel(rules: RuleSet, inputs: readonly { applicationId: string; features: FeatureVector }[]): LogisticModel | null {
    const labelCount = this.repo.labelCount();
    const labels = this.repo.labels();
    const fitted = trainModel(inputs, labels, rules, 'pending');
    if (fitted === null) return null;
    // Named after what it learned: the same data and rules give the same version, and no duplicate row.
    const version = `model-${sha(JSON.stringify({ ...fitted, version: '' })).slice(0, 12)}`;
    const model = { ...fitted, version };
    this.repo.transaction(() => this.repo.activateParameter({ version, kind: 'model', bodyJson: JSON.stringify(model), basis: labelCount, createdAt: this.now() }));
    return model;
  }

  /** Rescores, from its stored features, every application scored with another rule set or model. */
  private async rescore(rules: RuleSet, model: LogisticModel | null, runId: number): Promise<void> {
    const rows = this.repo.rowsScoredWithOther(ruleSetVersion(rules), model?.version ?? null);
    const scoredAt = this.now();
    let done = 0;
    for (const slice of chunks(rows, 5000)) {
      this.repo.transaction(() => {
        for (const row of slice) {
          const features = JSON.parse(row.featuresJson) as FeatureVector;
          const evidence = JSON.parse(row.evidenceJson) as Evidence;
          const next = scoreRow(row, scoreApplication(features, evidence, rules, model), runId, scoredAt);
          if (this.repo.saveApplication(next, row)) this.historyRows++;
          this.applicationsRescored++;
        }
      });
      done += slice.length;
      this.progress('model', done, rows.length);
      await this.breathe();
    }
  }
}

/** Runs the engines over what changed since the last run (everything on the first). */
export function analyze(store: StoreHandle, options: AnalyzeOptions = {}): Promise<AnalyzeSummary> {
  return new AnalyzeRun(store, options).run();
}

/** How many of the latest applicants a rehearsal analyses again. */
export const REHEARSAL_APPLICANTS = 300;
/** How many of them one slice of it takes (one transaction, rolled back; the main process answers between slices). */
export const REHEARSAL_SLICE = 15;

export interface RehearsalSummary {
  /** The changes gone over again: (fromSeq, toSeq], toSeq being the watermark. */
  readonly fromSeq: number;
  readonly toSeq: number;
  readonly slices: number;
  /** False when a run, a lock or a stop request ended it early. */
  readonly complete: boolean;
  /** Summed over slices: an applicant two slices take in counts twice. */
  readonly applicantsAffected: number;
  readonly applicationsScored: number;
  readonly durationMs: number;
  /** The longest the main process was held at once. */
  readonly longestSliceMs: number;
}

/**
 * Analyses the latest `applicants` again, as an incremental run did after their import, and rolls
 * everything back: the store is left as it was. What it is for: a process's first incremental run pays for
 * code the JIT has not compiled yet and for pages not yet decrypted into the connection's cache (at 100,000
 * applications, about 3 s against about 2 s for the runs after it; README, "Incremental analyze"). A real
 * run's pages are mostly its neighbours', from all over the store: so a rehearsal also takes in every member
 * of its applicants' small employers (cohortNeighbours), about seven old applicants for each of its own.
 * It goes in slices of `sliceApplicants`, each its own transaction and rollback, so the main process answers
 * between them; `shouldStop` is asked between slices. Returns null where there is nothing to rehearse on: a
 * store never analysed, or analysed by another engine version (its next run is a full one).
 */
export async function rehearseAnalysis(
  store: StoreHandle,
  options: { readonly applicants?: number; readonly sliceApplicants?: number; readonly shouldStop?: () => boolean } = {},
): Promise<RehearsalSummary | null> {
  const started = performance.now();
  const repo = repositoryFor(store.db, createAnalysisRepository);
  const watermark = Number(repo.state('watermark') ?? '0');
  if (repo.lastRun() === undefined || watermark === 0 || repo.state('engine_version') !== ENGINE_VERSION) return null;
  if (store.db.inTransaction) return null;
  const applicants = Math.max(1, options.applicants ?? REHEARSAL_APPLICANTS);
  const size = Math.max(1, options.sliceApplicants ?? REHEARSAL_SLICE);
  // Slice boundaries, oldest first: the change before the n-th latest applicant, for n = applicants, ..., size.
  const bounds: number[] = [];
  for (let n = Math.ceil(applicants / size) * size; n > 0; n -= size) bounds.push(repo.seqBeforeRecentApplicants(Math.min(n, applicants), watermark));
  bounds.push(watermark);
  let slices = 0;
  let complete = true;
  let applicantsAffected = 0;
  let applicationsScored = 0;
  let longest = 0;
  for (let i = 0; i + 1 < bounds.length; i++) {
    const fromSeq = bounds[i] as number;
    const toSeq = bounds[i + 1] as number;
    if (toSeq <= fromSeq) continue;
    if (slices > 0 && !(await nextSliceMayBegin(store, options.shouldStop))) {
      complete = false;
      break;
    }
    // Another connection's run since the last slice (the command line's, say) moved what there is to
    // rehearse, or began a full run that left the store unanalysed: these slices are out of date.
    if (slices > 0 && repo.state('watermark') !== String(watermark)) {
      complete = false;
      break;
    }
    const t = performance.now();
    const summary = await new AnalyzeRun(store, { actor: 'rehearsal' }, { fromSeq, toSeq }).run();
    longest = Math.max(longest, performance.now() - t);
    slices += 1;
    applicantsAffected += summary.applicantsAffected;
    applicationsScored += summary.applicationsScored;
  }
  return {
    fromSeq: bounds[0] as number, toSeq: watermark, slices, complete, applicantsAffected, applicationsScored,
    durationMs: Math.round(performance.now() - started), longestSliceMs: Math.round(longest),
  };
}
