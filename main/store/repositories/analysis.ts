// All SQL of the analysis area: reading the imported records an analysis needs (002) and reading and
// writing what the engines concluded (004). Lists of ids travel as one JSON array parameter
// (`json_each(?)`), so each statement is prepared once whatever the list length.
import { randomInt } from 'node:crypto';
import type { Statement } from 'better-sqlite3-multiple-ciphers';
import type {
  ApplicantRecord, ApplicationRecord, BankCardRecord, BureauRecord, DeviceRecord, EventRecord, LabelRecord, PfRecord,
} from '../../../shared/interchange/schema.js';
import type { Database } from '../database.js';
import { KeyFilter } from '../keyFilter.js';

type Row = Record<string, unknown>;

export interface ChangedRecords {
  readonly applicants: string[];
  /** [application id, applicant id] */
  readonly applications: [string, string][];
  readonly devices: string[];
  readonly eventApplications: string[];
  readonly cardApplicants: string[];
  readonly pfRecords: { applicantId: string; employer: string; employerCode: string | null }[];
  readonly bureauApplicants: string[];
  /** Applications whose confirmed-fraud standing may have moved: a label, or an investigator's rejection made or undone. */
  readonly labelApplications: string[];
}

export interface ObservationRow {
  readonly observationId: string;
  readonly deviceId: string;
  readonly applicantId: string | null;
  readonly applicationId: string | null;
  readonly observedMs: number;
  readonly flags: string[];
  readonly evidence: { flag: string; detail: string }[];
  readonly ipProvince: string | null;
  readonly ipCity: string | null;
  readonly ipIsp: string | null;
}

export interface IdentityRow {
  readonly deviceId: string;
  readonly anchorObservationId: string;
  readonly firstSeenMs: number;
  readonly lastSeenMs: number;
  readonly observations: number;
  readonly applicants: number;
  readonly applications: number;
  readonly flags: string[];
  readonly traits: { flag: string; detail: string }[];
  readonly hardwareIdResets: number;
}

export interface LinkKeyRow {
  readonly applicantId: string;
  readonly kind: string;
  readonly key: string;
}

export interface RingRow {
  readonly ringId: string;
  readonly score: number;
  readonly baseScore: number;
  readonly size: number;
  readonly householdShare: number;
  readonly strongKinds: string[];
  readonly links: { kind: string; value_hash: string; members: number }[];
  readonly edges: { a: string; b: string; weight: number; kinds: string[] }[];
  readonly confirmed: string[];
  readonly members: string[];
}

export interface ApplicationAnalysisRow {
  readonly applicationId: string;
  readonly applicantId: string;
  readonly score: number;
  readonly band: string;
  readonly reasonsJson: string;
  readonly featuresJson: string;
  readonly evidenceJson: string;
  readonly findingsJson: string;
  readonly ringId: string | null;
  readonly ruleSet: string;
  readonly modelVersion: string | null;
  readonly inputsHash: string;
  readonly runId: number;
  readonly scoredAt: string;
}

export interface ScoreHistoryRow {
  readonly runId: number;
  readonly score: number;
  readonly band: string;
  readonly reasonsJson: string;
  readonly ruleSet: string;
  readonly modelVersion: string | null;
  readonly scoredAt: string;
}

export interface ParameterRow {
  readonly version: string;
  readonly kind: 'model' | 'baseline';
  readonly bodyJson: string;
  readonly basis: number;
  readonly createdAt: string;
}

export interface RunRow {
  readonly id: number;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly status: 'running' | 'completed' | 'failed';
  readonly mode: 'full' | 'incremental';
  readonly fromSeq: number;
  readonly toSeq: number;
  readonly ruleSet: string;
  readonly modelVersion: string | null;
  readonly baselineVersion: string | null;
  readonly summaryJson: string | null;
}

function json(list: readonly string[]): string {
  return JSON.stringify(list);
}

function parseRaw<T>(rows: readonly { raw: string }[]): T[] {
  return rows.map((r) => JSON.parse(r.raw) as T);
}

type FilterName = 'link' | 'device';

export class AnalysisRepository {
  private readonly s: Record<string, Statement>;
  /**
   * Filters over the main key indexes (pending = 0), kept between runs with the index version they
   * cover (see mainVersion); openKeyFilters checks it against the store's.
   */
  private filters: Partial<Record<FilterName, { filter: KeyFilter; generation: number }>> = {};

