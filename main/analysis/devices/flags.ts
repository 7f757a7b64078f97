// Flags on one observation (and on a device identity, for traits only visible over time). Each flag
// carries its evidence so the investigator, and an appealing applicant, can be told why.
import type { DeviceProfile } from './normalise.js';
import { IPHONE_MEMORY_GB, IPHONE_SCREENS } from './appleModels.js';
import { expectedOffsetsMinutes, lookupIp, timezoneOffsets, type IpRegion } from './ipRegion.js';

export const DEVICE_FLAGS = [
  'emulator', 'rooted', 'jailbroken', 'hooking', 'debugger', 'multi_instance', 'automation',
  'inconsistent', 'geo_mismatch', 'proxy', 'datacenter_ip', 'mock_location', 'campus_ip', 'foreign_ip',
] as const;
export type DeviceFlag = (typeof DEVICE_FLAGS)[number];

export interface FlagEvidence {
  readonly flag: DeviceFlag;
  /** Machine-readable token of what was seen, e.g. `gpu=swiftshader`, `ua_os=ios platform=android`. */
  readonly detail: string;
}

export interface ObservationFlags {
  readonly flags: readonly DeviceFlag[];
  readonly evidence: readonly FlagEvidence[];
  readonly ipRegion: IpRegion;
}

const SOFTWARE_GPUS = new Set(['swiftshader', 'llvmpipe', 'softpipe', 'android emulator', 'virtualbox', 'vmware svga', 'parallels']);
const EMULATOR_MODELS = /\b(sdk_gphone|sdk gphone|android sdk built for|emulator|generic_x86|vbox86|genymotion|nox|mumu|ldplayer|bluestacks|memu|tiantian|xiaoyao)\b|^sdk\b|^generic\b/i;
const EMULATOR_MAKERS = /genymotion|bluestacks|netease|nox|ldmnq|microvirt|vbox/i;
const MOBILE_PLATFORMS = new Set(['android', 'ios']);
const CORE_MOTION_SENSORS = ['accelerometer', 'gyroscope'];

function isAppleGpu(gpu: string | null): boolean {
  return gpu !== null && gpu.startsWith('apple');
}
function isMobileGpu(gpu: string | null): boolean {
  return gpu !== null && /^(adreno|mali|powervr|maleoon|xclipse|immortalis)/.test(gpu);
}
/** Desktop graphics on a phone is an emulator (LDPlayer, Nox and MuMu pass the host GPU through). */
function isDesktopGpu(gpu: string | null): boolean {
  return gpu !== null && /^(geforce|quadro|rtx|gtx|radeon|intel)|nvidia|direct3d/.test(gpu);
}

export function flagObservation(p: DeviceProfile): ObservationFlags {
  const evidence: FlagEvidence[] = [];
  const add = (flag: DeviceFlag, detail: string): void => {
    evidence.push({ flag, detail });
  };
  const s = p.signals;
  const agent = p.agent;
  const mobile = MOBILE_PLATFORMS.has(p.platform);

  // Emulator: one strong sign, or two weak ones (a real phone at 100% on its charger is common).
  const strong: string[] = [];
  const weak: string[] = [];
  if (s.emulator === true) strong.push('signal=emulator');
  if (p.gpu !== null && SOFTWARE_GPUS.has(p.gpu)) strong.push(`gpu=${p.gpu}`);
  if (p.model !== null && EMULATOR_MODELS.test(p.model)) strong.push(`model=${p.model}`);
  if (p.manufacturer !== null && EMULATOR_MAKERS.test(p.manufacturer)) strong.push(`manufacturer=${p.manufacturer}`);
  if (mobile && isDesktopGpu(p.gpu)) strong.push(`desktop_gpu=${p.gpu}`);
  if (mobile && p.sensors !== null && !CORE_MOTION_SENSORS.some((name) => p.sensors?.some((sensor) => sensor.includes(name)))) {
    weak.push('sensors=none');
  }
  if (mobile && p.battery !== null && p.battery.level >= 1 && p.battery.charging === true) weak.push('battery=full_charging');
  if (p.platform === 'android' && agent !== null && /x86|i686/.test(p.userAgent ?? '') && !/windows/.test(agent.osName)) weak.push('cpu=x86');
  if (strong.length > 0 || weak.length >= 2) for (const d of [...strong, ...weak]) add('emulator', d);

  if (s.rooted === true) add('rooted', 'signal=rooted');
  if (s.jailbroken === true) add('jailbroken', 'signal=jailbroken');
  if (s.hooking === true) add('hooking', 'signal=hooking');
  if (s.debugger === true) add('debugger', 'signal=debugger');
  if (s.multi_instance === true) add('multi_instance', 'signal=multi_instance');
  if (s.mock_location === true) add('mock_location', 'signal=mock_location');

  if (s.webdriver === true) add('automation', 'signal=webdriver');
  if (agent?.headless === true) add('automation', 'ua=headless');
  if (p.platform === 'web' && agent !== null && agent.osName === 'linux' && p.gpu !== null && SOFTWARE_GPUS.has(p.gpu) && p.languages.length === 0) {
    add('automation', 'headless_traits=linux+software_gpu+no_languages');
  }

  for (const detail of inconsistencies(p)) add('inconsistent', detail);

  const region = lookupIp(p.ip ?? undefined);
  if (s.vpn === true) add('proxy', 'signal=vpn');
  if (s.proxy === true) add('proxy', 'signal=proxy');
  if (region.datacenter) {
    add('datacenter_ip', `isp=${region.isp}`);
    add('proxy', `datacenter_isp=${region.isp}`);
  }
  if (region.campus) add('campus_ip', `isp=${region.isp}`);
  if (region.kind === 'foreign') add('foreign_ip', `country=${region.country}`);
  for (const detail of geoMismatches(p, region)) add('geo_mismatch', detail);

  const flags = [...new Set(evidence.map((e) => e.flag))];
  return { flags, evidence, ipRegion: region };
}

