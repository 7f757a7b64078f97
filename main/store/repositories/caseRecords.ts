// What a case shows of the imported records (002_records): the applicant, the application, its
// events and device observations, the applicant's other applications and the appeals. Read-only.
import type { Statement } from 'better-sqlite3-multiple-ciphers';
import type { Database } from '../database.js';

export interface ApplicationRecordRow {
  readonly id: string;
  readonly applicantId: string;
  readonly submittedAt: string;
  readonly submittedMs: number;
  readonly product: string | null;
  readonly channel: string | null;
  readonly requestedLimit: number | null;
  readonly platformScore: number | null;
  readonly platformDecision: string | null;
  readonly platformReasons: string[];
  readonly batchId: number;
  /** When the batch that first brought this application in started: the case reached the desk then. */
  readonly arrivedAt: string | null;
}

export interface ApplicantRecordRow {
  readonly id: string;
  readonly name: string;
  readonly idNumber: string;
  readonly phone: string;
  readonly birthDate: string | null;
  readonly province: string | null;
  readonly city: string | null;
  readonly employer: string | null;
  readonly declaredIncomeMonthly: number | null;
  readonly registeredAt: string | null;
}

export interface EventRecordRow {
  readonly id: string;
  readonly ts: string;
  readonly kind: string;
  readonly step: number | null;
  readonly sessionId: string | null;
  readonly deviceId: string | null;
  readonly ip: string | null;
  readonly attrs: Record<string, unknown>;
}

export interface DeviceObservationRow {
  readonly id: string;
  readonly observedAt: string;
  readonly platform: string;
  readonly model: string | null;
  readonly ip: string | null;
}

export interface AppealRecordRow {
  readonly id: string;
  readonly filedAt: string;
  readonly channel: string | null;
  readonly statement: string | null;
}

export interface CaseRecordsRepository {
  application(id: string): ApplicationRecordRow | undefined;
  applicant(id: string): ApplicantRecordRow | undefined;
  events(applicationId: string): EventRecordRow[];
  devices(applicationId: string): DeviceObservationRow[];
  applicationsOf(applicantId: string): Array<{ id: string; submittedAt: string; platformDecision: string | null }>;
  appeals(applicationId: string): AppealRecordRow[];
}

interface ApplicationSql {
  id: string;
  applicant_id: string;
  submitted_at: string;
  submitted_ms: number;
  product: string | null;
  channel: string | null;
  requested_limit: number | null;
  platform_score: number | null;
  platform_decision: string | null;
  platform_reasons: string | null;
  batch_id: number;
  arrived_at: string | null;
}

function parseJson<T>(text: string | null, fallback: T): T {
  if (text === null) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

export function createCaseRecordsRepository(db: Database): CaseRecordsRepository {
  const application: Statement<[string], ApplicationSql> = db.prepare(
    `SELECT a.id, a.applicant_id, a.submitted_at, a.submitted_ms, a.product, a.channel, a.requested_limit, a.platform_score,
            a.platform_decision, json_extract(a.raw, '$.platform_reasons') AS platform_reasons, a.batch_id, b.started_at AS arrived_at
       FROM applications a LEFT JOIN import_batches b ON b.id = a.created_batch_id
      WHERE a.id = ?`,
  );
  const applicant: Statement<[string], { id: string; name: string; id_number: string; phone: string; birth_date: string | null; province: string | null; city: string | null; employer: string | null; declared_income_monthly: number | null; registered_at: string | null }> =
    db.prepare('SELECT id, name, id_number, phone, birth_date, province, city, employer, declared_income_monthly, registered_at FROM applicants WHERE id = ?');
  const events: Statement<[string], { id: string; ts: string; kind: string; step: number | null; session_id: string | null; device_id: string | null; ip: string | null; attrs: string | null }> =
    db.prepare(`SELECT id, ts, kind, step, session_id, device_id, ip, json_extract(raw, '$.attrs') AS attrs FROM events WHERE application_id = ? ORDER BY ts_ms, id`);
  const devices: Statement<[string], { id: string; observed_at: string; platform: string; model: string | null; ip: string | null }> = db.prepare(
    'SELECT id, observed_at, platform, model, ip FROM devices WHERE application_id = ? ORDER BY observed_ms, id',
  );
  const applicationsOf: Statement<[string], { id: string; submitted_at: string; platform_decision: string | null }> = db.prepare(
    'SELECT id, submitted_at, platform_decision FROM applications WHERE applicant_id = ? ORDER BY submitted_ms DESC',
  );
  const appeals: Statement<[string], { id: string; filed_at: string; channel: string | null; statement: string | null }> = db.prepare(
    `SELECT id, filed_at, channel, json_extract(raw, '$.statement') AS statement FROM appeals WHERE application_id = ? ORDER BY filed_ms`,
  );

  return {
    application(id) {
      const row = application.get(id);
      if (row === undefined) return undefined;
      const reasons = parseJson<unknown>(row.platform_reasons, []);
      return {
        id: row.id,
        applicantId: row.applicant_id,
        submittedAt: row.submitted_at,
        submittedMs: row.submitted_ms,
        product: row.product,
        channel: row.channel,
        requestedLimit: row.requested_limit,
        platformScore: row.platform_score,
        platformDecision: row.platform_decision,
        platformReasons: Array.isArray(reasons) ? reasons.filter((reason): reason is string => typeof reason === 'string') : [],
        batchId: row.batch_id,
        arrivedAt: row.arrived_at,
      };
    },
    applicant(id) {
      const row = applicant.get(id);
      if (row === undefined) return undefined;
      return {
        id: row.id,
        name: row.name,
        idNumber: row.id_number,
        phone: row.phone,
        birthDate: row.birth_date,
        province: row.province,
        city: row.city,
        employer: row.employer,
        declaredIncomeMonthly: row.declared_income_monthly,
        registeredAt: row.registered_at,
      };
    },
    events: (applicationId) =>
      events.all(applicationId).map((row) => {
        const attrs = parseJson<unknown>(row.attrs, {});
        return {
          id: row.id,
          ts: row.ts,
          kind: row.kind,
          step: row.step,
          sessionId: row.session_id,
          deviceId: row.device_id,
          ip: row.ip,
          attrs: typeof attrs === 'object' && attrs !== null && !Array.isArray(attrs) ? (attrs as Record<string, unknown>) : {},
        };
      }),
    devices: (applicationId) =>
      devices.all(applicationId).map((row) => ({ id: row.id, observedAt: row.observed_at, platform: row.platform, model: row.model, ip: row.ip })),
    applicationsOf: (applicantId) =>
      applicationsOf.all(applicantId).map((row) => ({ id: row.id, submittedAt: row.submitted_at, platformDecision: row.platform_decision })),
    appeals: (applicationId) => appeals.all(applicationId).map((row) => ({ id: row.id, filedAt: row.filed_at, channel: row.channel, statement: row.statement })),
  };
}
