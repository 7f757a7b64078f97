// Hand-built interchange records for the analysis unit tests: small, readable, one trait at a time.
import type {
  ApplicantRecord, ApplicationRecord, BankCardRecord, DeviceRecord, EventRecord, PfRecord,
} from '../../shared/interchange/schema.js';
import type { AnalysisDataset } from '../../main/analysis/pipeline/dataset.js';

export const IPHONE_UA = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_2_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 LenderApp/7.3.1';
export const XIAOMI_UA = (android: string, chrome: string): string =>
  `Mozilla/5.0 (Linux; Android ${android}; 23127PN0CC Build/UKQ1.231108.001; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/${chrome} Mobile Safari/537.36 LenderApp/7.3.1`;
/** 120.24.78.68 is 阿里云 Shenzhen; 101.6.1.1 is CERNET Beijing; 36.110.1.1 is 电信 Beijing (ip2region). */
export const IP = { residentialBeijing: '36.110.1.1', residentialBeijing2: '36.110.1.2', datacenter: '120.24.78.68', campus: '101.6.1.1', foreign: '8.8.8.8' } as const;

/** A Xiaomi 14 seen through the lender's app. */
export function xiaomi(id: string, at: string, overrides: Partial<DeviceRecord> = {}): DeviceRecord {
  return {
    type: 'device',
    id,
    observed_at: at,
    platform: 'android',
    ip: IP.residentialBeijing,
    user_agent: XIAOMI_UA('14', '120.0.6099.193'),
    screen: { width: 393, height: 873, dpr: 3 },
    timezone: 'Asia/Shanghai',
    languages: ['zh-CN'],
    hardware: { cores: 8, memory_gb: 12, model: '23127PN0CC', manufacturer: 'Xiaomi', gpu_vendor: 'Qualcomm', gpu_renderer: 'Adreno (TM) 750' },
    ids: { android_id: 'aid-1', oaid: 'oaid-1' },
    hashes: { canvas: 'canvas-1', webgl: 'webgl-1', audio: 'audio-1', fonts: 'fonts-android-14' },
    signals: { emulator: false, rooted: false, jailbroken: false, hooking: false, debugger: false, webdriver: false, vpn: false, proxy: false, mock_location: false, multi_instance: false },
    battery: { level: 0.62, charging: false },
    sensors: ['accelerometer', 'gyroscope', 'magnetometer', 'light', 'proximity'],
    ...overrides,
  };
}

/** An iPhone 13 (iPhone14,5) seen through the lender's app. */
export function iphone(id: string, at: string, overrides: Partial<DeviceRecord> = {}): DeviceRecord {
  return {
    type: 'device',
    id,
    observed_at: at,
    platform: 'ios',
    ip: IP.residentialBeijing,
    user_agent: IPHONE_UA,
    screen: { width: 390, height: 844, dpr: 3 },
    timezone: 'Asia/Shanghai',
    languages: ['zh-CN'],
    hardware: { cores: 6, memory_gb: 4, model: 'iPhone14,5', manufacturer: 'Apple', gpu_vendor: 'Apple Inc.', gpu_renderer: 'Apple GPU' },
    ids: { idfv: 'idfv-1' },
    hashes: { canvas: 'icanvas-1', webgl: 'iwebgl-1', audio: 'iaudio-1', fonts: 'fonts-ios-17' },
    signals: { emulator: false, rooted: false, jailbroken: false, hooking: false, debugger: false, webdriver: false, vpn: false, proxy: false, mock_location: false, multi_instance: false },
    battery: { level: 0.8, charging: false },
    sensors: ['accelerometer', 'gyroscope', 'magnetometer', 'barometer', 'proximity'],
    ...overrides,
  };
}

let serial = 0;
function next(prefix: string): string {
  serial += 1;
  return `${prefix}${serial}`;
}

/** 11010519491231002X: a valid resident ID (checksum X) of 朝阳区, Beijing, born 1949-12-31. */
export const VALID_ID = '11010519491231002X';
/** A valid ID for someone born 1990-03-07 in 朝阳区 (check character computed with GB 11643). */
export const VALID_ID_1990 = '110105199003070017';

export function applicant(id: string, overrides: Partial<ApplicantRecord> = {}): ApplicantRecord {
  return {
    type: 'applicant',
    id,
    name: '王建国',
    id_number: VALID_ID_1990,
    phone: `1380000${id.replace(/\D/g, '').padStart(4, '0').slice(-4)}`,
    declared_income_monthly: 9000,
    employer: '北京星辰科技有限公司',
    address: { province: '北京市', city: '北京市', district: '朝阳区', line: `建国路${id.replace(/\D/g, '')}号` },
    emergency_contacts: [],
    registered_at: '2024-01-01T10:00:00+08:00',
    ...overrides,
  };
}