  constructor(private readonly db: Database) {
    const p = (sql: string): Statement => db.prepare(sql);
    this.s = {
      getState: p('SELECT value FROM analysis_state WHERE key = ?'),
      setState: p('INSERT INTO analysis_state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value'),
      currentSeq: p(`SELECT value FROM import_state WHERE key = 'change_seq'`),
      removals: p(`SELECT value FROM import_state WHERE key = 'removals'`),
      beginRun: p(`INSERT INTO analysis_runs (started_at, status, mode, actor, from_seq, to_seq, rule_set, model_version, baseline_version)
                   VALUES (@startedAt, 'running', @mode, @actor, @fromSeq, @toSeq, @ruleSet, @modelVersion, @baselineVersion)`),
      finishRun: p('UPDATE analysis_runs SET status = ?, finished_at = ?, summary_json = ?, model_version = ?, baseline_version = ? WHERE id = ?'),
      lastRun: p(`SELECT * FROM analysis_runs WHERE status = 'completed' ORDER BY id DESC LIMIT 1`),
      runById: p('SELECT * FROM analysis_runs WHERE id = ?'),

      changedApplicants: p('SELECT id FROM applicants WHERE change_seq > ? AND change_seq <= ?'),
      nthLatestApplicantSeq: p('SELECT change_seq AS seq FROM applicants WHERE change_seq <= ? ORDER BY change_seq DESC LIMIT 1 OFFSET ?'),
      changedApplications: p('SELECT id, applicant_id FROM applications WHERE change_seq > ? AND change_seq <= ?'),
      changedDevices: p('SELECT id FROM devices WHERE change_seq > ? AND change_seq <= ?'),
      changedEvents: p('SELECT DISTINCT application_id FROM events WHERE change_seq > ? AND change_seq <= ?'),
      changedCards: p('SELECT DISTINCT applicant_id FROM bank_cards WHERE change_seq > ? AND change_seq <= ?'),
      changedPf: p('SELECT applicant_id, employer, employer_code FROM pf_records WHERE change_seq > ? AND change_seq <= ?'),
      changedBureaus: p('SELECT DISTINCT applicant_id FROM bureau_reports WHERE change_seq > ? AND change_seq <= ?'),
      changedLabels: p('SELECT application_id FROM labels WHERE change_seq > ? AND change_seq <= ?'),
      changedOutcomes: p('SELECT application_id FROM analysis_outcome_changes WHERE change_seq > ? AND change_seq <= ?'),
      pruneOutcomes: p('DELETE FROM analysis_outcome_changes WHERE change_seq <= ?'),
      changedMoves: p('SELECT applicant_id, application_id, observation_id, employer, employer_code FROM analysis_moves WHERE change_seq > ? AND change_seq <= ?'),
      pruneMoves: p('DELETE FROM analysis_moves WHERE change_seq <= ?'),
      vanishedObservations: p('SELECT o.observation_id FROM analysis_observations o WHERE NOT EXISTS (SELECT 1 FROM devices d WHERE d.id = o.observation_id)'),
      vanishedApplications: p('SELECT s.application_id, s.applicant_id FROM analysis_applications s WHERE NOT EXISTS (SELECT 1 FROM applications a WHERE a.id = s.application_id)'),

      allApplicantIds: p('SELECT id FROM applicants ORDER BY id'),
      allDeviceRaw: p('SELECT raw FROM devices'),
      allBureausRaw: p('SELECT raw FROM bureau_reports'),
      allPfRaw: p('SELECT raw FROM pf_records'),
      allCardsRaw: p('SELECT raw FROM bank_cards'),
      allApplicationsRaw: p('SELECT raw FROM applications'),
      allApplicantsRaw: p('SELECT raw FROM applicants'),
      applicantsRaw: p('SELECT raw FROM applicants WHERE id IN (SELECT value FROM json_each(?))'),
      applicationsOfApplicants: p('SELECT raw FROM applications WHERE applicant_id IN (SELECT value FROM json_each(?))'),
      applicationsRaw: p('SELECT raw FROM applications WHERE id IN (SELECT value FROM json_each(?))'),
      applicantOfApplications: p('SELECT id, applicant_id FROM applications WHERE id IN (SELECT value FROM json_each(?))'),
      devicesRaw: p('SELECT raw FROM devices WHERE id IN (SELECT value FROM json_each(?))'),
      eventsOfApplications: p('SELECT raw FROM events WHERE application_id IN (SELECT value FROM json_each(?)) ORDER BY application_id, ts_ms'),
      cardsOfApplicants: p('SELECT raw FROM bank_cards WHERE applicant_id IN (SELECT value FROM json_each(?))'),
      pfOfApplicants: p('SELECT raw FROM pf_records WHERE applicant_id IN (SELECT value FROM json_each(?))'),
      cohortMembersByCode: p(`SELECT id, applicant_id, employer, employer_code, first_month FROM pf_records
                               WHERE employer_code IN (SELECT value FROM json_each(?))`),
      // Employers without a credit code are looked up by normalised name (010_pf_employer_key, normaliseEmployer).
      cohortMembersByName: p(`SELECT id, applicant_id, employer, employer_code, first_month FROM pf_records
                               WHERE employer_key IN (SELECT value FROM json_each(?)) AND coalesce(employer_code, '') = ''`),
      cohortWindowByCode: p(`SELECT id, applicant_id, employer, employer_code, first_month FROM pf_records
                              WHERE (employer_code, first_month) IN (SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?))`),
      cohortWindowByName: p(`SELECT id, applicant_id, employer, employer_code, first_month FROM pf_records
                              WHERE (employer_key, first_month) IN (SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?))
                                AND coalesce(employer_code, '') = ''`),
      rawOfPf: p('SELECT raw FROM pf_records WHERE id IN (SELECT value FROM json_each(?))'),
      noMonthByCode: p(`SELECT id FROM pf_records WHERE employer_code IN (SELECT value FROM json_each(?)) AND first_month IS NULL`),
      noMonthByName: p(`SELECT id FROM pf_records WHERE employer_key IN (SELECT value FROM json_each(?)) AND first_month IS NULL AND coalesce(employer_code, '') = ''`),
      storedCohorts: p('SELECT applicant_id, cohort_size, cohort_suspicious FROM analysis_applicants INDEXED BY analysis_applicants_cohort WHERE applicant_id IN (SELECT value FROM json_each(?))'),
      setCohort: p('UPDATE analysis_applicants SET cohort_size = ?, cohort_suspicious = ? WHERE applicant_id = ?'),
      employerSizesByCode: p(`SELECT employer_code AS k, count(DISTINCT applicant_id) AS n FROM pf_records
                               WHERE employer_code IN (SELECT value FROM json_each(?)) GROUP BY employer_code`),
      employerSizesByName: p(`SELECT employer_key AS k, count(DISTINCT applicant_id) AS n FROM pf_records
                               WHERE employer_key IN (SELECT value FROM json_each(?)) AND coalesce(employer_code, '') = '' GROUP BY employer_key`),
      bureausOfApplicants: p('SELECT raw FROM bureau_reports WHERE applicant_id IN (SELECT value FROM json_each(?))'),
      allLabels: p('SELECT application_id, is_fraud, pattern, source FROM labels'),
      countLabels: p('SELECT count(*) AS n FROM labels'),
      countApplications: p('SELECT count(*) AS n FROM applications'),
      // Confirmed fraud: a label confirmed as fraud, or an investigator's effective rejection that no appeal overturned.
      confirmedAmong: p(`SELECT DISTINCT a.applicant_id AS applicant_id FROM applications a JOIN labels l ON l.application_id = a.id
                          WHERE a.applicant_id IN (SELECT value FROM json_each(?)) AND l.is_fraud = 1 AND l.source = 'confirmed'
                        UNION
                        SELECT DISTINCT a.applicant_id FROM applications a JOIN case_decisions d ON d.application_id = a.id
                          WHERE a.applicant_id IN (SELECT value FROM json_each(?)) AND d.outcome = 'reject' AND d.effective = 1 AND d.superseded_by IS NULL
                            AND NOT EXISTS (SELECT 1 FROM appeal_handling h WHERE h.application_id = d.application_id AND h.outcome = 'overturned')`),
      confirmedApplicants: p(`SELECT DISTINCT a.applicant_id AS applicant_id FROM labels l JOIN applications a ON a.id = l.application_id
                               WHERE l.is_fraud = 1 AND l.source = 'confirmed'
                             UNION
                             SELECT DISTINCT a.applicant_id FROM case_decisions d JOIN applications a ON a.id = d.application_id
                               WHERE d.outcome = 'reject' AND d.effective = 1 AND d.superseded_by IS NULL
                                 AND NOT EXISTS (SELECT 1 FROM appeal_handling h WHERE h.application_id = d.application_id AND h.outcome = 'overturned')`),

      upsertObservation: p(`INSERT INTO analysis_observations (observation_id, device_id, applicant_id, application_id, observed_ms, flags_json, evidence_json, ip_province, ip_city, ip_isp)
        VALUES (@observationId, @deviceId, @applicantId, @applicationId, @observedMs, @flags, @evidence, @ipProvince, @ipCity, @ipIsp)
        ON CONFLICT(observation_id) DO UPDATE SET device_id = excluded.device_id, applicant_id = excluded.applicant_id, application_id = excluded.application_id,
          observed_ms = excluded.observed_ms, flags_json = excluded.flags_json, evidence_json = excluded.evidence_json,
          ip_province = excluded.ip_province, ip_city = excluded.ip_city, ip_isp = excluded.ip_isp`),
      deleteObservation: p('DELETE FROM analysis_observations WHERE observation_id = ?'),
      observationsByIds: p('SELECT * FROM analysis_observations WHERE observation_id IN (SELECT value FROM json_each(?))'),
      observationsOfDevices: p('SELECT * FROM analysis_observations WHERE device_id IN (SELECT value FROM json_each(?)) ORDER BY device_id, observed_ms, observation_id'),
      observationsOfApplicants: p('SELECT * FROM analysis_observations WHERE applicant_id IN (SELECT value FROM json_each(?))'),
      observationsOfApplication: p('SELECT * FROM analysis_observations WHERE application_id = ? ORDER BY observed_ms'),
      observationsFiledElsewhere: p(`SELECT * FROM analysis_observations WHERE application_id IN (SELECT value FROM json_each(@applications))
        AND (applicant_id IS NULL OR applicant_id NOT IN (SELECT value FROM json_each(@applicants)))`),
      allObservations: p('SELECT observation_id, device_id, applicant_id, application_id, flags_json FROM analysis_observations ORDER BY observation_id'),
      setDeviceId: p('UPDATE analysis_observations SET device_id = ? WHERE device_id = ?'),
      // Keys live in two partial indexes, main (pending = 0) and pending (pending = 1): readers ask both (008_pending_keys).
      insertKey: p('INSERT OR IGNORE INTO analysis_device_keys (key, observation_id, pending) VALUES (?, ?, ?)'),
      deleteKeysOf: p('DELETE FROM analysis_device_keys WHERE observation_id = ?'),
      keysOfObservations: p('SELECT key, count(*) AS n FROM analysis_device_keys WHERE observation_id IN (SELECT value FROM json_each(?)) GROUP BY key'),
      observationsWithKeys: p(`SELECT observation_id FROM analysis_device_keys WHERE key IN (SELECT value FROM json_each(@keys)) AND pending = 0
                               UNION SELECT observation_id FROM analysis_device_keys WHERE key IN (SELECT value FROM json_each(@keys)) AND pending = 1`),
      // Counted up to a cap: a common block (a popular model's canvas hash) is not walked through its thousands of observations.
      keyCounts: p(`SELECT j.value AS key, (SELECT count(*) FROM (
                        SELECT 1 FROM analysis_device_keys k WHERE k.key = j.value AND k.pending = 0 AND k.observation_id NOT IN (SELECT value FROM json_each(@excluding))
                        UNION ALL
                        SELECT 1 FROM analysis_device_keys k WHERE k.key = j.value AND k.pending = 1 AND k.observation_id NOT IN (SELECT value FROM json_each(@excluding))
                      LIMIT @cap)) AS n FROM json_each(@keys) j`),
      pendingDeviceKeys: p('SELECT count(*) AS n FROM analysis_device_keys WHERE pending = 1'),
      // The same two lookups over the pending index alone, for keys the main index's filter says it lacks.
      observationsWithPendingKeys: p('SELECT observation_id FROM analysis_device_keys WHERE key IN (SELECT value FROM json_each(@keys)) AND pending = 1'),
      pendingKeyCounts: p(`SELECT j.value AS key, (SELECT count(*) FROM (
                             SELECT 1 FROM analysis_device_keys k WHERE k.key = j.value AND k.pending = 1 AND k.observation_id NOT IN (SELECT value FROM json_each(@excluding))
                           LIMIT @cap)) AS n FROM json_each(@keys) j`),
      mainDeviceKeys: p('SELECT key FROM analysis_device_keys WHERE pending = 0'),
      countMainDeviceKeys: p('SELECT count(*) AS n FROM analysis_device_keys WHERE pending = 0'),
      keyFilterGeneration: p('SELECT generation FROM analysis_key_filters WHERE name = ?'),
      keyFilter: p('SELECT generation, items, bits FROM analysis_key_filters WHERE name = ?'),
      saveKeyFilter: p(`INSERT INTO analysis_key_filters (name, generation, items, bits) VALUES (?, ?, ?, ?)
                        ON CONFLICT(name) DO UPDATE SET generation = excluded.generation, items = excluded.items, bits = excluded.bits`),
      dropKeyFilters: p('DELETE FROM analysis_key_filters'),
      // The moved keys come back (RETURNING): the fold adds them to the main index's filter without a second pass.
      foldDeviceKeys: p('UPDATE analysis_device_keys SET pending = 0 WHERE pending = 1 RETURNING key'),
      // A slice of the fold: the pending keys up to the n-th in key order (every row of that last key too).
      nthPendingDeviceKey: p('SELECT key FROM analysis_device_keys WHERE pending = 1 ORDER BY key LIMIT 1 OFFSET ?'),
      foldDeviceKeysUpTo: p('UPDATE analysis_device_keys SET pending = 0 WHERE pending = 1 AND key <= ? RETURNING key'),

      upsertIdentity: p(`INSERT INTO analysis_device_identities (device_id, anchor_observation_id, first_seen_ms, last_seen_ms, observations, applicants, applications, flags_json, traits_json, hardware_id_resets, run_id)
        VALUES (@deviceId, @anchorObservationId, @firstSeenMs, @lastSeenMs, @observations, @applicants, @applications, @flags, @traits, @hardwareIdResets, @runId)
        ON CONFLICT(device_id) DO UPDATE SET anchor_observation_id = excluded.anchor_observation_id, first_seen_ms = excluded.first_seen_ms, last_seen_ms = excluded.last_seen_ms,
          observations = excluded.observations, applicants = excluded.applicants, applications = excluded.applications, flags_json = excluded.flags_json,
          traits_json = excluded.traits_json, hardware_id_resets = excluded.hardware_id_resets, run_id = excluded.run_id`),
      deleteIdentity: p('DELETE FROM analysis_device_identities WHERE device_id = ?'),
      identity: p('SELECT * FROM analysis_device_identities WHERE device_id = ?'),
      earliestObservation: p('SELECT observation_id, observed_ms FROM analysis_observations WHERE device_id = ? ORDER BY observed_ms, observation_id LIMIT 1'),
      identitiesByIds: p('SELECT * FROM analysis_device_identities WHERE device_id IN (SELECT value FROM json_each(?))'),
      identitiesExisting: p('SELECT device_id FROM analysis_device_identities WHERE device_id IN (SELECT value FROM json_each(?))'),
      orphanIdentities: p('SELECT i.device_id FROM analysis_device_identities i WHERE NOT EXISTS (SELECT 1 FROM analysis_observations o WHERE o.device_id = i.device_id)'),
      orphanIdentitiesAmong: p(`SELECT i.device_id FROM analysis_device_identities i WHERE i.device_id IN (SELECT value FROM json_each(?))
                                 AND NOT EXISTS (SELECT 1 FROM analysis_observations o WHERE o.device_id = i.device_id)`),

      upsertSession: p(`INSERT INTO analysis_sessions (session_id, application_id, bot, coached, features_json, assessment_json) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT(application_id, session_id) DO UPDATE SET bot = excluded.bot, coached = excluded.coached,
          features_json = excluded.features_json, assessment_json = excluded.assessment_json`),
      deleteSessionsOf: p('DELETE FROM analysis_sessions WHERE application_id = ?'),
      sessionsOfApplications: p('SELECT features_json, assessment_json FROM analysis_sessions WHERE application_id IN (SELECT value FROM json_each(?)) ORDER BY session_id'),
      allSessionFeatures: p('SELECT features_json FROM analysis_sessions'),

      deleteLinkKey: p('DELETE FROM analysis_link_keys WHERE applicant_id = ? AND kind = ? AND key = ?'),
      insertLinkKey: p('INSERT OR IGNORE INTO analysis_link_keys (applicant_id, kind, key, pending) VALUES (?, ?, ?, ?)'),
      insertCount: p('INSERT INTO analysis_link_counts (key, kind, holders) VALUES (?, ?, ?)'),
      // A run's new keys at once (rows of [applicant, kind, key] and [kind, key, holders gained]): their rows,
      // the counts that exist moved up, and the holders of the rest (the rows just inserted among them).
      insertPendingLinkKeys: p(`INSERT OR IGNORE INTO analysis_link_keys (applicant_id, kind, key, pending)
                                SELECT value ->> 0, value ->> 1, value ->> 2, 1 FROM json_each(?)`),
      countUpBy: p(`UPDATE analysis_link_counts SET holders = holders + g.value ->> 2 FROM json_each(?) AS g
                    WHERE analysis_link_counts.key = g.value ->> 1 AND analysis_link_counts.kind = g.value ->> 0 RETURNING kind, key`),
      holdersOfNewKeys: p(`SELECT g.value ->> 0 AS kind, g.value ->> 1 AS key,
                             (SELECT count(*) FROM analysis_link_keys WHERE key = g.value ->> 1 AND kind = g.value ->> 0 AND pending = 0)
                           + (SELECT count(*) FROM analysis_link_keys WHERE key = g.value ->> 1 AND kind = g.value ->> 0 AND pending = 1) AS n
                           FROM json_each(?) AS g`),
      pendingHoldersOfNewKeys: p(`SELECT g.value ->> 0 AS kind, g.value ->> 1 AS key,
                                    (SELECT count(*) FROM analysis_link_keys WHERE key = g.value ->> 1 AND kind = g.value ->> 0 AND pending = 1) AS n
                                  FROM json_each(?) AS g`),
      countDown: p('UPDATE analysis_link_counts SET holders = holders - 1 WHERE key = ? AND kind = ?'),
      dropSmallCount: p('DELETE FROM analysis_link_counts WHERE key = ? AND kind = ? AND holders < 2'),
      clearLinkKeys: p('DELETE FROM analysis_link_keys'),
      clearLinkCounts: p('DELETE FROM analysis_link_counts'),
      // After a fold (nothing pending): the main index delivers the keys in order.
      rebuildLinkCounts: p('INSERT INTO analysis_link_counts (key, kind, holders) SELECT key, kind, count(*) FROM analysis_link_keys WHERE pending = 0 GROUP BY key, kind HAVING count(*) >= 2'),
      pendingLinkKeys: p('SELECT count(*) AS n FROM analysis_link_keys WHERE pending = 1'),
      foldLinkKeys: p('UPDATE analysis_link_keys SET pending = 0 WHERE pending = 1 RETURNING key'),
      nthPendingLinkKey: p('SELECT key FROM analysis_link_keys WHERE pending = 1 ORDER BY key LIMIT 1 OFFSET ?'),
      foldLinkKeysUpTo: p('UPDATE analysis_link_keys SET pending = 0 WHERE pending = 1 AND key <= ? RETURNING key'),
      allLinkCounts: p('SELECT kind, key, holders AS n FROM analysis_link_counts ORDER BY key, kind'),
      linkKeysOf: p('SELECT applicant_id, kind, key FROM analysis_link_keys WHERE applicant_id IN (SELECT value FROM json_each(?))'),
      allLinkKeys: p('SELECT applicant_id, kind, key FROM analysis_link_keys'),
      countMainLinkKeys: p('SELECT count(*) AS n FROM analysis_link_keys WHERE pending = 0'),
      mainLinkKeys: p('SELECT key FROM analysis_link_keys WHERE pending = 0'),
      holderCounts: p('SELECT kind, key, holders AS n FROM analysis_link_counts WHERE key IN (SELECT value FROM json_each(?))'),
      holdersOf: p(`SELECT applicant_id, kind, key FROM analysis_link_keys WHERE key IN (SELECT value FROM json_each(@keys)) AND pending = 0
                    UNION ALL SELECT applicant_id, kind, key FROM analysis_link_keys WHERE key IN (SELECT value FROM json_each(@keys)) AND pending = 1`),
      pendingHoldersOf: p('SELECT applicant_id, kind, key FROM analysis_link_keys WHERE key IN (SELECT value FROM json_each(@keys)) AND pending = 1'),
      pendingHoldersOfKinds: p('SELECT DISTINCT applicant_id FROM analysis_link_keys WHERE key IN (SELECT value FROM json_each(@keys)) AND kind IN (SELECT value FROM json_each(@kinds)) AND pending = 1'),
      holdersOfKinds: p(`SELECT applicant_id FROM analysis_link_keys WHERE key IN (SELECT value FROM json_each(@keys)) AND kind IN (SELECT value FROM json_each(@kinds)) AND pending = 0
                         UNION SELECT applicant_id FROM analysis_link_keys WHERE key IN (SELECT value FROM json_each(@keys)) AND kind IN (SELECT value FROM json_each(@kinds)) AND pending = 1`),

      upsertApplicant: p(`INSERT INTO analysis_applicants (applicant_id, first_pass_risk, household_json, run_id) VALUES (?, ?, ?, ?)
        ON CONFLICT(applicant_id) DO UPDATE SET first_pass_risk = excluded.first_pass_risk, household_json = excluded.household_json, run_id = excluded.run_id`),
      applicantRows: p('SELECT applicant_id, first_pass_risk, household_json, cohort_size, cohort_suspicious FROM analysis_applicants WHERE applicant_id IN (SELECT value FROM json_each(?))'),

      ringsOfApplicants: p('SELECT DISTINCT ring_id FROM analysis_ring_members WHERE applicant_id IN (SELECT value FROM json_each(?))'),
      ringRows: p('SELECT * FROM analysis_rings WHERE ring_id IN (SELECT value FROM json_each(?))'),
      ringMembers: p('SELECT ring_id, applicant_id FROM analysis_ring_members WHERE ring_id IN (SELECT value FROM json_each(?)) ORDER BY ring_id, applicant_id'),
      deleteRing: p('DELETE FROM analysis_rings WHERE ring_id = ?'),
      deleteMembership: p('DELETE FROM analysis_ring_members WHERE applicant_id = ?'),
      insertRing: p(`INSERT INTO analysis_rings (ring_id, score, base_score, size, household_share, strong_kinds_json, links_json, edges_json, confirmed_json, run_id)
        VALUES (@ringId, @score, @baseScore, @size, @householdShare, @strongKinds, @links, @edges, @confirmed, @runId)`),
      insertMember: p('INSERT INTO analysis_ring_members (ring_id, applicant_id) VALUES (?, ?)'),
      insertRingKey: p('INSERT OR IGNORE INTO analysis_ring_keys (ring_id, key) VALUES (?, ?)'),
      ringsOfKeys: p('SELECT DISTINCT ring_id FROM analysis_ring_keys WHERE key IN (SELECT value FROM json_each(?))'),
      clearRingKeys: p('DELETE FROM analysis_ring_keys'),
      allRings: p('SELECT * FROM analysis_rings ORDER BY score DESC, ring_id'),
      allMembers: p('SELECT ring_id, applicant_id FROM analysis_ring_members ORDER BY ring_id, applicant_id'),

      applicationRow: p('SELECT * FROM analysis_applications WHERE application_id = ?'),
      applicationRows: p('SELECT * FROM analysis_applications WHERE application_id IN (SELECT value FROM json_each(?))'),
      applicationIdsOfApplicants: p('SELECT id, applicant_id FROM applications WHERE applicant_id IN (SELECT value FROM json_each(?))'),
      applicationRowsOfApplicants: p('SELECT * FROM analysis_applications WHERE applicant_id IN (SELECT value FROM json_each(?))'),
      upsertApplication: p(`INSERT INTO analysis_applications (application_id, applicant_id, score, band, reasons_json, features_json, evidence_json, findings_json, ring_id, rule_set, model_version, inputs_hash, run_id, scored_at)
        VALUES (@applicationId, @applicantId, @score, @band, @reasonsJson, @featuresJson, @evidenceJson, @findingsJson, @ringId, @ruleSet, @modelVersion, @inputsHash, @runId, @scoredAt)
        ON CONFLICT(application_id) DO UPDATE SET applicant_id = excluded.applicant_id, score = excluded.score, band = excluded.band, reasons_json = excluded.reasons_json,
          features_json = excluded.features_json, evidence_json = excluded.evidence_json, findings_json = excluded.findings_json, ring_id = excluded.ring_id,
          rule_set = excluded.rule_set, model_version = excluded.model_version, inputs_hash = excluded.inputs_hash, run_id = excluded.run_id, scored_at = excluded.scored_at`),
      // The columns no index covers: what changes when an analysis moves but its score, band and reasons do not.
      updateApplicationDetails: p(`UPDATE analysis_applications SET features_json = @featuresJson, evidence_json = @evidenceJson, findings_json = @findingsJson,
        ring_id = @ringId, rule_set = @ruleSet, model_version = @modelVersion, inputs_hash = @inputsHash, run_id = @runId, scored_at = @scoredAt
        WHERE application_id = @applicationId`),
      deleteApplication: p('DELETE FROM analysis_applications WHERE application_id = ?'),
      insertHistory: p(`INSERT INTO analysis_score_history (application_id, run_id, score, band, reasons_json, rule_set, model_version, inputs_hash, scored_at)
        VALUES (@applicationId, @runId, @score, @band, @reasonsJson, @ruleSet, @modelVersion, @inputsHash, @scoredAt)`),
      history: p('SELECT run_id, score, band, reasons_json, rule_set, model_version, scored_at FROM analysis_score_history WHERE application_id = ? ORDER BY id'),
      allApplicationRows: p('SELECT application_id, applicant_id, score, band, reasons_json, features_json, ring_id, inputs_hash FROM analysis_applications ORDER BY application_id'),
      featureRows: p('SELECT application_id, features_json FROM analysis_applications ORDER BY application_id'),
      rescoreRows: p('SELECT * FROM analysis_applications WHERE rule_set <> ? OR model_version IS NOT ? ORDER BY application_id'),
      allApplicationIds: p('SELECT id FROM applications ORDER BY id'),
      clearRings: p('DELETE FROM analysis_rings'),
      clearMembers: p('DELETE FROM analysis_ring_members'),

      updateCaseScore: p('UPDATE cases SET score = ?, band = ? WHERE application_id = ? AND (score IS NOT ? OR band IS NOT ?)'),

      activeParameter: p('SELECT version, kind, body_json, basis, created_at FROM analysis_parameters WHERE kind = ? AND active = 1'),
      parameter: p('SELECT version, kind, body_json, basis, created_at FROM analysis_parameters WHERE version = ?'),
      deactivate: p('UPDATE analysis_parameters SET active = 0 WHERE kind = ? AND active = 1'),
      insertParameter: p(`INSERT INTO analysis_parameters (version, kind, body_json, basis, created_at, active) VALUES (?, ?, ?, ?, ?, 1)
                          ON CONFLICT(version) DO UPDATE SET active = 1, basis = excluded.basis`),
      activeRuleSet: p('SELECT name, version, definition_json FROM rule_sets WHERE is_active = 1'),
    };
  }

