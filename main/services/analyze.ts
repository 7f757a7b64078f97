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
import type { ApplicantRecord } from '../../shared/interchange/schema.js';
import { buildBaseline, type BehaviourBaseline } from '../analysis/behaviour/population.js';
import { groupSessions, sessionFeatures, type SessionFeatures } from '../analysis/behaviour/sessions.js';
import { keyedValueHasher } from '../analysis/common/hash.js';
import { flagObservation } from '../analysis/devices/flags.js';
import { ipDatabaseAvailable } from '../analysis/devices/ipRegion.js';
import { blockKeyDigest, blockKeys, COMMON_BLOCK, deviceIdFor, linkProfiles } from '../analysis/devices/link.js';
import { normaliseDevice, type DeviceProfile } from '../analysis/devices/normalise.js';
import type { LinkIdentifier, LinkKind } from '../analysis/links/identifiers.js';
import { expandRegion } from '../analysis/links/region.js';
import { findRings, type Ring } from '../analysis/links/rings.js';
import { DEFAULT_PF_CAPS } from '../analysis/pf/caps.js';
import { employerCohorts } from '../analysis/pf/checks.js';
import { AnalysisRun, sameHousehold, type ApplicationResult } from '../analysis/pipeline/run.js';
import type { FeatureVector, Evidence } from '../analysis/scoring/features.js';
import { applicationFindings } from '../analysis/scoring/findings.js';
import type { LogisticModel } from '../analysis/scoring/model.js';
import { parseRuleSet, ruleSetVersion, type RuleSet } from '../analysis/scoring/rules.js';
import { defaultRuleSet, KNOWN_FEATURES } from '../analysis/scoring/ruleSets.js';
import { scoreApplication, type ApplicationScore } from '../analysis/scoring/score.js';
import { trainModel } from '../analysis/scoring/training.js';
import type { StoreHandle } from '../store/open.js';
import { AnalysisRepository, type ApplicationAnalysisRow, type ObservationRow, type RingRow } from '../store/repositories/analysis.js';
import { repositoryFor } from '../store/repositories/cache.js';
import { inSlices, linkClosure, scoringClosure, type RunParameters } from './analysisClosure.js';

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
  readonly applicationsScored: number;
  /** Applications rescored from stored features after the rules or the model changed. */
  readonly applicationsRescored: number;
  readonly historyRows: number;
  readonly ringsWritten: number;
  readonly ruleSet: string;
  readonly modelVersion: string | null;
  readonly baselineVersion: string;
  /** Whether the offline IP database loaded (geo and data-centre flags need it). */
  readonly ipDatabase: boolean;
  readonly durationMs: number;
}

const DEFAULT_CHUNK = 2_000;
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

