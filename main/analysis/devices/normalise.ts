// One device observation reduced to what matching and flagging compare: parsed user agent (with
// client hints when the exporter kept them), canonical hardware strings, physical screen size.
import { UAParser } from 'ua-parser-js';
import type { DeviceRecord } from '../../../shared/interchange/schema.js';
import { epochMs } from '../common/time.js';

export const HARDWARE_ID_KINDS = ['android_id', 'idfv', 'oaid', 'imei'] as const;
export type HardwareIdKind = (typeof HARDWARE_ID_KINDS)[number];
export const FINGERPRINT_HASH_KINDS = ['canvas', 'webgl', 'audio', 'fonts'] as const;
export type FingerprintHashKind = (typeof FINGERPRINT_HASH_KINDS)[number];
export const SIGNAL_NAMES = [
  'emulator', 'rooted', 'jailbroken', 'hooking', 'debugger', 'webdriver', 'vpn', 'proxy', 'mock_location', 'multi_instance',
] as const;
export type SignalName = (typeof SIGNAL_NAMES)[number];

export interface ParsedAgent {
  readonly osName: string;
  readonly osVersion: string;
  readonly browserName: string;
  readonly browserVersion: string;
  readonly deviceVendor: string;
  readonly deviceModel: string;
  readonly deviceType: string;
  readonly engine: string;
  /** HeadlessChrome, PhantomJS and their kin announce themselves in the UA. */
  readonly headless: boolean;
}

export interface DeviceProfile {
  readonly observationId: string;
  readonly observedAtMs: number;
  readonly platform: DeviceRecord['platform'];
  readonly applicantId: string | null;
  readonly applicationId: string | null;
  readonly sessionId: string | null;
  readonly ip: string | null;
  readonly userAgent: string | null;
  readonly agent: ParsedAgent | null;
  /** Lower-case model, from the hardware block or else the UA. */
  readonly model: string | null;
  readonly manufacturer: string | null;
  readonly gpuVendor: string | null;
  /** GPU renderer reduced to its chip (`adreno 650`, `apple gpu`, `swiftshader`): driver and ANGLE wrappers drift. */
  readonly gpu: string | null;
  readonly gpuRendererRaw: string | null;
  readonly cores: number | null;
  readonly memoryGb: number | null;
  /** Physical pixels, long side and short side: CSS size times DPR survives display scaling. */
  readonly screenLong: number | null;
  readonly screenShort: number | null;
  readonly cssLong: number | null;
  readonly dpr: number | null;
  readonly timezone: string | null;
  readonly languages: readonly string[];
  readonly ids: Readonly<Partial<Record<HardwareIdKind, string>>>;
  readonly hashes: Readonly<Partial<Record<FingerprintHashKind, string>>>;
  readonly signals: Readonly<Partial<Record<SignalName, boolean>>>;
  readonly battery: { readonly level: number; readonly charging: boolean | null } | null;
  /** Null when the observation did not report sensors at all (web), empty when it reported none. */
  readonly sensors: readonly string[] | null;
}

const agentCache = new Map<string, ParsedAgent>();

export function parseAgent(userAgent: string, clientHints?: Record<string, string>): ParsedAgent {
  const key = clientHints === undefined ? userAgent : `${userAgent}\u0000${JSON.stringify(clientHints)}`;
  const cached = agentCache.get(key);
  if (cached !== undefined) return cached;
  // With client hints, UAParser reads the headers object and `withClientHints()` prefers the hints
  // (frozen Chrome UAs say "Android 10; K"; the hints carry the real model and OS version).
  const result = clientHints === undefined
    ? UAParser(userAgent)
    : (UAParser({ 'user-agent': userAgent, ...clientHints }).withClientHints() as UAParser.IResult);
  const browserName = result.browser.name ?? '';
  const parsed: ParsedAgent = {
    osName: (result.os.name ?? '').toLowerCase(),
    osVersion: result.os.version ?? '',
    browserName: browserName.toLowerCase(),
    browserVersion: result.browser.version ?? '',
    deviceVendor: (result.device.vendor ?? '').toLowerCase(),
    deviceModel: (result.device.model ?? '').toLowerCase(),
    deviceType: result.device.type ?? '',
    engine: (result.engine.name ?? '').toLowerCase(),
    headless: /headless|phantomjs|slimerjs|electron\//i.test(userAgent) || /headless/i.test(browserName),
  };
  if (agentCache.size >= 50_000) agentCache.clear();
  agentCache.set(key, parsed);
  return parsed;
}

const GPU_PATTERNS: readonly (readonly [RegExp, (m: RegExpExecArray) => string])[] = [
  [/swiftshader/i, () => 'swiftshader'],
  [/llvmpipe/i, () => 'llvmpipe'],
  [/softpipe/i, () => 'softpipe'],
  [/android emulator/i, () => 'android emulator'],
  [/virtualbox|vmware svga|parallels/i, (m) => m[0].toLowerCase()],
  [/adreno[^\d]*(\d+)/i, (m) => `adreno ${m[1]}`],
  [/mali[- ]?([a-z]?\d+)/i, (m) => `mali ${m[1]?.toLowerCase()}`],
  [/powervr[^\n,)]*?(\b[a-z]*\d+\w*)/i, (m) => `powervr ${m[1]?.toLowerCase()}`],
  [/apple (m\d\w*|a\d+\w*)/i, (m) => `apple ${m[1]?.toLowerCase()}`],
  [/apple gpu/i, () => 'apple gpu'],
  [/maleoon\s*(\d+)/i, (m) => `maleoon ${m[1]}`],
  [/xclipse\s*(\d+)/i, (m) => `xclipse ${m[1]}`],
  [/immortalis[- ]?(\w+)/i, (m) => `immortalis ${m[1]?.toLowerCase()}`],
  [/(geforce|quadro|rtx|gtx)[^,)]*/i, (m) => m[0].toLowerCase().replace(/\s+/g, ' ').replace(/\/pcie.*$/, '').trim()],
  [/radeon[^,)]*/i, (m) => m[0].toLowerCase().replace(/\s+/g, ' ').trim()],
  [/intel(?:\(r\))?[^,]*?(uhd|hd|iris)[^,]*/i, (m) => m[0].toLowerCase().replace(/\(r\)/g, '').replace(/\s+/g, ' ').replace(/direct3d.*$/, '').trim()],
];

