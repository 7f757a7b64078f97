// One analysis over a dataset: devices linked and flagged, sessions measured, applicants' checks and
// link identifiers, first-pass risk, rings, then every target application's features and score.
// Stages are separate methods so the incremental service can persist link identifiers and look up the
// ring region in the store between them; `analyseDataset` runs them all for a full, in-memory analysis.
import type { ApplicationRecord, DeviceRecord, EventRecord, PfRecord } from '../../../shared/interchange/schema.js';
import { assessSession, isNightHour, type BehaviourAssessment } from '../behaviour/flags.js';
import { buildBaseline, type BehaviourBaseline } from '../behaviour/population.js';
import { groupSessions, isFormSession, sessionFeatures, type SessionFeatures } from '../behaviour/sessions.js';
import { sigmoid } from '../scoring/model.js';
import { DAY_MS, HOUR_MS, epochMs, localHour } from '../common/time.js';
import { flagObservation, hardwareIdResets, identityTraits, type DeviceFlag, type FlagEvidence } from '../devices/flags.js';
import { deviceIdFor, linkProfiles } from '../devices/link.js';
import { normaliseDevice, type DeviceProfile } from '../devices/normalise.js';
import { identityFindings, normalisePhone } from '../identity/checks.js';
import { applicantIdentifiers, isFamilyRelation, ipWindowKeys, kindsAmong, normaliseAddress, type LinkIdentifier } from '../links/identifiers.js';
import { findRings, HUB_AT, type Ring, type RingResult } from '../links/rings.js';
import { applicantCohort, cohortFeatureSize, COHORT_SHARE, employerCohorts, employerKey, pfFindings, SMALL_EMPLOYER_MAX, type EmployerCohort, type PfCityCaps } from '../pf/checks.js';
import { applicationFeatures, type ApplicationContext, type DeviceReputation, type Evidence, type FeatureVector, type ObservationSummary, type RingSummary } from '../scoring/features.js';
import type { LogisticModel } from '../scoring/model.js';
import type { RuleSet } from '../scoring/rules.js';
import { ruleLogOdds, scoreApplication, type ApplicationScore } from '../scoring/score.js';
import { confirmedFraudApplicants, groupBy, type AnalysisDataset } from './dataset.js';

/** Device-intrinsic flags: true of the hardware whichever session saw it (network flags are per session). */
const INTRINSIC_FLAGS: ReadonlySet<DeviceFlag> = new Set(['emulator', 'rooted', 'jailbroken', 'hooking', 'debugger', 'multi_instance', 'automation', 'inconsistent']);
const INTRINSIC_DEVICE_FLAGS = INTRINSIC_FLAGS;

export interface RingRegion {
  /** Link identifiers of every applicant in the ring region (from the store), overriding the dataset's. */
  readonly identifiers: ReadonlyMap<string, readonly LinkIdentifier[]>;
  readonly householdKeys: ReadonlyMap<string, readonly string[]>;
  /** Stored first-pass risk of region members outside this run's dataset. */
  readonly memberRisk: ReadonlyMap<string, number>;
}

export interface AnalysisOptions {
  readonly rules: RuleSet;
  readonly model: LogisticModel | null;
  /** Frozen behaviour baseline; built from this dataset's form sessions when absent. */
  readonly baseline?: BehaviourBaseline;
  readonly pfCaps: PfCityCaps;
  /** Stored device identities (observation id -> device id); linked here when absent. */
  readonly deviceIdOf?: ReadonlyMap<string, string>;
  /** Store-wide count of applicants holding each `kind|key` (incremental runs see only a closure). */
  readonly holders?: ReadonlyMap<string, number>;
  /** Store-wide count of applicants per employer key. */
  readonly employerSizes?: ReadonlyMap<string, number>;
  readonly confirmedFraud?: ReadonlySet<string>;
  /** Stored session features (all sessions of the dataset's applications); computed from events when absent. */
  readonly sessions?: readonly SessionFeatures[];
  /** Stored application of each observation (resolved through events at the time it was linked). */
  readonly observationApplication?: ReadonlyMap<string, string | null>;
  /** Stored applicant of each observation (its application may not be in an incremental run's closure). */
  readonly observationApplicant?: ReadonlyMap<string, string | null>;
  /** Stored flags of observations (an incremental run flagged them when they were linked). */
  readonly observationFlags?: ReadonlyMap<string, StoredObservationFlags>;
  /** Stored link keys and household keys per applicant; computed from the records when absent. */
  readonly links?: ReadonlyMap<string, ApplicantLinks>;
  /** Turns link and household keys into what is stored (a keyed digest); identity when absent. */
  readonly digestKey?: (key: string) => string;
}

