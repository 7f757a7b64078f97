// IP addresses that geolocate where the story says: residential and mobile ranges per province,
// campus (教育网) and datacenter ranges, found by probing the installed ip2region database once.
import { createRequire } from 'node:module';
import type { Rng } from './random.js';

interface Ip2Region {
  search(ip: string): { country: string; province: string; city: string; isp: string } | null;
}

export interface IpPools {
  /** Residential/mobile /24 prefixes by the first two characters of the province name. */
  readonly residential: ReadonlyMap<string, readonly string[]>;
  readonly campus: ReadonlyMap<string, readonly string[]>;
  readonly datacenter: readonly string[];
  readonly allResidential: readonly string[];
}

const PROBE_FIRST_OCTETS = [1, 14, 27, 36, 39, 42, 49, 58, 59, 60, 61, 101, 106, 110, 111, 112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122, 123, 124, 125, 139, 175, 180, 182, 183, 202, 210, 211, 218, 219, 220, 221, 222, 223];
const PROBE_THIRD_OCTETS = [17, 77, 141, 203];
const RESIDENTIAL_ISPS = new Set(['电信', '联通', '移动', '铁通', '广电']);
const DATACENTER_ISPS = new Set(['阿里云', '腾讯云', '华为云', '百度云', 'UCloud', '金山云']);

let cached: IpPools | null = null;

export function provinceKey(name: string): string {
  return name.slice(0, 2);
}

export function ipPools(): IpPools {
  if (cached !== null) return cached;
  const require = createRequire(import.meta.url);
  const module = require('ip2region') as { default: new (options: { disableIpv6: boolean }) => Ip2Region };
  const query = new module.default({ disableIpv6: true });
  const residential = new Map<string, string[]>();
  const campus = new Map<string, string[]>();
  const datacenter: string[] = [];
  const allResidential: string[] = [];
  for (const a of PROBE_FIRST_OCTETS) {
    for (let b = 0; b < 256; b++) {
      for (const c of PROBE_THIRD_OCTETS) {
        const prefix = `${a}.${b}.${c}`;
        const found = query.search(`${prefix}.9`);
        if (found === null || found.country !== '中国' || found.province === '' || found.province.startsWith('台湾') || found.province.startsWith('香港') || found.province.startsWith('澳门')) {
          if (found !== null && DATACENTER_ISPS.has(found.isp)) datacenter.push(prefix);
          continue;
        }
        const key = provinceKey(found.province);
        if (found.isp === '教育网') (campus.get(key) ?? campus.set(key, []).get(key) ?? []).push(prefix);
        else if (DATACENTER_ISPS.has(found.isp)) datacenter.push(prefix);
        else if (RESIDENTIAL_ISPS.has(found.isp)) {
          (residential.get(key) ?? residential.set(key, []).get(key) ?? []).push(prefix);
          allResidential.push(prefix);
        }
      }
    }
  }
  cached = { residential, campus, datacenter, allResidential };
  return cached;
}

function host(rng: Rng, prefix: string): string {
  return `${prefix}.${rng.int(2, 254)}`;
}

export function residentialIp(rng: Rng, province: string): string {
  const pools = ipPools();
  const list = pools.residential.get(provinceKey(province));
  return host(rng, rng.pick(list !== undefined && list.length > 0 ? list : pools.allResidential));
}

/** A campus NAT address: few addresses shared by many students. */
export function campusIp(rng: Rng, province: string): string {
  const pools = ipPools();
  const list = pools.campus.get(provinceKey(province)) ?? pools.campus.get('北京') ?? [...pools.campus.values()][0] ?? pools.allResidential;
  return `${rng.pick(list)}.${rng.int(1, 4)}`;
}

export function datacenterIp(rng: Rng): string {
  const pools = ipPools();
  return host(rng, rng.pick(pools.datacenter.length > 0 ? pools.datacenter : pools.allResidential));
}