  private all<T = Row>(name: string, ...params: unknown[]): T[] {
    return (this.s[name] as Statement).all(...params) as T[];
  }
  private get<T = Row>(name: string, ...params: unknown[]): T | undefined {
    return (this.s[name] as Statement).get(...params) as T | undefined;
  }
  private run(name: string, ...params: unknown[]): void {
    (this.s[name] as Statement).run(...params);
  }

  transaction<T>(work: () => T): T {
    return this.db.transaction(() => {
      const outer = this.versionMoved === null;
      if (outer) this.versionMoved = new Set();
      try {
        return work();
      } finally {
        if (outer) this.versionMoved = null;
      }
    }).immediate();
  }
  /** Inside transaction(): the main indexes whose version this transaction already moved (noteMainKeys). */
  private versionMoved: Set<FilterName> | null = null;

  // ---- state and runs
  state(key: string): string | null {
    return this.get<{ value: string }>('getState', key)?.value ?? null;
  }
  setState(key: string, value: string): void {
    this.run('setState', key, value);
  }
  currentChangeSeq(): number {
    return this.get<{ value: number }>('currentSeq')?.value ?? 0;
  }
  beginRun(run: { startedAt: string; mode: 'full' | 'incremental'; actor: string; fromSeq: number; toSeq: number; ruleSet: string; modelVersion: string | null; baselineVersion: string | null }): number {
    return Number((this.s['beginRun'] as Statement).run(run).lastInsertRowid);
  }
  finishRun(id: number, status: 'completed' | 'failed', finishedAt: string, summary: unknown, modelVersion: string | null, baselineVersion: string | null): void {
    this.run('finishRun', status, finishedAt, JSON.stringify(summary), modelVersion, baselineVersion, id);
  }
  lastRun(): RunRow | undefined {
    const r = this.get('lastRun');
    return r === undefined ? undefined : toRun(r);
  }
  runById(id: number): RunRow | undefined {
    const r = this.get('runById', id);
    return r === undefined ? undefined : toRun(r);
  }

