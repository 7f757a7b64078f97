// Physical devices and their observations. One phone seen several times reports the same hardware
// while its OS, browser and app versions, language, IP and display scaling drift, as real phones do.
import type { DeviceRecord } from '../../shared/interchange/schema.js';
import {
  ANDROID_SENSORS, ANDROID_VERSIONS, APP_VERSIONS, CHROME_VERSIONS, DESKTOP_MODELS, EMULATOR_IMAGES, IOS_SENSORS, IOS_VERSIONS,
  PHONE_MODELS, SAFARI_VERSIONS, WECHAT_VERSIONS, type EmulatorImage, type PhoneModel,
} from './catalog/devices.js';
import { stableHash, type Rng } from './random.js';
import { cstTimestamp, DAY } from './time.js';

export type Surface = 'app' | 'mini_program' | 'mobile_web' | 'desktop_web';

export interface PhysicalDevice {
  readonly physicalId: string;
  readonly kind: 'phone' | 'desktop' | 'emulator';
  readonly os: 'android' | 'ios' | 'windows' | 'mac';
  readonly model: string;
  readonly manufacturer: string;
  readonly gpuVendor: string;
  readonly gpuRenderer: string;
  screen: { width: number; height: number; dpr: number };
  readonly cores: number;
  readonly memoryGb: number;
  osIndex: number;
  browserIndex: number;
  appIndex: number;
  wechatIndex: number;
  androidId: string | null;
  oaid: string | null;
  readonly idfv: string | null;
  readonly imei: string | null;
  readonly canvasSeed: string;
  readonly audioHash: string;
  languages: string[];
  timezone: string;
  readonly sensors: readonly string[];
  readonly emulatorFlagged: boolean;
  rooted: boolean;
  lastSeenMs: number;
}

function trackLength(os: PhysicalDevice['os']): number {
  return os === 'android' ? ANDROID_VERSIONS.length : os === 'ios' ? IOS_VERSIONS.length : 1;
}

function newIds(rng: Rng, os: PhysicalDevice['os']): { androidId: string | null; oaid: string | null } {
  return os === 'android' ? { androidId: rng.hex(16), oaid: rng.hex(32) } : { androidId: null, oaid: null };
}

export function newPhone(rng: Rng, physicalId: string, atMs: number, model?: PhoneModel): PhysicalDevice {
  const chosen = model ?? rng.weighted(PHONE_MODELS, PHONE_MODELS.map((m) => m.weight));
  const os = chosen.platform;
  const osIndex = Math.min(trackLength(os) - 1, chosen.minOs + rng.int(0, 2));
  return {
    physicalId,
    kind: 'phone',
    os,
    model: chosen.model,
    manufacturer: chosen.manufacturer,
    gpuVendor: chosen.gpuVendor,
    gpuRenderer: chosen.gpuRenderer,
    screen: { ...chosen.screen },
    cores: chosen.cores,
    memoryGb: chosen.memoryGb,
    osIndex,
    browserIndex: rng.int(0, 2),
    appIndex: rng.int(0, 1),
    wechatIndex: rng.int(0, 1),
    ...newIds(rng, os),
    idfv: os === 'ios' ? stableHash(`idfv:${rng.hex(16)}`) : null,
    imei: os === 'android' && rng.chance(0.15) ? stableHash(`imei:${rng.hex(16)}`, 40) : null,
    canvasSeed: rng.hex(12),
    audioHash: rng.hex(32),
    languages: rng.chance(0.85) ? ['zh-CN'] : ['zh-CN', 'en-US'],
    timezone: 'Asia/Shanghai',
    sensors: os === 'ios' ? IOS_SENSORS : ANDROID_SENSORS.slice(0, rng.int(4, ANDROID_SENSORS.length)),
    emulatorFlagged: false,
    rooted: os === 'android' && rng.chance(0.01),
    lastSeenMs: atMs,
  };
}

export function newDesktop(rng: Rng, physicalId: string, atMs: number): PhysicalDevice {
  const model = rng.weighted(DESKTOP_MODELS, DESKTOP_MODELS.map((m) => m.weight));
  return {
    physicalId,
    kind: 'desktop',
    os: model.os,
    model: model.os === 'mac' ? 'Macintosh' : 'PC',
    manufacturer: model.os === 'mac' ? 'Apple' : '',
    gpuVendor: model.gpuVendor,
    gpuRenderer: model.gpuRenderer,
    screen: { ...rng.pick(model.screens) },
    cores: rng.pick(model.cores),
    memoryGb: rng.pick(model.memoryGb),
    osIndex: 0,
    browserIndex: rng.int(0, 3),
    appIndex: 0,
    wechatIndex: 0,
    androidId: null,
    oaid: null,
    idfv: null,
    imei: null,
    canvasSeed: rng.hex(12),
    audioHash: rng.hex(32),
    languages: rng.chance(0.7) ? ['zh-CN', 'zh'] : ['zh-CN', 'zh', 'en-US', 'en'],
    timezone: 'Asia/Shanghai',
    sensors: [],
    emulatorFlagged: false,
    rooted: false,
    lastSeenMs: atMs,
  };
}

