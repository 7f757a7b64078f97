// How interchange records point at each other. The import checks these at the END of an import
// (a record may name one that comes later) and the store indexes them.
import type { RecordType } from './schema.js';

/** The field that identifies a record within its type (`label` has one per application). */
export const RECORD_KEY: { readonly [T in RecordType]: string } = {
  applicant: 'id',
  application: 'id',
  device: 'id',
  event: 'id',
  bank_card: 'id',
  pf_record: 'id',
  bureau: 'id',
  decision: 'id',
  appeal: 'id',
  label: 'application_id',
};

export interface RecordReference {
  readonly type: RecordType;
  readonly field: string;
  readonly target: RecordType;
  /** Optional references are checked only when present. */
  readonly optional: boolean;
}

/** In dependency order: a record's targets are always checked before the record itself. */
export const RECORD_REFERENCES: readonly RecordReference[] = [
  { type: 'application', field: 'applicant_id', target: 'applicant', optional: false },
  { type: 'device', field: 'applicant_id', target: 'applicant', optional: true },
  { type: 'device', field: 'application_id', target: 'application', optional: true },
  { type: 'event', field: 'application_id', target: 'application', optional: false },
  { type: 'event', field: 'device_id', target: 'device', optional: true },
  { type: 'bank_card', field: 'applicant_id', target: 'applicant', optional: false },
  { type: 'pf_record', field: 'applicant_id', target: 'applicant', optional: false },
  { type: 'bureau', field: 'applicant_id', target: 'applicant', optional: false },
  { type: 'decision', field: 'application_id', target: 'application', optional: false },
  { type: 'appeal', field: 'application_id', target: 'application', optional: false },
  { type: 'label', field: 'application_id', target: 'application', optional: false },
];
