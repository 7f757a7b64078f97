// Identity checks on an applicant, computed from the raw fields with the same validator the import
// uses for its findings (main/interchange/residentId.ts), so the two can never disagree.
import type { ApplicantRecord, BankCardRecord } from '../../../shared/interchange/schema.js';
import { isPlausibleRegionCode } from '../../interchange/regions.js';
import { ageAt, hasValidResidentIdChecksum, MAX_APPLICANT_AGE, MIN_APPLICANT_AGE, residentIdBirthDate } from '../../interchange/residentId.js';

/** Credit-line activation is for adults; past this age a brand-new credit line is unusual. */
export const CREDIT_MIN_AGE = 18;
export const CREDIT_MAX_AGE = 70;

export interface IdentityFindings {
  readonly checksumValid: boolean;
  readonly regionKnown: boolean;
  readonly birthDate: string | null;
  /** Age at the application, null when the birth digits are not a date. */
  readonly age: number | null;
  /** Under 18, over 70, or an impossible date: what the ID says contradicts an adult applicant. */
  readonly ageImplausible: boolean;
  readonly cardHolderMismatch: boolean;
  readonly findings: readonly string[];
}

export function identityFindings(applicant: ApplicantRecord, cards: readonly BankCardRecord[], atMs: number): IdentityFindings {
  const id = applicant.id_number.toUpperCase();
  const checksumValid = hasValidResidentIdChecksum(id);
  const regionKnown = isPlausibleRegionCode(id.slice(0, 6));
  const birthDate = residentIdBirthDate(id);
  const age = birthDate === null || !Number.isFinite(atMs) ? null : ageAt(birthDate, atMs);
  const ageImplausible = birthDate === null || (age !== null && (age < CREDIT_MIN_AGE || age > CREDIT_MAX_AGE || age < MIN_APPLICANT_AGE || age > MAX_APPLICANT_AGE));
  const mismatched = cards.filter((c) => c.holder_name_match === false);
  const findings: string[] = [];
  if (!checksumValid) findings.push('id_checksum_invalid');
  if (!regionKnown) findings.push(`id_region_unknown region=${id.slice(0, 6)}`);
  if (birthDate === null) findings.push('id_birth_date_invalid');
  else if (ageImplausible) findings.push(`age=${age ?? '?'}`);
  for (const card of mismatched) findings.push(`card_holder_mismatch card=${card.id}`);
  return { checksumValid, regionKnown, birthDate, age, ageImplausible, cardHolderMismatch: mismatched.length > 0, findings };
}

/** Mainland mobile numbers in one form (no +86, no separators) so shared phones are found. */
export function normalisePhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  return digits.length === 13 && digits.startsWith('86') ? digits.slice(2) : digits;
}