function sha(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

/** The store's active rule set (003 rule_sets, tuned by team leads) or the shipped default. */
export function activeRuleSet(store: StoreHandle): RuleSet {
  const repo = repositoryFor(store.db, (db) => new AnalysisRepository(db));
  const stored = repo.activeRuleSetDefinition();
  if (stored === undefined) return defaultRuleSet();
  return parseRuleSet(JSON.parse(stored.definition), KNOWN_FEATURES);
}

/** The per-store key of identifier digests (a random 256-bit value, created on first use). */
export function valueDigester(repo: AnalysisRepository): (key: string) => string {
  let key = repo.state('value_key');
  if (key === null) {
    key = randomBytes(32).toString('hex');
    repo.setState('value_key', key);
  }
  const hasher = keyedValueHasher(Buffer.from(key, 'hex'));
  return (value) => hasher('link', value);
}

function loadModel(repo: AnalysisRepository): LogisticModel | null {
  const row = repo.activeParameter('model');
  return row === undefined ? null : (JSON.parse(row.bodyJson) as LogisticModel);
}

function toRing(row: RingRow): Ring {
  return {
    ringId: row.ringId, applicantIds: row.members, links: [], edges: [], score: row.score, baseScore: row.baseScore,
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

class AnalyzeRun {
  private readonly repo: AnalysisRepository;
  private readonly chunk: number;
  private readonly now: () => string;
  private observationsLinked = 0;
  private deviceIdentitiesTouched = 0;
  private applicationsScored = 0;
  private applicationsRescored = 0;
  private historyRows = 0;
  private ringsWritten = 0;

  constructor(private readonly store: StoreHandle, private readonly options: AnalyzeOptions) {
    this.repo = repositoryFor(store.db, (db) => new AnalysisRepository(db));
    this.chunk = options.chunkSize ?? DEFAULT_CHUNK;
    this.now = options.now ?? (() => new Date().toISOString());
  }

  private progress(phase: AnalyzePhase, done: number, total: number): void {
    this.options.onProgress?.({ phase, done, total });
  }

  async run(): Promise<AnalyzeSummary> {
    const started = performance.now();
    const repo = this.repo;
    const rules = this.options.rules ?? activeRuleSet(this.store);
    const ruleVersion = ruleSetVersion(rules);
    const fromSeq = Number(repo.state('watermark') ?? '0');
    const toSeq = repo.currentChangeSeq();
    const last = repo.lastRun();
    const digestKey = valueDigester(repo);
    let full = this.options.full === true || fromSeq === 0 || last === undefined;
    const changes = full ? null : repo.changedSince(fromSeq, toSeq);
    const vanished = repo.vanished();
    const refresh = this.options.refreshParameters ?? 'auto';
    let model = loadModel(repo);
    const runId = repo.beginRun({
      startedAt: this.now(), mode: full ? 'full' : 'incremental', actor: this.options.actor ?? 'system', fromSeq, toSeq,
      ruleSet: ruleVersion, modelVersion: model?.version ?? null, baselineVersion: repo.activeParameter('baseline')?.version ?? null,
    });
    try {
      // 1. Sessions of applications whose events changed (all of them on a first or full run).
      const sessionApps = full ? repo.allApplicationIds() : uniq([...(changes?.eventApplications ?? []), ...(changes?.applications.map(([id]) => id) ?? [])]);
      const observationsFromEvents = await this.sessions(sessionApps);

      // 2. The behaviour baseline: a versioned parameter, rebuilt when the population grew enough.
      const { baseline, version: baselineVersion, changed: baselineChanged } = this.baseline(refresh);
      if (baselineChanged && !full) full = true;

      const params: RunParameters = { rules, model: null, baseline, pfCaps: DEFAULT_PF_CAPS, digestKey, confirmedFraud: repo.confirmedFraudApplicants() };

      // 3. Devices.
      const deviceApplicants = full ? [] : await this.devicesIncremental(uniq([...(changes?.devices ?? []), ...observationsFromEvents, ...vanished.observations]), vanished.observations);
      if (full) await this.devicesFull();

      // 4. Link keys of the applicants whose own evidence changed, then everyone sharing a counted key with them.
      let directly: string[];
      if (full) directly = repo.allApplicantIds();
      else {
        const c = changes as NonNullable<typeof changes>;
        const viaApplications = repo.applicantOfApplications(uniq([...c.eventApplications, ...vanished.applications.map((a) => a.applicationId)]));
        if (process.env['VIGIL_ANALYZE_DEBUG'] === '1') console.error({ applicants: c.applicants.length, applications: c.applications.length, events: c.eventApplications.length, cards: c.cardApplicants.length, pf: c.pfRecords.length, bureaus: c.bureauApplicants.length, deviceApplicants: deviceApplicants.length, vanished: vanished.applications.length });
        directly = uniq([
          ...c.applicants, ...c.applications.map(([, applicant]) => applicant), ...viaApplications.values(), ...c.cardApplicants,
          ...c.pfRecords.map((p) => p.applicantId), ...c.bureauApplicants, ...deviceApplicants, ...vanished.applications.map((a) => a.applicantId),
          ...this.cohortNeighbours(c.pfRecords),
        ]);
      }
      const countedKeys = await this.links(directly, params);
      const affected = full ? directly : uniq([...directly, ...this.holdersWithin(countedKeys)]);
      if (process.env['VIGIL_ANALYZE_DEBUG'] === '1') console.error('directly', directly.length, 'affected', affected.length, 'counted keys', countedKeys.length);

      // 5. First-pass risk (rules only, no ring) of the affected applicants: what ring scores weigh members by.
      await this.firstPass(affected, params);

      // 6. Rings around them (labels changed: their ring's confirmed taint may have too).
      const labelApplicants = full ? [] : [...repo.applicantOfApplications(changes?.labelApplications ?? []).values()];
      const region = await this.rings(full, uniq([...affected, ...labelApplicants]), params);

      // 7. Scores of everyone whose evidence could have moved.
      for (const gone of vanished.applications) repo.deleteApplication(gone.applicationId);
      const targets = full ? repo.allApplicantIds() : uniq([...affected, ...region]);
      if (process.env['VIGIL_ANALYZE_DEBUG'] === '1') console.error('region', region.length, 'targets', targets.length);
      await this.scores(targets, params, model, runId);

      // 8. The model: refit when labels grew enough; rescore stored features when the rules or the model changed.
      const labelCount = repo.labelCount();
      const active = repo.activeParameter('model');
      const wantModel = refresh === 'always' || (refresh === 'auto' && (active === undefined ? labelCount > 0 : labelCount >= active.basis * MODEL_GROWTH));
      let modelChanged = false;
      if (wantModel) {
        this.progress('model', 0, 1);
        const fitted = this.fitModel(rules, labelCount);
        if (fitted !== null) {
          model = fitted;
          modelChanged = true;
        }
        this.progress('model', 1, 1);
      }
      if (modelChanged || (last !== undefined && last.ruleSet !== ruleVersion) || (last !== undefined && (last.modelVersion ?? null) !== (model?.version ?? null))) {
        await this.rescore(rules, model, runId);
      }

      repo.setState('watermark', String(toSeq));
      const summary: AnalyzeSummary = {
        runId, mode: full ? 'full' : 'incremental', fromSeq, toSeq,
        observationsLinked: this.observationsLinked, deviceIdentitiesTouched: this.deviceIdentitiesTouched,
        applicantsAffected: targets.length, applicationsScored: this.applicationsScored, applicationsRescored: this.applicationsRescored,
        historyRows: this.historyRows, ringsWritten: this.ringsWritten, ruleSet: ruleVersion, modelVersion: model?.version ?? null,
        baselineVersion, ipDatabase: ipDatabaseAvailable(), durationMs: Math.round(performance.now() - started),
      };
      repo.finishRun(runId, 'completed', this.now(), summary, model?.version ?? null, baselineVersion);
      return summary;
    } catch (error) {
      repo.finishRun(runId, 'failed', this.now(), { error: error instanceof Error ? error.message : String(error) }, model?.version ?? null, null);
      throw error;
    }
  }

  /** Session features from events; returns observations the events point at (their application may have changed). */
  private async sessions(applicationIds: readonly string[]): Promise<string[]> {
    const referenced = new Set<string>();
    let done = 0;
    for (const slice of chunks(applicationIds, this.chunk * 2)) {
      const events = this.repo.eventsOfApplications(slice);
      const byApplication = new Map<string, SessionFeatures[]>();
      for (const [id, list] of groupSessions(events)) {
        const features = sessionFeatures(id, list);
        let arr = byApplication.get(features.applicationId);
        if (arr === undefined) byApplication.set(features.applicationId, (arr = []));
        arr.push(features);
      }
      for (const e of events) if (e.device_id !== undefined) referenced.add(e.device_id);
      this.repo.transaction(() => {
        for (const appId of slice) {
          const sessions = byApplication.get(appId) ?? [];
          this.repo.replaceSessions(appId, sessions.map((s) => ({ sessionId: s.sessionId, bot: false, coached: false, features: s, assessment: {} })));
        }
      });
      done += slice.length;
      this.progress('sessions', done, applicationIds.length);
      await yieldToLoop();
    }
    return [...referenced];
  }

  private baseline(refresh: 'auto' | 'never' | 'always'): { baseline: BehaviourBaseline; version: string; changed: boolean } {
    const active = this.repo.activeParameter('baseline');
    const formSessions = this.repo.formSessionCount();
    const stale = active === undefined || refresh === 'always' || (refresh === 'auto' && formSessions >= active.basis * BASELINE_GROWTH && formSessions > active.basis);
    if (!stale && active !== undefined) return { baseline: JSON.parse(active.bodyJson) as BehaviourBaseline, version: active.version, changed: false };
    const sessions: SessionFeatures[] = [];
    for (const f of this.repo.allSessionFeatures()) {
      const s = f as SessionFeatures;
      if (s.form) sessions.push(s);
    }
    const baseline = buildBaseline(sessions);
    const body = JSON.stringify(baseline);
    const version = `baseline-${sha(body).slice(0, 12)}`;
    if (active?.version === version) return { baseline, version, changed: false };
    this.repo.transaction(() => this.repo.activateParameter({ version, kind: 'baseline', bodyJson: body, basis: sessions.length, createdAt: this.now() }));
    return { baseline, version, changed: active !== undefined };
  }

  private resolveObservations(profiles: readonly DeviceProfile[]): { applicationOf: Map<string, string | null>; applicantOf: Map<string, string | null> } {
    const missingApp = profiles.filter((p) => p.applicationId === null).map((p) => p.observationId);
    const viaEvents = new Map<string, string>();
    for (const slice of chunks(missingApp, 5000)) for (const [k, v] of this.repo.eventApplicationsOfObservations(slice)) viaEvents.set(k, v);
    const applicationOf = new Map<string, string | null>();
    for (const p of profiles) applicationOf.set(p.observationId, p.applicationId ?? viaEvents.get(p.observationId) ?? null);
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

  private async devicesFull(): Promise<void> {
    const profiles: DeviceProfile[] = [];
    for (const record of this.repo.allDevices()) profiles.push(normaliseDevice(record));
    this.progress('devices', 0, profiles.length);
    const linked = linkProfiles(profiles);
    const { applicationOf, applicantOf } = this.resolveObservations(profiles);
    const deviceOf = profiles.map((_p, i) => deviceIdFor((profiles[linked.anchorOf[i] as number] as DeviceProfile).observationId));
    const stale = this.repo.vanished().observations;
    let done = 0;
    for (const slice of chunks(profiles.map((_p, i) => i), 5000)) {
      this.repo.transaction(() => {
        for (const i of slice) {
          const p = profiles[i] as DeviceProfile;
          this.repo.upsertObservation(this.observationRow(p, deviceOf[i] as string, applicationOf, applicantOf));
          this.repo.replaceDeviceKeys(p.observationId, blockKeys(p).map(blockKeyDigest));
        }
      });
      done += slice.length;
      this.progress('devices', done, profiles.length);
      await yieldToLoop();
    }
    this.repo.transaction(() => {
      for (const id of stale) this.repo.deleteObservation(id);
      this.repo.deleteOrphanIdentities();
    });
    this.observationsLinked = profiles.length;
    this.deviceIdentitiesTouched = new Set(deviceOf).size;
  }

  /**
   * Re-links changed observations against stored ones sharing a blocking key. Stored identities that
   * did not contain a changed observation are kept whole (seeded) and can only merge; those that did are
   * re-linked from all their members. Returns the applicants on every identity touched.
   */
  private async devicesIncremental(changedIds: readonly string[], vanishedIds: readonly string[]): Promise<string[]> {
    if (changedIds.length === 0) return [];
    const repo = this.repo;
    const gone = new Set(vanishedIds);
    const changed = inSlices(changedIds.filter((id) => !gone.has(id)), (s) => repo.devices(s)).map(normaliseDevice);
    const changedSet = new Set(changedIds);
    const storedChanged = inSlices([...changedIds], (s) => repo.observations(s));
    const recompute = new Set(storedChanged.map((o) => o.deviceId));
    const members = inSlices([...recompute], (s) => repo.observationsOfDevices(s)).filter((o) => !changedSet.has(o.observationId));
    // Block sizes store-wide: common values propose no candidates, in a full run or here alike.
    const changedKeyCount = new Map<string, number>();
    for (const p of changed) for (const k of blockKeys(p)) changedKeyCount.set(blockKeyDigest(k), (changedKeyCount.get(blockKeyDigest(k)) ?? 0) + 1);
    const storedCounts = new Map<string, number>();
    for (const slice of chunks([...changedKeyCount.keys()], 2000)) for (const [k, n] of repo.deviceKeyCounts(slice, changedIds)) storedCounts.set(k, n);
    const blockSize = (digest: string): number => (storedCounts.get(digest) ?? 0) + (changedKeyCount.get(digest) ?? 0);
    const keys = [...changedKeyCount.keys()].filter((k) => blockSize(k) <= COMMON_BLOCK);
    const memberIds = new Set(members.map((m) => m.observationId));
    const candidateIds = inSlices(keys, (s) => repo.observationsWithKeys(s)).filter((id) => !changedSet.has(id) && !memberIds.has(id));
    const candidates = inSlices(uniq(candidateIds), (s) => repo.observations(s));
    const loadedRows = [...members, ...candidates];
    const storedRow = new Map(loadedRows.map((r) => [r.observationId, r]));
    const loaded = inSlices(loadedRows.map((r) => r.observationId), (s) => repo.devices(s)).map(normaliseDevice);
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
    for (const p of profiles) for (const k of blockKeys(p)) loadedKeys.set(blockKeyDigest(k), 0);
    const unknown = [...loadedKeys.keys()].filter((k) => !changedKeyCount.has(k));
    for (const slice of chunks(unknown, 2000)) for (const [k, n] of repo.deviceKeyCounts(slice, changedIds)) storedCounts.set(k, n);
    const linked = linkProfiles(profiles, seeds, (key) => blockSize(blockKeyDigest(key)) > COMMON_BLOCK);
    const { applicationOf, applicantOf } = this.resolveObservations(changed);

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
        const identity = repo.identity(deviceId);
        if (identity !== undefined) consider(identity.firstSeenMs, identity.anchorObservationId);
      }
      const deviceId = deviceIdFor(anchorId);
      const hasChanged = list.some((i) => !storedRow.has((profiles[i] as DeviceProfile).observationId));
      const recomputed = list.some((i) => recompute.has(storedRow.get((profiles[i] as DeviceProfile).observationId)?.deviceId ?? ''));
      // A stored identity that met nothing new stays as it is: nothing to write, nobody affected.
      if (!hasChanged && !recomputed && partial.size <= 1 && partial.has(deviceId)) continue;
      touched.add(deviceId);
      for (const old of partial) {
        touched.add(old);
        if (old !== deviceId) renames.push([old, deviceId]);
      }
      for (const i of list) {
        const p = profiles[i] as DeviceProfile;
        const stored = storedRow.get(p.observationId);
        rows.push(stored === undefined ? this.observationRow(p, deviceId, applicationOf, applicantOf) : { ...stored, deviceId });
      }
    }
    repo.transaction(() => {
      for (const [from, to] of renames) repo.renameDevice(from, to);
      for (const row of rows) repo.upsertObservation(row);
      for (const p of changed) repo.replaceDeviceKeys(p.observationId, blockKeys(p).map(blockKeyDigest));
      for (const id of vanishedIds) repo.deleteObservation(id);
      repo.deleteOrphanIdentities();
    });
    this.observationsLinked = changed.length;
    this.deviceIdentitiesTouched = touched.size;
    this.progress('devices', changed.length, changed.length);
    const applicants = inSlices([...touched], (s) => repo.observationsOfDevices(s)).map((o) => o.applicantId);
    return uniq([...applicants, ...storedChanged.map((o) => o.applicantId)]);
  }

  /**
   * Applicants whose PF cohort verdict or size changed with these records: the whole employer group is
   * recounted, and members whose stored features disagree with the new count are affected.
   */
  private cohortNeighbours(pfs: readonly { applicantId: string; employer: string; employerCode: string | null }[]): string[] {
    if (pfs.length === 0) return [];
    const group = this.repo.pfOfEmployers(uniq(pfs.map((p) => p.employerCode)), uniq(pfs.map((p) => p.employer)));
    const cohorts = employerCohorts(group.map((pf) => ({ applicantId: pf.applicant_id, pf })));
    const members = uniq(group.map((p) => p.applicant_id));
    const stored = new Map<string, FeatureVector[]>();
    for (const row of inSlices(members, (s) => this.repo.featuresOfApplicants(s))) {
      let list = stored.get(row.applicantId);
      if (list === undefined) stored.set(row.applicantId, (list = []));
      list.push(JSON.parse(row.featuresJson) as FeatureVector);
    }
    const out: string[] = [];
    for (const id of members) {
      const cohort = cohorts.get(id);
      const size = cohort?.cohortSize ?? 0;
      const suspicious = cohort?.suspicious === true ? 1 : 0;
      const before = stored.get(id) ?? [];
      if (before.length === 0 || before.some((f) => f['pf_cohort_size'] !== size || f['pf_cohort_suspicious'] !== suspicious)) out.push(id);
    }
    return out;
  }

  /** Recomputes and stores link keys; returns every old and new key of a counted kind (their holders' features moved). */
  private async links(applicantIds: readonly string[], params: RunParameters): Promise<string[]> {
    const counted = new Set<string>();
    let done = 0;
    for (const slice of chunks(applicantIds, this.chunk)) {
      const closure = linkClosure(this.repo, slice, params);
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
        for (const id of slice) {
          const applicant = byId.get(id);
          const links = applicant === undefined ? { identifiers: [], householdKeys: [] } : run.computeLinks(applicant);
          const before = old.get(id) ?? [];
          for (const k of [...before, ...links.identifiers]) if (COUNTED_KINDS.has(k.kind)) counted.add(k.key);
          this.repo.replaceLinkKeys(id, links.identifiers);
          this.repo.upsertApplicant(id, stored.get(id)?.risk ?? 0, links.householdKeys, 0);
        }
      });
      done += slice.length;
      this.progress('links', done, applicantIds.length);
      await yieldToLoop();
    }
    return [...counted];
  }

  private holdersWithin(keys: readonly string[]): string[] {
    const small: string[] = [];
    for (const slice of chunks(uniq(keys), 5000)) {
      const perKey = new Map<string, number>();
      for (const [kindKey, n] of this.repo.holderCounts(slice)) {
        const key = kindKey.slice(kindKey.indexOf('|') + 1);
        perKey.set(key, (perKey.get(key) ?? 0) + n);
      }
      for (const [key, n] of perKey) if (n <= EXPANSION_CAP) small.push(key);
    }
    return uniq(inSlices(small, (s) => this.repo.holdersOfKinds(s, [...COUNTED_KINDS])));
  }

  private async firstPass(applicantIds: readonly string[], params: RunParameters): Promise<void> {
    let done = 0;
    for (const slice of chunks(applicantIds, this.chunk)) {
      const closure = scoringClosure(this.repo, slice, params, null);
      const run = new AnalysisRun(closure.dataset, closure.options);
      run.firstPassFor(closure.targetApplicationIds);
      const stored = this.repo.applicantRows(slice);
      this.repo.transaction(() => {
        for (const id of slice) this.repo.upsertApplicant(id, run.firstPassRisk.get(id) ?? 0, stored.get(id)?.household ?? [], 0);
      });
      done += slice.length;
      this.progress('first_pass', done, applicantIds.length);
      await yieldToLoop();
    }
  }

  /** Recomputes rings over the region around `seeds` (everything on a full run); returns the region. */
  private async rings(full: boolean, seeds: readonly string[], params: RunParameters): Promise<string[]> {
    const repo = this.repo;
    this.progress('rings', 0, 1);
    let region: Set<string>;
    if (full) region = new Set(repo.allApplicantIds());
    else {
      const lookup = {
        keysOf: (ids: readonly string[]) => {
          const out = new Map<string, LinkIdentifier[]>();
          for (const r of inSlices(ids, (s) => repo.linkKeysOf(s))) {
            let list = out.get(r.applicantId);
            if (list === undefined) out.set(r.applicantId, (list = []));
            list.push({ kind: r.kind as LinkKind, key: r.key });
          }
          return out;
        },
        holderCounts: (keys: readonly LinkIdentifier[]) => {
          const out = new Map<string, number>();
          for (const slice of chunks(uniq(keys.map((k) => k.key)), 5000)) for (const [k, n] of repo.holderCounts(slice)) out.set(k, n);
          return out;
        },
        holdersOf: (keys: readonly string[]) => {
          const out = new Map<string, { applicantId: string; kind: LinkKind }[]>();
          for (const r of inSlices(keys, (s) => repo.holdersOf(s))) {
            let list = out.get(r.key);
            if (list === undefined) out.set(r.key, (list = []));
            list.push({ applicantId: r.applicantId, kind: r.kind as LinkKind });
          }
          return out;
        },
      };
      region = expandRegion(seeds, lookup);
      // Old rings reaching outside the region are recomputed whole, or their other members would lose them.
      for (;;) {
        const oldMembers = uniq(inSlices(inSlices([...region], (s) => repo.ringIdsOfApplicants(s)), (s) => repo.rings(s)).flatMap((r) => r.members));
        const outside = oldMembers.filter((m) => !region.has(m));
        if (outside.length === 0) break;
        for (const m of expandRegion(outside, lookup)) region.add(m);
      }
    }
    const members = [...region].sort();
    const identifiers = new Map<string, LinkIdentifier[]>();
    const keyRows = full ? [...repo.allLinkKeys()] : inSlices(members, (s) => repo.linkKeysOf(s));
    for (const r of keyRows) {
      let list = identifiers.get(r.applicantId);
      if (list === undefined) identifiers.set(r.applicantId, (list = []));
      list.push({ kind: r.kind as LinkKind, key: r.key });
    }
    const holders = new Map<string, number>();
    if (!full) for (const slice of chunks(uniq(keyRows.map((r) => r.key)), 5000)) for (const [k, n] of repo.holderCounts(slice)) holders.set(k, n);
    const household = new Map<string, string[]>();
    const risk = new Map<string, number>();
    for (const slice of chunks(members, 5000)) {
      for (const [id, row] of repo.applicantRows(slice)) {
        household.set(id, row.household);
        risk.set(id, row.risk);
      }
    }
    const result = findRings({
      identifiers, holders, memberRisk: risk, confirmedFraud: params.confirmedFraud,
      household: (a, b) => sameHousehold(household.get(a) ?? [], household.get(b) ?? []),
    });
    const oldRingIds = full ? [] : inSlices(members, (s) => repo.ringIdsOfApplicants(s));
    repo.transaction(() => {
      if (full) repo.clearRings();
      else repo.deleteRings(oldRingIds, members);
      for (const ring of result.rings) repo.insertRing(ringRowOf(ring), 0);
    });
    this.ringsWritten = result.rings.length;
    this.progress('rings', 1, 1);
    await yieldToLoop();
    return members;
  }

  private async scores(applicantIds: readonly string[], params: RunParameters, model: LogisticModel | null, runId: number): Promise<void> {
    let done = 0;
    for (const slice of chunks(applicantIds, this.chunk)) {
      const closure = scoringClosure(this.repo, slice, params, model);
      const run = new AnalysisRun(closure.dataset, closure.options);
      const rings = this.repo.rings(this.repo.ringIdsOfApplicants(slice)).map(toRing);
      const results = run.finish(closure.targetApplicationIds, rings);
      const previous = this.repo.applicationsAnalysed(closure.targetApplicationIds);
      const scoredAt = this.now();
      const targetSet = new Set(slice);
      const sessionsOf = new Map<string, SessionFeatures[]>();
      for (const f of closure.options.sessions ?? []) {
        let list = sessionsOf.get(f.applicationId);
        if (list === undefined) sessionsOf.set(f.applicationId, (list = []));
        list.push(f);
      }
      this.repo.transaction(() => {
        for (const result of results.values()) {
          this.writeSessions(result.applicationId, sessionsOf.get(result.applicationId) ?? [], new Map(result.context.sessions.map((s) => [s.features.sessionId, s])));
          const row = this.rowOf(result, runId, scoredAt);
          if (this.repo.saveApplication(row, previous.get(row.applicationId)?.inputsHash ?? null)) this.historyRows++;
          this.applicationsScored++;
        }
        for (const identity of run.identities.values()) {
          if (!identity.applicantIds.some((a) => targetSet.has(a))) continue;
          this.repo.upsertIdentity({
            deviceId: identity.deviceId, anchorObservationId: identity.anchorObservationId, firstSeenMs: identity.firstSeenMs, lastSeenMs: identity.lastSeenMs,
            observations: identity.observationIds.length, applicants: identity.applicantIds.length, applications: identity.applicationIds.length,
            flags: [...identity.flags], traits: identity.traits.map((t) => ({ flag: t.flag, detail: t.detail })), hardwareIdResets: identity.hardwareIdResets,
          }, runId);
        }
      });
      done += slice.length;
      this.progress('scores', done, applicantIds.length);
      await yieldToLoop();
    }
  }

  /** Stores every session of the application again, the form ones now with their assessment. */
  private writeSessions(applicationId: string, all: readonly SessionFeatures[], assessed: ReadonlyMap<string, ApplicationResult['context']['sessions'][number]>): void {
    this.repo.replaceSessions(applicationId, all.map((features) => {
      const a = assessed.get(features.sessionId)?.assessment;
      return { sessionId: features.sessionId, bot: a?.bot ?? false, coached: a?.coached ?? false, features, assessment: a ?? {} };
    }));
  }

  private rowOf(result: ApplicationResult, runId: number, scoredAt: string): ApplicationAnalysisRow {
    return scoreRow({
      applicationId: result.applicationId, applicantId: result.applicantId, featuresJson: JSON.stringify(result.features), evidenceJson: JSON.stringify(result.evidence),
      findingsJson: JSON.stringify(applicationFindings(result.context)), ringId: result.ringId,
    }, result.score, runId, scoredAt);
  }

  private fitModel(rules: RuleSet, labelCount: number): LogisticModel | null {
    const inputs: { applicationId: string; features: FeatureVector }[] = [];
    for (const row of this.repo.featureRows()) inputs.push({ applicationId: row.applicationId, features: JSON.parse(row.featuresJson) as FeatureVector });
    const labels = this.repo.labels();
    const version = `model-${sha(`${labelCount}:${ruleSetVersion(rules)}:${inputs.length}:${labels.filter((l) => l.is_fraud).length}`).slice(0, 12)}`;
    const model = trainModel(inputs, labels, rules, version);
    if (model === null) return null;
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
          if (this.repo.saveApplication(next, row.inputsHash)) this.historyRows++;
          this.applicationsRescored++;
        }
      });
      done += slice.length;
      this.progress('model', done, rows.length);
      await yieldToLoop();
    }
  }
}

/** Runs the engines over what changed since the last run (everything on the first). */
export function analyze(store: StoreHandle, options: AnalyzeOptions = {}): Promise<AnalyzeSummary> {
  return new AnalyzeRun(store, options).run();
}