export interface StoredObservationFlags {
  readonly flags: readonly DeviceFlag[];
  readonly evidence: readonly FlagEvidence[];
  readonly ipCity: string | null;
  readonly ipProvince: string | null;
  readonly ipIsp: string | null;
}

export interface ObservationResult {
  readonly profile: DeviceProfile;
  readonly deviceId: string;
  readonly applicantId: string | null;
  readonly applicationId: string | null;
  readonly flags: readonly DeviceFlag[];
  readonly evidence: readonly FlagEvidence[];
  readonly ipCity: string | null;
  readonly ipProvince: string | null;
  readonly ipIsp: string | null;
}

export interface DeviceIdentityResult {
  readonly deviceId: string;
  readonly anchorObservationId: string;
  readonly observationIds: readonly string[];
  readonly applicantIds: readonly string[];
  readonly applicationIds: readonly string[];
  readonly firstSeenMs: number;
  readonly lastSeenMs: number;
  readonly flags: readonly DeviceFlag[];
  readonly traits: readonly FlagEvidence[];
  readonly hardwareIdResets: number;
}

export interface SessionResult {
  readonly features: SessionFeatures;
  readonly assessment: BehaviourAssessment;
}

export interface ApplicantLinks {
  readonly identifiers: readonly LinkIdentifier[];
  readonly householdKeys: readonly string[];
}

export interface ApplicationResult {
  readonly applicationId: string;
  readonly applicantId: string;
  readonly context: ApplicationContext;
  readonly features: FeatureVector;
  readonly evidence: Evidence;
  readonly score: ApplicationScore;
  readonly ringId: string | null;
}

export function holderKey(kind: string, key: string): string {
  return `${kind}|${key}`;
}

function surnameOf(name: string): string {
  return name.trim().slice(0, 1);
}

export class AnalysisRun {
  readonly dataset: AnalysisDataset;
  readonly options: AnalysisOptions;
  readonly observations = new Map<string, ObservationResult>();
  readonly identities = new Map<string, DeviceIdentityResult>();
  readonly sessions: SessionResult[] = [];
  readonly baseline: BehaviourBaseline;
  readonly linkComparisons: number;

  private readonly applicantById = new Map<string, AnalysisDataset['applicants'][number]>();
  private readonly applicationById = new Map<string, ApplicationRecord>();
  private readonly applicationsByApplicant: Map<string, ApplicationRecord[]>;
  private readonly cardsByApplicant: Map<string, AnalysisDataset['bankCards'][number][]>;
  private readonly pfByApplicant: Map<string, AnalysisDataset['pfRecords'][number][]>;
  private readonly bureauByApplicant = new Map<string, AnalysisDataset['bureaus'][number]>();
  private readonly observationsByApplication = new Map<string, ObservationResult[]>();
  private readonly observationsByApplicant = new Map<string, ObservationResult[]>();
  private readonly observationsByDevice = new Map<string, ObservationResult[]>();
  private readonly sessionsByApplication = new Map<string, SessionResult[]>();
  private readonly allSessions: readonly SessionFeatures[];
  private readonly allSessionsByApplication = new Map<string, SessionFeatures[]>();
  private readonly cohorts: Map<string, EmployerCohort>;
  private links: Map<string, ApplicantLinks> | null = null;
  private localHolders: Map<string, number> | null = null;
  private readonly firstPass = new Map<string, { features: FeatureVector; evidence: Evidence; context: ApplicationContext }>();
  readonly firstPassRisk = new Map<string, number>();

