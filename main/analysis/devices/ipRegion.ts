// Where an IP is, from ip2region's offline database (node_modules/ip2region/data/ip2region.db,
// loaded once at startup: static data, no network). IPv6 is not looked up: the bundled v6 database
// is a different (qqwry) source with coarser answers and costs memory for little gain here.
import { createRequire } from 'node:module';
import { isIPv4 } from 'node:net';

export type IpKind = 'china' | 'foreign' | 'private' | 'unknown';

export interface IpRegion {
  readonly kind: IpKind;
  readonly country: string;
  readonly province: string;
  readonly city: string;
  readonly isp: string;
  /** Cloud/hosting ranges: applicants do not browse from data centres, proxies and farms do. */
  readonly datacenter: boolean;
  /** CERNET (教育网): campus NAT, thousands of students behind few addresses. */
  readonly campus: boolean;
}

interface Ip2RegionRaw {
  country: string;
  province: string;
  city: string;
  isp: string;
}
interface Ip2RegionInstance {
  searchRaw(ip: string): Ip2RegionRaw | null;
}
type Ip2RegionCtor = new (options: { disableIpv6: boolean }) => Ip2RegionInstance;

const DATACENTER_ISPS = [
  '阿里云', '腾讯云', '华为云', '百度云', '金山云', '京东云', 'UCloud', '青云', '世纪互联', '天翼云', '移动云', '联通云',
  'Amazon', 'AWS', 'Microsoft', 'Azure', 'Google', 'DigitalOcean', 'Linode', 'Vultr', 'OVH', 'Hetzner', 'Cloudflare', 'Oracle',
];
const UNKNOWN: IpRegion = { kind: 'unknown', country: '', province: '', city: '', isp: '', datacenter: false, campus: false };
const PRIVATE: IpRegion = { kind: 'private', country: '', province: '', city: '', isp: '', datacenter: false, campus: false };

let searcher: Ip2RegionInstance | null | undefined;

function loadSearcher(): Ip2RegionInstance | null {
  if (searcher !== undefined) return searcher;
  try {
    // ip2region ships CommonJS with `exports.default`; require keeps the interop explicit.
    const require = createRequire(import.meta.url);
    const mod = require('ip2region') as { default: Ip2RegionCtor };
    searcher = new mod.default({ disableIpv6: true });
  } catch {
    // Missing database: every IP reads as unknown and no geo flag fires (never a false alarm).
    searcher = null;
  }
  return searcher;
}

/** Whether the offline IP database could be loaded (reported by analysis runs). */
export function ipDatabaseAvailable(): boolean {
  return loadSearcher() !== null;
}

const cache = new Map<string, IpRegion>();

export function lookupIp(ip: string | undefined): IpRegion {
  if (ip === undefined || ip === '') return UNKNOWN;
  const cached = cache.get(ip);
  if (cached !== undefined) return cached;
  const region = lookupUncached(ip);
  if (cache.size >= 200_000) cache.clear();
  cache.set(ip, region);
  return region;
}

function lookupUncached(ip: string): IpRegion {
  if (!isIPv4(ip)) return UNKNOWN;
  const db = loadSearcher();
  if (db === null) return UNKNOWN;
  const raw = db.searchRaw(ip);
  if (raw === null) return UNKNOWN;
  if (raw.isp === '内网IP' || raw.city === '内网IP') return PRIVATE;
  if (raw.country === '') return UNKNOWN;
  const isp = raw.isp;
  return {
    kind: raw.country === '中国' ? 'china' : 'foreign',
    country: raw.country,
    province: raw.province,
    city: raw.city,
    isp,
    datacenter: isp !== '' && DATACENTER_ISPS.some((name) => isp.includes(name)),
    campus: isp.includes('教育网'),
  };
}

/**
 * The UTC offsets (minutes) people in that IP region keep; null where one country spans several. China
 * keeps Beijing time, and Xinjiang also its own (Asia/Urumqi, UTC+6), which many phones there are set to.
 */
export function expectedOffsetsMinutes(region: IpRegion): readonly number[] | null {
  if (region.kind !== 'china') return null;
  return region.province.startsWith('新疆') ? [480, 360] : [480];
}

const tzOffsetCache = new Map<string, readonly number[] | null>();

/** The offsets (winter, summer) of an IANA zone; null for a zone name Intl does not know. */
export function timezoneOffsets(timezone: string): readonly number[] | null {
  const cached = tzOffsetCache.get(timezone);
  if (cached !== undefined) return cached;
  let offsets: number[] | null;
  try {
    const format = new Intl.DateTimeFormat('en-US', { timeZone: timezone, timeZoneName: 'longOffset' });
    offsets = [Date.UTC(2025, 0, 15), Date.UTC(2025, 6, 15)].map((at) => {
      const name = format.formatToParts(at).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
      const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
      if (m === null) return 0;
      const minutes = Number(m[2]) * 60 + Number(m[3]);
      return m[1] === '-' ? -minutes : minutes;
    });
  } catch {
    offsets = null;
  }
  tzOffsetCache.set(timezone, offsets);
  return offsets;
}