  // ---- the change log of imported records
  /**
   * What changed in (fromSeq, toSeq]: the records replaced or added there, and the owners the replaced
   * ones left (012_record_moves): an old applicant counts as changed, an old application as one whose
   * events changed, an old device observation as changed, a PF record's old employer as a PF change.
   */
  changedSince(fromSeq: number, toSeq: number): ChangedRecords {
    const moves = this.all<{ applicant_id: string | null; application_id: string | null; observation_id: string | null; employer: string | null; employer_code: string | null }>('changedMoves', fromSeq, toSeq);
    // A PF record's move (it names an employer) is a PF change; every other move names one old owner.
    const owners = moves.filter((m) => m.employer === null);
    const left = (key: 'applicant_id' | 'application_id' | 'observation_id'): string[] => owners.flatMap((m) => m[key] ?? []);
    return {
      applicants: [...this.all<{ id: string }>('changedApplicants', fromSeq, toSeq).map((r) => r.id), ...left('applicant_id')],
      applications: this.all<{ id: string; applicant_id: string }>('changedApplications', fromSeq, toSeq).map((r) => [r.id, r.applicant_id]),
      devices: [...this.all<{ id: string }>('changedDevices', fromSeq, toSeq).map((r) => r.id), ...left('observation_id')],
      eventApplications: [...this.all<{ application_id: string }>('changedEvents', fromSeq, toSeq).map((r) => r.application_id), ...left('application_id')],
      cardApplicants: this.all<{ applicant_id: string }>('changedCards', fromSeq, toSeq).map((r) => r.applicant_id),
      pfRecords: [
        ...this.all<{ applicant_id: string; employer: string; employer_code: string | null }>('changedPf', fromSeq, toSeq),
        ...moves.filter((m): m is typeof m & { applicant_id: string; employer: string } => m.employer !== null && m.applicant_id !== null),
      ].map((r) => ({ applicantId: r.applicant_id, employer: r.employer, employerCode: r.employer_code })),
      bureauApplicants: this.all<{ applicant_id: string }>('changedBureaus', fromSeq, toSeq).map((r) => r.applicant_id),
      // Labels, and investigators' rejections made or undone (016_outcome_changes): both move confirmed fraud.
      labelApplications: [
        ...this.all<{ application_id: string }>('changedLabels', fromSeq, toSeq).map((r) => r.application_id),
        ...this.all<{ application_id: string }>('changedOutcomes', fromSeq, toSeq).map((r) => r.application_id),
      ],
    };
  }
  /** The change just before the latest `applicants` applicants changed, up to `toSeq` (0 when there are no more). */
  seqBeforeRecentApplicants(applicants: number, toSeq: number): number {
    return this.get<{ seq: number }>('nthLatestApplicantSeq', toSeq, applicants)?.seq ?? 0;
  }
  /** Forgets the owners records left up to this change (012_record_moves): a run has covered them. */
  pruneMoves(toSeq: number): void {
    this.run('pruneMoves', toSeq);
    this.run('pruneOutcomes', toSeq);
  }
  /** Device observations and applications deleted so far, ever (009_removal_count: triggers keep it). */
  removalCount(): number {
    return this.get<{ value: number }>('removals')?.value ?? 0;
  }
  /** Analysed rows whose record is gone (a re-import's reference check removed it). */
  vanished(): { observations: string[]; applications: { applicationId: string; applicantId: string }[] } {
    return {
      observations: this.all<{ observation_id: string }>('vanishedObservations').map((r) => r.observation_id),
      applications: this.all<{ application_id: string; applicant_id: string }>('vanishedApplications').map((r) => ({ applicationId: r.application_id, applicantId: r.applicant_id })),
    };
  }