  constructor(dataset: AnalysisDataset, options: AnalysisOptions) {
    this.dataset = dataset;
    this.options = options;
    for (const a of dataset.applicants) this.applicantById.set(a.id, a);
    for (const a of dataset.applications) this.applicationById.set(a.id, a);
    this.applicationsByApplicant = groupBy(dataset.applications, (a) => a.applicant_id);
    this.cardsByApplicant = groupBy(dataset.bankCards, (c) => c.applicant_id);
    this.pfByApplicant = groupBy(dataset.pfRecords, (p) => p.applicant_id);
    for (const b of dataset.bureaus) {
      const prev = this.bureauByApplicant.get(b.applicant_id);
      if (prev === undefined || prev.reported_at < b.reported_at) this.bureauByApplicant.set(b.applicant_id, b);
    }
    this.linkComparisons = this.analyseDevices(dataset.devices, dataset.events);
    const sessions = options.sessions ?? [...groupSessions(dataset.events)].map(([id, events]) => sessionFeatures(id, events));
    this.allSessions = sessions;
    for (const s of sessions) push(this.allSessionsByApplication, s.applicationId, s);
    const formSessions = sessions.filter(isFormSession);
    this.baseline = options.baseline ?? buildBaseline(formSessions);
    for (const s of formSessions) {
      const result = { features: s, assessment: assessSession(s, this.baseline) };
      this.sessions.push(result);
      let list = this.sessionsByApplication.get(s.applicationId);
      if (list === undefined) this.sessionsByApplication.set(s.applicationId, (list = []));
      list.push(result);
    }
    this.cohorts = countCohorts(dataset.pfRecords, options.employerSizes);
  }

  private analyseDevices(devices: readonly DeviceRecord[], events: readonly EventRecord[]): number {
    const stored = this.options.observationFlags;
    const profiles = devices.map((d) => normaliseDevice(d, { withAgent: stored?.has(d.id) !== true }));
    let comparisons = 0;
    const deviceIds: string[] = new Array<string>(profiles.length);
    if (this.options.deviceIdOf !== undefined) {
      const stored = this.options.deviceIdOf;
      profiles.forEach((p, i) => {
        deviceIds[i] = stored.get(p.observationId) ?? deviceIdFor(p.observationId);
      });
    } else {
      const linked = linkProfiles(profiles);
      comparisons = linked.comparisons;
      profiles.forEach((_p, i) => {
        deviceIds[i] = deviceIdFor((profiles[linked.anchorOf[i] as number] as DeviceProfile).observationId);
      });
    }
    // Observations reach applications through their own ids or through the events made on them.
    const applicationOfObservation = new Map<string, string | null>(this.options.observationApplication ?? []);
    if (this.options.observationApplication === undefined) {
      // The smallest application id among the events made on it: the same answer whatever the event order.
      for (const e of events) {
        if (e.device_id === undefined) continue;
        const prev = applicationOfObservation.get(e.device_id);
        if (prev === undefined || prev === null || e.application_id < prev) applicationOfObservation.set(e.device_id, e.application_id);
      }
    }
    profiles.forEach((p, i) => {
      const applicationId = p.applicationId ?? applicationOfObservation.get(p.observationId) ?? null;
      const applicantId = p.applicantId ?? this.options.observationApplicant?.get(p.observationId) ?? (applicationId === null ? null : this.applicationById.get(applicationId)?.applicant_id ?? null);
      const known = stored?.get(p.observationId);
      let result: ObservationResult;
      if (known !== undefined) {
        result = { profile: p, deviceId: deviceIds[i] as string, applicantId, applicationId, flags: known.flags, evidence: known.evidence, ipCity: known.ipCity, ipProvince: known.ipProvince, ipIsp: known.ipIsp };
      } else {
        const flagged = flagObservation(p);
        result = {
          profile: p,
          deviceId: deviceIds[i] as string,
          applicantId,
          applicationId,
          flags: flagged.flags,
          evidence: flagged.evidence,
          ipCity: flagged.ipRegion.city === '' ? null : flagged.ipRegion.city,
          ipProvince: flagged.ipRegion.province === '' ? null : flagged.ipRegion.province,
          ipIsp: flagged.ipRegion.isp === '' ? null : flagged.ipRegion.isp,
        };
      }
      this.observations.set(p.observationId, result);
      push(this.observationsByDevice, result.deviceId, result);
      if (applicationId !== null) push(this.observationsByApplication, applicationId, result);
      if (applicantId !== null) push(this.observationsByApplicant, applicantId, result);
    });
    for (const [deviceId, list] of this.observationsByDevice) {
      const sorted = list.sort((a, b) => a.profile.observedAtMs - b.profile.observedAtMs || (a.profile.observationId < b.profile.observationId ? -1 : 1));
      const traits = identityTraits(sorted.map((o) => o.profile));
      const flags = new Set<DeviceFlag>(traits.flags);
      for (const o of sorted) for (const f of o.flags) if (INTRINSIC_DEVICE_FLAGS.has(f)) flags.add(f);
      const first = sorted[0] as ObservationResult;
      this.identities.set(deviceId, {
        deviceId,
        anchorObservationId: first.profile.observationId,
        observationIds: sorted.map((o) => o.profile.observationId),
        applicantIds: uniqueSorted(sorted.map((o) => o.applicantId)),
        applicationIds: uniqueSorted(sorted.map((o) => o.applicationId)),
        firstSeenMs: first.profile.observedAtMs,
        lastSeenMs: (sorted[sorted.length - 1] as ObservationResult).profile.observedAtMs,
        flags: [...flags].sort(),
        traits: traits.evidence,
        hardwareIdResets: hardwareIdResets(sorted.map((o) => o.profile)),
      });
    }
    return comparisons;
  }

