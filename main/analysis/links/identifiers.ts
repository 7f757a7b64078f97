// What applicants can share: each identifier is a (kind, value) an applicant holds. Two applicants
// holding the same value are linked by it. Values are raw here (normalised); they leave the engine hashed.
import type { ApplicantRecord, BankCardRecord, PfRecord } from '../../../shared/interchange/schema.js';
import { HOUR_MS } from '../common/time.js';
import { normalisePhone } from '../identity/checks.js';

export const LINK_KINDS = ['device', 'phone', 'contact_phone', 'bank_card', 'address', 'pf_account', 'employer', 'employer_cohort', 'ip'] as const;
export type LinkKind = (typeof LINK_KINDS)[number];

/** The kinds among these links, once each, in LINK_KINDS order (what a ring's explanation names). */
export function kindsAmong(links: readonly { readonly kind: string }[]): LinkKind[] {
  return LINK_KINDS.filter((kind) => links.some((l) => l.kind === kind));
}

export interface LinkIdentifier {
  readonly kind: LinkKind;
  /** The key two applicants must share: phones of all roles share one space (`phone:138...`). */
  readonly key: string;
}

/** Relations that make a shared device or address ordinary: a household, not a ring. */
const FAMILY_RELATIONS = /配偶|夫|妻|父|母|子|女|儿|兄|弟|姐|妹|家|亲|spouse|wife|husband|parent|father|mother|child|son|daughter|sibling|brother|sister|family|relative/i;

export function isFamilyRelation(relation: string | undefined): boolean {
  return relation !== undefined && FAMILY_RELATIONS.test(relation);
}

const FULLWIDTH_DIGITS = /[０-９]/g;
export function normaliseAddress(address: ApplicantRecord['address']): string | null {
  if (address === undefined || address.line === undefined || address.line.trim() === '') return null;
  const text = `${address.province ?? ''}${address.city ?? ''}${address.district ?? ''}${address.line}`
    .replace(FULLWIDTH_DIGITS, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0))
    .replace(/[\s,，.。·#\-－()（）]/g, '')
    .replace(/(省|市|区|县)(?=\1)/g, '')
    .toLowerCase();
  return text === '' ? null : text;
}

export interface ApplicantLinkInput {
  readonly applicant: ApplicantRecord;
  readonly cards: readonly BankCardRecord[];
  readonly pfRecords: readonly PfRecord[];
  /** Device identities the applicant was observed on. */
  readonly deviceIds: readonly string[];
  /** IP window keys of the applicant's observations and sessions (see ipWindowKeys). */
  readonly ipKeys: readonly string[];
  /** PF employer keys (colleagues: a weak link, and a hub for big employers). */
  readonly employerKeys: readonly string[];
  /** `employer key|first month` of suspicious cohorts (a small employer whose applicants started together). */
  readonly employerCohortKeys: readonly string[];
}

/** Hour buckets on two grids half an hour apart: two sightings within half an hour always share a key. */
export function ipWindowKeys(ip: string, atMs: number): string[] {
  const a = Math.floor(atMs / HOUR_MS);
  const b = Math.floor((atMs + HOUR_MS / 2) / HOUR_MS);
  return [`ip:${ip}@${a}`, `ip:${ip}@${b}+`];
}

export function applicantIdentifiers(input: ApplicantLinkInput): LinkIdentifier[] {
  const out = new Map<string, LinkIdentifier>();
  const add = (kind: LinkKind, key: string): void => {
    if (!out.has(`${kind}\u0000${key}`)) out.set(`${kind}\u0000${key}`, { kind, key });
  };
  const a = input.applicant;
  for (const d of input.deviceIds) add('device', `device:${d}`);
  const phone = normalisePhone(a.phone);
  if (phone !== '') add('phone', `phone:${phone}`);
  for (const c of a.emergency_contacts ?? []) {
    if (c.phone === undefined) continue;
    const p = normalisePhone(c.phone);
    if (p !== '' && p !== phone) add('contact_phone', `phone:${p}`);
  }
  for (const card of input.cards) {
    add('bank_card', `card:${card.card_hash}`);
    if (card.reserved_phone !== undefined) {
      const p = normalisePhone(card.reserved_phone);
      if (p !== '' && p !== phone) add('phone', `phone:${p}`);
    }
  }
  const address = normaliseAddress(a.address);
  if (address !== null) add('address', `address:${address}`);
  for (const pf of input.pfRecords) if (pf.account_hash !== undefined && pf.account_hash !== '') add('pf_account', `pf:${pf.account_hash}`);
  for (const key of input.employerKeys) add('employer', `employer:${key}`);
  for (const key of input.employerCohortKeys) add('employer_cohort', `cohort:${key}`);
  for (const key of input.ipKeys) add('ip', key);
  return [...out.values()];
}
