// People, employers and their identifiers: valid resident IDs for real county codes, mobile numbers,
// addresses in the applicant's city, and unified social credit codes with correct check characters.
import { cityNameOf, divisions, type County } from '../interchange/regions.js';
import { residentIdCheckChar } from '../interchange/residentId.js';
import {
  COMPANY_INDUSTRIES, COMPANY_WORDS, COMPOUND_KINDS, COMPOUND_WORDS, FEMALE_CHARS, MALE_CHARS, PHONE_PREFIXES,
  PROVINCE_POPULATION, STREET_KINDS, STREET_WORDS, SURNAMES, SURNAME_WEIGHTS,
} from './catalog/people.js';
import type { Rng } from './random.js';
import { DAY } from './time.js';

export interface Place {
  readonly county: County;
  readonly province: string;
  readonly city: string;
  readonly district: string;
}

let countiesByProvince: Map<string, County[]> | null = null;
function countiesOf(provinceCode: string): County[] {
  if (countiesByProvince === null) {
    countiesByProvince = new Map();
    for (const county of divisions().counties) {
      const list = countiesByProvince.get(county.provinceCode) ?? [];
      list.push(county);
      countiesByProvince.set(county.provinceCode, list);
    }
  }
  return countiesByProvince.get(provinceCode) ?? [];
}

const PROVINCE_CODES = Object.keys(PROVINCE_POPULATION);
const PROVINCE_WEIGHTS = PROVINCE_CODES.map((code) => PROVINCE_POPULATION[code] ?? 1);

export function placeIn(rng: Rng, provinceCode?: string): Place {
  const code = provinceCode ?? rng.weighted(PROVINCE_CODES, PROVINCE_WEIGHTS);
  const county = rng.pick(countiesOf(code));
  return placeOf(county);
}

export function placeOf(county: County): Place {
  const province = divisions().provinceByCode.get(county.provinceCode)?.name ?? '';
  return { county, province, city: cityNameOf(county), district: county.name };
}

/** Another county of the same city (people live near, not at, where they were born). */
export function nearbyPlace(rng: Rng, place: Place): Place {
  const sameCity = countiesOf(place.county.provinceCode).filter((c) => c.cityCode === place.county.cityCode);
  return placeOf(rng.pick(sameCity.length > 0 ? sameCity : [place.county]));
}

export function chineseName(rng: Rng, male: boolean, surname?: string): string {
  const family = surname ?? rng.weighted(SURNAMES, SURNAME_WEIGHTS);
  const chars = male ? MALE_CHARS : FEMALE_CHARS;
  return rng.chance(0.35) ? family + rng.pick(chars) : family + rng.pick(chars) + rng.pick(chars);
}

function yyyymmdd(ms: number): string {
  const d = new Date(ms + 8 * 3_600_000);
  return `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}${String(d.getUTCDate()).padStart(2, '0')}`;
}

/** A valid 18-character resident ID: real county, birth date, sequence (odd = male), MOD 11-2 check. */
export function residentIdNumber(rng: Rng, countyCode: string, birthMs: number, male: boolean): string {
  const sequence = rng.int(0, 499) * 2 + (male ? 1 : 0);
  const first17 = `${countyCode}${yyyymmdd(birthMs)}${String(sequence).padStart(3, '0')}`;
  return first17 + residentIdCheckChar(first17);
}

/** The same ID with a wrong check character (synthetic identities built from a generator that skips it). */
export function withBrokenChecksum(idNumber: string): string {
  const right = idNumber[17] ?? '0';
  const chars = '0123456789X'.split('').filter((c) => c !== right);
  return idNumber.slice(0, 17) + (chars[(idNumber.charCodeAt(16) + 3) % chars.length] ?? '0');
}

export function birthInstant(rng: Rng, atMs: number, minAge: number, maxAge: number): number {
  // Leap days count: 18 years of 365 days left some "18-year-olds" a few days short of their birthday.
  const ageDays = rng.int(Math.ceil(minAge * 365.25) + 1, maxAge * 365 + 300);
  return atMs - ageDays * DAY;
}

export function mobileNumber(rng: Rng): string {
  return rng.pick(PHONE_PREFIXES) + rng.digits(8);
}

export function streetAddress(rng: Rng): string {
  return `${rng.pick(STREET_WORDS)}${rng.pick(STREET_KINDS)}${rng.int(1, 999)}号${rng.pick(COMPOUND_WORDS)}${rng.pick(COMPOUND_KINDS)}${rng.int(1, 30)}栋${rng.int(1, 4)}单元${rng.int(1, 33)}0${rng.int(1, 4)}`;
}

export function companyName(rng: Rng, city: string, industries = COMPANY_INDUSTRIES): string {
  const short = city.replace(/(市|地区|自治州|盟)$/, '');
  return `${short}${rng.pick(COMPANY_WORDS)}${rng.pick(industries)}有限公司`;
}

const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

/** An 18-character unified social credit code (GB 32100-2015) for a company registered in `countyCode`. */
export function unifiedSocialCreditCode(rng: Rng, countyCode: string): string {
  let org = '';
  let orgSum = 0;
  for (let i = 0; i < 8; i++) {
    const v = rng.int(0, 9);
    org += String(v);
    orgSum += v * (ORG_WEIGHTS[i] ?? 0);
  }
  const orgCheck = 11 - (orgSum % 11);
  org += orgCheck === 10 ? 'X' : orgCheck === 11 ? '0' : String(orgCheck);
  const first17 = `91${countyCode}${org}`;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_CHARS.indexOf(first17[i] ?? '0') * (USCC_WEIGHTS[i] ?? 0);
  const check = (31 - (sum % 31)) % 31;
  return first17 + (USCC_CHARS[check] ?? '0');
}
