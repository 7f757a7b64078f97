import { describe, expect, it } from 'vitest';
import { identityFindings, normalisePhone } from '../../main/analysis/identity/checks.js';
import { applicantCohort, cityCap, cohortFeatureSize, employerCohorts, normaliseEmployer, pfFindings, sameEmployer } from '../../main/analysis/pf/checks.js';
import { DEFAULT_PF_CAPS } from '../../main/analysis/pf/caps.js';
import { residentIdCheckChar } from '../../main/interchange/residentId.js';
import { applicant, card, pf, VALID_ID_1990 } from '../eval/fixtures.js';

const APPLIED = Date.parse('2026-01-20T11:00:00+08:00');

describe('identity checks', () => {
  it('passes a valid resident ID of a real county and an adult', () => {
    const f = identityFindings(applicant('A1'), [card('A1')], APPLIED);
    expect(f).toMatchObject({ checksumValid: true, regionKnown: true, birthDate: '1990-03-07', age: 35, ageImplausible: false, cardHolderMismatch: false });
    expect(f.findings).toEqual([]);
  });

  it('finds a wrong check digit', () => {
    const f = identityFindings(applicant('A1', { id_number: `${VALID_ID_1990.slice(0, 17)}3` }), [], APPLIED);
    expect(f.checksumValid).toBe(false);
    expect(f.findings).toContain('id_checksum_invalid');
  });

  it('finds a region code that is no administrative division, and knows districts merged since and residence permits', () => {
    const withRegion = (region: string): string => {
      const first17 = `${region}${VALID_ID_1990.slice(6, 17)}`;
      return `${first17}${residentIdCheckChar(first17)}`;
    };
    expect(identityFindings(applicant('A1', { id_number: withRegion('119905') }), [], APPLIED).regionKnown).toBe(false);
    expect(identityFindings(applicant('A1', { id_number: withRegion('110199') }), [], APPLIED).regionKnown).toBe(false);
    expect(identityFindings(applicant('A1', { id_number: withRegion('990105') }), [], APPLIED).regionKnown).toBe(false);
    // 崇文区 and 宣武区 (Beijing, merged 2010), 卢湾区 and 闸北区 (Shanghai), 江干区 (Hangzhou): an ID keeps the
    // code it was issued with; and the Hong Kong, Macao and Taiwan residence permits.
    for (const region of ['110103', '110104', '310103', '310108', '330104', '810000', '820000', '830000']) {
      const f = identityFindings(applicant('A1', { id_number: withRegion(region) }), [], APPLIED);
      expect({ region, known: f.regionKnown, findings: f.findings }).toEqual({ region, known: true, findings: [] });
    }
  });

  it('finds an age that contradicts an adult applicant, and a birth date that is no date', () => {
    expect(identityFindings(applicant('A1', { id_number: '110105201003070017' }), [], APPLIED)).toMatchObject({ age: 15, ageImplausible: true });
    expect(identityFindings(applicant('A1', { id_number: '110105199013450017' }), [], APPLIED)).toMatchObject({ birthDate: null, ageImplausible: true });
  });

  it('finds a bank card whose holder name does not match', () => {
    expect(identityFindings(applicant('A1'), [card('A1'), card('A1', { holder_name_match: false })], APPLIED).cardHolderMismatch).toBe(true);
  });

  it('writes mainland phones in one form', () => {
    expect(normalisePhone('+86 138-0000-1234')).toBe('13800001234');
    expect(normalisePhone('13800001234')).toBe('13800001234');
  });
});

