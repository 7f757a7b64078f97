import { describe, expect, it } from 'vitest';
import type { DeviceRecord } from '../../shared/interchange/schema.js';
import { flagObservation, hardwareIdResets, identityTraits } from '../../main/analysis/devices/flags.js';
import { lookupIp } from '../../main/analysis/devices/ipRegion.js';
import { deviceIdFor, exactFingerprint, linkProfiles, matchScore, MATCH_WEIGHTS } from '../../main/analysis/devices/link.js';
import { canonicalGpu, normaliseDevice, parseAgent } from '../../main/analysis/devices/normalise.js';
import { IP, iphone, XIAOMI_UA, xiaomi } from '../eval/fixtures.js';

const T0 = '2026-01-10T10:00:00+08:00';

function flagsOf(record: ReturnType<typeof xiaomi>): string[] {
  return [...flagObservation(normaliseDevice(record)).flags].sort();
}

describe('device normalisation', () => {
  it('parses the user agent into OS, browser and model', () => {
    const p = normaliseDevice(xiaomi('D1', T0));
    expect(p.agent).toMatchObject({ osName: 'android', osVersion: '14', deviceModel: '23127pn0cc' });
    expect(p.model).toBe('23127pn0cc');
  });

  it('prefers client hints over a frozen Chrome user agent', () => {
    const frozen = 'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36';
    const hints = { 'sec-ch-ua': '"Chromium";v="120"', 'sec-ch-ua-platform': '"Android"', 'sec-ch-ua-platform-version': '"14.0.0"', 'sec-ch-ua-model': '"23049RAD8C"', 'sec-ch-ua-mobile': '?1' };
    expect(parseAgent(frozen)).toMatchObject({ osVersion: '10', deviceModel: 'k' });
    expect(parseAgent(frozen, hints)).toMatchObject({ osVersion: '14.0.0', deviceModel: '23049rad8c', deviceVendor: 'xiaomi' });
  });

  it('measures the screen in physical pixels, so display scaling does not change it', () => {
    const normal = normaliseDevice(xiaomi('D1', T0));
    const zoomed = normaliseDevice(xiaomi('D2', T0, { screen: { width: 357, height: 794, dpr: 3.3 } }));
    expect([normal.screenShort, normal.screenLong]).toEqual([1179, 2619]);
    expect(Math.abs((zoomed.screenLong ?? 0) - (normal.screenLong ?? 0)) / (normal.screenLong ?? 1)).toBeLessThan(0.03);
  });

  it('reduces GPU renderer strings to the chip', () => {
    expect(canonicalGpu('Adreno (TM) 750')).toBe('adreno 750');
    expect(canonicalGpu('Google SwiftShader')).toBe('swiftshader');
    expect(canonicalGpu('Android Emulator OpenGL ES Translator (Intel(R) UHD Graphics 630)')).toBe('android emulator');
    expect(canonicalGpu('llvmpipe (LLVM 15.0.7, 256 bits)')).toBe('llvmpipe');
    expect(canonicalGpu('Mali-G610 MC6')).toBe('mali g610');
  });
});

