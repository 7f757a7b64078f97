// Domain checks that fail do not reject a record: investigators must see the record AND what is odd about it.
// Each failure is stored on the record as a finding with a stable code (the UI translates the code).

export const FINDING_CODES = [
  /** The resident ID's check character does not match ISO 7064 MOD 11-2 (GB 11643-1999). */
  'id_checksum_invalid',
  /** The ID's first six digits are not a county-level code in the GB/T 2260 division list. */
  'id_region_unknown',
  /** Digits 7-14 of the ID are not a real calendar date. */
  'id_birth_date_invalid',
  /** The applicant was younger than 16 or older than 100 when the application was submitted. */
  'applicant_age_implausible',
  /** A phone number that is not a mainland mobile number (1[3-9] + 9 digits, optional +86). */
  'phone_format_invalid',
  /** A card BIN outside the known ranges of Chinese issuers. */
  'card_bin_unknown',
  /** The declared bank is not the bank that issues the BIN. */
  'card_bank_mismatch',
  /** A full card number is present and fails the Luhn check. */
  'card_number_luhn_invalid',
  /** A full card number is present and does not start with the record's BIN. */
  'card_number_bin_mismatch',
] as const;
export type FindingCode = (typeof FINDING_CODES)[number];

export interface RecordFinding {
  readonly code: FindingCode;
  /** The record field it concerns, in the message path style (`emergency_contacts[0].phone`). */
  readonly field: string;
  /** A short English explanation with the offending value masked where it is personal data. */
  readonly detail: string;
}
