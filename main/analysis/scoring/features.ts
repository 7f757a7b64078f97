// One application's evidence as named numbers (what rules and the model read) plus the words behind
// them (what explanations quote). Built from an ApplicationContext, which the in-memory pipeline and the
// store-backed service assemble the same way.
import type { ApplicantRecord, ApplicationRecord, BankCardRecord, BureauRecord } from '../../../shared/interchange/schema.js';
import type { BehaviourAssessment } from '../behaviour/flags.js';
import type { SessionFeatures } from '../behaviour/sessions.js';
import type { DeviceFlag, FlagEvidence } from '../devices/flags.js';
import { ageAtMonth, MIN_WORKING_AGE, type IdentityFindings } from '../identity/checks.js';
import { cohortFeatureSize, type EmployerCohort, type PfFindings } from '../pf/checks.js';
import { DAY_MS } from '../common/time.js';
import { formatNumber } from './rules.js';
import { translate } from '../../../shared/i18n/index.js';
import { LINK_KINDS, type LinkKind } from '../links/identifiers.js';

export interface ObservationSummary {
  readonly observationId: string;
  readonly deviceId: string;
  readonly observedAtMs: number;
  readonly flags: readonly DeviceFlag[];
  readonly evidence: readonly FlagEvidence[];
  readonly ipCity: string | null;
  readonly ipProvince: string | null;
}

export interface DeviceReputation {
  readonly deviceId: string;
  /** Distinct other applicants on this device identity within 30 days of the application. */
  readonly otherApplicants30d: number;
  /** Distinct other applicants on it ever, and those of them not in the applicant's household. */
  readonly otherApplicants: number;
  readonly unrelatedApplicants: number;
  /** Distinct resident ID numbers among its applicants (identities, not accounts). */
  readonly identities: number;
  readonly applications7d: number;
  readonly hardwareIdResets: number;
  /** Flags of the identity as a whole (traits seen over time, plus every observation's flags). */
  readonly flags: readonly DeviceFlag[];
}

export interface RingSummary {
  readonly ringId: string;
  readonly size: number;
  /** Ring score without confirmed-fraud taint. */
  readonly baseScore: number;
  readonly strongKinds: readonly string[];
  /** Every kind its members share (a ring joined by weak kinds alone, an address and an IP, has no strong one). */
  readonly linkKinds: readonly string[];
  readonly householdShare: number;
  /** Another member (never this applicant) has a confirmed fraud outcome. */
  readonly confirmedOther: boolean;
}

export interface ApplicationContext {
  readonly application: ApplicationRecord;
  readonly applicant: ApplicantRecord | null;
  readonly cards: readonly BankCardRecord[];
  readonly bureau: BureauRecord | null;
  /** Observations made during this application (by application id or through its events). */
  readonly observations: readonly ObservationSummary[];
  readonly devices: readonly DeviceReputation[];
  /** The applicant's device identities and IP provinces seen before this application (account history). */
  readonly priorDeviceIds: readonly string[];
  readonly priorProvinces: readonly string[];
  readonly sessions: readonly { readonly features: SessionFeatures; readonly assessment: BehaviourAssessment }[];
  readonly identity: IdentityFindings | null;
  readonly pf: readonly PfFindings[];
  readonly cohort: EmployerCohort | null;
  /** Other applicants using this applicant's phone as their own or reserved phone. */
  readonly phoneSharedWith: number;
  /** Most other applicants seen on one of this application's IPs within half an hour (hubs included). */
  readonly ipCrowd: number;
  readonly ipCampus: boolean;
  /** Other night-time applications within two hours on the same device identity or IP. */
  readonly nightBurstPeers: number;
  readonly ring: RingSummary | null;
  /** Values the applicant shares with so many others that they are down-weighted hubs (campus NAT, big employer). */
  readonly hubs?: readonly { readonly kind: string; readonly holders: number }[];
}

export type FeatureVector = Record<string, number>;
export type Evidence = Record<string, string>;

/** Province names from ip2region (广东省) and from addresses (广东 / 广东省) compared by their first two characters. */
function provinceKey(name: string): string {
  return name.slice(0, 2);
}

