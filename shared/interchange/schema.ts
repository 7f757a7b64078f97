// Interchange format v1 (../shared/spec/interchange.md): the public contract for imports.
// Unknown fields pass through (`looseObject`): the spec says they are kept and ignored.
import { z } from 'zod';
import { interchangeErrorMap } from './messages.js';

export const INTERCHANGE_VERSION = 1;

/** ISO 8601 with an explicit offset or Z, e.g. 2026-03-14T09:26:53.589+08:00. */
export const timestamp = z.iso.datetime({ offset: true, message: 'expected an ISO 8601 timestamp with offset' });
const yearMonth = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected YYYY-MM');
const id = z.string().min(1, 'must not be empty').max(200, 'longer than 200 characters');
const money = z.number().finite().nonnegative();
const text = (max = 2000) => z.string().max(max, `longer than ${max} characters`);

export const PLATFORMS = ['android', 'ios', 'web', 'mini_program'] as const;
export const CHANNELS = ['app', 'web', 'mini_program'] as const;
export const PLATFORM_DECISIONS = ['approved', 'rejected', 'review'] as const;
export const DECISION_OUTCOMES = ['approved', 'rejected', 'review', 'frozen'] as const;
export const PF_STATUSES = ['active', 'suspended', 'closed'] as const;
export const LABEL_SOURCES = ['chargeback', 'confirmed', 'appeal', 'synthetic'] as const;

export const address = z.looseObject({
  province: text(100).optional(),
  city: text(100).optional(),
  district: text(100).optional(),
  line: text(500).optional(),
});

export const applicantRecord = z.looseObject({
  type: z.literal('applicant'),
  id,
  name: text(100).min(1, 'must not be empty'),
  id_number: z.string().regex(/^\d{17}[\dXx]$/, 'expected an 18-character resident ID number'),
  phone: text(32).min(1, 'must not be empty'),
  email: text(320).optional(),
  declared_income_monthly: money.optional(),
  employer: text(200).optional(),
  address: address.optional(),
  emergency_contacts: z
    .array(z.looseObject({ name: text(100).optional(), phone: text(32).optional(), relation: text(50).optional() }))
    .max(20)
    .optional(),
  registered_at: timestamp.optional(),
});

export const applicationRecord = z.looseObject({
  type: z.literal('application'),
  id,
  applicant_id: id,
  submitted_at: timestamp,
  product: text(100).optional(),
  channel: z.enum(CHANNELS).optional(),
  requested_limit: money.optional(),
  platform_score: z.number().min(0).max(1000).optional(),
  platform_decision: z.enum(PLATFORM_DECISIONS).optional(),
  platform_reasons: z.array(text(200)).max(100).optional(),
});

const flag = z.boolean().optional();
export const deviceRecord = z.looseObject({
  type: z.literal('device'),
  id,
  observed_at: timestamp,
  platform: z.enum(PLATFORMS),
  applicant_id: id.optional(),
  application_id: id.optional(),
  session_id: id.optional(),
  ip: text(64).optional(),
  user_agent: text(1000).optional(),
  screen: z.looseObject({ width: z.number().positive(), height: z.number().positive(), dpr: z.number().positive().optional() }).optional(),
  timezone: text(64).optional(),
  languages: z.array(text(35)).max(50).optional(),
  hardware: z
    .looseObject({
      cores: z.number().int().positive().optional(),
      memory_gb: z.number().positive().optional(),
      model: text(200).optional(),
      manufacturer: text(200).optional(),
      gpu_vendor: text(200).optional(),
      gpu_renderer: text(300).optional(),
    })
    .optional(),
  ids: z.looseObject({ android_id: text(128).optional(), idfv: text(128).optional(), oaid: text(128).optional(), imei: text(128).optional() }).optional(),
  hashes: z.looseObject({ canvas: text(128).optional(), webgl: text(128).optional(), audio: text(128).optional(), fonts: text(128).optional() }).optional(),
  signals: z
    .looseObject({
      emulator: flag, rooted: flag, jailbroken: flag, hooking: flag, debugger: flag,
      webdriver: flag, vpn: flag, proxy: flag, mock_location: flag, multi_instance: flag,
    })
    .optional(),
  battery: z.looseObject({ level: z.number().min(0).max(1), charging: z.boolean().optional() }).optional(),
  sensors: z.array(text(64)).max(100).optional(),
});