export function application(id: string, applicantId: string, at: string): ApplicationRecord {
  return { type: 'application', id, applicant_id: applicantId, submitted_at: at, channel: 'app' };
}

export function card(applicantId: string, overrides: Partial<BankCardRecord> = {}): BankCardRecord {
  return { type: 'bank_card', id: next('C'), applicant_id: applicantId, card_hash: `card-${applicantId}`, bin: '622202', holder_name_match: true, ...overrides };
}

export function pf(applicantId: string, overrides: Partial<PfRecord> = {}): PfRecord {
  return {
    type: 'pf_record',
    id: next('PF'),
    applicant_id: applicantId,
    city: '北京市',
    employer: '北京星辰科技有限公司',
    employer_code: '91110105MA01ABCDEF',
    account_hash: `pf-${applicantId}`,
    status: 'active',
    contribution_base: 8734,
    rate: 0.12,
    first_month: '2019-04',
    last_month: '2026-01',
    months_paid: 82,
    ...overrides,
  };
}

export interface TypingPlan {
  /** Keystroke intervals per typed field (ms). */
  readonly intervals?: (field: string) => number[];
  readonly pasted?: readonly string[];
  readonly backspaces?: number;
  readonly smsLatencyMs?: number;
  readonly faceAttempts?: number;
  readonly liveness?: 'pass' | 'fail';
  readonly pages?: readonly string[];
}

/** Deterministic human-like intervals: median ~220 ms with pauses (CV ~0.5). */
export function humanIntervals(count: number, seed = 1): number[] {
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const wobble = Math.sin((i + 1) * 12.9898 * seed) * 43758.5453;
    const frac = wobble - Math.floor(wobble);
    out.push(Math.round(120 + frac * 220 + (i % 9 === 4 ? 700 : 0)));
  }
  return out;
}

const FIELD_LENGTHS: Record<string, number> = { name: 3, id_number: 18, sms_code: 6, bank_card: 19, reserved_phone: 11 };

/** The activation flow's events for one session, typed or pasted field by field. */
export function activationSession(applicationId: string, start: string, deviceId: string, plan: TypingPlan = {}, ip: string = IP.residentialBeijing): EventRecord[] {
  const events: EventRecord[] = [];
  const sessionId = next('S');
  let t = Date.parse(start);
  const offset = start.slice(-6);
  const stamp = (): string => new Date(t + 8 * 3_600_000).toISOString().replace('Z', offset).replace(/\.\d{3}/, (m) => m);
  const emit = (kind: string, attrs?: Record<string, unknown>): void => {
    const e: EventRecord = { type: 'event', id: next('E'), application_id: applicationId, ts: stamp(), kind, session_id: sessionId, device_id: deviceId, ip };
    if (attrs !== undefined) e.attrs = attrs;
    events.push(e);
  };
  for (const page of plan.pages ?? ['credit_home', 'real_name']) {
    emit('page_view', { page });
    t += 3000;
  }
  const field = (name: string): void => {
    const length = FIELD_LENGTHS[name] ?? 8;
    if (plan.pasted?.includes(name)) {
      emit('paste', { field: name, value_length: length });
      t += 1500;
      return;
    }
    const intervals = plan.intervals?.(name) ?? humanIntervals(name === 'name' ? length * 3 : length, name.length);
    const duration = intervals.reduce((a, b) => a + b, 0) + 200;
    t += duration;
    emit('field_input', { field: name, duration_ms: duration, key_count: intervals.length + 1, key_intervals_ms: intervals, backspaces: plan.backspaces ?? 1, value_length: length });
    t += 1500;
  };
  field('name');
  field('id_number');
  emit('sms_sent');
  const smsAt = t;
  t += plan.smsLatencyMs ?? 21_000;
  field('sms_code');
  emit('sms_verified', { latency_ms: plan.smsLatencyMs ?? t - smsAt, attempts: 1 });
  emit('face_check', { score: plan.liveness === 'fail' ? 0.66 : 0.94, liveness: plan.liveness ?? 'pass', attempts: plan.faceAttempts ?? 1 });
  t += 4000;
  field('bank_card');
  field('reserved_phone');
  emit('bank_card_bound');
  return events;
}

export function dataset(parts: Partial<AnalysisDataset>): AnalysisDataset {
  return {
    applicants: parts.applicants ?? [],
    applications: parts.applications ?? [],
    devices: parts.devices ?? [],
    events: parts.events ?? [],
    bankCards: parts.bankCards ?? [],
    pfRecords: parts.pfRecords ?? [],
    bureaus: parts.bureaus ?? [],
    decisions: parts.decisions ?? [],
    labels: parts.labels ?? [],
  };
}
