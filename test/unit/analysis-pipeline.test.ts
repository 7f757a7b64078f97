// The false-positive traps and the fraud patterns, end to end through the in-memory engines on
// hand-built applicants: what each pattern looks like, and what must NOT convict a genuine applicant.
import { describe, expect, it } from 'vitest';
import type { ApplicantRecord, DeviceRecord, EventRecord, LabelRecord } from '../../shared/interchange/schema.js';
import { analyseDataset, type FullAnalysis } from '../../main/analysis/pipeline/run.js';
import { DEFAULT_PF_CAPS } from '../../main/analysis/pf/caps.js';
import { applicationFindings } from '../../main/analysis/scoring/findings.js';
import { defaultRuleSet } from '../../main/analysis/scoring/ruleSets.js';
import { residentIdCheckChar } from '../../main/interchange/residentId.js';
import { activationSession, applicant, application, card, dataset, IP, iphone, pf, xiaomi } from '../eval/fixtures.js';

function run(parts: Parameters<typeof dataset>[0]): FullAnalysis {
  return analyseDataset(dataset(parts), { rules: defaultRuleSet(), model: null, pfCaps: DEFAULT_PF_CAPS });
}

function codes(result: FullAnalysis, applicationId: string): string[] {
  return result.applications.get(applicationId)?.score.reasons.map((r) => r.code) ?? [];
}

function band(result: FullAnalysis, applicationId: string): string {
  return result.applications.get(applicationId)?.score.band ?? 'none';
}

/** A background of ordinary applicants so the behaviour baseline is a population, not one session. */
function background(count: number): { applicants: ApplicantRecord[]; applications: ReturnType<typeof application>[]; devices: DeviceRecord[]; events: EventRecord[] } {
  const out = { applicants: [] as ApplicantRecord[], applications: [] as ReturnType<typeof application>[], devices: [] as DeviceRecord[], events: [] as EventRecord[] };
  for (let i = 0; i < count; i++) {
    const a = `BG${i}`;
    const at = `2026-01-${String(5 + (i % 20)).padStart(2, '0')}T1${i % 10}:00:00+08:00`;
    out.applicants.push(applicant(a, { phone: `1390000${String(i).padStart(4, '0')}`, name: '张伟' }));
    out.applications.push(application(`APBG${i}`, a, at));
    out.devices.push(iphone(`DBG${i}`, at, { applicant_id: a, application_id: `APBG${i}`, ip: `36.110.2.${i + 2}`, ids: { idfv: `idfv-bg-${i}` }, hashes: { canvas: `c${i}`, webgl: `w${i}`, audio: `a${i}` } }));
    out.events.push(...activationSession(`APBG${i}`, at, `DBG${i}`, { smsLatencyMs: 10_000 + i * 700 }, `36.110.2.${i + 2}`));
  }
  return out;
}

function merge(...parts: Partial<Record<'applicants' | 'applications' | 'devices' | 'events' | 'bankCards' | 'pfRecords' | 'labels', unknown[]>>[]): Parameters<typeof dataset>[0] {
  const out: Record<string, unknown[]> = {};
  for (const p of parts) for (const [k, v] of Object.entries(p)) out[k] = [...(out[k] ?? []), ...(v ?? [])];
  return out;
}

/**
 * Eight students in one campus dormitory block, each on an iPhone of their own behind the campus NAT
 * address, applying at `at(i)`: ids `${prefix}0`..`${prefix}7`, phones from `phoneStem`, hashes marked `hash`.
 */
function campusStudents(prefix: string, phoneStem: string, hash: string, at: (i: number) => string): { students: ApplicantRecord[]; parts: Parameters<typeof merge>[0] } {
  const students = Array.from({ length: 8 }, (_, i) => applicant(`${prefix}${i}`, { phone: `${phoneStem}${String(i).padStart(4, '0')}`, id_number: '110105200503070019', address: { province: '北京市', city: '北京市', district: '海淀区', line: `清华园${i}号楼` } }));
  const applications = students.map((s, i) => application(`AP${s.id}`, s.id, at(i)));
  const devices = students.map((s, i) => iphone(`D${s.id}`, at(i), { applicant_id: s.id, application_id: `AP${s.id}`, ip: IP.campus, ids: { idfv: `idfv-${prefix.toLowerCase()}-${i}` }, hashes: { canvas: `${hash}c${i}`, webgl: `${hash}w${i}`, audio: `${hash}a${i}` } }));
  const events = students.flatMap((s, i) => activationSession(`AP${s.id}`, at(i), `D${s.id}`, {}, IP.campus));
  return { students, parts: { applicants: students, applications, devices, events } };
}