  /** Link identifiers and household keys of every applicant in the dataset (stored ones when given). */
  applicantLinks(): Map<string, ApplicantLinks> {
    if (this.links !== null) return this.links;
    const links = new Map<string, ApplicantLinks>();
    const stored = this.options.links;
    for (const applicant of this.dataset.applicants) {
      const given = stored?.get(applicant.id);
      if (given !== undefined) {
        links.set(applicant.id, given);
        continue;
      }
      links.set(applicant.id, this.computeLinks(applicant));
    }
    if (stored !== undefined) for (const [id, l] of stored) if (!links.has(id)) links.set(id, l);
    this.links = links;
    return links;
  }

  /** Link identifiers computed from this dataset's records (what the service stores as digests). */
  computeLinks(applicant: AnalysisDataset['applicants'][number]): ApplicantLinks {
    const observations = this.observationsByApplicant.get(applicant.id) ?? [];
    const ipKeys = new Set<string>();
    for (const o of observations) if (o.profile.ip !== null) for (const key of ipWindowKeys(o.profile.ip, o.profile.observedAtMs)) ipKeys.add(key);
    for (const app of this.applicationsByApplicant.get(applicant.id) ?? []) {
      for (const session of this.allSessionsByApplication.get(app.id) ?? []) for (const key of session.ipKeys) ipKeys.add(key);
    }
    const cohort = applicantCohort(this.cohorts.get(applicant.id), this.pfByApplicant.get(applicant.id) ?? []);
    const identifiers = applicantIdentifiers({
      applicant,
      cards: this.cardsByApplicant.get(applicant.id) ?? [],
      pfRecords: this.pfByApplicant.get(applicant.id) ?? [],
      deviceIds: uniqueSorted(observations.map((o) => o.deviceId)),
      ipKeys: [...ipKeys].sort(),
      employerKeys: uniqueSorted((this.pfByApplicant.get(applicant.id) ?? []).map(employerKey)),
      employerCohortKeys: cohort === null || !cohort.suspicious ? [] : [`${cohort.employerKey}|${cohort.firstMonth}`],
    });
    const digest = this.digest;
    return {
      identifiers: identifiers.map((id) => ({ kind: id.kind, key: digest(id.key) })),
      householdKeys: householdKeysOf(applicant).map((k) => `${k.slice(0, 3)}${digest(k.slice(3))}`),
    };
  }

  private get digest(): (key: string) => string {
    return this.options.digestKey ?? ((key) => key);
  }

  private holders(kind: string, key: string): number {
    const global = this.options.holders?.get(holderKey(kind, key));
    if (this.localHolders === null) {
      const counts = new Map<string, number>();
      for (const { identifiers } of this.applicantLinks().values()) {
        for (const id of identifiers) {
          const k = holderKey(id.kind, id.key);
          counts.set(k, (counts.get(k) ?? 0) + 1);
        }
      }
      this.localHolders = counts;
    }
    return Math.max(global ?? 0, this.localHolders.get(holderKey(kind, key)) ?? 0);
  }

  private ipHolders: Map<string, string[]> | null = null;

  /** Applicants holding each IP-window key in this dataset. */
  private ipKeyHolders(): Map<string, string[]> {
    if (this.ipHolders !== null) return this.ipHolders;
    const out = new Map<string, string[]>();
    for (const [applicantId, l] of this.applicantLinks()) for (const id of l.identifiers) if (id.kind === 'ip') push(out, id.key, applicantId);
    this.ipHolders = out;
    return out;
  }