export function newEmulator(rng: Rng, physicalId: string, atMs: number, image?: EmulatorImage): PhysicalDevice {
  const chosen = image ?? rng.pick(EMULATOR_IMAGES);
  return {
    physicalId,
    kind: 'emulator',
    os: 'android',
    model: chosen.model,
    manufacturer: chosen.manufacturer,
    gpuVendor: chosen.gpuVendor,
    gpuRenderer: chosen.gpuRenderer,
    screen: { ...chosen.screen },
    cores: rng.pick([2, 4]),
    memoryGb: rng.pick([2, 4]),
    osIndex: rng.int(0, 1),
    browserIndex: rng.int(0, 2),
    appIndex: rng.int(0, 3),
    wechatIndex: 0,
    ...newIds(rng, 'android'),
    idfv: null,
    imei: stableHash(`imei:${rng.hex(8)}`, 40),
    canvasSeed: rng.hex(12),
    audioHash: rng.hex(32),
    languages: ['zh-CN'],
    timezone: 'Asia/Shanghai',
    sensors: rng.chance(0.5) ? [] : ['accelerometer'],
    emulatorFlagged: chosen.flagged,
    rooted: true,
    lastSeenMs: atMs,
  };
}

/** A farm phone wiped between applicants: new software IDs, same hardware, same rendering hashes. */
export function resetSoftwareIds(rng: Rng, device: PhysicalDevice): void {
  const ids = newIds(rng, device.os);
  device.androidId = ids.androidId;
  device.oaid = ids.oaid;
}

/** Time passes: updates roll out, settings change now and then. Versions only move forward. */
export function drift(rng: Rng, device: PhysicalDevice, toMs: number): void {
  const months = Math.max(0, (toMs - device.lastSeenMs) / (30 * DAY));
  device.lastSeenMs = Math.max(device.lastSeenMs, toMs);
  if (months <= 0) return;
  const bump = (p: number): boolean => rng.chance(1 - Math.pow(1 - p, months));
  if (bump(0.3) && device.osIndex < trackLength(device.os) - 1) device.osIndex += 1;
  if (bump(0.55) && device.browserIndex < CHROME_VERSIONS.length - 1) device.browserIndex += 1;
  if (bump(0.4) && device.appIndex < APP_VERSIONS.length - 1) device.appIndex += 1;
  if (bump(0.3) && device.wechatIndex < WECHAT_VERSIONS.length - 1) device.wechatIndex += 1;
  if (bump(0.04)) device.languages = device.languages.length === 1 ? [...device.languages, 'en-US'] : [device.languages[0] ?? 'zh-CN'];
  if (bump(0.04) && device.kind !== 'desktop') {
    // Display size setting changed: CSS viewport shrinks or grows with the scaling factor.
    const factor = rng.pick([0.9, 1.1]);
    device.screen = { width: Math.round(device.screen.width / factor), height: Math.round(device.screen.height / factor), dpr: Math.round(device.screen.dpr * factor * 1000) / 1000 };
  }
}

function browserVersion(device: PhysicalDevice): string {
  return CHROME_VERSIONS[Math.min(device.browserIndex, CHROME_VERSIONS.length - 1)] ?? '120.0.6099.193';
}