describe('genuine applicants who look suspicious stay below the high band', () => {
  it('a family sharing one phone: the device is shared, but within the household', () => {
    const mother = applicant('M', { name: '刘芳', phone: '13811110001', emergency_contacts: [{ name: '陈强', phone: '13811110002', relation: '配偶' }] });
    const father = applicant('F', { name: '陈强', phone: '13811110002', address: mother.address, emergency_contacts: [{ name: '刘芳', phone: '13811110001', relation: '配偶' }] });
    const son = applicant('S', { name: '陈小明', phone: '13811110003', id_number: '110105200003070012', address: mother.address, emergency_contacts: [{ name: '刘芳', phone: '13811110001', relation: '母亲' }] });
    const people = [mother, father, son];
    const apps = people.map((p, i) => application(`AP${p.id}`, p.id, `2026-01-1${i + 2}T20:00:00+08:00`));
    const devices = people.map((p, i) => xiaomi(`D${p.id}`, `2026-01-1${i + 2}T20:00:00+08:00`, { applicant_id: p.id, application_id: `AP${p.id}` }));
    const events = people.flatMap((p, i) => activationSession(`AP${p.id}`, `2026-01-1${i + 2}T20:00:00+08:00`, `D${p.id}`));
    const result = run(merge(background(30), { applicants: people, applications: apps, devices, events, bankCards: people.map((p) => card(p.id)) }));
    const deviceId = result.run.observations.get('DM')?.deviceId;
    expect(result.run.observations.get('DS')?.deviceId).toBe(deviceId);
    for (const p of people) {
      expect(codes(result, `AP${p.id}`)).not.toContain('DEVICE_SHARED_APPLICANTS');
      expect([`low`, `medium`], JSON.stringify(result.applications.get(`AP${p.id}`)?.score.reasons.map((r) => [r.code, r.logOdds]))).toContain(band(result, `AP${p.id}`));
    }
  });

  it('students behind one campus NAT address within the same half hour', () => {
    const { students, parts } = campusStudents('ST', '1370000', 's', (i) => `2026-01-15T14:${String(i * 3).padStart(2, '0')}:00+08:00`);
    const result = run(merge(background(30), parts));
    expect(result.rings.hubs.some((h) => h.kind === 'ip')).toBe(true);
    for (const s of students) {
      expect(codes(result, `AP${s.id}`)).not.toContain('NETWORK_SHARED_IP');
      expect(result.applications.get(`AP${s.id}`)?.ringId ?? null).toBeNull();
      expect(['low', 'medium']).toContain(band(result, `AP${s.id}`));
    }
  });

  it('students behind one campus NAT address after midnight: night owls, not a night-time burst', () => {
    const { students, parts } = campusStudents('SN', '1371000', 'n', (i) => `2026-01-16T00:${String(i * 7).padStart(2, '0')}:00+08:00`);
    const result = run(merge(background(30), parts));
    for (const s of students) {
      expect(codes(result, `AP${s.id}`)).not.toContain('BEHAVIOUR_NIGHT_BURST');
      expect(codes(result, `AP${s.id}`)).not.toContain('RING_MEMBER');
      expect(band(result, `AP${s.id}`)).toBe('low');
    }
  });

  it('someone who changed jobs after years of contributions: a new PF record is no bought history', () => {
    const a = applicant('JC', { employer: '上海明远咨询有限公司' });
    const former = pf('JC', { employer: '北京星辰科技有限公司', employer_code: '91110105MA01ABCDEF', status: 'closed', first_month: '2018-09', last_month: '2025-10', months_paid: 86, account_hash: 'pf-JC' });
    const current = pf('JC', { city: '上海市', employer: '上海明远咨询有限公司', employer_code: '91310000MA1FL2XY3Z', status: 'active', first_month: '2025-11', last_month: '2026-01', months_paid: 3, account_hash: 'pf-JC-sh' });
    const result = run(merge(background(30), {
      applicants: [a], applications: [application('APJC', 'JC', '2026-01-15T10:00:00+08:00')],
      devices: [iphone('DJC', '2026-01-15T10:00:00+08:00', { applicant_id: 'JC', application_id: 'APJC', ids: { idfv: 'jc' }, hashes: { canvas: 'jcc', webgl: 'jcw', audio: 'jca' } })],
      events: activationSession('APJC', '2026-01-15T10:00:00+08:00', 'DJC'), bankCards: [card('JC')], pfRecords: [former, current],
    }));
    expect(codes(result, 'APJC')).not.toEqual(expect.arrayContaining(['PF_RECENT_START']));
    expect(codes(result, 'APJC')).not.toContain('PF_EMPLOYER_MISMATCH');
    expect(band(result, 'APJC')).toBe('low');
    // A record whose start nobody knows says nothing: beside it, a record begun last month is still a recent start.
    const undated = pf('JC', { first_month: undefined, last_month: undefined, months_paid: undefined, status: 'closed', account_hash: 'pf-JC-old' });
    const recent = pf('JC', { city: '上海市', employer: '上海明远咨询有限公司', employer_code: '91310000MA1FL2XY3Z', first_month: '2025-12', last_month: '2026-01', months_paid: 2, account_hash: 'pf-JC-new' });
    const second = run(merge(background(30), {
      applicants: [a], applications: [application('APJC', 'JC', '2026-01-15T10:00:00+08:00')],
      devices: [iphone('DJC', '2026-01-15T10:00:00+08:00', { applicant_id: 'JC', application_id: 'APJC', ids: { idfv: 'jc' }, hashes: { canvas: 'jcc', webgl: 'jcw', audio: 'jca' } })],
      events: activationSession('APJC', '2026-01-15T10:00:00+08:00', 'DJC'), bankCards: [card('JC')], pfRecords: [undated, recent],
    }));
    expect(second.applications.get('APJC')?.features['pf_recent_start']).toBe(1);
  });

  it('quotes a PF base far above the declared income as the multiple it is, not the model\'s cap of 10', () => {
    const a = applicant('BX', { declared_income_monthly: 2000 });
    const result = run(merge(background(30), {
      applicants: [a], applications: [application('APBX', 'BX', '2026-01-15T10:00:00+08:00')],
      devices: [iphone('DBX', '2026-01-15T10:00:00+08:00', { applicant_id: 'BX', application_id: 'APBX', ids: { idfv: 'bx' }, hashes: { canvas: 'bxc', webgl: 'bxw', audio: 'bxa' } })],
      events: activationSession('APBX', '2026-01-15T10:00:00+08:00', 'DBX'), bankCards: [card('BX')], pfRecords: [pf('BX', { contribution_base: 30000 })],
    }));
    const reason = result.applications.get('APBX')?.score.reasons.find((r) => r.code === 'PF_BASE_ABOVE_INCOME');
    expect(reason?.detail.en).toContain('The contribution base is 15 times the declared income.');
    expect(reason?.detail['zh-CN']).toContain('缴存基数为申报收入的15倍。');
    expect(result.applications.get('APBX')?.features['pf_base_to_income']).toBe(10);
  });

  it('five colleagues of a small studio who all joined it when it opened, seven years ago', () => {
    // One employer, one start month, one shared employer cohort key: a shell's signs, but years of
    // contributions since, which nobody buys to look employed.
    const team = Array.from({ length: 5 }, (_, i) => applicant(`OT${i}`, { phone: `1357000${String(i).padStart(4, '0')}`, employer: '北京小禾设计工作室' }));
    const at = (i: number): string => `2026-01-${String(10 + i).padStart(2, '0')}T10:00:00+08:00`;
    const result = run(merge(background(30), {
      applicants: team, applications: team.map((m, i) => application(`AP${m.id}`, m.id, at(i))),
      devices: team.map((m, i) => iphone(`D${m.id}`, at(i), { applicant_id: m.id, application_id: `AP${m.id}`, ip: `36.110.3.${i + 2}`, ids: { idfv: `idfv-ot-${i}` }, hashes: { canvas: `otc${i}`, webgl: `otw${i}`, audio: `ota${i}` } })),
      events: team.flatMap((m, i) => activationSession(`AP${m.id}`, at(i), `D${m.id}`, {}, `36.110.3.${i + 2}`)),
      pfRecords: team.map((m) => pf(m.id, { employer: '北京小禾设计工作室', employer_code: 'STUDIO01', first_month: '2019-04', last_month: '2025-12', months_paid: 81 })),
    }));
    for (const m of team) {
      expect(codes(result, `AP${m.id}`)).not.toContain('PF_EMPLOYER_COHORT');
      expect(codes(result, `AP${m.id}`)).not.toContain('RING_MEMBER');
      expect(band(result, `AP${m.id}`)).toBe('low');
    }
  });

  it('a password-manager user who pastes the ID and card numbers', () => {
    const a = applicant('PM');
    const result = run(merge(background(30), {
      applicants: [a], applications: [application('APPM', 'PM', '2026-01-15T10:00:00+08:00')],
      devices: [iphone('DPM', '2026-01-15T10:00:00+08:00', { applicant_id: 'PM', application_id: 'APPM', ids: { idfv: 'pm' }, hashes: { canvas: 'pmc', webgl: 'pmw', audio: 'pma' } })],
      events: activationSession('APPM', '2026-01-15T10:00:00+08:00', 'DPM', { pasted: ['id_number', 'bank_card'], smsLatencyMs: 16_000 }),
    }));
    expect(codes(result, 'APPM')).not.toEqual(expect.arrayContaining(['BEHAVIOUR_BOT_FILL']));
    expect(codes(result, 'APPM')).not.toContain('BEHAVIOUR_COACHED');
    expect(band(result, 'APPM')).toBe('low');
  });

  it('a long-standing customer whose phone updated its OS and browser, applying from another province', () => {
    const a = applicant('UP', { registered_at: '2022-01-01T10:00:00+08:00' });
    const history = xiaomi('DUP1', '2025-03-01T10:00:00+08:00', { applicant_id: 'UP', user_agent: 'Mozilla/5.0 (Linux; Android 13; 23127PN0CC Build/TKQ1.221114.001; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/118.0.5993.111 Mobile Safari/537.36 LenderApp/7.2.0', hashes: { canvas: 'old', webgl: 'webgl-1', audio: 'audio-1' } });
    const now = xiaomi('DUP2', '2026-01-15T10:00:00+08:00', { applicant_id: 'UP', application_id: 'APUP', ip: IP.datacenter === '120.24.78.68' ? '113.108.1.1' : IP.residentialBeijing, hashes: { canvas: 'new', webgl: 'webgl-1', audio: 'audio-1' } });
    const result = run(merge(background(30), {
      applicants: [a], applications: [application('APUP', 'UP', '2026-01-15T10:00:00+08:00')], devices: [history, now],
      events: activationSession('APUP', '2026-01-15T10:00:00+08:00', 'DUP2'), bankCards: [card('UP', { bound_at: '2026-01-15T10:05:00+08:00', reserved_phone: a.phone })],
    }));
    expect(result.run.observations.get('DUP2')?.deviceId).toBe(result.run.observations.get('DUP1')?.deviceId);
    expect(codes(result, 'APUP')).not.toContain('ACCOUNT_TAKEOVER');
    expect(band(result, 'APUP')).toBe('low');
  });
});

