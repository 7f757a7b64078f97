import { describe, expect, it } from 'vitest';
import { issuerOfBin, luhnCheckDigit, passesLuhn } from '../../main/interchange/cardBins.js';
import { applicationAgeFinding, isMainlandMobile, recordFindings } from '../../main/interchange/findings.js';
import { divisions, isKnownCountyCode } from '../../main/interchange/regions.js';
import { hasValidResidentIdChecksum, residentIdBirthDate, residentIdCheckChar } from '../../main/interchange/residentId.js';
import type { ApplicantRecord, BankCardRecord } from '../../shared/interchange/schema.js';

const applicant = (over: Partial<ApplicantRecord>): ApplicantRecord => ({ type: 'applicant', id: 'A1', name: '张伟', id_number: '11010519491231002X', phone: '13812345678', ...over });
const card = (over: Partial<BankCardRecord>): BankCardRecord => ({ type: 'bank_card', id: 'C1', applicant_id: 'A1', card_hash: 'h', bin: '622202', ...over });
const codes = (findings: { code: string; field: string }[]): string[] => findings.map((f) => `${f.code}@${f.field}`);

describe('resident ID checks (GB 11643, ISO 7064 MOD 11-2)', () => {
  it('accepts the standard example and computes X as a check character', () => {
    expect(residentIdCheckChar('11010519491231002')).toBe('X');
    expect(hasValidResidentIdChecksum('11010519491231002X')).toBe(true);
    expect(hasValidResidentIdChecksum('11010519491231002x')).toBe(true);
  });

  it('rejects an ID number whose check digit is wrong', () => {
    expect(hasValidResidentIdChecksum('110105194912310021')).toBe(false);
    expect(codes(recordFindings('applicant', applicant({ id_number: '110105194912310021' })))).toEqual(['id_checksum_invalid@id_number']);
  });

  it('flags a region code that is not a county in the installed GB/T 2260 data', () => {
    expect(divisions().counties.length).toBeGreaterThan(2500);
    expect(isKnownCountyCode('110105')).toBe(true);
    const first17 = '99010519491231002';
    const id = first17 + residentIdCheckChar(first17);
    expect(codes(recordFindings('applicant', applicant({ id_number: id })))).toEqual(['id_region_unknown@id_number']);
  });

  it('flags digits 7-14 that are not a calendar date', () => {
    const first17 = '11010519490230002';
    expect(residentIdBirthDate(first17 + '0')).toBeNull();
    expect(codes(recordFindings('applicant', applicant({ id_number: first17 + residentIdCheckChar(first17) })))).toEqual(['id_birth_date_invalid@id_number']);
  });

  it('finds an applicant younger than 16 or older than 100 at submission, in China time', () => {
    const submitted = Date.parse('2026-03-14T09:00:00+08:00');
    expect(applicationAgeFinding('2010-03-15', submitted)?.detail).toBe('the applicant was 15 at submission (expected 16-100)');
    expect(applicationAgeFinding('2010-03-14', submitted)).toBeNull();
    expect(applicationAgeFinding('1925-03-13', submitted)?.code).toBe('applicant_age_implausible');
    expect(applicationAgeFinding(null, submitted)).toBeNull();
  });
});

describe('phone and card checks', () => {
  it('accepts mainland mobile numbers only', () => {
    expect(['13812345678', '+8619912345678', '86 17712345678'].map(isMainlandMobile)).toEqual([true, true, true]);
    expect(['12812345678', '1381234567', '021-55556666'].map(isMainlandMobile)).toEqual([false, false, false]);
    const found = recordFindings('applicant', applicant({ phone: '021-55556666', emergency_contacts: [{ name: '李娜', phone: '123' }] }));
    expect(codes(found)).toEqual(['phone_format_invalid@phone', 'phone_format_invalid@emergency_contacts[0].phone']);
    expect(found[0]?.detail).not.toContain('55556666');
  });

  it('knows the BINs of the big issuers and flags others and a wrong bank name', () => {
    expect(issuerOfBin('62220200')?.issuer.code).toBe('ICBC');
    expect(codes(recordFindings('bank_card', card({ bin: '622202', bank: '工商银行' })))).toEqual([]);
    expect(codes(recordFindings('bank_card', card({ bin: '999999' })))).toEqual(['card_bin_unknown@bin']);
    expect(codes(recordFindings('bank_card', card({ bin: '622848', bank: '招商银行' })))).toEqual(['card_bank_mismatch@bank']);
  });

  it('checks Luhn and the BIN when a full card number is present', () => {
    const partial = '622202123456789012';
    const number = partial + luhnCheckDigit(partial);
    expect(passesLuhn(number)).toBe(true);
    expect(codes(recordFindings('bank_card', { ...card({}), card_number: number }))).toEqual([]);
    const broken = number.slice(0, -1) + String((Number(number.slice(-1)) + 1) % 10);
    expect(codes(recordFindings('bank_card', { ...card({}), card_number: broken }))).toEqual(['card_number_luhn_invalid@card_number']);
    expect(codes(recordFindings('bank_card', { ...card({ bin: '621700' }), card_number: number }))).toEqual(['card_number_bin_mismatch@card_number']);
  });

  it('checks the reserved phone of a card', () => {
    expect(codes(recordFindings('bank_card', card({ reserved_phone: '1234' })))).toEqual(['phone_format_invalid@reserved_phone']);
  });
});