const gpuCache = new Map<string, string | null>();

/** Reduces a WebGL renderer string to the chip, dropping ANGLE/driver wrappers that change with updates. */
export function canonicalGpu(renderer: string | undefined): string | null {
  if (renderer === undefined) return null;
  const cached = gpuCache.get(renderer);
  if (cached !== undefined) return cached;
  const gpu = canonicalGpuUncached(renderer);
  if (gpuCache.size >= 20_000) gpuCache.clear();
  gpuCache.set(renderer, gpu);
  return gpu;
}

function canonicalGpuUncached(renderer: string): string | null {
  if (renderer.trim() === '') return null;
  for (const [pattern, name] of GPU_PATTERNS) {
    const m = pattern.exec(renderer);
    if (m !== null) return name(m);
  }
  return renderer.toLowerCase().replace(/^angle \(/, '').replace(/[()]/g, '').replace(/\s+/g, ' ').trim();
}

function clean(value: string | undefined): string | null {
  if (value === undefined) return null;
  const v = value.trim().toLowerCase().replace(/\s+/g, ' ');
  return v === '' ? null : v;
}

function readClientHints(record: DeviceRecord): Record<string, string> | undefined {
  // Not in interchange v1's named fields; exporters that keep Sec-CH-UA headers put them here.
  const hints = (record as Record<string, unknown>)['client_hints'];
  if (hints === null || typeof hints !== 'object') return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(hints as Record<string, unknown>)) {
    if (typeof v === 'string') out[k.toLowerCase()] = v;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function pickDefined<K extends string>(keys: readonly K[], source: Partial<Record<string, unknown>> | undefined, lower: boolean): Partial<Record<K, string>> {
  const out: Partial<Record<K, string>> = {};
  if (source === undefined) return out;
  for (const k of keys) {
    const v = source[k];
    if (typeof v === 'string' && v !== '') out[k] = lower ? v.toLowerCase() : v;
  }
  return out;
}

/**
 * `withAgent: false` skips the user-agent parse: for observations whose flags are already stored and
 * that are read only for their time, IP, IDs and hardware (the closures of an incremental run).
 */
export function normaliseDevice(record: DeviceRecord, options: { withAgent?: boolean } = {}): DeviceProfile {
  const agent = record.user_agent === undefined || record.user_agent === '' || options.withAgent === false ? null : parseAgent(record.user_agent, readClientHints(record));
  const hw = record.hardware;
  const model = clean(hw?.model) ?? (agent !== null && agent.deviceModel !== '' && agent.deviceModel !== 'k' ? agent.deviceModel : null);
  let screenLong: number | null = null;
  let screenShort: number | null = null;
  let cssLong: number | null = null;
  let dpr: number | null = null;
  if (record.screen !== undefined) {
    dpr = record.screen.dpr ?? 1;
    const a = Math.round(record.screen.width * dpr);
    const b = Math.round(record.screen.height * dpr);
    screenLong = Math.max(a, b);
    screenShort = Math.min(a, b);
    cssLong = Math.max(record.screen.width, record.screen.height);
  }
  const signals: Partial<Record<SignalName, boolean>> = {};
  for (const name of SIGNAL_NAMES) {
    const v = record.signals?.[name];
    if (typeof v === 'boolean') signals[name] = v;
  }
  return {
    observationId: record.id,
    observedAtMs: epochMs(record.observed_at),
    platform: record.platform,
    applicantId: record.applicant_id ?? null,
    applicationId: record.application_id ?? null,
    sessionId: record.session_id ?? null,
    ip: record.ip ?? null,
    userAgent: record.user_agent ?? null,
    agent,
    model,
    manufacturer: clean(hw?.manufacturer) ?? (agent !== null && agent.deviceVendor !== '' ? agent.deviceVendor : null),
    gpuVendor: clean(hw?.gpu_vendor),
    gpu: canonicalGpu(hw?.gpu_renderer),
    gpuRendererRaw: hw?.gpu_renderer ?? null,
    cores: hw?.cores ?? null,
    memoryGb: hw?.memory_gb ?? null,
    screenLong,
    screenShort,
    cssLong,
    dpr,
    timezone: record.timezone ?? null,
    languages: (record.languages ?? []).map((l) => l.toLowerCase().replace('_', '-')),
    ids: pickDefined(HARDWARE_ID_KINDS, record.ids, false),
    hashes: pickDefined(FINGERPRINT_HASH_KINDS, record.hashes, false),
    signals,
    battery: record.battery === undefined ? null : { level: record.battery.level, charging: record.battery.charging ?? null },
    sensors: record.sensors === undefined ? null : record.sensors.map((s) => s.toLowerCase()),
  };
}
