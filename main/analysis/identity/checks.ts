// Identity checks on an applicant, computed from the raw fields with the same validator the import
// uses for its findings (main/interchange/residentId.ts), so the two can never disagree.
import type { ApplicantRecord, BankCardRecord } from '../../../shared/interchange/schema.js';
import { isPlausibleRegionCode } from '../../interchange/regions.js';
import { ageAt, hasValidResidentIdChecksum, MAX_APPLICANT_AGE, MIN_APPLICANT_AGE, residentIdBirthDate } from '../../interchange/residentId.js';
import { monthIndex } from '../common/time.js';

/** Credit-line activation is for adults; past this age a brand-new credit line is unusual. */
export const CREDIT_MIN_AGE = 18;
export const CREDIT_MAX_AGE = 70;
/** China's Labour Law: nobody is employed, so nobody pays into a PF account, before 16. */
export const MIN_WORKING_AGE = 16;

/**
 * Whole years from a birth date (`YYYY-MM-DD`) to a month (`YYYY-MM`), by months: the age at the month's end,
 * so someone who turns 16 during their first month of contributions is 16. Negative before birth.
 */
export function ageAtMonth(birthDate: string, month: string): number {
  return Math.floor((monthIndex(month) - monthIndex(birthDate.slice(0, 7))) / 12);
}

export interface IdentityFindings {
  readonly checksumValid: boolean;
  readonly regionKnown: boolean;
  /** The ID's first six digits, the administrative division it was issued under. */
  readonly regionCode: string;
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
  const regionCode = id.slice(0, 6);
  const regionKnown = isPlausibleRegionCode(regionCode);
  const birthDate = residentIdBirthDate(id);
  const age = birthDate === null || !Number.isFinite(atMs) ? null : ageAt(birthDate, atMs);
  const ageImplausible = birthDate === null || (age !== null && (age < CREDIT_MIN_AGE || age > CREDIT_MAX_AGE || age < MIN_APPLICANT_AGE || age > MAX_APPLICANT_AGE));
  const mismatched = cards.filter((c) => c.holder_name_match === false);
  const findings: string[] = [];
  if (!checksumValid) findings.push('id_checksum_invalid');
  if (!regionKnown) findings.push(`id_region_unknown region=${regionCode}`);
  if (birthDate === null) findings.push('id_birth_date_invalid');
  else if (ageImplausible) findings.push(`age=${age ?? '?'}`);
  for (const card of mismatched) findings.push(`card_holder_mismatch card=${card.id}`);
  return { checksumValid, regionKnown, regionCode, birthDate, age, ageImplausible, cardHolderMismatch: mismatched.length > 0, findings };
}

/** Mainland mobile numbers in one form (no +86, no separators) so shared phones are found. */
export function normalisePhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  return digits.length === 13 && digits.startsWith('86') ? digits.slice(2) : digits;
}