/** Ways the UA, the declared platform, the screen and the GPU contradict each other. */
export function inconsistencies(p: DeviceProfile): string[] {
  const out: string[] = [];
  const agent = p.agent;
  const uaOs = agent?.osName ?? '';
  if (agent !== null && uaOs !== '') {
    if (p.platform === 'ios' && uaOs !== 'ios') out.push(`ua_os=${uaOs} platform=ios`);
    if (p.platform === 'android' && uaOs !== 'android' && uaOs !== 'harmonyos') out.push(`ua_os=${uaOs} platform=android`);
  }
  const saysApple = uaOs === 'ios' || p.platform === 'ios';
  if (saysApple && isMobileGpu(p.gpu)) out.push(`os=ios gpu=${p.gpu}`);
  if ((uaOs === 'android' || p.platform === 'android') && isAppleGpu(p.gpu)) out.push(`os=android gpu=${p.gpu}`);
  if (saysApple && p.manufacturer !== null && p.manufacturer !== 'apple') out.push(`os=ios manufacturer=${p.manufacturer}`);
  if (p.platform === 'android' && p.manufacturer === 'apple') out.push('os=android manufacturer=apple');
  if (saysApple && (p.ids.android_id !== undefined || p.ids.oaid !== undefined)) out.push('os=ios ids=android');
  if (p.platform === 'android' && p.ids.idfv !== undefined) out.push('os=android ids=idfv');
  if (saysApple && p.gpuVendor !== null && !/apple/.test(p.gpuVendor) && isMobileGpu(p.gpu) === false && p.gpu !== null && !isAppleGpu(p.gpu)) {
    out.push(`os=ios gpu_vendor=${p.gpuVendor}`);
  }
  if (agent !== null && agent.deviceModel !== '' && p.model !== null && agent.deviceModel !== 'k' && agent.deviceModel !== 'iphone' && agent.deviceModel !== 'ipad') {
    const uaModel = agent.deviceModel.replace(/\s+/g, '');
    const hwModel = p.model.replace(/\s+/g, '');
    if (!uaModel.includes(hwModel) && !hwModel.includes(uaModel)) out.push(`ua_model=${agent.deviceModel} model=${p.model}`);
  }
  const expected = p.model === null ? undefined : IPHONE_SCREENS[p.model];
  if (expected !== undefined && p.screenShort !== null && p.screenLong !== null) {
    const ratio = Math.min(p.screenShort / expected[0], p.screenLong / expected[1]);
    const over = Math.max(p.screenShort / expected[0], p.screenLong / expected[1]);
    // Display Zoom reports a smaller screen (by up to ~20%), never a larger one.
    if (over > 1.03 || ratio < 0.75) out.push(`model=${p.model} screen=${p.screenShort}x${p.screenLong} expected=${expected[0]}x${expected[1]}`);
  }
  // Every iPhone has motion sensors: an app SDK that reports an iPhone with none (an empty list, not a
  // web page that reports no list at all) is reading a doctored fingerprint.
  const iphone = (p.model?.startsWith('iphone') ?? false) || agent?.deviceModel === 'iphone';
  if (saysApple && iphone && p.sensors !== null && p.sensors.length === 0) out.push('os=ios sensors=none');
  // More memory than the model was built with (an SDK reports a little less, never more).
  const memory = p.model === null ? undefined : IPHONE_MEMORY_GB[p.model];
  if (memory !== undefined && p.memoryGb !== null && p.memoryGb > memory * 1.25) out.push(`model=${p.model} memory_gb=${p.memoryGb} expected=${memory}`);
  // A phone UA with a desktop-class screen (CSS width) is a desktop pretending.
  const phoneUa = agent !== null && agent.deviceType === 'mobile';
  if (phoneUa && p.cssLong !== null && p.cssLong >= 1200 && (p.dpr ?? 1) <= 1.25) out.push(`ua=phone screen_css=${p.cssLong}`);
  if (mobile(p) && p.memoryGb !== null && p.memoryGb > 24) out.push(`phone memory_gb=${p.memoryGb}`);
  if (saysApple && p.cores !== null && p.cores > 10 && agent?.deviceModel === 'iphone') out.push(`model=iphone cores=${p.cores}`);
  return out;
}

