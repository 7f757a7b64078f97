// Ground truth the generator knows and the engines must rediscover: written to truth.jsonl, never imported.
// The analysis issue scores its device matching, ring finding and fraud scoring against these records.

/** A `device` observation and the physical device that produced it (observations of one phone share `physical_id`). */
export interface DeviceTruth {
  readonly kind: 'device';
  readonly observation_id: string;
  readonly physical_id: string;
}

/** A group of applicants acting together (shared devices, phones, cards, employers, contacts). */
export interface RingTruth {
  readonly kind: 'ring';
  readonly ring_id: string;
  readonly applicant_ids: readonly string[];
  /** The fraud pattern that made the ring, e.g. `device_farm`, `pf_fabrication`, `fraud_ring`. */
  readonly pattern: string;
}

/** Whether an application is fraud, by which pattern, and whether it is a genuine one built to look suspicious. */
export interface ApplicationTruth {
  readonly kind: 'application';
  readonly application_id: string;
  readonly applicant_id: string;
  readonly is_fraud: boolean;
  /** One of FRAUD_PATTERNS when `is_fraud`, else null. */
  readonly pattern: string | null;
  /** One of TRAP_KINDS for a genuine applicant who looks suspicious, else null. */
  readonly trap: string | null;
  /** Present (true) on a fraud group that covered its tracks, in a hard population only. */
  readonly careful?: true;
}

export type TruthRecord = DeviceTruth | RingTruth | ApplicationTruth;

/** Pattern names as written in `label.pattern` and truth: reason-ready strings. */
export const FRAUD_PATTERNS = [
  'device_farm',
  'emulator',
  'spoofed_fingerprint',
  'bot_form_filling',
  'synthetic_identity',
  'pf_fabrication',
  'fraud_ring',
  'account_takeover',
] as const;
export type FraudPattern = (typeof FRAUD_PATTERNS)[number];

/** Genuine applicants who trip naive rules: the engines must not convict them. */
export const TRAP_KINDS = ['shared_family_device', 'campus_ip', 'password_manager_paste', 'device_update_drift'] as const;
export type TrapKind = (typeof TRAP_KINDS)[number];