  // ---- imported records (raw JSON as received)
  allApplicationIds(): string[] {
    return this.all<{ id: string }>('allApplicationIds').map((r) => r.id);
  }
  allApplicantIds(): string[] {
    return this.all<{ id: string }>('allApplicantIds').map((r) => r.id);
  }
  /** Every imported record of one kind, for a full run (it holds them all in memory anyway). */
  allRecords(kind: 'applicants'): ApplicantRecord[];
  allRecords(kind: 'applications'): ApplicationRecord[];
  allRecords(kind: 'cards'): BankCardRecord[];
  allRecords(kind: 'pf'): PfRecord[];
  allRecords(kind: 'bureaus'): BureauRecord[];
  allRecords(kind: 'applicants' | 'applications' | 'cards' | 'pf' | 'bureaus'): unknown[] {
    const statement = { applicants: 'allApplicantsRaw', applications: 'allApplicationsRaw', cards: 'allCardsRaw', pf: 'allPfRaw', bureaus: 'allBureausRaw' }[kind];
    const out: unknown[] = [];
    for (const row of (this.s[statement] as Statement<[], { raw: string }>).iterate()) out.push(JSON.parse(row.raw));
    return out;
  }
  *allDevices(): Generator<DeviceRecord> {
    for (const row of (this.s['allDeviceRaw'] as Statement<[], { raw: string }>).iterate()) yield JSON.parse(row.raw) as DeviceRecord;
  }
  applicants(ids: readonly string[]): ApplicantRecord[] {
    return parseRaw(this.all<{ raw: string }>('applicantsRaw', json(ids)));
  }
  applicationsOfApplicants(ids: readonly string[]): ApplicationRecord[] {
    return parseRaw(this.all<{ raw: string }>('applicationsOfApplicants', json(ids)));
  }
  applications(ids: readonly string[]): ApplicationRecord[] {
    return parseRaw(this.all<{ raw: string }>('applicationsRaw', json(ids)));
  }
  applicantOfApplications(ids: readonly string[]): Map<string, string> {
    return new Map(this.all<{ id: string; applicant_id: string }>('applicantOfApplications', json(ids)).map((r) => [r.id, r.applicant_id]));
  }
  devices(ids: readonly string[]): DeviceRecord[] {
    return parseRaw(this.all<{ raw: string }>('devicesRaw', json(ids)));
  }
  eventsOfApplications(ids: readonly string[]): EventRecord[] {
    return parseRaw(this.all<{ raw: string }>('eventsOfApplications', json(ids)));
  }
  cardsOfApplicants(ids: readonly string[]): BankCardRecord[] {
    return parseRaw(this.all<{ raw: string }>('cardsOfApplicants', json(ids)));
  }
  pfOfApplicants(ids: readonly string[]): PfRecord[] {
    return parseRaw(this.all<{ raw: string }>('pfOfApplicants', json(ids)));
  }
  /**
   * PF records of these employers (credit codes, or normalised names of employers without one) as cohort
   * stubs; with `months`, only those starting in the given [employer, YYYY-MM] windows. Records without a
   * first month come whole: their start is read from the contribution history.
   */
  cohortMembers(codes: readonly string[], names: readonly string[], months?: { byCode: readonly [string, string][]; byName: readonly [string, string][] }): PfRecord[] {
    type Member = { id: string; applicant_id: string; employer: string; employer_code: string | null; first_month: string | null };
    const rows = months === undefined
      ? [...this.all<Member>('cohortMembersByCode', json(codes)), ...this.all<Member>('cohortMembersByName', json(names))]
      : [...this.all<Member>('cohortWindowByCode', JSON.stringify(months.byCode)), ...this.all<Member>('cohortWindowByName', JSON.stringify(months.byName))];
    const noMonth = months === undefined
      ? rows.filter((r) => r.first_month === null).map((r) => r.id)
      : [...this.all<{ id: string }>('noMonthByCode', json(codes)), ...this.all<{ id: string }>('noMonthByName', json(names))].map((r) => r.id);
    const whole = noMonth.length === 0 ? [] : parseRaw<PfRecord>(this.all<{ raw: string }>('rawOfPf', json(noMonth)));
    const stubs: PfRecord[] = rows.filter((r) => r.first_month !== null).map((r) => {
      const stub: PfRecord = { type: 'pf_record', id: r.id, applicant_id: r.applicant_id, city: '', employer: r.employer, first_month: r.first_month as string };
      if (r.employer_code !== null) stub.employer_code = r.employer_code;
      return stub;
    });
    return [...stubs, ...whole];
  }
  /** The PF cohort each applicant had when last analysed. */
  storedCohorts(ids: readonly string[]): Map<string, { size: number; suspicious: number }> {
    return new Map(this.all<{ applicant_id: string; cohort_size: number; cohort_suspicious: number }>('storedCohorts', json(ids)).map((r) => [r.applicant_id, { size: r.cohort_size, suspicious: r.cohort_suspicious }]));
  }
  setCohort(applicantId: string, size: number, suspicious: boolean): void {
    this.run('setCohort', size, suspicious ? 1 : 0, applicantId);
  }
  /** Distinct applicants per employer: by social credit code, and by name for records without one. */
  /** Applicants per employer: by credit code, and by normalised name (normaliseEmployer) for records without one. */
  employerSizes(codes: readonly string[], names: readonly string[]): { byCode: Map<string, number>; byName: Map<string, number> } {
    return {
      byCode: new Map(this.all<{ k: string; n: number }>('employerSizesByCode', json(codes)).map((r) => [r.k, r.n])),
      byName: new Map(this.all<{ k: string; n: number }>('employerSizesByName', json(names)).map((r) => [r.k, r.n])),
    };
  }
  bureausOfApplicants(ids: readonly string[]): BureauRecord[] {
    return parseRaw(this.all<{ raw: string }>('bureausOfApplicants', json(ids)));
  }
  labels(): LabelRecord[] {
    return this.all<{ application_id: string; is_fraud: number; pattern: string | null; source: string | null }>('allLabels').map((r) => {
      const label: LabelRecord = { type: 'label', application_id: r.application_id, is_fraud: r.is_fraud === 1 };
      if (r.pattern !== null) label.pattern = r.pattern;
      if (r.source !== null) label.source = r.source as NonNullable<LabelRecord['source']>;
      return label;
    });
  }
  labelCount(): number {
    return this.get<{ n: number }>('countLabels')?.n ?? 0;
  }
  applicationCount(): number {
    return this.get<{ n: number }>('countApplications')?.n ?? 0;
  }
  /** Those of these applicants with a confirmed fraud outcome. */
  confirmedFraudAmong(applicantIds: readonly string[]): Set<string> {
    return new Set(this.all<{ applicant_id: string }>('confirmedAmong', json(applicantIds), json(applicantIds)).map((r) => r.applicant_id));
  }
  confirmedFraudApplicants(): Set<string> {
    return new Set(this.all<{ applicant_id: string }>('confirmedApplicants').map((r) => r.applicant_id));
  }
  activeRuleSetDefinition(): { name: string; version: number; definition: string } | undefined {
    const r = this.get<{ name: string; version: number; definition_json: string }>('activeRuleSet');
    return r === undefined ? undefined : { name: r.name, version: r.version, definition: r.definition_json };
  }

  // ---- observations and device identities
  upsertObservation(row: ObservationRow): void {
    this.run('upsertObservation', {
      observationId: row.observationId, deviceId: row.deviceId, applicantId: row.applicantId, applicationId: row.applicationId, observedMs: row.observedMs,
      flags: JSON.stringify(row.flags), evidence: JSON.stringify(row.evidence), ipProvince: row.ipProvince, ipCity: row.ipCity, ipIsp: row.ipIsp,
    });
  }
  deleteObservation(id: string): void {
    this.run('deleteObservation', id);
    this.run('deleteKeysOf', id);
  }
  observations(ids: readonly string[]): ObservationRow[] {
    return this.all('observationsByIds', json(ids)).map(toObservation);
  }
  observationsOfDevices(deviceIds: readonly string[]): ObservationRow[] {
    return this.all('observationsOfDevices', json(deviceIds)).map(toObservation);
  }
  observationsOfApplicants(ids: readonly string[]): ObservationRow[] {
    return this.all('observationsOfApplicants', json(ids)).map(toObservation);
  }
  /** Observations made for these applications but filed under none of these applicants (the exporter named another, or none). */
  observationsFiledElsewhere(applicationIds: readonly string[], applicantIds: readonly string[]): ObservationRow[] {
    return this.all('observationsFiledElsewhere', { applications: json(applicationIds), applicants: json(applicantIds) }).map(toObservation);
  }
  observationsOfApplication(applicationId: string): ObservationRow[] {
    return this.all('observationsOfApplication', applicationId).map(toObservation);
  }
  *allObservations(): Generator<{ observationId: string; deviceId: string; applicationId: string | null; flags: string[] }> {
    for (const r of (this.s['allObservations'] as Statement<[], { observation_id: string; device_id: string; application_id: string | null; flags_json: string }>).iterate()) {
      yield { observationId: r.observation_id, deviceId: r.device_id, applicationId: r.application_id, flags: JSON.parse(r.flags_json) as string[] };
    }
  }
  renameDevice(from: string, to: string): void {
    this.run('setDeviceId', to, from);
  }
  /** `pending`: an incremental run's keys go to the pending index (see foldPendingKeys); a full run's straight to the main one. */
  replaceDeviceKeys(observationId: string, keys: readonly string[], pending: boolean): void {
    this.run('deleteKeysOf', observationId);
    for (const key of keys) this.run('insertKey', key, observationId, pending ? 1 : 0);
    if (!pending) this.noteMainKeys('device', keys);
  }
  /** The blocking keys stored for these observations (as the last run left them), with how many of them hold each. */
  deviceKeysOf(observationIds: readonly string[]): Map<string, number> {
    return new Map(this.all<{ key: string; n: number }>('keysOfObservations', json(observationIds)).map((r) => [r.key, r.n]));
  }
  observationsWithKeys(keys: readonly string[]): string[] {
    const { both, pendingOnly } = this.splitByFilter('device', keys);
    const out = both.length === 0 ? [] : this.all<{ observation_id: string }>('observationsWithKeys', { keys: json(both) }).map((r) => r.observation_id);
    if (pendingOnly.length === 0) return out;
    out.push(...this.all<{ observation_id: string }>('observationsWithPendingKeys', { keys: json(pendingOnly) }).map((r) => r.observation_id));
    return [...new Set(out)];
  }
  /** Stored observations per blocking key, not counting `excluding` (observations being re-linked), counted up to `cap`. */
  deviceKeyCounts(keys: readonly string[], excluding: readonly string[], cap: number): Map<string, number> {
    const { both, pendingOnly } = this.splitByFilter('device', keys);
    const rows = [
      ...(both.length === 0 ? [] : this.all<{ key: string; n: number }>('keyCounts', { excluding: json(excluding), cap, keys: json(both) })),
      ...(pendingOnly.length === 0 ? [] : this.all<{ key: string; n: number }>('pendingKeyCounts', { excluding: json(excluding), cap, keys: json(pendingOnly) })),
    ];
    return new Map(rows.filter((r) => r.n > 0).map((r) => [r.key, r.n]));
  }

