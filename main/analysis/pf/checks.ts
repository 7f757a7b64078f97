// Provident-fund checks: the signs of contributions bought through an agency (代缴/挂靠) to look
// employed. Each finding names the numbers it rests on.
import type { ApplicantRecord, PfRecord } from '../../../shared/interchange/schema.js';
import { monthIndex, monthIndexOfMs, monthString } from '../common/time.js';
import { normaliseEmployer } from '../../interchange/employer.js';

/** Contributions that began at most this many months before applying (1-3 before, plus the month itself) look bought. */
export const RECENT_START_MONTHS = 3;
/** Contribution base over declared income beyond this ratio: the PF says a salary the applicant does not claim. */
export const BASE_OVER_INCOME_RATIO = 1.5;

export interface PfCityCaps {
  /** City name (as in pf_record.city, with or without 市) -> monthly contribution base cap, CNY. */
  readonly [city: string]: number;
}

export interface PfFindings {
  readonly pfRecordId: string;
  /** The month contributions began (`YYYY-MM`), null when the record does not say. */
  readonly firstMonth: string | null;
  readonly monthsBeforeApply: number | null;
  readonly recentStart: boolean;
  readonly gapMonths: number;
  readonly baseToIncome: number | null;
  readonly baseAboveIncome: boolean;
  readonly base: number | null;
  readonly baseRound: boolean;
  /** The city's cap on the base, null when the city is not in the table. */
  readonly cap: number | null;
  readonly baseAtCap: boolean;
  readonly employerMismatch: boolean;
  readonly statusInactive: boolean;
  readonly findings: readonly string[];
}

// The store indexes records by the same normalised name (pf_records.employer_key), so it lives with the import.
export { normaliseEmployer };

export function sameEmployer(a: string, b: string): boolean {
  const x = normaliseEmployer(a);
  const y = normaliseEmployer(b);
  if (x === '' || y === '') return true;
  return x === y || x.includes(y) || y.includes(x);
}

export function cityCap(caps: PfCityCaps, city: string): number | null {
  return caps[city] ?? caps[city.replace(/市$/, '')] ?? caps[`${city}市`] ?? null;
}

/** The month contributions began: `first_month`, or the earliest month of the history. */
export function firstMonthOf(pf: PfRecord): string | null {
  return pf.first_month ?? historyMonth(pf, (a, b) => a < b);
}

/** The history's month that `before` puts first (the earliest or the latest), null without a history. */
function historyMonth(pf: PfRecord, before: (a: string, b: string) => boolean): string | null {
  if (pf.history === undefined || pf.history.length === 0) return null;
  return pf.history.reduce((best, h) => (before(h.month, best) ? h.month : best), (pf.history[0] as { month: string }).month);
}

export function pfFindings(pf: PfRecord, applicant: ApplicantRecord | null, appliedAtMs: number, caps: PfCityCaps): PfFindings {
  const findings: string[] = [];
  const applyMonth = monthIndexOfMs(appliedAtMs);
  const first = firstMonthOf(pf);
  const monthsBeforeApply = first === null || !Number.isFinite(appliedAtMs) ? null : applyMonth - monthIndex(first);
  const recentStart = monthsBeforeApply !== null && monthsBeforeApply >= 0 && monthsBeforeApply <= RECENT_START_MONTHS;
  if (recentStart) findings.push(`first_month=${first} months_before_apply=${monthsBeforeApply}`);

  let gapMonths = 0;
  if (pf.history !== undefined && pf.history.length > 0) {
    const months = [...new Set(pf.history.filter((h) => h.amount > 0).map((h) => monthIndex(h.month)))].sort((a, b) => a - b);
    if (months.length > 0) gapMonths = (months[months.length - 1] as number) - (months[0] as number) + 1 - months.length;
  } else if (pf.first_month !== undefined && pf.last_month !== undefined && pf.months_paid !== undefined) {
    gapMonths = Math.max(0, monthIndex(pf.last_month) - monthIndex(pf.first_month) + 1 - pf.months_paid);
  }
  if (gapMonths > 0) findings.push(`gap_months=${gapMonths}`);

  const base = pf.contribution_base ?? null;
  const income = applicant?.declared_income_monthly ?? null;
  const baseToIncome = base !== null && income !== null && income > 0 ? base / income : null;
  const baseAboveIncome = baseToIncome !== null && baseToIncome >= BASE_OVER_INCOME_RATIO;
  if (baseAboveIncome) findings.push(`base=${base} declared_income=${income}`);
  const baseRound = base !== null && base >= 3000 && base % 1000 === 0;
  if (baseRound) findings.push(`base=${base} round`);
  const cap = cityCap(caps, pf.city);
  const baseAtCap = base !== null && cap !== null && base >= cap * 0.998;
  if (baseAtCap) findings.push(`base=${base} city_cap=${cap}`);

  let employerMismatch = false;
  if (applicant?.employer !== undefined && applicant.employer !== '' && !sameEmployer(applicant.employer, pf.employer)) {
    employerMismatch = true;
    findings.push(`pf_employer≠declared_employer`);
  }
  const statusInactive = pf.status === 'suspended' || pf.status === 'closed';
  if (statusInactive) findings.push(`status=${pf.status}`);
  return { pfRecordId: pf.id, firstMonth: first, monthsBeforeApply, recentStart, gapMonths, baseToIncome, baseAboveIncome, base, baseRound, cap, baseAtCap, employerMismatch, statusInactive, findings };
}

/** The last month contributions were paid: `last_month`, or the latest month of the history. */
export function lastMonthOf(pf: PfRecord): string | null {
  return pf.last_month ?? historyMonth(pf, (a, b) => a > b);
}