export const EVENT_KINDS = [
  'login', 'logout', 'page_view', 'field_focus', 'field_input', 'paste', 'sms_sent', 'sms_verified',
  'face_check', 'id_ocr', 'bank_card_bound', 'password_set', 'pf_authorized', 'pf_verified',
  'risk_evaluated', 'decision', 'appeal_filed',
] as const;
export const FORM_FIELDS = ['name', 'id_number', 'phone', 'bank_card', 'reserved_phone', 'sms_code', 'password', 'pf_account'] as const;

const count = z.number().int().nonnegative();
const millis = z.number().finite().nonnegative();
/**
 * `attrs` of the event kinds the engines analyse (spec "Event kinds and their attrs"). Every attribute
 * is optional and unknown ones are kept, but a known one of the wrong type would mislead the
 * behaviour engine, so it rejects the event. Other kinds carry any attrs.
 */
export const eventAttrSchemas = {
  page_view: z.looseObject({ page: text(200).optional() }),
  field_focus: z.looseObject({ field: text(64).optional() }),
  field_input: z.looseObject({
    field: text(64).optional(),
    duration_ms: millis.optional(),
    key_count: count.optional(),
    key_intervals_ms: z.array(millis).max(10_000).optional(),
    backspaces: count.optional(),
    value_length: count.optional(),
  }),
  paste: z.looseObject({ field: text(64).optional(), value_length: count.optional() }),
  sms_verified: z.looseObject({ latency_ms: millis.optional(), attempts: count.optional() }),
  // The spec leaves the type of `liveness` and `match` open: exporters send a flag or a label/score.
  face_check: z.looseObject({ score: z.number().finite().optional(), liveness: z.union([z.boolean(), text(64)]).optional(), attempts: count.optional() }),
  id_ocr: z.looseObject({ match: z.union([z.boolean(), z.number().finite()]).optional() }),
  bank_card_bound: z.looseObject({ bank_card_id: id.optional() }),
  pf_authorized: z.looseObject({ city: text(100).optional() }),
  pf_verified: z.looseObject({ pf_record_id: id.optional(), result: text(64).optional() }),
  risk_evaluated: z.looseObject({ score: z.number().finite().optional(), rules: z.array(text(200)).max(500).optional() }),
  decision: z.looseObject({ outcome: z.enum(DECISION_OUTCOMES).optional() }),
  appeal_filed: z.looseObject({ appeal_id: id.optional() }),
} as const;
export type AnalysedEventKind = keyof typeof eventAttrSchemas;

export const eventRecord = z
  .looseObject({
    type: z.literal('event'),
    id,
    application_id: id,
    ts: timestamp,
    // Other kinds are kept and shown, not analysed (spec): any non-empty kind is accepted.
    kind: text(64).min(1, 'must not be empty'),
    session_id: id.optional(),
    device_id: id.optional(),
    ip: text(64).optional(),
    step: z.number().int().min(1).max(7).optional(),
    attrs: z.record(z.string(), z.unknown()).optional(),
  })
  .superRefine((event, ctx) => {
    if (event.attrs === undefined || !Object.prototype.hasOwnProperty.call(eventAttrSchemas, event.kind)) return;
    const schema = eventAttrSchemas[event.kind as AnalysedEventKind];
    // The fast path parses without options; only a failure pays for the plain-language messages.
    if (schema.safeParse(event.attrs).success) return;
    const parsed = schema.safeParse(event.attrs, { error: interchangeErrorMap, reportInput: true });
    if (parsed.success) return;
    for (const issue of parsed.error.issues) {
      ctx.addIssue({ ...issue, path: ['attrs', ...issue.path] });
    }
  });