  // ---- key filters (keyFilter.ts)
  // Each covers every key of its table's main index (pending = 0). Keys written pending need nothing:
  // lookups always ask the small pending index. Keys reach the main index only in a full run (which
  // starts the filters afresh) and in a fold (which adds the keys it moves), both through this class.

  /**
   * The version of a main key index: a random number that every write of keys into the index changes
   * (noteMainKeys), in the writer's transaction. A filter covers its index only at the version it was
   * built, read or last added to at, and is stored with that version as its generation. So a filter that
   * missed another connection's writes (two folds at once, the window's and the CLI's; a full run in
   * another process) no longer matches the version and is never trusted again: it is rebuilt from the index.
   */
  private mainVersion(name: FilterName): number | undefined {
    const value = this.state(`main_keys_${name}`);
    return value === null ? undefined : Number(value);
  }
  private setMainVersion(name: FilterName, version: number): number {
    this.setState(`main_keys_${name}`, String(version));
    return version;
  }
  private newMainVersion(name: FilterName): number {
    return this.setMainVersion(name, randomInt(1, 2 ** 47));
  }

  /**
   * Makes the filters current for a run: kept from the last run when they still match the index's
   * version, read from the store when the stored one does, built from the main index otherwise (or when
   * over capacity). `fresh` starts empty ones sized for that many keys instead (a full run rewrites every
   * key) and drops the stored ones at once, so a full run that stops half way leaves none to trust.
   */
  openKeyFilters(fresh?: { link: number; device: number }): void {
    if (fresh !== undefined) {
      this.run('dropKeyFilters');
      this.filters = {
        link: { filter: KeyFilter.sizedFor(2 * fresh.link), generation: this.newMainVersion('link') },
        device: { filter: KeyFilter.sizedFor(2 * fresh.device), generation: this.newMainVersion('device') },
      };
      return;
    }
    for (const name of ['link', 'device'] as const) {
      const generation = this.get<{ generation: number }>('keyFilterGeneration', name)?.generation;
      // A store from before versions were kept: its stored filter covers the index as it always did.
      const version = this.mainVersion(name) ?? (generation === undefined ? this.newMainVersion(name) : this.setMainVersion(name, generation));
      const held = this.filters[name];
      if (held !== undefined && held.generation === version && !held.filter.full) continue;
      const row = generation === version ? this.get<{ generation: number; items: number; bits: Uint8Array }>('keyFilter', name) : undefined;
      const stored = row === undefined ? null : KeyFilter.fromBytes(row.bits, row.items);
      if (stored !== null && !stored.full) this.filters[name] = { filter: stored, generation: version };
      else this.saveKeyFilter(name, this.buildKeyFilter(name), version);
    }
  }
  /** Writes the filters that changed since they were read (a full run's, or a fold's), unless another connection's writes made them stale. */
  saveKeyFilters(): void {
    for (const name of ['link', 'device'] as const) {
      const held = this.currentHeld(name);
      if (held === undefined) continue;
      if (held.filter.full) this.saveKeyFilter(name, this.buildKeyFilter(name), held.generation);
      else if (held.filter.dirty) this.saveKeyFilter(name, held.filter, held.generation);
    }
  }
  /** Forgets the filters held in memory (a run failed: the next one reads them again from the store). */
  discardKeyFilters(): void {
    this.filters = {};
  }
  /** The filter held for an index if it still matches the index's version; a stale one is forgotten. */
  private currentHeld(name: FilterName): { filter: KeyFilter; generation: number } | undefined {
    const held = this.filters[name];
    if (held === undefined || held.generation === this.mainVersion(name)) return held;
    delete this.filters[name];
    return undefined;
  }
  /** Stores a filter as covering the index at `version`. */
  private saveKeyFilter(name: FilterName, filter: KeyFilter, version: number): void {
    this.run('saveKeyFilter', name, version, filter.items, filter.bytes());
    filter.markSaved();
    this.filters[name] = { filter, generation: version };
  }
  /** A filter over every key the main index holds now, with room for as many again. */
  private buildKeyFilter(name: FilterName): KeyFilter {
    const count = this.get<{ n: number }>(name === 'link' ? 'countMainLinkKeys' : 'countMainDeviceKeys')?.n ?? 0;
    const filter = KeyFilter.sizedFor(2 * count);
    for (const r of (this.s[name === 'link' ? 'mainLinkKeys' : 'mainDeviceKeys'] as Statement<[], { key: string }>).iterate()) filter.add(r.key);
    return filter;
  }
  /**
   * Keys written to a main index: the index gets a new version, and its filter follows when it was
   * current; else the stored filters are dropped (rebuilt on next use) and a stale held one forgotten.
   */
  private noteMainKeys(name: FilterName, items: readonly string[]): void {
    if (items.length === 0) return;
    // Once per transaction: no other connection can read a version in the middle of this one.
    if (this.versionMoved?.has(name) !== true) {
      const before = this.mainVersion(name);
      const after = this.newMainVersion(name);
      this.versionMoved?.add(name);
      const held = this.filters[name];
      if (held !== undefined && held.generation === before) held.generation = after;
      else {
        delete this.filters[name];
        this.run('dropKeyFilters');
      }
    }
    const held = this.filters[name];
    if (held !== undefined) for (const item of items) held.filter.add(item);
  }
  /** Keys the main index may hold (ask both indexes) and keys it certainly does not (ask the pending one). */
  private splitByFilter(name: FilterName, keys: readonly string[]): { both: readonly string[]; pendingOnly: string[] };
  private splitByFilter<T>(name: FilterName, items: readonly T[], keyOf: (item: T) => string): { both: readonly T[]; pendingOnly: T[] };
  private splitByFilter<T>(name: FilterName, items: readonly T[], keyOf?: (item: T) => string): { both: readonly T[]; pendingOnly: T[] } {
    const filter = this.filters[name]?.filter;
    if (filter === undefined) return { both: items, pendingOnly: [] };
    const both: T[] = [];
    const pendingOnly: T[] = [];
    for (const item of items) (filter.mayHold(keyOf === undefined ? String(item) : keyOf(item)) ? both : pendingOnly).push(item);
    return { both, pendingOnly };
  }

  upsertIdentity(row: IdentityRow, runId: number): void {
    this.run('upsertIdentity', {
      deviceId: row.deviceId, anchorObservationId: row.anchorObservationId, firstSeenMs: row.firstSeenMs, lastSeenMs: row.lastSeenMs, observations: row.observations,
      applicants: row.applicants, applications: row.applications, flags: JSON.stringify(row.flags), traits: JSON.stringify(row.traits), hardwareIdResets: row.hardwareIdResets, runId,
    });
  }
  identity(deviceId: string): IdentityRow | undefined {
    const r = this.get('identity', deviceId);
    return r === undefined ? undefined : toIdentity(r);
  }
  /**
   * A device identity's earliest stored observation (what names it), from the observations themselves:
   * the identity row is written only when a run scores one of its applicants, so it may be missing or old.
   */
  earliestObservation(deviceId: string): { observationId: string; observedMs: number } | undefined {
    const r = this.get<{ observation_id: string; observed_ms: number }>('earliestObservation', deviceId);
    return r === undefined ? undefined : { observationId: r.observation_id, observedMs: r.observed_ms };
  }
  identities(deviceIds: readonly string[]): Map<string, IdentityRow> {
    return new Map(this.all('identitiesByIds', json(deviceIds)).map((r) => [String(r['device_id']), toIdentity(r)]));
  }
  /** Identities left without observations (among `candidates`, or all of them). */
  deleteOrphanIdentities(candidates?: readonly string[]): number {
    const orphans = candidates === undefined ? this.all<{ device_id: string }>('orphanIdentities') : this.all<{ device_id: string }>('orphanIdentitiesAmong', json(candidates));
    for (const o of orphans) this.run('deleteIdentity', o.device_id);
    return orphans.length;
  }

  // ---- sessions
  replaceSessions(applicationId: string, sessions: readonly { sessionId: string; bot: boolean; coached: boolean; features: unknown; assessment: unknown }[]): void {
    this.run('deleteSessionsOf', applicationId);
    for (const s of sessions) this.run('upsertSession', s.sessionId, applicationId, s.bot ? 1 : 0, s.coached ? 1 : 0, JSON.stringify(s.features), JSON.stringify(s.assessment));
  }
  sessionsOfApplications(ids: readonly string[]): { features: unknown; assessment: unknown }[] {
    return this.all<{ features_json: string; assessment_json: string }>('sessionsOfApplications', json(ids)).map((r) => ({
      features: JSON.parse(r.features_json) as unknown,
      assessment: JSON.parse(r.assessment_json) as unknown,
    }));
  }
  *allSessionFeatures(): Generator<unknown> {
    for (const r of (this.s['allSessionFeatures'] as Statement<[], { features_json: string }>).iterate()) yield JSON.parse(r.features_json) as unknown;
  }