  private household(a: string, b: string): boolean {
    const links = this.applicantLinks();
    return sameHousehold(links.get(a)?.householdKeys ?? [], links.get(b)?.householdKeys ?? []);
  }

  private deviceReputation(deviceId: string, applicantId: string, atMs: number): DeviceReputation {
    const list = this.observationsByDevice.get(deviceId) ?? [];
    const others = new Set<string>();
    const others30 = new Set<string>();
    const apps7 = new Set<string>();
    for (const o of list) {
      const near = Math.abs(o.profile.observedAtMs - atMs);
      if (o.applicantId !== null && o.applicantId !== applicantId) {
        others.add(o.applicantId);
        if (near <= 30 * DAY_MS) others30.add(o.applicantId);
      }
      if (o.applicationId !== null && near <= 7 * DAY_MS) apps7.add(o.applicationId);
    }
    let unrelated = 0;
    const idNumbers = new Set<string>();
    const self = this.applicantById.get(applicantId);
    if (self !== undefined) idNumbers.add(self.id_number.toUpperCase());
    for (const other of others) {
      if (!this.household(applicantId, other)) unrelated++;
      const rec = this.applicantById.get(other);
      if (rec !== undefined) idNumbers.add(rec.id_number.toUpperCase());
    }
    const identity = this.identities.get(deviceId);
    return {
      deviceId,
      otherApplicants30d: others30.size,
      otherApplicants: others.size,
      unrelatedApplicants: unrelated,
      identities: idNumbers.size,
      applications7d: apps7.size,
      hardwareIdResets: identity?.hardwareIdResets ?? 0,
      flags: identity?.flags ?? [],
    };
  }

  /** Everything but the ring, for one application. */
  private baseContext(app: ApplicationRecord): ApplicationContext {
    const submittedMs = epochMs(app.submitted_at);
    const applicant = this.applicantById.get(app.applicant_id) ?? null;
    const observations = this.observationsByApplication.get(app.id) ?? [];
    const summaries: ObservationSummary[] = observations.map((o) => ({
      observationId: o.profile.observationId,
      deviceId: o.deviceId,
      observedAtMs: o.profile.observedAtMs,
      flags: o.flags,
      evidence: o.evidence,
      ipCity: o.ipCity,
      ipProvince: o.ipProvince,
    }));
    const deviceIds = uniqueSorted(observations.map((o) => o.deviceId));
    const devices = deviceIds.map((d) => this.deviceReputation(d, app.applicant_id, submittedMs));
    const prior = (this.observationsByApplicant.get(app.applicant_id) ?? []).filter(
      (o) => o.applicationId !== app.id && o.profile.observedAtMs < submittedMs - DAY_MS,
    );
    const cards = this.cardsByApplicant.get(app.applicant_id) ?? [];
    const pfs = this.pfByApplicant.get(app.applicant_id) ?? [];
    const ownPhone = applicant === null ? null : this.digest(`phone:${normalisePhone(applicant.phone)}`);
    const phoneSharedWith = ownPhone === null ? 0 : Math.max(0, this.holders('phone', ownPhone) - 1);

    // IPs of this application: its observations and its sessions.
    let ipCrowd = 0;
    const ipKeys = new Set<string>();
    for (const o of observations) if (o.profile.ip !== null) for (const key of ipWindowKeys(o.profile.ip, o.profile.observedAtMs)) ipKeys.add(this.digest(key));
    for (const session of this.allSessionsByApplication.get(app.id) ?? []) for (const key of session.ipKeys) ipKeys.add(this.digest(key));
    for (const key of ipKeys) ipCrowd = Math.max(ipCrowd, this.holders('ip', key) - 1);
    const ipCampus = observations.some((o) => o.flags.includes('campus_ip'));

    let nightBurstPeers = 0;
    if (isNightHour(localHour(app.submitted_at))) {
      const peers = new Set<string>();
      for (const d of deviceIds) for (const o of this.observationsByDevice.get(d) ?? []) if (o.applicantId !== null && o.applicantId !== app.applicant_id) peers.add(o.applicantId);
      // A campus network is one address for thousands of students: its night owls are no burst.
      const byIpKey = this.ipKeyHolders();
      if (!ipCampus) for (const key of ipKeys) for (const other of byIpKey.get(key) ?? []) if (other !== app.applicant_id) peers.add(other);
      const peerApps = new Set<string>();
      for (const other of peers) {
        for (const a of this.applicationsByApplicant.get(other) ?? []) {
          if (Math.abs(epochMs(a.submitted_at) - submittedMs) <= 2 * HOUR_MS && isNightHour(localHour(a.submitted_at))) peerApps.add(a.id);
        }
      }
      nightBurstPeers = peerApps.size;
    }

    const hubs: { kind: string; holders: number }[] = [];
    for (const id of this.applicantLinks().get(app.applicant_id)?.identifiers ?? []) {
      const hubAt = HUB_AT[id.kind];
      if (!Number.isFinite(hubAt)) continue;
      const holders = this.holders(id.kind, id.key);
      if (holders - 1 > hubAt && !hubs.some((h) => h.kind === id.kind)) hubs.push({ kind: id.kind, holders });
    }

    return {
      application: app,
      applicant,
      hubs,
      cards,
      bureau: this.bureauByApplicant.get(app.applicant_id) ?? null,
      observations: summaries,
      devices,
      priorDeviceIds: uniqueSorted(prior.map((o) => o.deviceId)),
      priorProvinces: uniqueSorted(prior.map((o) => o.ipProvince)),
      sessions: this.sessionsByApplication.get(app.id) ?? [],
      identity: applicant === null ? null : identityFindings(applicant, cards, submittedMs),
      pf: pfs.map((pf) => pfFindings(pf, applicant, submittedMs, this.options.pfCaps)),
      cohort: applicantCohort(this.cohorts.get(app.applicant_id), pfs),
      phoneSharedWith,
      ipCrowd,
      ipCampus,
      nightBurstPeers,
      ring: null,
    };
  }