describe('each fraud pattern is found with its own reason code', () => {
  it('a device farm: unrelated applicants on one reset phone at night', () => {
    const members = Array.from({ length: 6 }, (_, i) => applicant(`FM${i}`, { phone: `1360000${String(i).padStart(4, '0')}`, address: { province: '广东省', city: '深圳市', district: '南山区', line: `科技园${i}栋` } }));
    const at = (i: number): string => `2026-01-15T0${1 + Math.floor(i / 3)}:${String((i % 3) * 15).padStart(2, '0')}:00+08:00`;
    const devices = members.map((m, i) => xiaomi(`D${m.id}`, at(i), { applicant_id: m.id, application_id: `AP${m.id}`, ids: { android_id: `reset-${i}`, oaid: `oreset-${i}` }, signals: { multi_instance: i % 2 === 0 } }));
    const result = run(merge(background(30), {
      applicants: members, applications: members.map((m, i) => application(`AP${m.id}`, m.id, at(i))), devices,
      events: members.flatMap((m, i) => activationSession(`AP${m.id}`, at(i), `D${m.id}`, { pasted: ['name', 'id_number', 'bank_card'], faceAttempts: 3, smsLatencyMs: 6000 })),
    }));
    expect(new Set(members.map((m) => result.run.observations.get(`D${m.id}`)?.deviceId)).size).toBe(1);
    for (const m of members) {
      expect(codes(result, `AP${m.id}`)).toContain('DEVICE_SHARED_APPLICANTS');
      expect(['high', 'critical']).toContain(band(result, `AP${m.id}`));
    }
  });

  it('synthetic identities: a bad check digit and a recycled phone', () => {
    const fake = applicant('SY1', { id_number: '110105199003070013', phone: '13500001111' });
    const twin = applicant('SY2', { phone: '13500001111' });
    const result = run(merge(background(30), {
      applicants: [fake, twin], applications: [application('APSY1', 'SY1', '2026-01-15T10:00:00+08:00'), application('APSY2', 'SY2', '2026-01-16T10:00:00+08:00')],
      bankCards: [card('SY1', { holder_name_match: false }), card('SY2')],
    }));
    expect(codes(result, 'APSY1')).toEqual(expect.arrayContaining(['ID_CHECKSUM_INVALID', 'CARD_HOLDER_MISMATCH', 'PHONE_SHARED']));
    expect(codes(result, 'APSY2')).toContain('PHONE_SHARED');
  });

  it('PF fabrication: a small shell employer whose applicants all started contributing two months before applying', () => {
    const members = Array.from({ length: 5 }, (_, i) => applicant(`PF${i}`, { phone: `1350000${String(i).padStart(4, '0')}`, declared_income_monthly: 4500, employer: '广州汇通商务咨询有限公司' }));
    const result = run(merge(background(30), {
      applicants: members, applications: members.map((m) => application(`AP${m.id}`, m.id, '2026-01-18T10:00:00+08:00')),
      pfRecords: members.map((m) => pf(m.id, { city: '广州市', employer: '广州汇通商务咨询有限公司', employer_code: 'SHELL01', contribution_base: 20000, first_month: '2025-11', last_month: '2025-12', months_paid: 2 })),
    }));
    for (const m of members) {
      expect(codes(result, `AP${m.id}`)).toEqual(expect.arrayContaining(['PF_RECENT_START', 'PF_BASE_ABOVE_INCOME', 'PF_EMPLOYER_COHORT']));
      expect(['high', 'critical']).toContain(band(result, `AP${m.id}`));
    }
  });

  it('an account takeover: an old account on a new phone in another province with a card whose reserved phone is someone else\'s', () => {
    const victim = applicant('AT', { registered_at: '2021-05-01T10:00:00+08:00' });
    const own = xiaomi('DAT1', '2025-09-01T10:00:00+08:00', { applicant_id: 'AT' });
    const taker = iphone('DAT2', '2026-01-15T03:00:00+08:00', { applicant_id: 'AT', application_id: 'APAT', ip: '113.108.1.1', ids: { idfv: 'taker' }, hashes: { canvas: 'tc', webgl: 'tw', audio: 'ta' } });
    const result = run(merge(background(30), {
      applicants: [victim], applications: [application('APAT', 'AT', '2026-01-15T03:00:00+08:00')], devices: [own, taker],
      bankCards: [card('AT', { bound_at: '2026-01-15T03:05:00+08:00', reserved_phone: '13012345678' })],
    }));
    expect(codes(result, 'APAT')).toContain('ACCOUNT_TAKEOVER');
  });

  /** A customer since 2021 on a phone it never used, in its own province (Beijing), binding a card that day. */
  function newPhoneAtHome(id: string, at: string, reservedPhone: 'own' | 'someone else'): FullAnalysis {
    const customer = applicant(id, { registered_at: '2021-05-01T10:00:00+08:00' });
    const own = xiaomi(`D${id}1`, '2025-09-01T10:00:00+08:00', { applicant_id: id });
    const next = iphone(`D${id}2`, at, { applicant_id: id, application_id: `AP${id}`, ip: IP.residentialBeijing2, ids: { idfv: `idfv-${id}` }, hashes: { canvas: `c-${id}`, webgl: `w-${id}`, audio: `a-${id}` } });
    const bound = new Date(Date.parse(at) + 5 * 60_000).toISOString();
    return run(merge(background(30), {
      applicants: [customer], applications: [application(`AP${id}`, id, at)], devices: [own, next],
      events: activationSession(`AP${id}`, at, `D${id}2`),
      bankCards: [card(id, { bound_at: bound, reserved_phone: reservedPhone === 'own' ? customer.phone : '13012345678' })],
    }));
  }

  it('an account takeover from the victim\'s own province: an old account on a new phone with a card whose reserved phone is someone else\'s', () => {
    const result = newPhoneAtHome('AL', '2026-01-15T03:00:00+08:00', 'someone else');
    const reason = result.applications.get('APAL')?.score.reasons.find((r) => r.code === 'ACCOUNT_TAKEOVER');
    expect(reason?.ruleIds).toEqual(['account.takeover_local']);
    expect(reason?.detail.en).toContain('in its usual region (北京');
    expect(reason?.detail['zh-CN']).toContain('常驻地区（北京');
  });

  it('no takeover for a long-standing customer on a new phone in their own province who binds a card with their own phone', () => {
    const result = newPhoneAtHome('NL', '2026-01-15T10:00:00+08:00', 'own');
    expect(result.applications.get('APNL')?.features['ato_local']).toBe(0);
    expect(codes(result, 'APNL')).not.toContain('ACCOUNT_TAKEOVER');
    expect(band(result, 'APNL')).toBe('low');
  });

  it('a ring joined by weak links alone names them in its explanation', () => {
    // Three strangers at one address, nothing else shared: no strong kind, and the explanation still
    // says what they share instead of an empty "shared ".
    const address = { province: '北京市', city: '北京市', district: '海淀区', line: '学院路 5 号 2 单元 301' };
    const people = [1, 2, 3].map((i) => applicant(`W${i}`, { phone: `1370000000${i}`, address }));
    const result = run(merge(background(20), { applicants: people, applications: people.map((p) => application(`AP${p.id}`, p.id, '2026-01-18T10:00:00+08:00')) }));
    const ring = result.rings.rings.find((r) => r.applicantIds.includes('W1'));
    expect(ring?.applicantIds).toEqual(['W1', 'W2', 'W3']);
    expect(ring?.strongKinds).toEqual([]);
    const evidence = result.applications.get('APW1')?.evidence;
    expect(evidence?.['ring_links']).toBe('address');
    expect(evidence?.['ring_links:zh-CN']).toBe('地址');
  });

  it('labels never reach the features: the same data with and without labels scores the same', () => {
    const parts = background(20);
    const labels: LabelRecord[] = parts.applications.map((a, i) => ({ type: 'label', application_id: a.id, is_fraud: i % 2 === 0, source: 'synthetic' }));
    const without = run(parts);
    const withLabels = run({ ...parts, labels });
    for (const [id, r] of without.applications) expect(withLabels.applications.get(id)?.features).toEqual(r.features);
  });
});