  // ---- link keys
  /**
   * Moves an applicant from its old link keys to its new ones, keeping the holder counts in step. Counts
   * are kept only for keys with two or more holders: most keys (IP windows, cards) have one, and a row
   * for each would be a random write per new key for a count every reader can take as its own.
   * New keys go to the pending index (incremental runs call this; see foldPendingKeys).
   */
  replaceLinkKeys(applicantId: string, before: readonly { kind: string; key: string }[], after: readonly { kind: string; key: string }[]): void {
    this.replaceLinkKeysOf([{ applicantId, before, after }]);
  }
  /**
   * replaceLinkKeys for many applicants at once (a run's link phase, one slice): the keys they lose one by
   * one (few), the keys they gain in three statements in all (about ten thousand per 1,000 new applicants,
   * three statements each when written one by one). Ends with the same rows and counts either way.
   */
  replaceLinkKeysOf(changes: readonly { applicantId: string; before: readonly { kind: string; key: string }[]; after: readonly { kind: string; key: string }[] }[]): void {
    const id = (k: { kind: string; key: string }): string => `${k.kind}\u0000${k.key}`;
    const added: [string, string, string][] = [];
    const gained = new Map<string, [string, string, number]>();
    for (const { applicantId, before, after } of changes) {
      const had = new Set(before.map(id));
      const has = new Set(after.map(id));
      for (const k of before) {
        if (has.has(id(k))) continue;
        this.run('deleteLinkKey', applicantId, k.kind, k.key);
        this.run('countDown', k.key, k.kind);
        this.run('dropSmallCount', k.key, k.kind);
      }
      for (const k of after) {
        const item = id(k);
        if (had.has(item)) continue;
        had.add(item);
        added.push([applicantId, k.kind, k.key]);
        const g = gained.get(item);
        if (g === undefined) gained.set(item, [k.kind, k.key, 1]);
        else g[2] += 1;
      }
    }
    if (added.length === 0) return;
    this.run('insertPendingLinkKeys', JSON.stringify(added));
    const counted = new Set(this.all<{ kind: string; key: string }>('countUpBy', JSON.stringify([...gained.values()])).map(id));
    // No count row: the key had one holder at most, and has that one and its new holders now. Where the
    // main index certainly lacks the key, only the pending one is asked.
    const uncounted = [...gained].filter(([item]) => !counted.has(item)).map(([, [kind, key]]): [string, string] => [kind, key]);
    const { both, pendingOnly } = this.splitByFilter('link', uncounted, ([, key]) => key);
    const rows = [
      ...(both.length === 0 ? [] : this.all<{ kind: string; key: string; n: number }>('holdersOfNewKeys', JSON.stringify(both))),
      ...(pendingOnly.length === 0 ? [] : this.all<{ kind: string; key: string; n: number }>('pendingHoldersOfNewKeys', JSON.stringify(pendingOnly))),
    ];
    for (const r of rows) if (r.n >= 2) this.run('insertCount', r.key, r.kind, r.n);
  }
  /** A full run writes every applicant's keys afresh: empty both tables, insert, then count once. */
  clearLinkKeys(): void {
    this.run('clearLinkKeys');
    this.run('clearLinkCounts');
  }
  insertLinkKeys(applicantId: string, keys: readonly { kind: string; key: string }[]): void {
    for (const k of keys) this.run('insertLinkKey', applicantId, k.kind, k.key, 0);
    this.noteMainKeys('link', keys.map((k) => k.key));
  }
  rebuildLinkCounts(): void {
    this.foldPendingKeys(0);
    this.run('clearLinkCounts');
    this.run('rebuildLinkCounts');
  }
  /**
   * Moves pending link and device keys into the main indexes once there are at least `atLeast` of them
   * in all. The UPDATE walks the pending index, so the main index takes the keys in key order: one write
   * per touched page for all the keys landing on it. Returns how many keys moved.
   */
  foldPendingKeys(atLeast: number): { linkKeys: number; deviceKeys: number } {
    const pending = this.pendingKeyCount();
    if (pending === 0 || pending < atLeast) return { linkKeys: 0, deviceKeys: 0 };
    // The keys entering the main indexes enter their filters too.
    const linkKeys = this.all<{ key: string }>('foldLinkKeys').map((r) => r.key);
    const deviceKeys = this.all<{ key: string }>('foldDeviceKeys').map((r) => r.key);
    this.noteMainKeys('link', linkKeys);
    this.noteMainKeys('device', deviceKeys);
    return { linkKeys: linkKeys.length, deviceKeys: deviceKeys.length };
  }

  /** Pending link and device keys, in all (rows of the two pending indexes). */
  pendingKeyCount(): number {
    return (this.get<{ n: number }>('pendingLinkKeys')?.n ?? 0) + (this.get<{ n: number }>('pendingDeviceKeys')?.n ?? 0);
  }
  /**
   * One slice of a fold done outside a run (services/keyFold.ts): moves the lowest `limit` pending link keys
   * and the lowest `limit` pending device keys, in key order (with every row of the last key), into the main
   * indexes, and adds them to the filters held in memory. The stored filters no longer cover the main indexes
   * after it: the caller drops them in the same transaction as the first slice (dropStoredKeyFilters) and
   * saves the held ones when it stops (saveHeldKeyFilters). Returns how many keys moved.
   */
  foldPendingSlice(limit: number): { linkKeys: number; deviceKeys: number } {
    const fold = (nth: string, upTo: string, all: string): string[] => {
      const last = this.get<{ key: string }>(nth, Math.max(0, limit - 1))?.key;
      return (last === undefined ? this.all<{ key: string }>(all) : this.all<{ key: string }>(upTo, last)).map((r) => r.key);
    };
    const linkKeys = fold('nthPendingLinkKey', 'foldLinkKeysUpTo', 'foldLinkKeys');
    const deviceKeys = fold('nthPendingDeviceKey', 'foldDeviceKeysUpTo', 'foldDeviceKeys');
    this.noteMainKeys('link', linkKeys);
    this.noteMainKeys('device', deviceKeys);
    return { linkKeys: linkKeys.length, deviceKeys: deviceKeys.length };
  }
  /** Deletes the stored filters (the next reader without held ones builds them from the main indexes). */
  dropStoredKeyFilters(): void {
    this.run('dropKeyFilters');
  }
  /** Stores every filter held in memory, changed or not (after dropStoredKeyFilters). */
  saveHeldKeyFilters(): void {
    for (const name of ['link', 'device'] as const) {
      const held = this.currentHeld(name);
      if (held !== undefined) this.saveKeyFilter(name, held.filter.full ? this.buildKeyFilter(name) : held.filter, held.generation);
    }
  }

  /** Every stored holder count (`kind|key` -> count), for checks that the counts follow the keys. */
  allLinkCounts(): Map<string, number> {
    return new Map(this.all<{ kind: string; key: string; n: number }>('allLinkCounts').map((r) => [`${r.kind}|${r.key}`, r.n]));
  }
  linkKeysOf(applicantIds: readonly string[]): LinkKeyRow[] {
    return this.all<{ applicant_id: string; kind: string; key: string }>('linkKeysOf', json(applicantIds)).map((r) => ({ applicantId: r.applicant_id, kind: r.kind, key: r.key }));
  }
  *allLinkKeys(): Generator<LinkKeyRow> {
    for (const r of (this.s['allLinkKeys'] as Statement<[], { applicant_id: string; kind: string; key: string }>).iterate()) yield { applicantId: r.applicant_id, kind: r.kind, key: r.key };
  }
  /**
   * Store-wide holders of each key, per kind (`kind|key` -> count), for keys held by two or more
   * applicants: a key missing from the answer has at most one holder (readers count those themselves).
   */
  holderCounts(keys: readonly string[]): Map<string, number> {
    const out = new Map<string, number>();
    for (const r of this.all<{ kind: string; key: string; n: number }>('holderCounts', json([...new Set(keys)]))) out.set(`${r.kind}|${r.key}`, r.n);
    return out;
  }
  holdersOf(keys: readonly string[]): LinkKeyRow[] {
    const { both, pendingOnly } = this.splitByFilter('link', [...new Set(keys)]);
    const rows = [
      ...(both.length === 0 ? [] : this.all<{ applicant_id: string; kind: string; key: string }>('holdersOf', { keys: json(both) })),
      ...(pendingOnly.length === 0 ? [] : this.all<{ applicant_id: string; kind: string; key: string }>('pendingHoldersOf', { keys: json(pendingOnly) })),
    ];
    return rows.map((r) => ({ applicantId: r.applicant_id, kind: r.kind, key: r.key }));
  }
  holdersOfKinds(keys: readonly string[], kinds: readonly string[]): string[] {
    const { both, pendingOnly } = this.splitByFilter('link', [...new Set(keys)]);
    const ids = [
      ...(both.length === 0 ? [] : this.all<{ applicant_id: string }>('holdersOfKinds', { keys: json(both), kinds: json(kinds) })),
      ...(pendingOnly.length === 0 ? [] : this.all<{ applicant_id: string }>('pendingHoldersOfKinds', { keys: json(pendingOnly), kinds: json(kinds) })),
    ].map((r) => r.applicant_id);
    return both.length > 0 && pendingOnly.length > 0 ? [...new Set(ids)] : ids;
  }

  // ---- applicants
  upsertApplicant(applicantId: string, firstPassRisk: number, household: readonly string[], runId: number): void {
    this.run('upsertApplicant', applicantId, firstPassRisk, JSON.stringify(household), runId);
  }
  applicantRows(ids: readonly string[]): Map<string, { risk: number; household: string[]; householdJson: string; cohortSize: number; cohortSuspicious: boolean }> {
    type R = { applicant_id: string; first_pass_risk: number; household_json: string; cohort_size: number; cohort_suspicious: number };
    return new Map(this.all<R>('applicantRows', json(ids)).map((r) => [
      r.applicant_id, { risk: r.first_pass_risk, household: JSON.parse(r.household_json) as string[], householdJson: r.household_json, cohortSize: r.cohort_size, cohortSuspicious: r.cohort_suspicious === 1 },
    ]));
  }

