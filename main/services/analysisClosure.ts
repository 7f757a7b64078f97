// Reading from the store exactly what the engines need to analyse a set of applicants: their records,
// every observation of the devices they used (with the other applicants on those devices), their stored
// sessions and link keys, store-wide holder counts, and whole employer groups for PF cohorts.
import type { ApplicantRecord, ApplicationRecord, PfRecord } from '../../shared/interchange/schema.js';
import type { BehaviourBaseline } from '../analysis/behaviour/population.js';
import type { SessionFeatures } from '../analysis/behaviour/sessions.js';
import type { DeviceFlag, FlagEvidence } from '../analysis/devices/flags.js';
import type { LinkIdentifier, LinkKind } from '../analysis/links/identifiers.js';
import type { AnalysisDataset } from '../analysis/pipeline/dataset.js';
import { countCohorts, type AnalysisOptions, type ApplicantLinks } from '../analysis/pipeline/run.js';
import type { EmployerCohort, PfCityCaps } from '../analysis/pf/checks.js';
import { applicantCohort, employerKey, firstMonthOf, normaliseEmployer } from '../analysis/pf/checks.js';
import { monthIndex, monthString } from '../analysis/common/time.js';
import type { LogisticModel } from '../analysis/scoring/model.js';
import type { RuleSet } from '../analysis/scoring/rules.js';
import type { AnalysisRepository, ObservationRow } from '../store/repositories/analysis.js';
import type { RunRecords } from './runRecords.js';

export interface RunParameters {
  readonly rules: RuleSet;
  readonly model: LogisticModel | null;
  readonly baseline: BehaviourBaseline;
  readonly pfCaps: PfCityCaps;
  readonly digestKey: (key: string) => string;
  readonly confirmedFraud: ReadonlySet<string>;
  /** Sessions computed this run from changed events (not written yet): they replace the stored ones. */
  readonly freshSessions: ReadonlyMap<string, readonly SessionFeatures[]>;
}

export interface Closure {
  readonly dataset: AnalysisDataset;
  readonly options: AnalysisOptions;
  readonly targetApplicationIds: string[];
  /** Stored assessments by `sessionKey` (JSON), so unchanged sessions are not written again. */
  readonly storedAssessments: ReadonlyMap<string, string>;
}

/** A session's key in a run: its id is unique within its application only. */
export function sessionKey(applicationId: string, sessionId: string): string {
  return `${applicationId}\u0000${sessionId}`;
}

/** Sessions of these applications: fresh ones where this run computed them, else as stored. */
function sessionsOf(repo: AnalysisRepository, applicationIds: readonly string[], fresh: ReadonlyMap<string, readonly SessionFeatures[]>): { sessions: SessionFeatures[]; assessments: Map<string, string> } {
  const sessions: SessionFeatures[] = [];
  const assessments = new Map<string, string>();
  const stale = applicationIds.filter((id) => !fresh.has(id));
  for (const id of applicationIds) for (const f of fresh.get(id) ?? []) sessions.push(f);
  for (const row of inSlices(stale, (s) => repo.sessionsOfApplications(s))) {
    const features = row.features as SessionFeatures;
    sessions.push(features);
    assessments.set(sessionKey(features.applicationId, features.sessionId), JSON.stringify(row.assessment));
  }
  return { sessions, assessments };
}

function uniq(values: Iterable<string | null | undefined>): string[] {
  const out = new Set<string>();
  for (const v of values) if (v !== null && v !== undefined && v !== '') out.add(v);
  return [...out].sort();
}

function chunked<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Runs a list-taking query in slices (one JSON parameter each) and concatenates the answers. */
export function inSlices<T>(ids: readonly string[], query: (slice: string[]) => T[], size = 5000): T[] {
  if (ids.length <= size) return ids.length === 0 ? [] : query([...ids]);
  return chunked(ids, size).flatMap(query);
}

/**
 * The PF records a cohort needs: the colleagues who started within a month of each record (stubs from
 * an index), and every employer's store-wide size. A cohort's size and verdict need nothing else.
 */