describe('each identity and PF explanation quotes its own finding, in each language', () => {
  /** The explanation of the reason named `code`, in both languages. */
  function detail(result: FullAnalysis, applicationId: string, code: string): { en: string; zh: string } {
    const reason = result.applications.get(applicationId)?.score.reasons.find((r) => r.code === code);
    return { en: reason?.detail.en ?? '(no such reason)', zh: reason?.detail['zh-CN'] ?? '(no such reason)' };
  }

  it('a shell employer\'s cohort that began over two months, one record at the city cap beside a round base', () => {
    // Three began in 2025-11 and two in 2025-12: within a month of each other, not in one month.
    const members = Array.from({ length: 5 }, (_, i) => applicant(`PC${i}`, { phone: `1351000${String(i).padStart(4, '0')}`, declared_income_monthly: 4500, employer: '广州汇通商务咨询有限公司' }));
    const shell = (m: ApplicantRecord, i: number): ReturnType<typeof pf> =>
      pf(m.id, { city: '广州市', employer: '广州汇通商务咨询有限公司', employer_code: 'SHELL02', contribution_base: 20000, first_month: i < 3 ? '2025-11' : '2025-12', last_month: '2025-12', months_paid: i < 3 ? 2 : 1 });
    // PC0 also has a second, later record at the city's cap, started after the first.
    const capped = pf('PC0', { city: '广州市', employer: '广州汇通商务咨询有限公司', employer_code: 'SHELL02', contribution_base: 38082, first_month: '2025-12', last_month: '2025-12', months_paid: 1, account_hash: 'pf-PC0-cap' });
    const result = run(merge(background(30), {
      applicants: members, applications: members.map((m) => application(`AP${m.id}`, m.id, '2026-01-18T10:00:00+08:00')),
      pfRecords: [...members.map(shell), capped],
    }));
    expect(detail(result, 'APPC0', 'PF_EMPLOYER_COHORT')).toEqual({
      en: '5 of the 5 applicants of one small employer started contributing between 2025-11 and 2025-12.',
      zh: '同一小型单位的5名申请人中，有5人于2025-11至2025-12间开始缴存。',
    });
    // The start quoted is the earliest record's, and nothing else of any record.
    const start = detail(result, 'APPC0', 'PF_RECENT_START');
    expect(start.en).toContain('Provident fund contributions started shortly before applying (first month 2025-11, 2 months before applying).');
    expect(start.zh).toContain('公积金在申请前不久才开始缴存（首缴月份2025-11，申请前2个月）。');
    expect(detail(result, 'APPC4', 'PF_RECENT_START').en).toContain('(first month 2025-12, 1 month before applying)');
    // Each base that fired, once, and no start, income or employer finding.
    expect(detail(result, 'APPC0', 'PF_BASE_SUSPICIOUS')).toEqual({
      en: 'The contribution base sits at the city cap or on a round number (base 20000, a round number; base 38082, the city\'s cap of 38082).',
      zh: '缴存基数为城市上限或整数（基数20000，为整数；基数38082，达到城市上限38082）。',
    });
  });

  it('a cohort that began in one month says so', () => {
    const members = Array.from({ length: 4 }, (_, i) => applicant(`PS${i}`, { phone: `1352000${String(i).padStart(4, '0')}`, employer: '深圳前海宏达贸易有限公司' }));
    const result = run(merge(background(30), {
      applicants: members, applications: members.map((m) => application(`AP${m.id}`, m.id, '2026-01-18T10:00:00+08:00')),
      pfRecords: members.map((m) => pf(m.id, { city: '深圳市', employer: '深圳前海宏达贸易有限公司', employer_code: 'SHELL03', first_month: '2026-01', last_month: '2026-01', months_paid: 1 })),
    }));
    expect(detail(result, 'APPS1', 'PF_EMPLOYER_COHORT')).toEqual({
      en: '4 of the 4 applicants of one small employer started contributing in 2026-01.',
      zh: '同一小型单位的4名申请人中，有4人于2026-01同月开始缴存。',
    });
    expect(detail(result, 'APPS1', 'PF_RECENT_START').en).toContain('(first month 2026-01, the month of applying)');
  });

  it('an ID of no known region, with a wrong check digit and a birth date that is no date: each rule says its own', () => {
    // 119905: no division; 19901345: no date; the last character is not the check digit.
    const fake = applicant('IDX', { id_number: '119905199013450010' });
    const young = applicant('IDY', { id_number: '110105201003070017', phone: '13520000002' });
    const result = run(merge(background(30), {
      applicants: [fake, young], applications: [application('APIDX', 'IDX', '2026-01-15T10:00:00+08:00'), application('APIDY', 'IDY', '2026-01-15T11:00:00+08:00')],
    }));
    expect(codes(result, 'APIDX')).toEqual(expect.arrayContaining(['ID_CHECKSUM_INVALID', 'ID_REGION_INVALID', 'ID_AGE_IMPLAUSIBLE']));
    expect(detail(result, 'APIDX', 'ID_REGION_INVALID')).toEqual({
      en: 'The resident ID\'s region code 119905 is not a known administrative division.',
      zh: '身份证号地区码119905不是已知行政区划。',
    });
    expect(detail(result, 'APIDX', 'ID_AGE_IMPLAUSIBLE')).toEqual({
      en: 'The age the resident ID gives is implausible: its birth date digits are not a calendar date.',
      zh: '身份证号显示的年龄不合理：出生日期码不是有效日期。',
    });
    expect(detail(result, 'APIDY', 'ID_AGE_IMPLAUSIBLE')).toEqual({
      en: 'The age the resident ID gives is implausible: 15 years old on applying.',
      zh: '身份证号显示的年龄不合理：申请时15岁。',
    });
  });
});