  // ---- rings
  ringIdsOfApplicants(ids: readonly string[]): string[] {
    return this.all<{ ring_id: string }>('ringsOfApplicants', json(ids)).map((r) => r.ring_id);
  }
  /** Rings that name any of these link keys among their links (014_ring_keys). */
  ringIdsOfKeys(keys: readonly string[]): string[] {
    return this.all<{ ring_id: string }>('ringsOfKeys', json(keys)).map((r) => r.ring_id);
  }
  rings(ringIds: readonly string[]): RingRow[] {
    const members = new Map<string, string[]>();
    for (const m of this.all<{ ring_id: string; applicant_id: string }>('ringMembers', json(ringIds))) {
      let list = members.get(m.ring_id);
      if (list === undefined) members.set(m.ring_id, (list = []));
      list.push(m.applicant_id);
    }
    return this.all('ringRows', json(ringIds)).map((r) => toRing(r, members.get(String(r['ring_id'])) ?? []));
  }
  deleteRings(ringIds: readonly string[], applicantIds: readonly string[]): void {
    for (const id of ringIds) this.run('deleteRing', id);
    for (const a of applicantIds) this.run('deleteMembership', a);
  }
  insertRing(ring: RingRow, runId: number): void {
    this.run('insertRing', {
      ringId: ring.ringId, score: ring.score, baseScore: ring.baseScore, size: ring.size, householdShare: ring.householdShare,
      strongKinds: JSON.stringify(ring.strongKinds), links: JSON.stringify(ring.links), edges: JSON.stringify(ring.edges), confirmed: JSON.stringify(ring.confirmed), runId,
    });
    for (const m of ring.members) this.run('insertMember', ring.ringId, m);
    for (const l of ring.links) this.run('insertRingKey', ring.ringId, l.value_hash);
  }
  clearRings(): void {
    this.run('clearRingKeys');
    this.run('clearMembers');
    this.run('clearRings');
  }
  allRings(): RingRow[] {
    const members = new Map<string, string[]>();
    for (const m of this.all<{ ring_id: string; applicant_id: string }>('allMembers')) {
      let list = members.get(m.ring_id);
      if (list === undefined) members.set(m.ring_id, (list = []));
      list.push(m.applicant_id);
    }
    return this.all('allRings').map((r) => toRing(r, members.get(String(r['ring_id'])) ?? []));
  }

  // ---- applications: scores and their history
  application(applicationId: string): ApplicationAnalysisRow | undefined {
    const r = this.get('applicationRow', applicationId);
    return r === undefined ? undefined : toApplication(r);
  }
  applicationsAnalysed(ids: readonly string[]): Map<string, ApplicationAnalysisRow> {
    return new Map(this.all('applicationRows', json(ids)).map((r) => [String(r['application_id']), toApplication(r)]));
  }
  /**
   * The stored analyses of these applicants' applications, per applicant: null where one of its applications
   * has none yet, or one stored under another applicant (the application moved); absent for an applicant
   * without applications.
   */
  storedAnalysesOfApplicants(ids: readonly string[]): Map<string, ApplicationAnalysisRow[] | null> {
    const stored = new Map(this.all('applicationRowsOfApplicants', json(ids)).map((r) => [String(r['application_id']), toApplication(r)]));
    const out = new Map<string, ApplicationAnalysisRow[] | null>();
    for (const r of this.all<{ id: string; applicant_id: string }>('applicationIdsOfApplicants', json(ids))) {
      const list = out.get(r.applicant_id);
      const row = stored.get(r.id);
      if (list === null) continue;
      if (row === undefined || row.applicantId !== r.applicant_id) out.set(r.applicant_id, null);
      else if (list === undefined) out.set(r.applicant_id, [row]);
      else list.push(row);
    }
    return out;
  }
  /**
   * Writes the latest analysis over `before` (the row as stored, if any); adds a history row only when what
   * the score rests on changed. Returns whether it did. Where the applicant, score, band and reasons stand as
   * stored (most neighbours a run rescores), only the columns no index covers are written: SQLite rewrites
   * an index's entry whenever a statement assigns one of its columns, equal value or not, and the upsert
   * assigns them all (up to three index pages more per row written).
   */
  saveApplication(row: ApplicationAnalysisRow, before: ApplicationAnalysisRow | undefined): boolean {
    const indexedAsStored = before !== undefined && before.applicantId === row.applicantId && before.score === row.score && before.band === row.band && before.reasonsJson === row.reasonsJson;
    // Zero rows changed: the row is gone after all (deleted since `before` was read), so it is inserted again.
    if (!indexedAsStored || (this.s['updateApplicationDetails'] as Statement).run(row).changes === 0) this.run('upsertApplication', row);
    this.run('updateCaseScore', row.score, row.band, row.applicationId, row.score, row.band);
    if (before?.inputsHash === row.inputsHash) return false;
    this.run('insertHistory', { applicationId: row.applicationId, runId: row.runId, score: row.score, band: row.band, reasonsJson: row.reasonsJson, ruleSet: row.ruleSet, modelVersion: row.modelVersion, inputsHash: row.inputsHash, scoredAt: row.scoredAt });
    return true;
  }
  deleteApplication(applicationId: string): void {
    this.run('deleteApplication', applicationId);
  }
  history(applicationId: string): ScoreHistoryRow[] {
    return this.all<{ run_id: number; score: number; band: string; reasons_json: string; rule_set: string; model_version: string | null; scored_at: string }>('history', applicationId).map((r) => ({
      runId: r.run_id, score: r.score, band: r.band, reasonsJson: r.reasons_json, ruleSet: r.rule_set, modelVersion: r.model_version, scoredAt: r.scored_at,
    }));
  }
  *allApplications(): Generator<{ applicationId: string; applicantId: string; score: number; band: string; reasonsJson: string; ringId: string | null; inputsHash: string }> {
    for (const r of (this.s['allApplicationRows'] as Statement<[], Row>).iterate()) {
      yield { applicationId: String(r['application_id']), applicantId: String(r['applicant_id']), score: Number(r['score']), band: String(r['band']), reasonsJson: String(r['reasons_json']), ringId: (r['ring_id'] as string | null) ?? null, inputsHash: String(r['inputs_hash']) };
    }
  }
  /** Every analysed application scored with another rule set or model, for a rescore from its stored features. */
  rowsScoredWithOther(ruleSet: string, modelVersion: string | null): ApplicationAnalysisRow[] {
    return this.all('rescoreRows', ruleSet, modelVersion).map(toApplication);
  }
  *featureRows(): Generator<{ applicationId: string; featuresJson: string }> {
    for (const r of (this.s['featureRows'] as Statement<[], { application_id: string; features_json: string }>).iterate()) yield { applicationId: r.application_id, featuresJson: r.features_json };
  }

  // ---- versioned parameters (fitted model, behaviour baseline)
  activeParameter(kind: 'model' | 'baseline'): ParameterRow | undefined {
    const r = this.get<{ version: string; kind: 'model' | 'baseline'; body_json: string; basis: number; created_at: string }>('activeParameter', kind);
    return r === undefined ? undefined : { version: r.version, kind: r.kind, bodyJson: r.body_json, basis: r.basis, createdAt: r.created_at };
  }
  activateParameter(row: ParameterRow): void {
    this.run('deactivate', row.kind);
    this.run('insertParameter', row.version, row.kind, row.bodyJson, row.basis, row.createdAt);
  }
}

function toRun(r: Row): RunRow {
  return {
    id: Number(r['id']), startedAt: String(r['started_at']), finishedAt: (r['finished_at'] as string | null) ?? null, status: r['status'] as RunRow['status'],
    mode: r['mode'] as RunRow['mode'], fromSeq: Number(r['from_seq']), toSeq: Number(r['to_seq']), ruleSet: String(r['rule_set']),
    modelVersion: (r['model_version'] as string | null) ?? null, baselineVersion: (r['baseline_version'] as string | null) ?? null, summaryJson: (r['summary_json'] as string | null) ?? null,
  };
}

function toObservation(r: Row): ObservationRow {
  return {
    observationId: String(r['observation_id']), deviceId: String(r['device_id']), applicantId: (r['applicant_id'] as string | null) ?? null,
    applicationId: (r['application_id'] as string | null) ?? null, observedMs: Number(r['observed_ms']),
    flags: JSON.parse(String(r['flags_json'])) as string[], evidence: JSON.parse(String(r['evidence_json'])) as { flag: string; detail: string }[],
    ipProvince: (r['ip_province'] as string | null) ?? null, ipCity: (r['ip_city'] as string | null) ?? null, ipIsp: (r['ip_isp'] as string | null) ?? null,
  };
}

function toIdentity(r: Row): IdentityRow {
  return {
    deviceId: String(r['device_id']), anchorObservationId: String(r['anchor_observation_id']), firstSeenMs: Number(r['first_seen_ms']), lastSeenMs: Number(r['last_seen_ms']),
    observations: Number(r['observations']), applicants: Number(r['applicants']), applications: Number(r['applications']),
    flags: JSON.parse(String(r['flags_json'])) as string[], traits: JSON.parse(String(r['traits_json'])) as { flag: string; detail: string }[], hardwareIdResets: Number(r['hardware_id_resets']),
  };
}

function toRing(r: Row, members: string[]): RingRow {
  return {
    ringId: String(r['ring_id']), score: Number(r['score']), baseScore: Number(r['base_score']), size: Number(r['size']), householdShare: Number(r['household_share']),
    strongKinds: JSON.parse(String(r['strong_kinds_json'])) as string[], links: JSON.parse(String(r['links_json'])) as RingRow['links'],
    edges: JSON.parse(String(r['edges_json'])) as RingRow['edges'], confirmed: JSON.parse(String(r['confirmed_json'])) as string[], members,
  };
}

function toApplication(r: Row): ApplicationAnalysisRow {
  return {
    applicationId: String(r['application_id']), applicantId: String(r['applicant_id']), score: Number(r['score']), band: String(r['band']),
    reasonsJson: String(r['reasons_json']), featuresJson: String(r['features_json']), evidenceJson: String(r['evidence_json']), findingsJson: String(r['findings_json']),
    ringId: (r['ring_id'] as string | null) ?? null, ruleSet: String(r['rule_set']), modelVersion: (r['model_version'] as string | null) ?? null,
    inputsHash: String(r['inputs_hash']), runId: Number(r['run_id']), scoredAt: String(r['scored_at']),
  };
}

/** The factory for repositoryFor: one AnalysisRepository (and one set of prepared statements) per connection. */
export function createAnalysisRepository(db: Database): AnalysisRepository {
  return new AnalysisRepository(db);
}