export function userAgentOf(device: PhysicalDevice, surface: Surface): string {
  const chrome = browserVersion(device);
  const app = APP_VERSIONS[device.appIndex] ?? '7.3.1';
  const wechat = WECHAT_VERSIONS[device.wechatIndex] ?? '8.0.47.2560';
  if (device.os === 'android') {
    const os = ANDROID_VERSIONS[device.osIndex] ?? ANDROID_VERSIONS[0];
    const base = `Mozilla/5.0 (Linux; Android ${os.version}; ${device.model} Build/${os.build}; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/${chrome} Mobile Safari/537.36`;
    if (surface === 'app') return `${base} LenderApp/${app}`;
    if (surface === 'mini_program') return `${base} XWEB/1160065 MMWEBSDK/20231202 MicroMessenger/${wechat}(0x28002F30) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64 MiniProgramEnv/android`;
    return `Mozilla/5.0 (Linux; Android ${os.version}; ${device.model}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${chrome} Mobile Safari/537.36`;
  }
  if (device.os === 'ios') {
    const v = (IOS_VERSIONS[device.osIndex] ?? '17.2.1').replace(/\./g, '_');
    const base = `Mozilla/5.0 (iPhone; CPU iPhone OS ${v} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148`;
    if (surface === 'app') return `${base} LenderApp/${app}`;
    if (surface === 'mini_program') return `${base} MicroMessenger/${wechat.split('.').slice(0, 3).join('.')}(0x18002f2c) NetType/WIFI Language/zh_CN MiniProgramEnv/iOS`;
    const safari = SAFARI_VERSIONS[Math.min(device.osIndex, SAFARI_VERSIONS.length - 1)] ?? '17.2';
    return `Mozilla/5.0 (iPhone; CPU iPhone OS ${v} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/${safari} Mobile/15E148 Safari/604.1`;
  }
  if (device.os === 'mac') {
    const safari = SAFARI_VERSIONS[Math.min(device.browserIndex, SAFARI_VERSIONS.length - 1)] ?? '17.2';
    return `Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/${safari} Safari/605.1.15`;
  }
  return `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${chrome.split('.')[0] ?? '120'}.0.0.0 Safari/537.36`;
}

export function platformOf(device: PhysicalDevice, surface: Surface): DeviceRecord['platform'] {
  if (surface === 'mini_program') return 'mini_program';
  if (surface === 'app') return device.os === 'ios' ? 'ios' : 'android';
  return 'web';
}

export interface ObservationContext {
  readonly observationId: string;
  readonly atMs: number;
  readonly surface: Surface;
  readonly ip: string;
  readonly applicantId?: string;
  readonly applicationId?: string;
  readonly sessionId?: string;
}

/** What the exporter's SDK reports about `device` at one moment. */
export function observe(rng: Rng, device: PhysicalDevice, context: ObservationContext): DeviceRecord {
  const platform = platformOf(device, context.surface);
  const web = context.surface === 'desktop_web' || context.surface === 'mobile_web';
  const rendering = `${device.canvasSeed}|${device.os}|${device.osIndex}|${web ? device.browserIndex : 0}`;
  const record: DeviceRecord = {
    type: 'device',
    id: context.observationId,
    observed_at: cstTimestamp(context.atMs),
    platform,
  };
  if (context.applicantId !== undefined) record.applicant_id = context.applicantId;
  if (context.applicationId !== undefined) record.application_id = context.applicationId;
  if (context.sessionId !== undefined) record.session_id = context.sessionId;
  record.ip = context.ip;
  record.user_agent = userAgentOf(device, context.surface);
  record.screen = { ...device.screen };
  record.timezone = device.timezone;
  record.languages = [...device.languages];
  record.hardware = {
    cores: device.cores,
    memory_gb: device.memoryGb,
    model: device.model,
    manufacturer: device.manufacturer,
    gpu_vendor: device.gpuVendor,
    gpu_renderer: device.gpuRenderer,
  };
  if (!web) {
    const ids: NonNullable<DeviceRecord['ids']> = {};
    if (device.androidId !== null) ids.android_id = stableHash(`aid:${device.androidId}`);
    if (device.oaid !== null) ids.oaid = stableHash(`oaid:${device.oaid}`);
    if (device.idfv !== null) ids.idfv = device.idfv;
    if (device.imei !== null) ids.imei = device.imei;
    record.ids = ids;
  }
  record.hashes = {
    canvas: stableHash(`canvas:${rendering}`),
    webgl: stableHash(`webgl:${device.gpuRenderer}|${device.canvasSeed.slice(0, 4)}`),
    audio: device.audioHash,
    fonts: stableHash(`fonts:${device.os}|${device.osIndex}|${device.languages.length}`),
  };
  record.signals = {
    emulator: device.emulatorFlagged,
    rooted: device.rooted && device.os === 'android',
    jailbroken: false,
    hooking: false,
    debugger: false,
    webdriver: false,
    vpn: false,
    proxy: false,
    mock_location: false,
    multi_instance: false,
  };
  record.battery = device.kind === 'emulator' ? { level: 1, charging: true } : device.kind === 'desktop' ? { level: 1, charging: true } : { level: Math.round(rng.next() * 95 + 5) / 100, charging: rng.chance(0.3) };
  record.sensors = [...device.sensors];
  return record;
}