describe('an ID age that contradicts the PF record', () => {
  /** A valid resident ID (check character computed) of someone born on `birth` (`YYYYMMDD`) in Beijing's 东城区. */
  function idBornOn(birth: string, sequence = '001'): string {
    const first17 = `110101${birth}${sequence}`;
    return `${first17}${residentIdCheckChar(first17)}`;
  }

  function withPf(id: string, birth: string, firstMonth: string): FullAnalysis {
    const a = applicant(id, { id_number: idBornOn(birth), phone: `1334444${id.replace(/\D/g, '').padStart(4, '0')}` });
    return run(merge(background(30), {
      applicants: [a], applications: [application(`AP${id}`, id, '2026-01-15T10:00:00+08:00')], bankCards: [card(id)],
      pfRecords: [pf(id, { employer_code: `CO${id}`, first_month: firstMonth, last_month: '2025-12' })],
    }));
  }

  it('names an ID of a 20-year-old whose contributions began at 9, in both languages and as a finding', () => {
    const result = withPf('AG1', '20060107', '2015-01');
    const app = result.applications.get('APAG1');
    const reason = app?.score.reasons.find((r) => r.code === 'ID_AGE_IMPLAUSIBLE');
    expect(reason?.ruleIds).toEqual(['identity.age_pf']);
    expect(reason?.detail.en).toBe('The resident ID\'s birth date contradicts the provident fund record: contributions began at 9.');
    expect(reason?.detail['zh-CN']).toBe('身份证号的出生日期与公积金记录矛盾：9岁时即开始缴存。');
    expect(applicationFindings((app as NonNullable<typeof app>).context)).toContainEqual({ family: 'identity', check: 'age_vs_pf', detail: 'first_month=2015-01 age=9' });
  });

  it('does not name contributions begun in the month the applicant turned 16, nor those of an applicant without a PF record', () => {
    expect(codes(withPf('AG2', '20000615', '2016-06'), 'APAG2')).not.toContain('ID_AGE_IMPLAUSIBLE');
    expect(withPf('AG3', '20000615', '2016-05').applications.get('APAG3')?.features['id_age_pf_conflict']).toBe(1);
    const none = run(merge(background(30), { applicants: [applicant('AG4', { id_number: idBornOn('20060107') })], applications: [application('APAG4', 'AG4', '2026-01-15T10:00:00+08:00')] }));
    expect(none.applications.get('APAG4')?.features['id_age_pf_conflict']).toBe(0);
  });
});