/** Link kinds as an explanation names them: "device, bank card" / "设备、银行卡" (an unknown kind as it is). */
function linkKindWords(kinds: readonly string[]): { en: string; zh: string } {
  const known = (kind: string): kind is LinkKind => (LINK_KINDS as readonly string[]).includes(kind);
  const en = kinds.map((kind) => {
    if (!known(kind)) return kind;
    const name = translate('en', `link.${kind}`);
    // "Bank card" reads as "bank card" inside a sentence; "IP" and "PF account" keep their capitals.
    return /^[A-Z][a-z]/.test(name) ? name.charAt(0).toLowerCase() + name.slice(1) : name;
  });
  return { en: en.join(', '), zh: kinds.map((kind) => (known(kind) ? translate('zh-CN', `link.${kind}`) : kind)).join('、') };
}

/**
 * The earliest dated PF record (a job changer's history began with it), else any record: the one a PF
 * start is judged on. A record whose start is unknown says nothing about it, either way.
 */
export function earliestPf(pf: readonly PfFindings[]): PfFindings | null {
  const dated = pf.filter((p) => p.monthsBeforeApply !== null);
  return (dated.length > 0 ? dated : pf).reduce<PfFindings | null>((first, p) => (first === null || (p.monthsBeforeApply ?? 120) > (first.monthsBeforeApply ?? 120) ? p : first), null);
}

/**
 * The age the resident ID gives at the month the earliest PF record began, and whether that is below working
 * age (the `id_age_pf_conflict` check, which the features and the findings both read); null when either is unknown.
 */
export function pfStartAge(id: IdentityFindings | null, earliest: PfFindings | null): { firstMonth: string; age: number; underage: boolean } | null {
  if (id === null || id.birthDate === null || earliest === null || earliest.firstMonth === null) return null;
  const age = ageAtMonth(id.birthDate, earliest.firstMonth);
  return { firstMonth: earliest.firstMonth, age, underage: age < MIN_WORKING_AGE };
}

/** When a recent PF history began, as the start rule quotes it. */
function startWords(firstMonth: string, monthsBefore: number): { en: string; zh: string } {
  if (monthsBefore === 0) return { en: `first month ${firstMonth}, the month of applying`, zh: `首缴月份${firstMonth}，即申请当月` };
  return { en: `first month ${firstMonth}, ${monthsBefore} month${monthsBefore === 1 ? '' : 's'} before applying`, zh: `首缴月份${firstMonth}，申请前${monthsBefore}个月` };
}

/** The bases at a city's cap or on a round number, each once, as the base rule quotes them. */
function baseWords(pf: readonly PfFindings[]): { en: string; zh: string } {
  const en: string[] = [];
  const zh: string[] = [];
  const seen = new Set<string>();
  for (const p of pf) {
    if (p.base === null || (!p.baseAtCap && !p.baseRound)) continue;
    const key = `${p.base}|${p.baseAtCap}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (p.baseAtCap) {
      en.push(`base ${p.base}, the city's cap of ${p.cap ?? p.base}`);
      zh.push(`基数${p.base}，达到城市上限${p.cap ?? p.base}`);
    } else {
      en.push(`base ${p.base}, a round number`);
      zh.push(`基数${p.base}，为整数`);
    }
  }
  return { en: en.join('; '), zh: zh.join('；') };
}

function b(value: boolean): number {
  return value ? 1 : 0;
}

function evidenceOf(observations: readonly ObservationSummary[], flags: readonly DeviceFlag[]): string {
  const details = new Set<string>();
  for (const o of observations) for (const e of o.evidence) if (flags.includes(e.flag)) details.add(e.detail);
  return [...details].slice(0, 4).join('; ');
}

/**
 * The PF cohort's features and evidence words, from the applicant's cohort alone. An incremental run
 * rewrites just these in a stored analysis when the cohort is all that moved for an applicant
 * (AnalyzeRun.cohortPatches); assigning keys an object already has keeps their order, so the JSON
 * comes out as a full computation writes it.
 */