function mobile(p: DeviceProfile): boolean {
  return MOBILE_PLATFORMS.has(p.platform);
}

/** Time zone and language against the IP's country: a farm abroad, or a device set up elsewhere. */
export function geoMismatches(p: DeviceProfile, region: IpRegion): string[] {
  const out: string[] = [];
  if (p.timezone === null) return out;
  const offsets = timezoneOffsets(p.timezone);
  const expected = expectedOffsetsMinutes(region);
  const chinaTime = offsets !== null && offsets.includes(480);
  if (expected !== null && offsets !== null && !offsets.some((o) => expected.includes(o))) {
    out.push(`timezone=${p.timezone} ip_region=${region.province || region.country}`);
    if (p.languages.length > 0 && !p.languages.some((l) => l.startsWith('zh'))) out.push(`languages=${p.languages.slice(0, 3).join(',')} ip_region=${region.country}`);
  }
  else if (expected !== null && p.languages.length > 0 && !p.languages.some((l) => l.startsWith('zh'))) {
    out.push(`languages=${p.languages.slice(0, 3).join(',')} ip_region=${region.province || region.country}`);
  }
  if (region.kind === 'foreign' && chinaTime && p.languages.some((l) => l.startsWith('zh'))) {
    out.push(`timezone=${p.timezone} ip_country=${region.country}`);
  }
  return out;
}

export interface IdentityTraits {
  readonly flags: readonly DeviceFlag[];
  readonly evidence: readonly FlagEvidence[];
}

/**
 * Traits of a device identity seen over several observations: a battery that is full and charging
 * every time, on different days, is an emulator's constant, not a phone's habit.
 */
export function identityTraits(observations: readonly DeviceProfile[]): IdentityTraits {
  const evidence: FlagEvidence[] = [];
  const withBattery = observations.filter((o) => o.battery !== null && MOBILE_PLATFORMS.has(o.platform));
  if (withBattery.length >= 3) {
    const days = new Set(withBattery.map((o) => Math.floor(o.observedAtMs / 86_400_000)));
    if (days.size >= 2 && withBattery.every((o) => (o.battery?.level ?? 0) >= 1 && o.battery?.charging === true)) {
      evidence.push({ flag: 'emulator', detail: `battery=always_full over ${withBattery.length} observations` });
    }
  }
  return { flags: [...new Set(evidence.map((e) => e.flag))], evidence };
}

/** How many distinct values of each hardware ID kind an identity showed: resets between applicants. */
export function hardwareIdResets(observations: readonly DeviceProfile[]): number {
  let resets = 0;
  for (const kind of ['android_id', 'idfv', 'oaid'] as const) {
    const values = new Set<string>();
    for (const o of observations) {
      const v = o.ids[kind];
      if (v !== undefined) values.add(v);
    }
    resets = Math.max(resets, values.size - 1);
  }
  return resets;
}