export const bankCardRecord = z.looseObject({
  type: z.literal('bank_card'),
  id,
  applicant_id: id,
  card_hash: text(256).min(1, 'must not be empty'),
  bin: z.string().regex(/^\d{6,8}$/, 'expected a 6-8 digit BIN'),
  bank: text(100).optional(),
  bound_at: timestamp.optional(),
  holder_name_match: z.boolean().optional(),
  reserved_phone: text(32).optional(),
});

export const pfRecord = z.looseObject({
  type: z.literal('pf_record'),
  id,
  applicant_id: id,
  city: text(100).min(1, 'must not be empty'),
  employer: text(200).min(1, 'must not be empty'),
  employer_code: text(64).optional(),
  account_hash: text(256).optional(),
  status: z.enum(PF_STATUSES).optional(),
  contribution_base: money.optional(),
  rate: z.number().min(0).max(1).optional(),
  monthly_total: money.optional(),
  first_month: yearMonth.optional(),
  last_month: yearMonth.optional(),
  months_paid: z.number().int().nonnegative().optional(),
  history: z.array(z.looseObject({ month: yearMonth, amount: money, employer: text(200).optional() })).max(1200).optional(),
});

export const bureauRecord = z.looseObject({
  type: z.literal('bureau'),
  id,
  applicant_id: id,
  reported_at: timestamp,
  score: z.number().optional(),
  inquiries_3m: z.number().int().nonnegative().optional(),
  open_loans: z.number().int().nonnegative().optional(),
  overdue_count: z.number().int().nonnegative().optional(),
  max_overdue_days: z.number().int().nonnegative().optional(),
});

export const decisionRecord = z.looseObject({
  type: z.literal('decision'),
  id,
  application_id: id,
  at: timestamp,
  outcome: z.enum(DECISION_OUTCOMES),
  by: text(100).optional(),
  reasons: z.array(text(200)).max(100).optional(),
  limit: money.optional(),
});

export const appealRecord = z.looseObject({
  type: z.literal('appeal'),
  id,
  application_id: id,
  filed_at: timestamp,
  channel: text(50).optional(),
  statement: text(20000).optional(),
  evidence: z.array(z.looseObject({ name: text(300), sha256: z.string().regex(/^[0-9a-f]{64}$/i, 'expected a sha256 hex digest') })).max(100).optional(),
  contact: text(200).optional(),
});

export const labelRecord = z.looseObject({
  type: z.literal('label'),
  application_id: id,
  is_fraud: z.boolean(),
  pattern: text(100).optional(),
  source: z.enum(LABEL_SOURCES).optional(),
});

export const recordSchemas = {
  applicant: applicantRecord,
  application: applicationRecord,
  device: deviceRecord,
  event: eventRecord,
  bank_card: bankCardRecord,
  pf_record: pfRecord,
  bureau: bureauRecord,
  decision: decisionRecord,
  appeal: appealRecord,
  label: labelRecord,
} as const;

export type RecordType = keyof typeof recordSchemas;
export const RECORD_TYPES = Object.keys(recordSchemas) as RecordType[];
export const interchangeRecord = z.discriminatedUnion('type', [
  applicantRecord, applicationRecord, deviceRecord, eventRecord, bankCardRecord,
  pfRecord, bureauRecord, decisionRecord, appealRecord, labelRecord,
]);

export type ApplicantRecord = z.infer<typeof applicantRecord>;
export type ApplicationRecord = z.infer<typeof applicationRecord>;
export type DeviceRecord = z.infer<typeof deviceRecord>;
export type EventRecord = z.infer<typeof eventRecord>;
export type BankCardRecord = z.infer<typeof bankCardRecord>;
export type PfRecord = z.infer<typeof pfRecord>;
export type BureauRecord = z.infer<typeof bureauRecord>;
export type DecisionRecord = z.infer<typeof decisionRecord>;
export type AppealRecord = z.infer<typeof appealRecord>;
export type LabelRecord = z.infer<typeof labelRecord>;
export type InterchangeRecord = z.infer<typeof interchangeRecord>;