describe('provident fund checks', () => {
  it('finds nothing in years of contributions at a plausible base', () => {
    const f = pfFindings(pf('A1'), applicant('A1'), APPLIED, DEFAULT_PF_CAPS);
    expect(f.findings).toEqual([]);
    expect(f.monthsBeforeApply).toBe(81);
  });

  it('finds contributions that started one to three months before applying, and not four', () => {
    const f = pfFindings(pf('A1', { first_month: '2025-11', months_paid: 2, history: [{ month: '2025-11', amount: 1500 }, { month: '2025-12', amount: 1500 }] }), applicant('A1'), APPLIED, DEFAULT_PF_CAPS);
    expect(f).toMatchObject({ recentStart: true, monthsBeforeApply: 2 });
    expect(pfFindings(pf('A1', { first_month: '2025-10', months_paid: 3 }), applicant('A1'), APPLIED, DEFAULT_PF_CAPS)).toMatchObject({ recentStart: true, monthsBeforeApply: 3 });
    expect(pfFindings(pf('A1', { first_month: '2025-09', months_paid: 4 }), applicant('A1'), APPLIED, DEFAULT_PF_CAPS)).toMatchObject({ recentStart: false, monthsBeforeApply: 4 });
  });

  it('counts missing months in the contribution history', () => {
    const history = ['2025-01', '2025-02', '2025-06', '2025-07'].map((month) => ({ month, amount: 1000 }));
    expect(pfFindings(pf('A1', { history }), applicant('A1'), APPLIED, DEFAULT_PF_CAPS).gapMonths).toBe(3);
  });

  it('finds a base far above the declared income, on a round number, or at the city cap', () => {
    const f = pfFindings(pf('A1', { contribution_base: 20000 }), applicant('A1', { declared_income_monthly: 5000 }), APPLIED, DEFAULT_PF_CAPS);
    expect(f).toMatchObject({ baseAboveIncome: true, baseRound: true, baseToIncome: 4 });
    expect(cityCap(DEFAULT_PF_CAPS, '北京')).toBe(35283);
    expect(pfFindings(pf('A1', { contribution_base: 35283 }), applicant('A1', { declared_income_monthly: 40000 }), APPLIED, DEFAULT_PF_CAPS).baseAtCap).toBe(true);
  });

  it('compares employers without legal-form suffixes before calling them different', () => {
    expect(normaliseEmployer('北京星辰科技有限公司')).toBe('北京星辰');
    expect(sameEmployer('北京星辰科技有限公司', '北京星辰科技')).toBe(true);
    expect(pfFindings(pf('A1', { employer: '深圳远航商务服务有限公司' }), applicant('A1'), APPLIED, DEFAULT_PF_CAPS).employerMismatch).toBe(true);
  });

  it('calls a small employer whose applicants all started the same month a suspicious cohort, a big employer\'s graduate class not', () => {
    const shell = ['S1', 'S2', 'S3', 'S4'].map((id) => ({ applicantId: id, pf: pf(id, { employer: '广州汇通商务咨询有限公司', employer_code: 'SHELL', first_month: '2025-11' }) }));
    const big = Array.from({ length: 100 }, (_, i) => ({ applicantId: `B${i}`, pf: pf(`B${i}`, { employer: '华为技术有限公司', employer_code: 'BIG', first_month: i < 8 ? '2025-07' : `20${10 + (i % 14)}-0${1 + (i % 9)}` }) }));
    const cohorts = employerCohorts([...shell, ...big]);
    expect(cohorts.get('S1')).toMatchObject({ cohortSize: 4, employerSize: 4, suspicious: true });
    expect(cohorts.get('B0')).toMatchObject({ employerSize: 100, suspicious: false });
    expect(cohorts.get('B0')?.cohortSize).toBeGreaterThanOrEqual(8);
  });

  it('calls a small team that joined together years ago and still pays in no suspicious cohort', () => {
    const team = ['T1', 'T2', 'T3', 'T4', 'T5'].map((id) => ({ applicantId: id, pf: pf(id, { employer: '北京小禾设计工作室', employer_code: 'SMALL', first_month: '2019-04', last_month: '2025-12', months_paid: 81 }) }));
    const cohorts = employerCohorts(team);
    // Counted from first months alone, as an incremental run recounts them: a cohort of five.
    expect(cohorts.get('T1')).toMatchObject({ cohortSize: 5, employerSize: 5, suspicious: true });
    const own = applicantCohort(cohorts.get('T1'), [(team[0] as (typeof team)[number]).pf]);
    expect(own).toMatchObject({ cohortSize: 5, recent: false, suspicious: false });
    expect(cohortFeatureSize(own)).toBe(0);
    // Two years of contributions is still recent enough to have been bought; and a record whose end is not
    // known cannot clear itself.
    const bought = ['B1', 'B2', 'B3'].map((id) => ({ applicantId: id, pf: pf(id, { employer: '广州汇通商务咨询有限公司', employer_code: 'SHELL', first_month: '2024-01', last_month: '2026-01', months_paid: 25 }) }));
    expect(applicantCohort(employerCohorts(bought).get('B1'), [(bought[0] as (typeof bought)[number]).pf])).toMatchObject({ recent: true, suspicious: true });
    const unknownEnd = ['U1', 'U2', 'U3'].map((id) => ({ applicantId: id, pf: pf(id, { employer: '广州汇通商务咨询有限公司', employer_code: 'SHELL', first_month: '2019-04', last_month: undefined, months_paid: undefined }) }));
    expect(applicantCohort(employerCohorts(unknownEnd).get('U1'), [(unknownEnd[0] as (typeof unknownEnd)[number]).pf])).toMatchObject({ recent: true, suspicious: true });
  });

  it('names the same cohort for an applicant with records at two employers, whatever order the records come in', () => {
    // S1 contributes to a shell (a suspicious cohort of 4) and to a big employer (a larger, unsuspicious cohort).
    const shell = ['S1', 'S2', 'S3', 'S4'].map((id) => ({ applicantId: id, pf: pf(id, { employer: '广州汇通商务咨询有限公司', employer_code: 'SHELL', first_month: '2025-11' }) }));
    const big = Array.from({ length: 100 }, (_, i) => ({ applicantId: i === 0 ? 'S1' : `B${i}`, pf: pf(i === 0 ? 'S1' : `B${i}`, { employer: '华为技术有限公司', employer_code: 'BIG', first_month: i < 12 ? '2025-07' : `20${10 + (i % 14)}-0${1 + (i % 9)}` }) }));
    for (const records of [[...shell, ...big], [...big, ...shell]]) {
      expect(employerCohorts(records).get('S1')).toMatchObject({ employerKey: 'code:SHELL', cohortSize: 4, suspicious: true });
    }
  });
});