  /**
   * First pass: features without rings, and each applicant's risk from them (rules only, so labels and
   * the model never shape who counts as a risky ring member).
   */
  firstPassFor(applicationIds: Iterable<string>): void {
    for (const id of applicationIds) {
      const app = this.applicationById.get(id);
      if (app === undefined || this.firstPass.has(id)) continue;
      const context = this.baseContext(app);
      const { features, evidence } = applicationFeatures(context);
      this.firstPass.set(id, { features, evidence, context });
      const risk = sigmoid(ruleLogOdds(this.options.rules, features).logOdds);
      this.firstPassRisk.set(app.applicant_id, Math.max(this.firstPassRisk.get(app.applicant_id) ?? 0, risk));
    }
  }

  /** Rings over the dataset's applicants, or over a region the caller read from the store. */
  rings(region?: RingRegion): RingResult {
    const links = this.applicantLinks();
    const identifiers = new Map<string, readonly LinkIdentifier[]>(region?.identifiers ?? []);
    const householdKeys = new Map<string, readonly string[]>(region?.householdKeys ?? []);
    if (region === undefined) {
      for (const [id, l] of links) {
        identifiers.set(id, l.identifiers);
        householdKeys.set(id, l.householdKeys);
      }
    }
    const memberRisk = new Map<string, number>(region?.memberRisk ?? []);
    for (const [id, risk] of this.firstPassRisk) memberRisk.set(id, risk);
    const holders = new Map<string, number>();
    if (this.options.holders !== undefined) for (const [k, v] of this.options.holders) holders.set(k, v);
    const confirmed = this.options.confirmedFraud ?? confirmedFraudApplicants(this.dataset);
    return findRings({
      identifiers,
      holders,
      household: (a, b) => sameHousehold(householdKeys.get(a) ?? [], householdKeys.get(b) ?? []),
      memberRisk,
      confirmedFraud: confirmed,
    });
  }

  /** Final features and scores for the given applications, with the rings found. */
  finish(applicationIds: Iterable<string>, rings: readonly Ring[]): Map<string, ApplicationResult> {
    const ringOf = new Map<string, Ring>();
    for (const ring of rings) for (const a of ring.applicantIds) if (!ringOf.has(a)) ringOf.set(a, ring);
    const out = new Map<string, ApplicationResult>();
    for (const id of applicationIds) {
      const app = this.applicationById.get(id);
      if (app === undefined) continue;
      this.firstPassFor([id]);
      const first = this.firstPass.get(id);
      if (first === undefined) continue;
      const ring = ringOf.get(app.applicant_id) ?? null;
      const summary: RingSummary | null = ring === null ? null : {
        ringId: ring.ringId,
        size: ring.applicantIds.length,
        baseScore: ring.baseScore,
        strongKinds: ring.strongKinds,
        linkKinds: kindsAmong(ring.links),
        householdShare: ring.householdShare,
        // Taint from others only: an application's own label never reaches its own score.
        confirmedOther: ring.confirmedApplicantIds.some((c) => c !== app.applicant_id),
      };
      // Outside a ring the context is the first pass's own (its ring is null), and so are the features.
      const context: ApplicationContext = summary === null ? first.context : { ...first.context, ring: summary };
      const { features, evidence } = summary === null ? first : applicationFeatures(context);
      const score = scoreApplication(features, evidence, this.options.rules, this.options.model);
      out.set(id, { applicationId: id, applicantId: app.applicant_id, context, features, evidence, score, ringId: ring?.ringId ?? null });
    }
    return out;
  }

