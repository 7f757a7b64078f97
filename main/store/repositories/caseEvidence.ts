// The evidence panels of one case: what the analysis engines stored (004_analysis) about the
// application, its devices, sessions and ring, plus the records behind them (002_records). Read-only.
import type { Statement } from 'better-sqlite3-multiple-ciphers';
import type { Database } from '../database.js';

export interface AnalysisRowRecord {
  readonly score: number;
  readonly band: string;
  readonly reasonsJson: string;
  readonly featuresJson: string;
  readonly evidenceJson: string;
  readonly findingsJson: string;
  readonly ringId: string | null;
  readonly ruleSet: string;
  readonly modelVersion: string | null;
  readonly scoredAt: string;
}

export interface ObservationRecord {
  readonly observationId: string;
  readonly deviceId: string;
  readonly applicantId: string | null;
  readonly applicationId: string | null;
  readonly observedAt: string;
  readonly observedMs: number;
  readonly platform: string;
  readonly model: string | null;
  readonly ip: string | null;
  readonly flagsJson: string;
  readonly evidenceJson: string;
  readonly ipProvince: string | null;
  readonly ipCity: string | null;
  readonly raw: string;
}

export interface IdentityRecord {
  readonly deviceId: string;
  readonly firstSeenMs: number;
  readonly lastSeenMs: number;
  readonly observations: number;
  readonly applicants: number;
  readonly applications: number;
  readonly flagsJson: string;
  readonly traitsJson: string;
  readonly hardwareIdResets: number;
}

export interface PfRecordRow {
  readonly id: string;
  readonly city: string;
  readonly employer: string;
  readonly status: string | null;
  readonly base: number | null;
  readonly rate: number | null;
  readonly firstMonth: string | null;
  readonly lastMonth: string | null;
  readonly monthsPaid: number | null;
  readonly historyJson: string | null;
}

export interface RingRecord {
  readonly ringId: string;
  readonly score: number;
  readonly size: number;
  readonly strongKindsJson: string;
  readonly linksJson: string;
  readonly edgesJson: string;
  readonly confirmedJson: string;
}

export interface MemberRecord {
  readonly applicantId: string;
  readonly applicationId: string | null;
  readonly name: string | null;
  readonly score: number | null;
  readonly band: string | null;
}

export interface CaseEvidenceRepository {
  analysis(applicationId: string): AnalysisRowRecord | undefined;
  observationsOf(applicationId: string, applicantId: string): ObservationRecord[];
  identity(deviceId: string): IdentityRecord | undefined;
  observationsOfDevice(deviceId: string, limit: number): ObservationRecord[];
  /** Other applications seen on a device, with their applicant and score. */
  applicationsOnDevice(deviceId: string, limit: number): MemberRecord[];
  sessions(applicationId: string): Array<{ sessionId: string; bot: boolean; coached: boolean; featuresJson: string; assessmentJson: string }>;
  baselineJson(): string | undefined;
  pfRecords(applicantId: string): PfRecordRow[];
  recordFindings(applicantId: string, applicationId: string): Array<{ recordType: string; recordId: string; code: string; field: string; detail: string }>;
  ringOf(applicantId: string): RingRecord | undefined;
  ringMembers(ringId: string): MemberRecord[];
  /** Every distinct score the application has had, oldest first. */
  scoreHistory(applicationId: string): Array<{ score: number; band: string; ruleSet: string; scoredAt: string }>;
}

const OBSERVATION_COLUMNS = `o.observation_id, o.device_id, o.applicant_id, o.application_id, d.observed_at, o.observed_ms, d.platform, d.model, d.ip,
  o.flags_json, o.evidence_json, o.ip_province, o.ip_city, d.raw`;

interface ObservationSql {
  observation_id: string;
  device_id: string;
  applicant_id: string | null;
  application_id: string | null;
  observed_at: string;
  observed_ms: number;
  platform: string;
  model: string | null;
  ip: string | null;
  flags_json: string;
  evidence_json: string;
  ip_province: string | null;
  ip_city: string | null;
  raw: string;
}