describe('device flags', () => {
  it('flags nothing on an ordinary phone', () => {
    expect(flagsOf(xiaomi('D1', T0))).toEqual([]);
  });

  it('flags an emulator from the SDK signal', () => {
    expect(flagsOf(xiaomi('D1', T0, { signals: { emulator: true } }))).toContain('emulator');
  });

  it('flags software GPU renderers (SwiftShader, llvmpipe, the Android Emulator translator) as emulators', () => {
    for (const renderer of ['Google SwiftShader', 'llvmpipe (LLVM 15.0.7, 256 bits)', 'Android Emulator OpenGL ES Translator (Intel(R) UHD Graphics 630)']) {
      expect(flagsOf(xiaomi('D1', T0, { hardware: { model: '23127PN0CC', manufacturer: 'Xiaomi', gpu_renderer: renderer } }))).toContain('emulator');
    }
  });

  it('flags a desktop GPU behind a phone model (LDPlayer, Nox) as an emulator', () => {
    const ld = xiaomi('D1', T0, { hardware: { model: 'SM-G9880', manufacturer: 'samsung', gpu_renderer: 'NVIDIA GeForce GTX 1060 6GB/PCIe/SSE2' } });
    expect(flagsOf(ld)).toContain('emulator');
  });

  it('needs two weak signs: missing sensors with a battery full on the charger is an emulator, either alone is not', () => {
    expect(flagsOf(xiaomi('D1', T0, { sensors: [] }))).not.toContain('emulator');
    expect(flagsOf(xiaomi('D1', T0, { battery: { level: 1, charging: true } }))).not.toContain('emulator');
    expect(flagsOf(xiaomi('D1', T0, { sensors: [], battery: { level: 1, charging: true } }))).toContain('emulator');
  });

  it('calls a battery that is full and charging on every observation over days an emulator trait', () => {
    const days = ['2026-01-10T10:00:00+08:00', '2026-01-12T22:00:00+08:00', '2026-01-15T08:00:00+08:00'];
    const always = days.map((d, i) => normaliseDevice(xiaomi(`D${i}`, d, { battery: { level: 1, charging: true } })));
    expect(identityTraits(always).flags).toEqual(['emulator']);
    const sometimes = days.map((d, i) => normaliseDevice(xiaomi(`D${i}`, d, { battery: { level: i === 1 ? 0.4 : 1, charging: true } })));
    expect(identityTraits(sometimes).flags).toEqual([]);
  });

  it('flags rooted, jailbroken, hooked, debugged and cloned (multi-instance) devices', () => {
    const flags = flagsOf(xiaomi('D1', T0, { signals: { rooted: true, jailbroken: true, hooking: true, debugger: true, multi_instance: true } }));
    expect(flags).toEqual(expect.arrayContaining(['rooted', 'jailbroken', 'hooking', 'debugger', 'multi_instance']));
  });

  it('flags automation from webdriver and from a headless user agent', () => {
    expect(flagsOf(xiaomi('D1', T0, { signals: { webdriver: true } }))).toContain('automation');
    const headless = xiaomi('D1', T0, { platform: 'web', ids: {}, user_agent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.0.0 Safari/537.36' });
    expect(flagsOf(headless)).toContain('automation');
  });

  it('flags a fingerprint whose UA says iPhone while the GPU and IDs say Android', () => {
    const spoofed = xiaomi('D1', T0, { platform: 'ios', user_agent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_2_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 LenderApp/7.3.1',
      hardware: { model: 'iPhone14,5', manufacturer: 'Apple', gpu_vendor: 'Qualcomm', gpu_renderer: 'Adreno (TM) 750' } });
    const evidence = flagObservation(normaliseDevice(spoofed)).evidence.filter((e) => e.flag === 'inconsistent').map((e) => e.detail);
    expect(evidence).toEqual(expect.arrayContaining(['os=ios gpu=adreno 750', 'os=ios ids=android']));
  });

  it('flags an iPhone model reporting a screen that model never had', () => {
    const wrongScreen = iphone('D1', T0, { screen: { width: 414, height: 896, dpr: 2 } });
    expect(flagsOf(wrongScreen)).toContain('inconsistent');
    expect(flagsOf(iphone('D2', T0))).not.toContain('inconsistent');
  });

  it('flags an iPhone whose SDK reports no motion sensors, or more memory than the model has', () => {
    const detailsOf = (record: DeviceRecord): string[] => flagObservation(normaliseDevice(record)).evidence.filter((e) => e.flag === 'inconsistent').map((e) => e.detail);
    expect(detailsOf(iphone('D1', T0, { sensors: [] }))).toEqual(['os=ios sensors=none']);
    // A web page reports no sensor list at all: nothing to contradict.
    expect(detailsOf(iphone('D2', T0, { sensors: undefined }))).toEqual([]);
    expect(detailsOf(iphone('D3', T0, { hardware: { cores: 6, memory_gb: 8, model: 'iPhone14,5', manufacturer: 'Apple', gpu_vendor: 'Apple Inc.', gpu_renderer: 'Apple GPU' } })))
      .toEqual(['model=iphone14,5 memory_gb=8 expected=4']);
    // An iPhone 13 reports a little under its 4 GB; an iPhone 15 Pro has 8.
    expect(detailsOf(iphone('D4', T0, { hardware: { cores: 6, memory_gb: 3.7, model: 'iPhone14,5', manufacturer: 'Apple', gpu_vendor: 'Apple Inc.', gpu_renderer: 'Apple GPU' } }))).toEqual([]);
    expect(detailsOf(iphone('D5', T0, { screen: { width: 393, height: 852, dpr: 3 }, hardware: { cores: 6, memory_gb: 8, model: 'iPhone16,1', manufacturer: 'Apple', gpu_vendor: 'Apple Inc.', gpu_renderer: 'Apple GPU' } }))).toEqual([]);
  });

  it('flags a UA whose operating system disagrees with the declared platform', () => {
    expect(flagsOf(xiaomi('D1', T0, { platform: 'ios' }))).toContain('inconsistent');
  });

  it('reads the IP region offline with ip2region', () => {
    expect(lookupIp(IP.residentialBeijing)).toMatchObject({ kind: 'china', province: '北京', datacenter: false, campus: false });
    expect(lookupIp(IP.datacenter)).toMatchObject({ kind: 'china', isp: '阿里云', datacenter: true });
    expect(lookupIp(IP.campus)).toMatchObject({ kind: 'china', campus: true });
    expect(lookupIp(IP.foreign).kind).toBe('foreign');
    expect(lookupIp('10.0.0.1').kind).toBe('private');
  });

  it('flags a time zone or language that disagrees with a Chinese IP, not a Chinese phone in China', () => {
    expect(flagsOf(xiaomi('D1', T0, { timezone: 'America/Los_Angeles' }))).toContain('geo_mismatch');
    expect(flagsOf(xiaomi('D1', T0, { languages: ['en-US'] }))).toContain('geo_mismatch');
    expect(flagsOf(xiaomi('D1', T0, { ip: IP.foreign }))).toEqual(expect.arrayContaining(['geo_mismatch', 'foreign_ip']));
    expect(flagsOf(xiaomi('D1', T0))).not.toContain('geo_mismatch');
    // Xinjiang keeps its own local time besides Beijing's: a phone on Asia/Urumqi there is at home.
    expect(flagsOf(xiaomi('D1', T0, { ip: '110.152.1.1', timezone: 'Asia/Urumqi' }))).not.toContain('geo_mismatch');
    expect(flagsOf(xiaomi('D1', T0, { ip: '110.152.1.1' }))).not.toContain('geo_mismatch');
    expect(flagsOf(xiaomi('D1', T0, { ip: IP.residentialBeijing, timezone: 'Asia/Urumqi' }))).toContain('geo_mismatch');
  });

  it('flags data-centre IPs and proxy signals, and marks campus NAT without calling it a proxy', () => {
    expect(flagsOf(xiaomi('D1', T0, { ip: IP.datacenter }))).toEqual(expect.arrayContaining(['datacenter_ip', 'proxy']));
    expect(flagsOf(xiaomi('D1', T0, { signals: { vpn: true } }))).toContain('proxy');
    const campus = flagsOf(xiaomi('D1', T0, { ip: IP.campus }));
    expect(campus).toContain('campus_ip');
    expect(campus).not.toContain('proxy');
  });
});

describe('device linking', () => {
  it('keeps one identity through OS and browser updates, a new IP, a language change and display scaling', () => {
    const before = normaliseDevice(xiaomi('D1', '2025-06-01T10:00:00+08:00', { user_agent: XIAOMI_UA('13', '118.0.5993.111'), hashes: { canvas: 'canvas-old', webgl: 'webgl-1', audio: 'audio-1', fonts: 'fonts-android-13' } }));
    const after = normaliseDevice(xiaomi('D2', '2026-01-10T10:00:00+08:00', {
      ip: IP.residentialBeijing2, languages: ['zh-CN', 'en-US'], screen: { width: 357, height: 794, dpr: 3.3 },
      hashes: { canvas: 'canvas-new', webgl: 'webgl-1', audio: 'audio-1', fonts: 'fonts-android-14-2' },
    }));
    expect(matchScore(before, after)).toBeGreaterThanOrEqual(MATCH_WEIGHTS.threshold);
    const linked = linkProfiles([before, after]);
    expect(linked.anchorOf[1]).toBe(0);
    expect(exactFingerprint(before)).not.toBe(exactFingerprint(after));
  });

  it('links a web observation of a phone to its app observations without hardware IDs', () => {
    const app = normaliseDevice(xiaomi('D1', T0));
    const web = normaliseDevice(xiaomi('D2', T0, { platform: 'web', ids: {}, hashes: { canvas: 'canvas-web', webgl: 'webgl-1', audio: 'audio-1', fonts: 'fonts-android-14' } }));
    expect(linkProfiles([app, web]).anchorOf[1]).toBe(0);
  });

  it('links a farm phone across software-ID resets by its rendering hashes', () => {
    const a = normaliseDevice(xiaomi('D1', T0));
    const b = normaliseDevice(xiaomi('D2', '2026-01-10T10:20:00+08:00', { ids: { android_id: 'aid-2', oaid: 'oaid-2' } }));
    expect(linkProfiles([a, b]).anchorOf[1]).toBe(0);
    expect(hardwareIdResets([a, b])).toBe(1);
  });

  it('keeps two phones of the same model apart', () => {
    const mine = normaliseDevice(xiaomi('D1', T0));
    const yours = normaliseDevice(xiaomi('D2', T0, { ids: { android_id: 'aid-9', oaid: 'oaid-9' }, hashes: { canvas: 'canvas-9', webgl: 'webgl-9', audio: 'audio-9', fonts: 'fonts-android-14' } }));
    expect(matchScore(mine, yours)).toBeLessThan(MATCH_WEIGHTS.threshold);
    expect(linkProfiles([mine, yours]).anchorOf[1]).toBe(1);
  });

  it('never links an iPhone to an Android phone, whatever they share', () => {
    const android = normaliseDevice(xiaomi('D1', T0));
    const ios = normaliseDevice(iphone('D2', T0, { ids: { idfv: 'x' }, hashes: { canvas: 'canvas-1', webgl: 'webgl-1', audio: 'audio-1' } }));
    expect(matchScore(android, ios)).toBe(Number.NEGATIVE_INFINITY);
  });

  it('links on an equal hardware ID even when the fingerprint hashes all changed', () => {
    const a = normaliseDevice(xiaomi('D1', T0));
    const b = normaliseDevice(xiaomi('D2', T0, { ids: { android_id: 'aid-1', oaid: 'oaid-x' }, hashes: { canvas: 'c2', webgl: 'w2', audio: 'a2' } }));
    expect(linkProfiles([a, b]).anchorOf[1]).toBe(0);
  });

  it('names an identity after its earliest observation, whatever order the observations come in', () => {
    const early = normaliseDevice(xiaomi('D9', '2025-01-01T10:00:00+08:00'));
    const late = normaliseDevice(xiaomi('D1', T0));
    const forward = linkProfiles([early, late]);
    const backward = linkProfiles([late, early]);
    expect(forward.anchorOf[1]).toBe(0);
    expect(backward.anchorOf[0]).toBe(1);
    expect(deviceIdFor('D9')).toMatch(/^D[A-Za-z0-9_-]{12}$/);
  });

  it('keeps seeded identities together (stored identities in an incremental run)', () => {
    const a = normaliseDevice(xiaomi('D1', T0));
    const unrelated = normaliseDevice(iphone('D2', T0));
    expect(linkProfiles([a, unrelated], [[0, 1]]).anchorOf[1]).toBe(linkProfiles([a, unrelated], [[0, 1]]).anchorOf[0]);
  });

  it('proposes no candidates from a blocking value shared by more than the common-block size', () => {
    const clones = Array.from({ length: 70 }, (_, i) => normaliseDevice(xiaomi(`D${i}`, T0, { ids: {}, hashes: { canvas: 'same', webgl: `w${i}`, audio: `a${i}` } })));
    const linked = linkProfiles(clones);
    expect(linked.skippedBlocks).toBe(1);
    expect(new Set(linked.anchorOf).size).toBe(70);
  });
});