  /**
   * The applicant's PF cohort as counted from first months alone (size only for a small employer), before
   * applicantCohort judges its recency: what an incremental run recounts and compares to decide who to rescore.
   */
  cohortFeatures(applicantId: string): { size: number; suspicious: boolean } {
    const c = this.cohorts.get(applicantId);
    return { size: cohortFeatureSize(c), suspicious: c?.suspicious === true };
  }

  applicationIds(): string[] {
    return this.dataset.applications.map((a) => a.id);
  }
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  let list = map.get(key);
  if (list === undefined) map.set(key, (list = []));
  list.push(value);
}

function uniqueSorted(values: readonly (string | null)[]): string[] {
  return [...new Set(values.filter((v): v is string => v !== null && v !== ''))].sort();
}

/** Keys two members of one household share: a family contact's phone, or an address with a surname. */
export function householdKeysOf(applicant: AnalysisDataset['applicants'][number]): string[] {
  const keys = new Set<string>();
  keys.add(`ho:${normalisePhone(applicant.phone)}`);
  for (const c of applicant.emergency_contacts ?? []) {
    if (c.phone !== undefined && isFamilyRelation(c.relation)) keys.add(`hc:${normalisePhone(c.phone)}`);
  }
  const address = normaliseAddress(applicant.address);
  if (address !== null) keys.add(`ha:${address}|${surnameOf(applicant.name)}`);
  return [...keys].sort();
}

/**
 * One household: one lists the other as family, both list the same family contact, or they share an
 * address and a surname. Two applicants with the same own phone are NOT a household (a recycled phone).
 */
export function sameHousehold(a: readonly string[], b: readonly string[]): boolean {
  if (a.length === 0 || b.length === 0) return false;
  const set = new Set(b);
  for (const k of a) {
    const rest = k.slice(3);
    if (k.startsWith('ho:') && set.has(`hc:${rest}`)) return true;
    if (k.startsWith('hc:') && (set.has(`ho:${rest}`) || set.has(k))) return true;
    if (k.startsWith('ha:') && set.has(k)) return true;
  }
  return false;
}

/**
 * Each applicant's PF cohort as counted from these records (before applicantCohort judges its recency).
 * A closure holds part of a big employer: given the employers' store-wide sizes, those decide whether a
 * cohort is a shell's.
 */
export function countCohorts(pfRecords: readonly PfRecord[], employerSizes?: ReadonlyMap<string, number>): Map<string, EmployerCohort> {
  const cohorts = employerCohorts(pfRecords.map((pf) => ({ applicantId: pf.applicant_id, pf })));
  if (employerSizes === undefined) return cohorts;
  for (const [applicantId, c] of cohorts) {
    const size = Math.max(c.employerSize, employerSizes.get(c.employerKey) ?? 0);
    if (size !== c.employerSize) {
      cohorts.set(applicantId, { ...c, employerSize: size, suspicious: c.suspicious && size <= SMALL_EMPLOYER_MAX && c.cohortSize / size >= COHORT_SHARE });
    }
  }
  return cohorts;
}

export interface FullAnalysis {
  readonly run: AnalysisRun;
  readonly rings: RingResult;
  readonly applications: Map<string, ApplicationResult>;
}

/** The whole analysis in memory: what `vigil analyze` computes on a fresh store, and what eval measures. */
export function analyseDataset(dataset: AnalysisDataset, options: AnalysisOptions): FullAnalysis {
  const run = new AnalysisRun(dataset, options);
  const ids = run.applicationIds();
  run.firstPassFor(ids);
  const rings = run.rings();
  const applications = run.finish(ids, rings.rings);
  return { run, rings, applications };
}