export function writeCohortFeatures(cohort: EmployerCohort | null, f: FeatureVector, ev: Evidence): void {
  f['pf_cohort_suspicious'] = b(cohort?.suspicious === true);
  // Only a small employer's recent cohort means anything: a big one hiring a graduate class, or a team that
  // joined together years ago, is no signal.
  const counted = cohortFeatureSize(cohort);
  f['pf_cohort_size'] = counted;
  // Numbers and months only: each language's template says what they mean. (`pf_cohort`, an English
  // sentence, stays for rule sets a team lead wrote against it.) Only what an incremental run keeps count
  // of: the counted size for any counted cohort, the employer's size and the months for a shell's alone
  // (every member of one is analysed again when a colleague joins; a counted cohort's are when its size moves).
  const shell = cohort?.suspicious === true ? cohort : null;
  ev['pf_cohort'] = shell === null ? '' : `${shell.cohortSize} of ${shell.employerSize} applicants of one employer started ${shell.firstMonth}`;
  ev['pf_cohort_members'] = counted > 0 ? String(counted) : '';
  ev['pf_cohort_employer_size'] = shell === null ? '' : String(shell.employerSize);
  ev['pf_cohort_month'] = shell?.firstMonth ?? '';
  // The months the cohort began in: it counts those who began within a month of each other, not in one month.
  ev['pf_cohort_when'] = shell === null ? '' : shell.fromMonth === shell.toMonth ? `in ${shell.fromMonth}` : `between ${shell.fromMonth} and ${shell.toMonth}`;
  ev['pf_cohort_when:zh-CN'] = shell === null ? '' : shell.fromMonth === shell.toMonth ? `于${shell.fromMonth}同月` : `于${shell.fromMonth}至${shell.toMonth}间`;
}

