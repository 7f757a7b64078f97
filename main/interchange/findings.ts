// Domain checks beyond shape (spec: stored as findings on the record, never rejections).
import type { RecordFinding } from '../../shared/interchange/findings.js';
import type { ApplicantRecord, BankCardRecord, InterchangeRecord, RecordType } from '../../shared/interchange/schema.js';
import { bankNameMatchesIssuer, issuerOfBin, passesLuhn } from './cardBins.js';
import { isPlausibleRegionCode } from './regions.js';
import { ageAt, hasValidResidentIdChecksum, maskIdNumber, MAX_APPLICANT_AGE, MIN_APPLICANT_AGE, residentIdBirthDate } from './residentId.js';

const MAINLAND_MOBILE = /^(?:\+?86[- ]?)?1[3-9]\d{9}$/;

export function isMainlandMobile(phone: string): boolean {
  return MAINLAND_MOBILE.test(phone);
}

function maskPhone(phone: string): string {
  return phone.length >= 11 ? `${phone.slice(0, phone.length - 8)}****${phone.slice(-4)}` : '****';
}

function phoneFinding(field: string, phone: string | undefined): RecordFinding[] {
  if (phone === undefined || isMainlandMobile(phone)) return [];
  return [{ code: 'phone_format_invalid', field, detail: `${maskPhone(phone)} is not a mainland mobile number` }];
}

function applicantFindings(record: ApplicantRecord): RecordFinding[] {
  const out: RecordFinding[] = [];
  const idNumber = record.id_number;
  const masked = maskIdNumber(idNumber);
  if (!hasValidResidentIdChecksum(idNumber)) out.push({ code: 'id_checksum_invalid', field: 'id_number', detail: `${masked}: check character does not match (ISO 7064 MOD 11-2)` });
  if (!isPlausibleRegionCode(idNumber.slice(0, 6))) out.push({ code: 'id_region_unknown', field: 'id_number', detail: `region code ${idNumber.slice(0, 6)} names no prefecture in the GB/T 2260 list` });
  if (residentIdBirthDate(idNumber) === null) out.push({ code: 'id_birth_date_invalid', field: 'id_number', detail: `${masked}: digits 7-14 are not a date` });
  out.push(...phoneFinding('phone', record.phone));
  record.emergency_contacts?.forEach((contact, i) => out.push(...phoneFinding(`emergency_contacts[${i}].phone`, contact.phone)));
  return out;
}

function bankCardFindings(record: BankCardRecord): RecordFinding[] {
  const out: RecordFinding[] = [];
  const known = issuerOfBin(record.bin);
  if (known === null) out.push({ code: 'card_bin_unknown', field: 'bin', detail: `BIN ${record.bin} is not a known Chinese issuer's range` });
  else if (record.bank !== undefined && record.bank !== '' && !bankNameMatchesIssuer(record.bank, known.issuer)) {
    out.push({ code: 'card_bank_mismatch', field: 'bank', detail: `BIN ${record.bin} belongs to ${known.issuer.name}, not ${record.bank}` });
  }
  // Exporters send cards hashed; when one also sends the clear number (an unknown field), check it.
  const raw = record as Record<string, unknown>;
  for (const field of ['card_number', 'number']) {
    const value = raw[field];
    if (typeof value !== 'string') continue;
    const digits = value.replace(/[\s-]/g, '');
    if (!passesLuhn(digits)) out.push({ code: 'card_number_luhn_invalid', field, detail: `card number ending ${digits.slice(-4)} fails the Luhn check` });
    if (!digits.startsWith(record.bin)) out.push({ code: 'card_number_bin_mismatch', field, detail: `card number does not start with BIN ${record.bin}` });
  }
  out.push(...phoneFinding('reserved_phone', record.reserved_phone));
  return out;
}

/** Findings a record carries on its own; the age check needs the application too (see applicationAgeFinding). */
export function recordFindings(type: RecordType, record: InterchangeRecord): RecordFinding[] {
  if (type === 'applicant') return applicantFindings(record as ApplicantRecord);
  if (type === 'bank_card') return bankCardFindings(record as BankCardRecord);
  return [];
}

/** Age 16-100 when the application was submitted; null when plausible or not computable. */
export function applicationAgeFinding(birthDate: string | null, submittedMs: number): RecordFinding | null {
  if (birthDate === null || !Number.isFinite(submittedMs)) return null;
  const age = ageAt(birthDate, submittedMs);
  if (age >= MIN_APPLICANT_AGE && age <= MAX_APPLICANT_AGE) return null;
  return { code: 'applicant_age_implausible', field: 'applicant_id', detail: `the applicant was ${age} at submission (expected ${MIN_APPLICANT_AGE}-${MAX_APPLICANT_AGE})` };
}