/** The employer key a cohort is counted under: the social credit code when exported, else the cleaned name. */
export function employerKey(pf: PfRecord): string {
  return pf.employer_code !== undefined && pf.employer_code !== '' ? `code:${pf.employer_code}` : `name:${normaliseEmployer(pf.employer)}`;
}

export interface EmployerCohort {
  readonly employerKey: string;
  readonly firstMonth: string;
  /** Applicants of this employer whose contributions began within one month of each other. */
  readonly cohortSize: number;
  /** The earliest and latest month those applicants began in (`YYYY-MM`; equal when all began in one month). */
  readonly fromMonth: string;
  readonly toMonth: string;
  /** All applicants of this employer in the store. */
  readonly employerSize: number;
  /**
   * Set by applicantCohort: the applicant's contributions with this employer span at most
   * COHORT_RECENT_MONTHS (or their end is not known). Bought contributions are paid for months; a team that
   * joined together years ago is no shell's. Unset in the cohort counts themselves (employerCohorts), which an
   * incremental run keeps per applicant and recounts from the records' first months alone.
   */
  readonly recent?: boolean;
  /** A small employer whose applicants mostly started together (and, once applicantCohort has judged, recently): a shell employer (挂靠). */
  readonly suspicious: boolean;
}

export const COHORT_MIN = 3;
export const COHORT_SHARE = 0.6;
export const SMALL_EMPLOYER_MAX = 60;
/** A cohort member paid into this employer's account for at most this many months after starting. */
export const COHORT_RECENT_MONTHS = 24;

/** The cohort size features read: a small employer's cohort (not one judged old), else 0. */
export function cohortFeatureSize(cohort: EmployerCohort | null | undefined): number {
  return cohort !== null && cohort !== undefined && cohort.employerSize <= SMALL_EMPLOYER_MAX && cohort.recent !== false ? cohort.cohortSize : 0;
}

/**
 * The applicant's cohort as its features, findings and link keys read it: suspicious only if its own record
 * with that employer, begun in the cohort's month, is recent (see EmployerCohort.recent).
 */
export function applicantCohort(cohort: EmployerCohort | undefined, records: readonly PfRecord[]): EmployerCohort | null {
  if (cohort === undefined) return null;
  const recent = records.some((pf) => {
    if (employerKey(pf) !== cohort.employerKey || firstMonthOf(pf) !== cohort.firstMonth) return false;
    const last = lastMonthOf(pf);
    return last === null || monthIndex(last) - monthIndex(cohort.firstMonth) <= COHORT_RECENT_MONTHS;
  });
  return { ...cohort, recent, suspicious: cohort.suspicious && recent };
}

/**
 * Which of an applicant's cohorts (one per PF record) speaks for it: a suspicious one, then the larger, then
 * by employer and month, so the answer never depends on the order the records were read in (an incremental
 * run reads them in another order than a full one).
 */
function weightier(a: EmployerCohort, b: EmployerCohort): boolean {
  if (a.suspicious !== b.suspicious) return a.suspicious;
  if (a.cohortSize !== b.cohortSize) return a.cohortSize > b.cohortSize;
  if (a.employerKey !== b.employerKey) return a.employerKey < b.employerKey;
  return a.firstMonth < b.firstMonth;
}

/**
 * Cohorts per employer: for each applicant's PF record, how many of the employer's applicants began
 * contributing within a month of them. Big employers hiring a graduate class stay unsuspicious: their
 * cohort is a small share of all their applicants.
 */
export function employerCohorts(records: readonly { applicantId: string; pf: PfRecord }[]): Map<string, EmployerCohort> {
  const byEmployer = new Map<string, { applicantId: string; month: number; first: string }[]>();
  const everyone = new Map<string, Set<string>>();
  for (const { applicantId, pf } of records) {
    const key = employerKey(pf);
    let all = everyone.get(key);
    if (all === undefined) everyone.set(key, (all = new Set()));
    all.add(applicantId);
    const first = firstMonthOf(pf);
    if (first === null) continue;
    let list = byEmployer.get(key);
    if (list === undefined) byEmployer.set(key, (list = []));
    list.push({ applicantId, month: monthIndex(first), first });
  }
  const out = new Map<string, EmployerCohort>();
  for (const [key, list] of byEmployer) {
    const employerSize = everyone.get(key)?.size ?? new Set(list.map((x) => x.applicantId)).size;
    const byMonth = new Map<number, Set<string>>();
    for (const x of list) {
      let set = byMonth.get(x.month);
      if (set === undefined) byMonth.set(x.month, (set = new Set()));
      set.add(x.applicantId);
    }
    const cohortAt = new Map<number, { size: number; from: string; to: string }>();
    for (const month of byMonth.keys()) {
      const near = new Set<string>();
      const present: number[] = [];
      for (const m of [month - 1, month, month + 1]) {
        const set = byMonth.get(m);
        if (set === undefined) continue;
        present.push(m);
        for (const a of set) near.add(a);
      }
      cohortAt.set(month, { size: near.size, from: monthString(present[0] as number), to: monthString(present[present.length - 1] as number) });
    }
    for (const member of list) {
      const at = cohortAt.get(member.month);
      const cohort = at?.size ?? 1;
      const suspicious = cohort >= COHORT_MIN && employerSize <= SMALL_EMPLOYER_MAX && cohort / employerSize >= COHORT_SHARE;
      const next: EmployerCohort = { employerKey: key, firstMonth: member.first, cohortSize: cohort, fromMonth: at?.from ?? member.first, toMonth: at?.to ?? member.first, employerSize, suspicious };
      const prev = out.get(member.applicantId);
      if (prev === undefined || weightier(next, prev)) out.set(member.applicantId, next);
    }
  }
  return out;
}