export function applicationFeatures(ctx: ApplicationContext): { features: FeatureVector; evidence: Evidence } {
  const f: FeatureVector = {};
  const ev: Evidence = {};
  const submittedMs = Date.parse(ctx.application.submitted_at);

  // Devices: an application is as suspicious as the worst device it used.
  const obsFlags = new Set<DeviceFlag>();
  for (const o of ctx.observations) for (const flag of o.flags) obsFlags.add(flag);
  for (const d of ctx.devices) for (const flag of d.flags) obsFlags.add(flag);
  const has = (...flags: DeviceFlag[]): boolean => flags.some((x) => obsFlags.has(x));
  f['device_emulator'] = b(has('emulator'));
  f['device_tampered'] = b(has('rooted', 'jailbroken', 'hooking', 'multi_instance', 'debugger'));
  f['device_automation'] = b(has('automation'));
  f['device_inconsistent'] = b(has('inconsistent'));
  f['device_geo_mismatch'] = b(has('geo_mismatch'));
  f['network_proxy'] = b(has('proxy'));
  f['network_datacenter'] = b(has('datacenter_ip'));
  f['device_mock_location'] = b(has('mock_location'));
  ev['device_emulator_evidence'] = evidenceOf(ctx.observations, ['emulator']);
  ev['device_tampered_evidence'] = evidenceOf(ctx.observations, ['rooted', 'jailbroken', 'hooking', 'multi_instance', 'debugger']);
  ev['device_automation_evidence'] = evidenceOf(ctx.observations, ['automation']);
  ev['device_inconsistent_evidence'] = evidenceOf(ctx.observations, ['inconsistent']);
  ev['device_geo_evidence'] = evidenceOf(ctx.observations, ['geo_mismatch']);
  ev['network_proxy_evidence'] = evidenceOf(ctx.observations, ['proxy']);

  let other30 = 0;
  let unrelated = 0;
  let identities = 0;
  let resets = 0;
  let apps7 = 0;
  let worstDevice = '';
  for (const d of ctx.devices) {
    if (d.unrelatedApplicants > unrelated || (d.unrelatedApplicants === unrelated && worstDevice === '')) worstDevice = d.deviceId;
    other30 = Math.max(other30, d.otherApplicants30d);
    unrelated = Math.max(unrelated, d.unrelatedApplicants);
    identities = Math.max(identities, d.identities);
    resets = Math.max(resets, d.hardwareIdResets);
    apps7 = Math.max(apps7, d.applications7d);
  }
  f['device_other_applicants_30d'] = other30;
  f['device_unrelated_applicants'] = unrelated;
  f['device_identities'] = identities;
  f['device_id_resets'] = resets;
  f['device_applications_7d'] = apps7;
  f['device_shared_log'] = Math.log1p(unrelated);
  ev['device_id'] = worstDevice;

  f['ip_crowd'] = ctx.ipCrowd;
  f['ip_campus'] = b(ctx.ipCampus);
  f['ip_crowd_noncampus'] = ctx.ipCampus ? 0 : ctx.ipCrowd;

  // Behaviour: the most machine-like form session speaks for the application.
  let bot = 0;
  let botPoints = 0;
  let coached = 0;
  let smsInstant = 0;
  let pasteIdentity = 0;
  let faceRetries = 0;
  let faceFail = 0;
  let faceScore = 1;
  let night = 0;
  let keyCv = Number.NaN;
  let speedZ = 0;
  let smsLatency = Number.NaN;
  const botSignals: string[] = [];
  const coachedSignals: string[] = [];
  // In session order, so ties (equal bot points, two coached sessions) quote the same session's signals
  // whichever order a run read the sessions in (an incremental run reads stored ones first).
  const sessions = ctx.sessions.length < 2 ? ctx.sessions : [...ctx.sessions].sort((x, y) => (x.features.sessionId < y.features.sessionId ? -1 : x.features.sessionId > y.features.sessionId ? 1 : 0));
  for (const { features: s, assessment: a } of sessions) {
    if (a.bot) bot = 1;
    if (a.botPoints >= botPoints) {
      botPoints = a.botPoints;
      botSignals.splice(0, botSignals.length, ...a.botSignals);
    }
    if (a.coached) {
      coached = 1;
      coachedSignals.splice(0, coachedSignals.length, ...a.coachedSignals);
    }
    if (a.smsInstant) smsInstant = 1;
    if (a.night) night = 1;
    pasteIdentity = Math.max(pasteIdentity, s.pastesIdentity);
    faceRetries = Math.max(faceRetries, s.faceRetries ?? 0);
    if (s.faceLivenessFailed) faceFail = 1;
    if (s.faceScore !== null) faceScore = Math.min(faceScore, s.faceScore);
    if (s.keyIntervalCv !== null && !(keyCv <= s.keyIntervalCv)) keyCv = s.keyIntervalCv;
    if (s.smsLatencyMs !== null && !(smsLatency <= s.smsLatencyMs)) smsLatency = s.smsLatencyMs;
    speedZ = Math.min(speedZ, a.z.msPerChar ?? 0);
  }
  f['beh_sessions'] = ctx.sessions.length;
  f['beh_bot'] = bot;
  f['beh_bot_points'] = botPoints;
  f['beh_coached'] = coached;
  f['beh_sms_instant'] = smsInstant;
  f['beh_paste_identity'] = pasteIdentity;
  f['beh_face_retries'] = faceRetries;
  f['beh_face_fail'] = faceFail;
  f['beh_face_score'] = faceScore;
  ev['beh_face_score'] = faceScore.toFixed(2);
  f['beh_night'] = night;
  f['beh_key_cv'] = Number.isFinite(keyCv) ? keyCv : 0.5;
  f['beh_speed_z'] = Math.max(-10, speedZ);
  f['beh_sms_latency_s'] = Number.isFinite(smsLatency) ? smsLatency / 1000 : 20;
  ev['beh_bot_evidence'] = botSignals.join('; ');
  ev['beh_coached_evidence'] = coachedSignals.join('; ');
  ev['beh_sms_latency'] = Number.isFinite(smsLatency) ? `${(smsLatency / 1000).toFixed(1)} s` : '';
  ev['beh_sms_latency:zh-CN'] = Number.isFinite(smsLatency) ? `${(smsLatency / 1000).toFixed(1)} 秒` : '';
  f['night_burst_peers'] = ctx.nightBurstPeers;

  // Identity.
  const id = ctx.identity;
  f['id_checksum_invalid'] = b(id !== null && !id.checksumValid);
  f['id_region_invalid'] = b(id !== null && !id.regionKnown);
  f['id_age_implausible'] = b(id !== null && id.ageImplausible);
  f['applicant_age'] = id?.age ?? 0;
  f['card_holder_mismatch'] = b(ctx.cards.some((c) => c.holder_name_match === false));
  const ownDigits = ctx.applicant === null ? null : ctx.applicant.phone.replace(/\D/g, '').slice(-11);
  f['card_reserved_phone_other'] = b(ownDigits !== null && ctx.cards.some((c) => c.reserved_phone !== undefined && c.reserved_phone.replace(/\D/g, '').slice(-11) !== ownDigits));
  f['phone_shared_applicants'] = ctx.phoneSharedWith;
  ev['id_evidence'] = id === null ? '' : id.findings.filter((x) => !x.startsWith('card_')).join('; ');
  ev['applicant_age'] = id?.age === null || id === null ? '?' : String(id.age);
  // What each identity rule quotes: its own finding only, in the reader's language.
  ev['id_region_code'] = id === null || id.regionKnown ? '' : id.regionCode;
  // Undefined when the age is plausible; an implausible age is null only when the birth digits are no date.
  const idAge = id !== null && id.ageImplausible ? id.age : undefined;
  ev['id_age'] = idAge === undefined ? '' : idAge === null ? 'its birth date digits are not a calendar date' : `${idAge} years old on applying`;
  ev['id_age:zh-CN'] = idAge === undefined ? '' : idAge === null ? '出生日期码不是有效日期' : `申请时${idAge}岁`;

  // PF: the most suspicious record counts.
  const pf = ctx.pf;
  f['pf_present'] = b(pf.length > 0);
  // An applicant's contributions began with its earliest record: a job changer's new record after years
  // with another employer is no history bought shortly before applying.
  const earliest = earliestPf(pf);
  f['pf_recent_start'] = b(earliest?.recentStart === true);
  // An ID that makes the applicant a child when their contributions began: the age contradicts other data.
  const startAge = pfStartAge(id, earliest);
  f['id_age_pf_conflict'] = b(startAge?.underage === true);
  ev['id_pf_age'] = startAge === null ? '' : startAge.age < 0 ? 'before the birth date it gives' : `at ${startAge.age}`;
  ev['id_pf_age:zh-CN'] = startAge === null ? '' : startAge.age < 0 ? '出生之前' : `${startAge.age}岁时`;
  // The start the rule judged, the earliest record's, not every record's findings.
  const start = earliest?.recentStart === true ? startWords(earliest.firstMonth ?? '?', earliest.monthsBeforeApply ?? 0) : { en: '', zh: '' };
  ev['pf_start'] = start.en;
  ev['pf_start:zh-CN'] = start.zh;
  // Without a PF record there is no start to judge: the feature is left out (the model takes it as usual),
  // so an applicant without PF is never explained as having started contributing recently.
  if (earliest !== null) f['pf_months_before_apply'] = Math.min(earliest.monthsBeforeApply ?? 120, 120);
  f['pf_gap_months'] = Math.max(0, ...pf.map((p) => p.gapMonths));
  f['pf_base_above_income'] = b(pf.some((p) => p.baseAboveIncome));
  const baseToIncome = Math.max(0, ...pf.map((p) => p.baseToIncome ?? 0));
  f['pf_base_to_income'] = Math.min(10, baseToIncome);
  // The model reads the multiple capped at 10; an explanation quotes it as it is (15, not 10).
  ev['pf_base_to_income'] = formatNumber(baseToIncome);
  f['pf_base_round'] = b(pf.some((p) => p.baseRound));
  f['pf_base_at_cap'] = b(pf.some((p) => p.baseAtCap));
  const bases = baseWords(pf);
  ev['pf_base'] = bases.en;
  ev['pf_base:zh-CN'] = bases.zh;
  // A closed or suspended record is a former job: its employer differs from today's as a matter of course.
  f['pf_employer_mismatch'] = b(pf.some((p) => p.employerMismatch && !p.statusInactive));
  f['pf_inactive'] = b(pf.some((p) => p.statusInactive));
  ev['pf_evidence'] = pf.flatMap((p) => p.findings).slice(0, 5).join('; ');
  writeCohortFeatures(ctx.cohort, f, ev);

  // Ring.
  const ring = ctx.ring;
  f['ring_member'] = b(ring !== null);
  f['ring_size'] = ring?.size ?? 0;
  f['ring_base_score'] = (ring?.baseScore ?? 0) / 1000;
  f['ring_strong_kinds'] = ring?.strongKinds.length ?? 0;
  f['ring_household_share'] = ring?.householdShare ?? 0;
  f['ring_confirmed_other'] = b(ring?.confirmedOther === true);
  ev['ring_id'] = ring?.ringId ?? '';
  // What the members share, strong kinds first: a ring joined by weak kinds alone names those.
  const ringKinds = linkKindWords(ring === null ? [] : ring.strongKinds.length > 0 ? ring.strongKinds : ring.linkKinds);
  ev['ring_links'] = ringKinds.en;
  ev['ring_links:zh-CN'] = ringKinds.zh;

  // Account takeover: an old account, suddenly on a new device in a new province with a new card.
  // Provinces, not cities: a home broadband and a mobile network in one province geolocate to different cities.
  const registeredMs = ctx.applicant?.registered_at === undefined ? Number.NaN : Date.parse(ctx.applicant.registered_at);
  const accountAgeDays = Number.isFinite(registeredMs) ? Math.max(0, (submittedMs - registeredMs) / DAY_MS) : 0;
  const currentDevices = new Set(ctx.observations.map((o) => o.deviceId));
  const hasHistory = ctx.priorDeviceIds.length > 0;
  const newDevice = hasHistory && currentDevices.size > 0 && ![...currentDevices].some((d) => ctx.priorDeviceIds.includes(d));
  const currentProvinces = new Set(ctx.observations.map((o) => o.ipProvince).filter((c): c is string => c !== null && c !== ''));
  // Where the account has been (earlier IPs, the declared address), by province key, each with the fullest
  // name seen (河南省 rather than 河南) for explanations.
  const homeNames = new Map<string, string>();
  const address = ctx.applicant?.address?.province;
  for (const name of address === undefined ? ctx.priorProvinces : [...ctx.priorProvinces, address]) {
    const known = homeNames.get(provinceKey(name));
    if (known === undefined || name.length > known.length) homeNames.set(provinceKey(name), name);
  }
  const homeProvinces = new Set(homeNames.keys());
  // Where the account is now and where it has been are both known: only then can a province be new, or not.
  const knownPlace = currentProvinces.size > 0 && homeProvinces.size > 0;
  const newProvince = knownPlace && ![...currentProvinces].some((c) => homeProvinces.has(provinceKey(c)));
  const ownPhone = ctx.applicant === null ? null : ctx.applicant.phone.replace(/\D/g, '').slice(-11);
  const newCard = ctx.cards.some(
    (c) => c.bound_at !== undefined && Math.abs(submittedMs - Date.parse(c.bound_at)) <= 3 * DAY_MS
      && ((c.reserved_phone !== undefined && ownPhone !== null && c.reserved_phone.replace(/\D/g, '').slice(-11) !== ownPhone) || c.holder_name_match === false),
  );
  f['account_age_days'] = Math.round(accountAgeDays);
  f['account_new'] = b(Number.isFinite(registeredMs) && accountAgeDays < 30);
  // Likewise without a registration date: not a new account, just an unknown one.
  if (Number.isFinite(registeredMs)) f['account_age_log'] = Math.log1p(accountAgeDays);
  f['ato_new_device'] = b(newDevice);
  f['ato_new_city'] = b(newProvince);
  f['ato_new_card'] = b(newCard);
  // What every takeover shows: an old account, a device it never used, a new card that is not the applicant's.
  const takeoverShape = accountAgeDays >= 180 && newDevice && newCard;
  f['ato'] = b(takeoverShape && newProvince);
  // A taker who works from the victim's own province: the same shape, from where the account has been
  // before. Weaker than a new province, but still a takeover to name: someone who only changed phones
  // binds a card with their own reserved phone and name.
  f['ato_local'] = b(takeoverShape && knownPlace && !newProvince);
  ev['ato_evidence'] = `account ${Math.round(accountAgeDays)} days old; now in ${[...currentProvinces].join(',') || '?'}, before ${[...homeProvinces].slice(0, 3).join(',') || '?'}`;
  const nowIn = [...currentProvinces];
  const before = [...homeNames.values()].filter((name) => name !== '').slice(0, 3);
  ev['ato_provinces_now'] = nowIn.join(', ') || '?';
  ev['ato_provinces_now:zh-CN'] = nowIn.join('、') || '?';
  ev['ato_provinces_before'] = before.join(', ') || '?';
  ev['ato_provinces_before:zh-CN'] = before.join('、') || '?';

  const bureau = ctx.bureau;
  f['bureau_overdue'] = b((bureau?.overdue_count ?? 0) > 0 || (bureau?.max_overdue_days ?? 0) > 30);
  f['bureau_inquiries_3m'] = Math.min(20, bureau?.inquiries_3m ?? 0);
  ev['bureau_evidence'] = bureau === null ? '' : `overdue ${bureau.overdue_count ?? 0}, max ${bureau.max_overdue_days ?? 0} days, ${bureau.inquiries_3m ?? 0} inquiries in 3 months`;
  ev['bureau_overdue_count'] = String(bureau?.overdue_count ?? 0);
  ev['bureau_max_overdue_days'] = String(bureau?.max_overdue_days ?? 0);
  ev['bureau_inquiries'] = String(bureau?.inquiries_3m ?? 0);
  return { features: f, evidence: ev };
}