function employerGroups(repo: AnalysisRepository, records: RunRecords, pfs: readonly PfRecord[]): { records: PfRecord[]; sizes: Map<string, number> } {
  const codes = uniq(pfs.map((p) => p.employer_code));
  const names = uniq(pfs.filter((p) => p.employer_code === undefined || p.employer_code === '').map((p) => normaliseEmployer(p.employer)));
  const sizes = new Map<string, number>();
  if (codes.length === 0 && names.length === 0) return { records: [], sizes };
  const counted = records.employerSizes(codes, names);
  for (const p of pfs) {
    const n = p.employer_code !== undefined && p.employer_code !== '' ? counted.byCode.get(p.employer_code) : counted.byName.get(normaliseEmployer(p.employer));
    if (n !== undefined) sizes.set(employerKey(p), Math.max(sizes.get(employerKey(p)) ?? 0, n));
  }
  const byCode: [string, string][] = [];
  const byName: [string, string][] = [];
  for (const p of pfs) {
    const first = firstMonthOf(p);
    if (first === null) continue;
    for (const delta of [-1, 0, 1]) {
      const month = monthString(monthIndex(first) + delta);
      if (p.employer_code !== undefined && p.employer_code !== '') byCode.push([p.employer_code, month]);
      else byName.push([normaliseEmployer(p.employer), month]);
    }
  }
  const wanted = new Set(pfs.map(employerKey));
  const own = new Set(pfs.map((p) => p.id));
  // Colleagues only as cohort stubs: employer and first month are all a cohort reads of them.
  return { records: repo.cohortMembers(codes, names, { byCode, byName }).filter((p) => !own.has(p.id) && wanted.has(employerKey(p))), sizes };
}

function linksFromRows(rows: readonly { applicantId: string; kind: string; key: string }[], household: ReadonlyMap<string, { household: string[] }>, applicants: Iterable<string>): Map<string, ApplicantLinks> {
  const identifiers = new Map<string, LinkIdentifier[]>();
  for (const r of rows) {
    let list = identifiers.get(r.applicantId);
    if (list === undefined) identifiers.set(r.applicantId, (list = []));
    list.push({ kind: r.kind as LinkKind, key: r.key });
  }
  const out = new Map<string, ApplicantLinks>();
  for (const id of applicants) out.set(id, { identifiers: identifiers.get(id) ?? [], householdKeys: household.get(id)?.household ?? [] });
  return out;
}

function observationMaps(rows: readonly ObservationRow[]): Pick<AnalysisOptions, 'deviceIdOf' | 'observationApplication' | 'observationApplicant' | 'observationFlags'> {
  return {
    observationFlags: new Map(rows.map((o) => [o.observationId, {
      flags: o.flags as DeviceFlag[], evidence: o.evidence as FlagEvidence[], ipCity: o.ipCity, ipProvince: o.ipProvince, ipIsp: o.ipIsp,
    }])),
    deviceIdOf: new Map(rows.map((o) => [o.observationId, o.deviceId])),
    observationApplication: new Map(rows.map((o) => [o.observationId, o.applicationId])),
    observationApplicant: new Map(rows.map((o) => [o.observationId, o.applicantId])),
  };
}

function dedupeById<T extends { id: string }>(items: readonly T[]): T[] {
  const seen = new Map<string, T>();
  for (const item of items) seen.set(item.id, item);
  return [...seen.values()];
}

/**
 * These applicants' PF cohorts, read as a scoring closure reads them (their own PF records and their
 * employers' groups) and nothing else: `counted` as an incremental run stores and compares it, `judged` as
 * the features read it (after applicantCohort's recency). A cohort counts colleagues within a month of each
 * record and the employer's store-wide size, so it does not depend on who else a closure holds.
 */
export function cohortClosure(repo: AnalysisRepository, records: RunRecords, applicantIds: readonly string[]): Map<string, { counted: EmployerCohort | undefined; judged: EmployerCohort | null }> {
  const ownPf = records.pfOfApplicants(applicantIds);
  const groups = employerGroups(repo, records, ownPf);
  const cohorts = countCohorts(dedupeById([...ownPf, ...groups.records]), groups.sizes);
  const own = new Map<string, PfRecord[]>();
  for (const pf of ownPf) {
    let list = own.get(pf.applicant_id);
    if (list === undefined) own.set(pf.applicant_id, (list = []));
    list.push(pf);
  }
  const out = new Map<string, { counted: EmployerCohort | undefined; judged: EmployerCohort | null }>();
  for (const id of applicantIds) {
    const counted = cohorts.get(id);
    out.set(id, { counted, judged: applicantCohort(counted, own.get(id) ?? []) });
  }
  return out;
}

/**
 * What computing these applicants' link keys needs: their records, their own observations (with the
 * stored device identities), their stored sessions (for IP windows) and the employer groups of their PF.
 */