const toObservation = (row: ObservationSql): ObservationRecord => ({
  observationId: row.observation_id,
  deviceId: row.device_id,
  applicantId: row.applicant_id,
  applicationId: row.application_id,
  observedAt: row.observed_at,
  observedMs: row.observed_ms,
  platform: row.platform,
  model: row.model,
  ip: row.ip,
  flagsJson: row.flags_json,
  evidenceJson: row.evidence_json,
  ipProvince: row.ip_province,
  ipCity: row.ip_city,
  raw: row.raw,
});

interface MemberSql {
  applicant_id: string;
  application_id: string | null;
  name: string | null;
  score: number | null;
  band: string | null;
}
const toMember = (row: MemberSql): MemberRecord => ({ applicantId: row.applicant_id, applicationId: row.application_id, name: row.name, score: row.score, band: row.band });

export function createCaseEvidenceRepository(db: Database): CaseEvidenceRepository {
  const analysis: Statement<[string], { score: number; band: string; reasons_json: string; features_json: string; evidence_json: string; findings_json: string; ring_id: string | null; rule_set: string; model_version: string | null; scored_at: string }> =
    db.prepare(
      `SELECT score, band, reasons_json, features_json, evidence_json, findings_json, ring_id, rule_set, model_version, scored_at
         FROM analysis_applications WHERE application_id = ?`,
    );
  const observationsOf: Statement<[{ application: string; applicant: string }], ObservationSql> = db.prepare(
    `SELECT ${OBSERVATION_COLUMNS} FROM analysis_observations o JOIN devices d ON d.id = o.observation_id
      WHERE o.application_id = @application OR (o.application_id IS NULL AND o.applicant_id = @applicant) ORDER BY o.observed_ms, o.observation_id`,
  );
  const identity: Statement<[string], { device_id: string; first_seen_ms: number; last_seen_ms: number; observations: number; applicants: number; applications: number; flags_json: string; traits_json: string; hardware_id_resets: number }> =
    db.prepare(
      `SELECT device_id, first_seen_ms, last_seen_ms, observations, applicants, applications, flags_json, traits_json, hardware_id_resets
         FROM analysis_device_identities WHERE device_id = ?`,
    );
  const observationsOfDevice: Statement<[string, number], ObservationSql> = db.prepare(
    `SELECT ${OBSERVATION_COLUMNS} FROM analysis_observations o JOIN devices d ON d.id = o.observation_id
      WHERE o.device_id = ? ORDER BY o.observed_ms, o.observation_id LIMIT ?`,
  );
  const applicationsOnDevice: Statement<[string, number], MemberSql> = db.prepare(
    `SELECT DISTINCT o.applicant_id, o.application_id, p.name, s.score, s.band
       FROM analysis_observations o
       LEFT JOIN applicants p ON p.id = o.applicant_id
       LEFT JOIN analysis_applications s ON s.application_id = o.application_id
      WHERE o.device_id = ? AND o.applicant_id IS NOT NULL
      ORDER BY s.score DESC LIMIT ?`,
  );
  const sessions: Statement<[string], { session_id: string; bot: number; coached: number; features_json: string; assessment_json: string }> = db.prepare(
    'SELECT session_id, bot, coached, features_json, assessment_json FROM analysis_sessions WHERE application_id = ? ORDER BY session_id',
  );
  const baseline = db.prepare(`SELECT body_json FROM analysis_parameters WHERE kind = 'baseline' AND active = 1`).pluck() as Statement<[], string>;
  const pfRecords: Statement<[string], { id: string; city: string; employer: string; status: string | null; contribution_base: number | null; rate: number | null; first_month: string | null; last_month: string | null; months_paid: number | null; history: string | null }> =
    db.prepare(
      `SELECT id, city, employer, status, contribution_base, rate, first_month, last_month, months_paid, json_extract(raw, '$.history') AS history
         FROM pf_records WHERE applicant_id = ? ORDER BY first_month, id`,
    );
  const recordFindings: Statement<[{ applicant: string; application: string }], { record_type: string; record_id: string; code: string; field: string; detail: string }> = db.prepare(
    `SELECT record_type, record_id, code, field, detail FROM record_findings
      WHERE (record_type = 'applicant' AND record_id = @applicant)
         OR (record_type = 'bank_card' AND record_id IN (SELECT id FROM bank_cards WHERE applicant_id = @applicant))
         OR (record_type = 'application' AND record_id = @application)
      ORDER BY record_type, code`,
  );
  const ringOf: Statement<[string], { ring_id: string; score: number; size: number; strong_kinds_json: string; links_json: string; edges_json: string; confirmed_json: string }> = db.prepare(
    `SELECT r.ring_id, r.score, r.size, r.strong_kinds_json, r.links_json, r.edges_json, r.confirmed_json
       FROM analysis_ring_members m JOIN analysis_rings r ON r.ring_id = m.ring_id WHERE m.applicant_id = ?`,
  );
  // Each member with their latest application and its score: the case a click on the member opens.
  const ringMembers: Statement<[string], MemberSql> = db.prepare(
    `SELECT m.applicant_id, x.id AS application_id, p.name, s.score, s.band
       FROM analysis_ring_members m
       LEFT JOIN applicants p ON p.id = m.applicant_id
       LEFT JOIN applications x ON x.id = (SELECT id FROM applications WHERE applicant_id = m.applicant_id ORDER BY submitted_ms DESC LIMIT 1)
       LEFT JOIN analysis_applications s ON s.application_id = x.id
      WHERE m.ring_id = ? ORDER BY s.score DESC, m.applicant_id`,
  );

  const scoreHistory: Statement<[string], { score: number; band: string; rule_set: string; scored_at: string }> = db.prepare(
    'SELECT score, band, rule_set, scored_at FROM analysis_score_history WHERE application_id = ? ORDER BY id',
  );

  return {
    scoreHistory: (applicationId) => scoreHistory.all(applicationId).map((row) => ({ score: row.score, band: row.band, ruleSet: row.rule_set, scoredAt: row.scored_at })),
    analysis(applicationId) {
      const row = analysis.get(applicationId);
      if (row === undefined) return undefined;
      return {
        score: row.score,
        band: row.band,
        reasonsJson: row.reasons_json,
        featuresJson: row.features_json,
        evidenceJson: row.evidence_json,
        findingsJson: row.findings_json,
        ringId: row.ring_id,
        ruleSet: row.rule_set,
        modelVersion: row.model_version,
        scoredAt: row.scored_at,
      };
    },
    observationsOf: (applicationId, applicantId) => observationsOf.all({ application: applicationId, applicant: applicantId }).map(toObservation),
    identity(deviceId) {
      const row = identity.get(deviceId);
      if (row === undefined) return undefined;
      return {
        deviceId: row.device_id,
        firstSeenMs: row.first_seen_ms,
        lastSeenMs: row.last_seen_ms,
        observations: row.observations,
        applicants: row.applicants,
        applications: row.applications,
        flagsJson: row.flags_json,
        traitsJson: row.traits_json,
        hardwareIdResets: row.hardware_id_resets,
      };
    },
    observationsOfDevice: (deviceId, limit) => observationsOfDevice.all(deviceId, limit).map(toObservation),
    applicationsOnDevice: (deviceId, limit) => applicationsOnDevice.all(deviceId, limit).map(toMember),
    sessions: (applicationId) =>
      sessions.all(applicationId).map((row) => ({ sessionId: row.session_id, bot: row.bot === 1, coached: row.coached === 1, featuresJson: row.features_json, assessmentJson: row.assessment_json })),
    baselineJson: () => baseline.get(),
    pfRecords: (applicantId) =>
      pfRecords.all(applicantId).map((row) => ({
        id: row.id,
        city: row.city,
        employer: row.employer,
        status: row.status,
        base: row.contribution_base,
        rate: row.rate,
        firstMonth: row.first_month,
        lastMonth: row.last_month,
        monthsPaid: row.months_paid,
        historyJson: row.history,
      })),
    recordFindings: (applicantId, applicationId) =>
      recordFindings.all({ applicant: applicantId, application: applicationId }).map((row) => ({ recordType: row.record_type, recordId: row.record_id, code: row.code, field: row.field, detail: row.detail })),
    ringOf(applicantId) {
      const row = ringOf.get(applicantId);
      if (row === undefined) return undefined;
      return {
        ringId: row.ring_id,
        score: row.score,
        size: row.size,
        strongKindsJson: row.strong_kinds_json,
        linksJson: row.links_json,
        edgesJson: row.edges_json,
        confirmedJson: row.confirmed_json,
      };
    },
    ringMembers: (ringId) => ringMembers.all(ringId).map(toMember),
  };
}