export function linkClosure(repo: AnalysisRepository, records: RunRecords, applicantIds: readonly string[], params: RunParameters): Closure {
  const applicants = records.applicants(applicantIds);
  const applications = records.applicationsOfApplicants(applicantIds);
  const ownPf = records.pfOfApplicants(applicantIds);
  const observations = records.observationsOfApplicants(applicantIds);
  const devices = records.devices(observations.map((o) => o.observationId));
  const { sessions } = sessionsOf(repo, applications.map((a) => a.id), params.freshSessions);
  const groups = employerGroups(repo, records, ownPf);
  return {
    dataset: {
      applicants, applications, devices, events: [], bankCards: records.cardsOfApplicants(applicantIds),
      pfRecords: dedupeById([...ownPf, ...groups.records]), bureaus: [], decisions: [], labels: [],
    },
    options: {
      rules: params.rules, model: null, baseline: params.baseline, pfCaps: params.pfCaps, digestKey: params.digestKey,
      confirmedFraud: params.confirmedFraud, sessions, employerSizes: groups.sizes, ...observationMaps(observations),
    },
    targetApplicationIds: applications.map((a) => a.id),
    storedAssessments: new Map(),
  };
}

/**
 * What scoring these applicants needs on top: every observation of their devices and the applicants
 * behind them, the applicants sharing an IP window with them (night bursts) with the windows they share,
 * the targets' stored link keys, and store-wide holder counts of those keys.
 */
export function scoringClosure(repo: AnalysisRepository, records: RunRecords, applicantIds: readonly string[], params: RunParameters, model: LogisticModel | null): Closure {
  const targets = new Set(applicantIds);
  const targetApplications = records.applicationsOfApplicants(applicantIds).map((a) => a.id);
  // An application's device features read every observation made for it, whoever it is filed under.
  const filedElsewhere = repo.observationsFiledElsewhere(targetApplications, applicantIds);
  const ownObservations = [...records.observationsOfApplicants(applicantIds), ...filedElsewhere];
  const deviceIds = uniq(ownObservations.map((o) => o.deviceId));
  const deviceObservations = inSlices(deviceIds, (s) => repo.observationsOfDevices(s));
  const allObservations = new Map<string, ObservationRow>();
  for (const o of [...ownObservations, ...deviceObservations]) allObservations.set(o.observationId, o);
  const coUsers = uniq([...allObservations.values()].map((o) => o.applicantId)).filter((id) => !targets.has(id));

  const targetKeys = records.linkKeysOf(applicantIds);
  // An observation filed under another applicant gives that applicant its IP windows, and this application
  // reads them: their holders are read as the targets' own are.
  const fileHolders = uniq(filedElsewhere.map((o) => o.applicantId)).filter((id) => !targets.has(id));
  const elsewhereIpKeys = fileHolders.length === 0 ? [] : records.linkKeysOf(fileHolders).filter((k) => k.kind === 'ip');
  const ipKeys = uniq([...targetKeys, ...elsewhereIpKeys].filter((k) => k.kind === 'ip').map((k) => k.key));
  // Who else holds the targets' IP windows, with the windows they share: all a night burst reads of them.
  const peerIpKeys = records.holdersOf(ipKeys).filter((r) => r.kind === 'ip' && !targets.has(r.applicantId));
  const ipPeers = uniq(peerIpKeys.map((r) => r.applicantId));
  const neighbours = uniq([...coUsers, ...ipPeers]);
  const everyone = uniq([...applicantIds, ...neighbours]);

  const applicants: ApplicantRecord[] = [...records.applicants(applicantIds), ...records.applicants(coUsers)];
  const applications: ApplicationRecord[] = records.applicationsOfApplicants(everyone);
  const ownPf = records.pfOfApplicants(applicantIds);
  const devices = records.devices([...allObservations.keys()]);
  const targetApplicationIds = applications.filter((a) => targets.has(a.applicant_id)).map((a) => a.id);
  const { sessions, assessments } = sessionsOf(repo, targetApplicationIds, params.freshSessions);

  // Neighbours' other keys are not read: holder counts come from the store (exact for every key the targets
  // hold), and a neighbour's households come from its applicant row.
  const keyRows = [...targetKeys, ...peerIpKeys];
  const applicantRows = new Map<string, { household: string[] }>();
  for (const slice of chunked(everyone, 5000)) for (const [id, row] of repo.applicantRows(slice)) applicantRows.set(id, row);
  const links = linksFromRows(keyRows, applicantRows, everyone);
  const holders = records.holderCounts(uniq([...targetKeys, ...elsewhereIpKeys].map((k) => k.key)));

  const groups = employerGroups(repo, records, ownPf);
  return {
    dataset: {
      applicants, applications, devices, events: [], bankCards: records.cardsOfApplicants(applicantIds),
      pfRecords: dedupeById([...ownPf, ...groups.records]), bureaus: records.bureausOfApplicants(applicantIds), decisions: [], labels: [],
    },
    options: {
      rules: params.rules, model, baseline: params.baseline, pfCaps: params.pfCaps, digestKey: params.digestKey,
      confirmedFraud: params.confirmedFraud, sessions, links, holders, employerSizes: groups.sizes, ...observationMaps([...allObservations.values()]),
    },
    targetApplicationIds,
    storedAssessments: assessments,
  };
}
