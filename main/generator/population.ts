// A labelled sample population in the interchange format: genuine applicants, every fraud pattern of
// DOMAIN.md, and genuine applicants built to look suspicious. Deterministic by seed: the only chance
// is the seeded Rng, the only clock is `start`.
import type {
  AppealRecord, ApplicantRecord, ApplicationRecord, BankCardRecord, BureauRecord, DecisionRecord, DeviceRecord, EventRecord,
  InterchangeRecord, LabelRecord, PfRecord,
} from '../../shared/interchange/schema.js';
import { CARD_ISSUERS, luhnCheckDigit } from '../interchange/cardBins.js';
import { activationEvents, type FillStyle } from './behaviour.js';
import { PHONE_MODELS } from './catalog/devices.js';
import { APPEAL_EVIDENCE, APPEAL_STATEMENTS, RELATIONS, SHELL_INDUSTRIES, UNIVERSITY_NAMES } from './catalog/people.js';
import { pfCapFor } from './catalog/pf.js';
import { drift, newDesktop, newEmulator, newPhone, observe, resetSoftwareIds, type PhysicalDevice, type Surface } from './devices.js';
import {
  birthInstant, chineseName, companyName, mobileNumber, nearbyPlace, placeIn, residentIdNumber, streetAddress, unifiedSocialCreditCode,
  withBrokenChecksum, type Place,
} from './identity.js';
import { campusIp, datacenterIp, residentialIp } from './ips.js';
import { Rng, stableHash } from './random.js';
import { addMonths, atCstTime, cstMonth, cstTimestamp, DAY, HOUR, MINUTE, monthsBetween } from './time.js';
import type { FraudPattern, TrapKind, TruthRecord } from './truth.js';

export interface PopulationOptions {
  readonly applicants: number;
  readonly seed: string | number;
  /** Start of the activation window (ISO 8601 with offset); the only clock the generator uses. */
  readonly start?: string;
  readonly windowDays?: number;
  /**
   * A harder population for evaluation: about half the fraud groups cover their tracks (daytime, aged
   * accounts, clean credit files, fewer shared identifiers, no round PF bases), and genuine applicants
   * are messier (new accounts, adverse credit files, night shifts, pasting, rooted phones, VPNs). Each pattern keeps
   * the trait that defines it. Off by default: the default population is the same with or without this field.
   */
  readonly hard?: boolean;
}

export type PopulationItem = { readonly kind: 'record'; readonly record: InterchangeRecord } | { readonly kind: 'truth'; readonly truth: TruthRecord };

export const DEFAULT_START = '2026-01-05T00:00:00+08:00';
export const DEFAULT_WINDOW_DAYS = 60;

type GroupKind = FraudPattern | TrapKind | 'genuine';

/** Share of applicants per pattern and the size range of its groups: ~12.5% fraud, ~7.5% traps. */
const GROUP_SHARES: readonly (readonly [GroupKind, number, number, number])[] = [
  ['device_farm', 0.025, 6, 16],
  ['emulator', 0.012, 1, 2],
  ['spoofed_fingerprint', 0.012, 1, 1],
  ['bot_form_filling', 0.015, 1, 1],
  ['synthetic_identity', 0.015, 1, 3],
  ['pf_fabrication', 0.018, 4, 12],
  ['fraud_ring', 0.018, 3, 8],
  ['account_takeover', 0.01, 1, 1],
  ['shared_family_device', 0.02, 2, 3],
  ['campus_ip', 0.02, 3, 8],
  ['password_manager_paste', 0.02, 1, 1],
  ['device_update_drift', 0.015, 1, 1],
];
const FRAUD_KINDS = new Set<GroupKind>(['device_farm', 'emulator', 'spoofed_fingerprint', 'bot_form_filling', 'synthetic_identity', 'pf_fabrication', 'fraud_ring', 'account_takeover']);

/** Rules the platform reports, by what tripped them. */
const RULES = {
  device: 'R_DEVICE_SHARED',
  night: 'R_NIGHT_ACTIVITY',
  emulator: 'R_EMULATOR_SUSPECTED',
  ipRisk: 'R_IP_DATACENTER',
  geo: 'R_GEO_MISMATCH',
  paste: 'R_PASTE_SENSITIVE_FIELD',
  fast: 'R_FORM_FILL_FAST',
  id: 'R_ID_ANOMALY',
  pfNew: 'R_PF_NEW_CONTRIBUTION',
  bureau: 'R_BUREAU_MULTI_INQUIRY',
  newDevice: 'R_NEW_DEVICE_NEW_CITY',
  link: 'R_LINKED_APPLICANTS',
} as const;

interface Employer {
  readonly name: string;
  readonly code: string;
}

interface Person {
  readonly applicantId: string;
  readonly name: string;
  readonly male: boolean;
  readonly birthMs: number;
  idNumber: string;
  phone: string;
  readonly home: Place;
  readonly addressLine: string;
  readonly registeredMs: number;
  income: number | null;
  employer: Employer | null;
  contacts: { name: string; phone: string; relation: string }[];
  email: string | null;
}

interface PfPlan {
  readonly employer: Employer;
  readonly city: string;
  readonly base: number;
  readonly rate: number;
  readonly firstMonth: string;
  readonly fabricated: boolean;
}

interface Activation {
  readonly person: Person;
  readonly kind: GroupKind;
  readonly submittedMs: number;
  readonly device: PhysicalDevice;
  readonly surface: Surface;
  readonly ip: string;
  readonly style: FillStyle;
  readonly identityCheck: 'live' | 'injected' | 'ocr';
  readonly pf: PfPlan | null;
  readonly reservedPhone: string;
  readonly holderNameMatch: boolean;
  readonly risk: number;
  readonly rules: string[];
  /** Earlier sightings of the account's devices (logins before the activation). */
  readonly history: { device: PhysicalDevice; atMs: number; ip: string }[];
  readonly tweak?: (observation: DeviceRecord) => void;
  /** A fraud group that covers its tracks (hard population only): marked in the truth. */
  readonly careful?: boolean;
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

class PopulationBuilder {
  private readonly counters = new Map<string, number>();
  private readonly employersByCity = new Map<string, Employer[]>();
  readonly startMs: number;
  readonly hard: boolean;

  constructor(readonly rng: Rng, readonly options: Required<PopulationOptions>) {
    this.hard = options.hard;
    this.startMs = Date.parse(options.start);
    if (!Number.isFinite(this.startMs)) throw new Error(`start is not an ISO 8601 timestamp: ${options.start}`);
  }

  nextId(prefix: string, width: number): string {
    const n = (this.counters.get(prefix) ?? 0) + 1;
    this.counters.set(prefix, n);
    return `${prefix}${pad(n, width)}`;
  }

  /** A moment in the window, at a time of day people (or scripts, `night`) are active. */
  momentNear(anchorMs: number, spreadDays: number, night: boolean): number {
    const day = anchorMs + this.rng.int(0, Math.max(0, spreadDays)) * DAY;
    const hour = night ? this.rng.int(0, 4) : this.rng.weighted([8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23], [2, 4, 6, 6, 5, 5, 5, 5, 5, 5, 5, 6, 8, 9, 8, 4]);
    return atCstTime(day, hour, this.rng.int(0, 59)) + this.rng.int(0, 59_999);
  }

  anchor(): number {
    return this.startMs + this.rng.int(0, this.options.windowDays - 1) * DAY;
  }

  /** Whether this fraud group covers its tracks (only in a hard population; draws nothing otherwise). */
  careful(): boolean {
    return this.hard && this.rng.chance(0.5);
  }

  /** Years since a fraudster's account was registered: fresh, or (hard population) often an aged, bought account. */
  fraudAccountAge(maxYears: number): number {
    if (this.hard && this.rng.chance(0.5)) return 1 + this.rng.next() * 4;
    return this.rng.next() * maxYears;
  }

  employerIn(place: Place): Employer {
    const list = this.employersByCity.get(place.city) ?? [];
    this.employersByCity.set(place.city, list);
    // A few big employers per city take most applicants (normal, and a trap for naive "same employer" rules).
    if (list.length < 12 && (list.length === 0 || this.rng.chance(0.25))) {
      const employer = { name: companyName(this.rng, place.city), code: unifiedSocialCreditCode(this.rng, place.county.code) };
      list.push(employer);
      return employer;
    }
    return this.rng.weighted(list, list.map((_, i) => 1 / (i + 1)));
  }

  shellEmployer(place: Place): Employer {
    return { name: companyName(this.rng, place.city, SHELL_INDUSTRIES), code: unifiedSocialCreditCode(this.rng, place.county.code) };
  }

  person(options: { atMs: number; minAge?: number; maxAge?: number; province?: string; surname?: string; male?: boolean; home?: Place; addressLine?: string; registeredYearsAgo?: number }): Person {
    const { rng } = this;
    const male = options.male ?? rng.chance(0.55);
    const birthMs = birthInstant(rng, options.atMs, options.minAge ?? 21, options.maxAge ?? 52);
    const birthPlace = placeIn(rng, options.province);
    // Most people live in their birth province; many have moved to a big city.
    const home = options.home ?? (rng.chance(0.65) ? nearbyPlace(rng, birthPlace) : placeIn(rng, rng.pick(['11', '31', '44', '33', '32', '51', '42'])));
    const registeredDays = options.registeredYearsAgo !== undefined ? Math.round(options.registeredYearsAgo * 365) : rng.int(20, 6 * 365);
    const person: Person = {
      applicantId: this.nextId('A', 7),
      name: chineseName(rng, male, options.surname),
      male,
      birthMs,
      idNumber: residentIdNumber(rng, birthPlace.county.code, birthMs, male),
      phone: mobileNumber(rng),
      home,
      addressLine: options.addressLine ?? streetAddress(rng),
      registeredMs: options.atMs - registeredDays * DAY - rng.int(0, DAY - 1),
      income: Math.round(rng.logNormal(9000, 0.5) / 100) * 100,
      employer: null,
      contacts: [],
      email: rng.chance(0.4) ? `${rng.int(10000000, 3999999999)}@qq.com` : null,
    };
    person.employer = this.employerIn(home);
    const contactCount = rng.int(1, 2);
    for (let i = 0; i < contactCount; i++) {
      person.contacts.push({ name: chineseName(rng, rng.chance(0.5)), phone: mobileNumber(rng), relation: rng.pick(RELATIONS) });
    }
    return person;
  }

  genuinePf(person: Person, submittedMs: number): PfPlan | null {
    const { rng } = this;
    if (person.employer === null || person.income === null || !rng.chance(0.75)) return null;
    const cap = pfCapFor(person.home.city);
    const base = Math.min(cap.max, Math.max(cap.min, Math.round(person.income * (0.8 + rng.next() * 0.25))));
    // Contributions begin with a job, so not before 18: whoever is too young for the history drawn starts at
    // 18, and someone who turned 18 less than 8 months ago has no PF record yet.
    const drawn = addMonths(cstMonth(submittedMs), -rng.int(8, 120));
    const adult = addMonths(cstMonth(person.birthMs), 18 * 12 + 1);
    if (adult > addMonths(cstMonth(submittedMs), -8)) return null;
    const firstMonth = drawn < adult ? adult : drawn;
    return { employer: person.employer, city: person.home.city, base, rate: rng.weighted([0.05, 0.07, 0.08, 0.1, 0.12], [2, 2, 2, 2, 5]), firstMonth, fabricated: false };
  }

  phoneDevice(atMs: number): PhysicalDevice {
    return newPhone(this.rng, this.nextId('PHY', 7), atMs);
  }

  /** Genuine earlier sightings of a person's own device. */
  ownHistory(device: PhysicalDevice, person: Person, beforeMs: number, count: number, spreadDays: number): Activation['history'] {
    const history: Activation['history'] = [];
    const times: number[] = [];
    for (let i = 0; i < count; i++) times.push(this.momentNear(beforeMs - this.rng.int(1, spreadDays) * DAY, 0, false));
    times.sort((a, b) => a - b);
    const homeIp = residentialIp(this.rng, person.home.province);
    for (const atMs of times) history.push({ device, atMs: Math.max(atMs, person.registeredMs + HOUR), ip: this.rng.chance(0.7) ? homeIp : residentialIp(this.rng, person.home.province) });
    return history;
  }

  surfaceFor(device: PhysicalDevice): Surface {
    if (device.kind === 'desktop') return 'desktop_web';
    return this.rng.weighted<Surface>(['app', 'mini_program', 'mobile_web'], [78, 17, 5]);
  }

  *emit(activation: Activation, extraTruth: TruthRecord[] = []): Generator<PopulationItem> {
    const { rng } = this;
    const { person } = activation;
    const isFraud = FRAUD_KINDS.has(activation.kind);
    const applicationId = this.nextId('AP', 7);
    const applicant: ApplicantRecord = { type: 'applicant', id: person.applicantId, name: person.name, id_number: person.idNumber, phone: person.phone };
    if (person.email !== null) applicant.email = person.email;
    if (person.income !== null) applicant.declared_income_monthly = person.income;
    if (person.employer !== null) applicant.employer = person.employer.name;
    applicant.address = { province: person.home.province, city: person.home.city, district: person.home.district, line: person.addressLine };
    applicant.emergency_contacts = person.contacts.map((c) => ({ ...c }));
    applicant.registered_at = cstTimestamp(person.registeredMs);
    yield { kind: 'record', record: applicant };

    for (const sighting of activation.history) {
      drift(rng, sighting.device, sighting.atMs);
      const observationId = this.nextId('D', 8);
      const record = observe(rng, sighting.device, { observationId, atMs: sighting.atMs, surface: sighting.device.kind === 'desktop' ? 'desktop_web' : 'app', ip: sighting.ip, applicantId: person.applicantId, sessionId: this.nextId('S', 8) });
      yield { kind: 'record', record };
      yield { kind: 'truth', truth: { kind: 'device', observation_id: observationId, physical_id: sighting.device.physicalId } };
    }

    const risk = Math.min(0.999, Math.max(0.001, activation.risk));
    const score = Math.round(risk * 1000);
    const outcome: NonNullable<ApplicationRecord['platform_decision']> = score >= 650 ? 'rejected' : score >= 450 ? 'review' : 'approved';
    const channel: ApplicationRecord['channel'] = activation.surface === 'app' ? 'app' : activation.surface === 'mini_program' ? 'mini_program' : 'web';
    const application: ApplicationRecord = {
      type: 'application',
      id: applicationId,
      applicant_id: person.applicantId,
      submitted_at: cstTimestamp(activation.submittedMs),
      product: 'credit_line_activation',
      channel,
      requested_limit: rng.int(5, 50) * 1000,
      platform_score: score,
      platform_decision: outcome,
      platform_reasons: [...activation.rules],
    };
    yield { kind: 'record', record: application };

    drift(rng, activation.device, activation.submittedMs);
    const observationId = this.nextId('D', 8);
    const sessionId = this.nextId('S', 8);
    const observation = observe(rng, activation.device, { observationId, atMs: activation.submittedMs, surface: activation.surface, ip: activation.ip, applicantId: person.applicantId, applicationId, sessionId });
    activation.tweak?.(observation);
    yield { kind: 'record', record: observation };
    yield { kind: 'truth', truth: { kind: 'device', observation_id: observationId, physical_id: activation.device.physicalId } };

    const issuer = rng.weighted(CARD_ISSUERS, CARD_ISSUERS.map((_, i) => (i < 4 ? 5 : i < 7 ? 3 : 1)));
    const binEntry = rng.pick(issuer.bins.filter((b) => b.kind === 'debit'));
    const partial = binEntry.bin + rng.digits(binEntry.length - binEntry.bin.length - 1);
    const cardNumber = partial + luhnCheckDigit(partial);
    const bankCardId = this.nextId('C', 7);
    const pfRecordId = activation.pf !== null ? this.nextId('PF', 7) : null;

    const flow = activationEvents({
      rng,
      nextEventId: () => this.nextId('E', 9),
      applicationId,
      sessionId,
      deviceId: observationId,
      ip: activation.ip,
      startMs: activation.submittedMs,
      style: activation.style,
      keyMedianMs: activation.device.kind === 'desktop' ? rng.int(110, 200) : rng.int(150, 320),
      nameLength: person.name.length,
      cardLength: cardNumber.length,
      bankCardId,
      pfCity: activation.pf?.city ?? null,
      pfRecordId,
      pfResult: 'verified',
      identityCheck: activation.identityCheck,
      riskScore: score,
      rules: activation.rules,
      outcome,
    });
    for (const event of flow.events) yield { kind: 'record', record: event };
    const boundEvent = flow.events.find((e) => e.kind === 'bank_card_bound');

    const card: BankCardRecord = {
      type: 'bank_card',
      id: bankCardId,
      applicant_id: person.applicantId,
      card_hash: stableHash(`card:${cardNumber}`, 64),
      bin: binEntry.bin,
      bank: issuer.name,
      bound_at: boundEvent?.ts ?? cstTimestamp(activation.submittedMs),
      holder_name_match: activation.holderNameMatch,
      reserved_phone: activation.reservedPhone,
    };
    yield { kind: 'record', record: card };

    if (activation.pf !== null && pfRecordId !== null) yield { kind: 'record', record: this.pfRecord(pfRecordId, person, activation.pf, activation.submittedMs) };

    // A hard population blurs the credit file: stolen identities of real people often have clean
    // files, and some genuine applicants are in debt.
    const adverseFile = this.hard ? (isFraud ? rng.chance(0.4) : rng.chance(0.12)) : isFraud;
    const bureau: BureauRecord = {
      type: 'bureau',
      id: this.nextId('BU', 7),
      applicant_id: person.applicantId,
      reported_at: cstTimestamp(activation.submittedMs - rng.int(1, 72) * HOUR),
      score: Math.round(Math.min(850, Math.max(350, (adverseFile ? 580 : 660) + rng.normal() * 55))),
      inquiries_3m: adverseFile ? rng.int(2, 12) : rng.int(0, 3),
      open_loans: adverseFile ? rng.int(1, 8) : rng.int(0, 3),
      overdue_count: adverseFile && rng.chance(0.4) ? rng.int(1, 5) : rng.chance(0.08) ? 1 : 0,
      max_overdue_days: 0,
    };
    if ((bureau.overdue_count ?? 0) > 0) bureau.max_overdue_days = rng.int(3, 90);
    yield { kind: 'record', record: bureau };

    const decidedMs = flow.endMs;
    const decision: DecisionRecord = { type: 'decision', id: this.nextId('DC', 7), application_id: applicationId, at: cstTimestamp(decidedMs), outcome, by: 'platform', reasons: [...activation.rules] };
    if (outcome === 'approved') decision.limit = Math.round(rng.int(10, 100) * 500);
    yield { kind: 'record', record: decision };

    if (outcome === 'rejected' && rng.chance(isFraud ? 0.04 : 0.45)) {
      const filedMs = decidedMs + rng.int(1, 10) * DAY + rng.int(0, 12) * HOUR;
      const appealId = this.nextId('AL', 6);
      const statement = activation.kind === 'campus_ip' ? APPEAL_STATEMENTS[1] : activation.kind === 'shared_family_device' ? APPEAL_STATEMENTS[2] : activation.kind === 'password_manager_paste' ? APPEAL_STATEMENTS[3] : activation.kind === 'device_update_drift' ? APPEAL_STATEMENTS[4] : rng.pick(APPEAL_STATEMENTS);
      const appeal: AppealRecord = {
        type: 'appeal',
        id: appealId,
        application_id: applicationId,
        filed_at: cstTimestamp(filedMs),
        channel: rng.pick(['app', 'hotline', 'online_service']),
        statement: statement ?? '',
        evidence: Array.from({ length: rng.int(1, 2) }, () => ({ name: rng.pick(APPEAL_EVIDENCE), sha256: stableHash(`evidence:${rng.hex(16)}`, 64) })),
        contact: person.phone,
      };
      yield { kind: 'record', record: appeal };
      const filed: EventRecord = { type: 'event', id: this.nextId('E', 9), application_id: applicationId, ts: appeal.filed_at, kind: 'appeal_filed', session_id: this.nextId('S', 8), ip: activation.ip, step: 7, attrs: { appeal_id: appealId } };
      yield { kind: 'record', record: filed };
    }

    const label: LabelRecord = { type: 'label', application_id: applicationId, is_fraud: isFraud, source: 'synthetic' };
    if (isFraud) label.pattern = activation.kind;
    yield { kind: 'record', record: label };
    yield {
      kind: 'truth',
      truth: {
        kind: 'application',
        application_id: applicationId,
        applicant_id: person.applicantId,
        is_fraud: isFraud,
        pattern: isFraud ? activation.kind : null,
        trap: !isFraud && activation.kind !== 'genuine' ? activation.kind : null,
        ...(activation.careful === true ? { careful: true } : {}),
      },
    };
    for (const truth of extraTruth) yield { kind: 'truth', truth };
  }

  pfRecord(id: string, person: Person, pf: PfPlan, submittedMs: number): PfRecord {
    const lastMonth = addMonths(cstMonth(submittedMs), -1);
    const monthsPaid = Math.max(1, monthsBetween(pf.firstMonth, lastMonth) + 1);
    const monthly = Math.round(pf.base * pf.rate * 2);
    const history: NonNullable<PfRecord['history']> = [];
    const shown = Math.min(12, monthsPaid);
    for (let i = shown - 1; i >= 0; i--) history.push({ month: addMonths(lastMonth, -i), amount: monthly, employer: pf.employer.name });
    return {
      type: 'pf_record',
      id,
      applicant_id: person.applicantId,
      city: pf.city,
      employer: pf.employer.name,
      employer_code: pf.employer.code,
      account_hash: stableHash(`pf:${person.idNumber}`, 64),
      status: 'active',
      contribution_base: pf.base,
      rate: pf.rate,
      monthly_total: monthly,
      first_month: pf.firstMonth,
      last_month: lastMonth,
      months_paid: monthsPaid,
      history,
    };
  }

  /** The platform's risk for a genuine applicant: low, but a few are misjudged (and some of them appeal). */
  genuineRisk(extra = 0): number {
    const misjudged = this.rng.chance(0.04) ? 0.5 : 0;
    return Math.max(0.02, 0.18 + this.rng.normal() * 0.1 + extra + misjudged);
  }

  fraudRisk(mean: number): number {
    return mean + this.rng.normal() * 0.15;
  }

  // ---------------------------------------------------------------- groups

  *genuine(): Generator<PopulationItem> {
    const { rng } = this;
    // A hard population has night-shift workers, new customers and people who paste from notes.
    const nightShift = this.hard && rng.chance(0.06);
    const atMs = this.momentNear(this.anchor(), 0, nightShift);
    const person = this.person({ atMs, registeredYearsAgo: this.hard && rng.chance(0.12) ? rng.next() * 0.08 : undefined });
    const device = rng.chance(0.1) ? newDesktop(rng, this.nextId('PHY', 7), atMs - 400 * DAY) : this.phoneDevice(atMs - rng.int(30, 700) * DAY);
    // Hard population: enthusiasts root their phones, and commuters keep a VPN on (both common and harmless).
    if (this.hard && rng.chance(0.05)) device.rooted = device.os === 'android';
    const vpn = this.hard && rng.chance(0.04);
    const historyCount = rng.weighted([0, 1, 2], [3, 5, 2]);
    const rules = rng.chance(0.15) ? [rng.pick(Object.values(RULES))] : [];
    yield* this.emit({
      person, kind: 'genuine', submittedMs: atMs, device, surface: this.surfaceFor(device), ip: residentialIp(rng, person.home.province), style: this.hard && rng.chance(0.08) ? 'paster' : 'human',
      identityCheck: rng.chance(0.85) ? 'live' : 'ocr', pf: this.genuinePf(person, atMs), reservedPhone: person.phone, holderNameMatch: true,
      risk: this.genuineRisk(rules.length > 0 ? 0.15 : 0), rules, history: this.ownHistory(device, person, atMs, historyCount, 200),
      ...(vpn ? { tweak: (o: DeviceRecord) => { if (o.signals !== undefined) o.signals.vpn = true; } } : {}),
    });
  }

  *deviceFarm(size: number): Generator<PopulationItem> {
    const { rng } = this;
    // A careful farm works in daytime over days, with more phones (about two applicants each), unrooted,
    // real faces, residential IPs only: the shared hardware is what gives it away.
    const careful = this.careful();
    const anchor = this.anchor();
    const farmPlace = placeIn(rng);
    const emulatorFarm = rng.chance(0.3);
    // Farms buy one cheap model in bulk.
    const model = rng.pick(PHONE_MODELS.filter((m) => m.memoryGb <= 8 && m.platform === 'android'));
    const devices: PhysicalDevice[] = [];
    const deviceCount = careful ? Math.max(2, Math.ceil(size / 2)) : Math.min(size, rng.int(2, 4));
    for (let i = 0; i < deviceCount; i++) {
      if (emulatorFarm) devices.push(newEmulator(rng, this.nextId('PHY', 7), anchor));
      else {
        const device = newPhone(rng, this.nextId('PHY', 7), anchor, model);
        device.rooted = rng.chance(0.6) && !careful;
        devices.push(device);
      }
    }
    const ips = [residentialIp(rng, farmPlace.province), residentialIp(rng, farmPlace.province)];
    if (rng.chance(0.3) && !careful) ips.push(datacenterIp(rng));
    const ringId = this.nextId('R', 5);
    const members: string[] = [];
    const night = this.momentNear(anchor, 0, true);
    const activations: Activation[] = [];
    for (let i = 0; i < size; i++) {
      const atMs = careful ? this.momentNear(anchor, 10, false) : night + i * rng.int(8, 25) * MINUTE + Math.floor(i / 10) * DAY;
      const person = this.person({ atMs, minAge: 18, maxAge: 45, registeredYearsAgo: this.fraudAccountAge(0.1) });
      members.push(person.applicantId);
      const device = devices[i % devices.length] as PhysicalDevice;
      resetSoftwareIds(rng, device);
      const multiInstance = rng.chance(0.4) && !careful;
      const rules: string[] = [RULES.device, RULES.night];
      if (device.kind === 'emulator') rules.push(RULES.emulator);
      activations.push({
        person, kind: 'device_farm', careful, submittedMs: atMs, device, surface: 'app', ip: rng.pick(ips), style: careful ? 'human' : 'farm',
        identityCheck: rng.chance(0.5) && !careful ? 'injected' : 'live', pf: null, reservedPhone: person.phone, holderNameMatch: true,
        risk: this.fraudRisk(0.62), rules: rng.chance(0.7) ? rules : [], history: [],
        tweak: (o) => {
          if (o.signals !== undefined) o.signals.multi_instance = multiInstance;
        },
      });
    }
    for (let i = 0; i < activations.length; i++) {
      const extra: TruthRecord[] = i === activations.length - 1 ? [{ kind: 'ring', ring_id: ringId, applicant_ids: members, pattern: 'device_farm' }] : [];
      yield* this.emit(activations[i] as Activation, extra);
    }
  }

  *emulator(size: number): Generator<PopulationItem> {
    const { rng } = this;
    // A careful operator types by hand in daytime, from a residential IP, without hooking tools.
    const careful = this.careful();
    const anchor = this.anchor();
    const device = newEmulator(rng, this.nextId('PHY', 7), anchor);
    for (let i = 0; i < size; i++) {
      const atMs = this.momentNear(anchor, 3, rng.chance(0.5) && !careful);
      const person = this.person({ atMs, registeredYearsAgo: this.fraudAccountAge(0.3) });
      if (i > 0) resetSoftwareIds(rng, device);
      const hooking = rng.chance(0.3) && !careful;
      const debuggerOn = rng.chance(0.1) && !careful;
      yield* this.emit({
        person, kind: 'emulator', careful, submittedMs: atMs, device, surface: 'app', ip: rng.chance(0.5) && !careful ? datacenterIp(rng) : residentialIp(rng, person.home.province),
        style: careful ? 'human' : rng.chance(0.5) ? 'bot' : 'farm', identityCheck: 'injected', pf: null, reservedPhone: person.phone, holderNameMatch: true,
        risk: this.fraudRisk(device.emulatorFlagged ? 0.78 : 0.5), rules: device.emulatorFlagged ? [RULES.emulator] : [], history: [],
        tweak: (o) => {
          if (o.signals !== undefined) {
            o.signals.hooking = hooking;
            o.signals.debugger = debuggerOn;
          }
        },
      });
    }
  }

  *spoofedFingerprint(): Generator<PopulationItem> {
    const { rng } = this;
    // Careful: daytime, no proxy and no hooking; the lying user agent is all that is left.
    const careful = this.careful();
    const atMs = this.momentNear(this.anchor(), 0, rng.chance(0.4) && !careful);
    const person = this.person({ atMs, registeredYearsAgo: this.fraudAccountAge(0.5) });
    // Real hardware (an Android phone, or an iPhone of another model) behind a tool that claims an iPhone 13:
    // the UA and model lie; the GPU, IDs, screen, memory or missing sensors do not.
    const device = newPhone(rng, this.nextId('PHY', 7), atMs - 100 * DAY, undefined);
    const foreignZone = rng.chance(0.5);
    const useDatacenter = rng.chance(0.6) && !careful;
    yield* this.emit({
      person, kind: 'spoofed_fingerprint', careful, submittedMs: atMs, device, surface: 'app', ip: useDatacenter ? datacenterIp(rng) : residentialIp(rng, person.home.province),
      style: rng.chance(0.5) ? 'farm' : 'human', identityCheck: rng.chance(0.5) ? 'injected' : 'live', pf: null, reservedPhone: person.phone, holderNameMatch: true,
      risk: this.fraudRisk(0.55), rules: useDatacenter ? [RULES.ipRisk] : [], history: [],
      tweak: (o) => {
        o.platform = 'ios';
        o.user_agent = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_2_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 LenderApp/7.3.1';
        if (o.hardware !== undefined) {
          o.hardware.model = 'iPhone14,5';
          o.hardware.manufacturer = 'Apple';
        }
        if (foreignZone) o.timezone = rng.pick(['America/Los_Angeles', 'Asia/Bangkok', 'Europe/London']);
        else o.languages = ['en-US'];
        if (o.signals !== undefined) {
          o.signals.proxy = useDatacenter;
          o.signals.vpn = !useDatacenter && rng.chance(0.5) && !careful;
          o.signals.hooking = rng.chance(0.4) && !careful;
        }
        o.sensors = [];
      },
    });
  }

  *botFormFilling(): Generator<PopulationItem> {
    const { rng } = this;
    // Careful: a stealth browser (no webdriver flag) in daytime from a residential IP; the typing is still a script's.
    const careful = this.careful();
    const atMs = this.momentNear(this.anchor(), 0, rng.chance(0.6) && !careful);
    const person = this.person({ atMs, registeredYearsAgo: this.fraudAccountAge(0.2) });
    const desktop = rng.chance(0.6);
    const device = desktop ? newDesktop(rng, this.nextId('PHY', 7), atMs) : this.phoneDevice(atMs - 50 * DAY);
    const webdriver = desktop && rng.chance(0.6) && !careful;
    yield* this.emit({
      person, kind: 'bot_form_filling', careful, submittedMs: atMs, device, surface: desktop ? 'desktop_web' : 'app', ip: rng.chance(0.3) && !careful ? datacenterIp(rng) : residentialIp(rng, person.home.province),
      style: 'bot', identityCheck: rng.chance(0.5) ? 'ocr' : 'injected', pf: null, reservedPhone: person.phone, holderNameMatch: true,
      risk: this.fraudRisk(0.6), rules: [RULES.fast], history: [],
      tweak: (o) => {
        if (o.signals !== undefined) {
          o.signals.webdriver = webdriver;
          o.signals.hooking = !desktop && rng.chance(0.5) && !careful;
        }
      },
    });
  }

  *syntheticIdentity(size: number): Generator<PopulationItem> {
    const { rng } = this;
    // Careful: more identities that pass every ID check, and cards in the same name; the recycled phone stays.
    const careful = this.careful();
    const anchor = this.anchor();
    // One recycled phone number behind several made-up identities.
    const sharedPhone = mobileNumber(rng);
    const members: string[] = [];
    const activations: Activation[] = [];
    for (let i = 0; i < size; i++) {
      const atMs = this.momentNear(anchor, 10, false);
      const person = this.person({ atMs, registeredYearsAgo: this.fraudAccountAge(0.2) });
      const flaw = rng.weighted(['checksum', 'region', 'age', 'none'], careful ? [2, 1, 1, 6] : [4, 2, 2, 2]);
      if (flaw === 'checksum') person.idNumber = withBrokenChecksum(person.idNumber);
      else if (flaw === 'region') person.idNumber = `${person.idNumber.slice(0, 4)}99${person.idNumber.slice(6, 17)}${withBrokenChecksum(person.idNumber).slice(17)}`;
      else if (flaw === 'age') {
        const young = birthInstant(rng, atMs, 14, 15);
        person.idNumber = residentIdNumber(rng, person.idNumber.slice(0, 6), young, person.male);
        person.income = rng.int(20, 40) * 1000;
      }
      if (size > 1 || rng.chance(0.5)) person.phone = sharedPhone;
      members.push(person.applicantId);
      const device = this.phoneDevice(atMs - 20 * DAY);
      activations.push({
        person, kind: 'synthetic_identity', careful, submittedMs: atMs, device, surface: 'app', ip: residentialIp(rng, person.home.province),
        style: rng.chance(0.5) ? 'paster' : 'human', identityCheck: 'ocr', pf: null, reservedPhone: person.phone, holderNameMatch: !rng.chance(0.7) || careful,
        risk: this.fraudRisk(flaw === 'none' ? 0.4 : 0.6), rules: flaw === 'none' ? [] : [RULES.id], history: [],
      });
    }
    for (let i = 0; i < activations.length; i++) {
      const extra: TruthRecord[] = size > 1 && i === activations.length - 1 ? [{ kind: 'ring', ring_id: this.nextId('R', 5), applicant_ids: members, pattern: 'synthetic_identity' }] : [];
      yield* this.emit(activations[i] as Activation, extra);
    }
  }

  *pfFabrication(size: number): Generator<PopulationItem> {
    const { rng } = this;
    // A careful agency starts contributions 4-6 months ahead, at bases that match a plausible declared
    // income, and keeps its own phone out of the contacts: the shell's cohort is what gives it away.
    const careful = this.careful();
    const anchor = this.anchor();
    const place = placeIn(rng, rng.pick(['44', '32', '33', '51', '42', '37']));
    const shell = this.shellEmployer(place);
    const agencyPhone = mobileNumber(rng);
    const startMonth = addMonths(cstMonth(anchor), careful ? -rng.int(4, 6) : -rng.int(1, 3));
    const cap = pfCapFor(place.city);
    const members: string[] = [];
    const activations: Activation[] = [];
    for (let i = 0; i < size; i++) {
      const atMs = this.momentNear(anchor, 14, false);
      const person = this.person({ atMs, home: nearbyPlace(rng, place), registeredYearsAgo: rng.next() * 2 });
      person.income = careful ? rng.int(80, 140) * 100 + rng.int(1, 99) : rng.int(35, 65) * 100;
      person.employer = shell;
      if (rng.chance(0.6) && !careful) person.contacts[0] = { name: chineseName(rng, rng.chance(0.5)), phone: agencyPhone, relation: '同事' };
      members.push(person.applicantId);
      const base = careful ? Math.min(cap.max, Math.round((person.income ?? 0) * (0.85 + rng.next() * 0.2))) : Math.min(cap.max, rng.pick([10000, 15000, 20000, 25000]));
      const device = this.phoneDevice(atMs - rng.int(60, 500) * DAY);
      activations.push({
        person, kind: 'pf_fabrication', careful, submittedMs: atMs, device, surface: this.surfaceFor(device), ip: residentialIp(rng, place.province),
        style: 'human', identityCheck: 'live', pf: { employer: shell, city: place.city, base, rate: 0.05, firstMonth: startMonth, fabricated: true },
        reservedPhone: person.phone, holderNameMatch: true, risk: this.fraudRisk(0.42), rules: rng.chance(0.5) ? [RULES.pfNew] : [],
        history: this.ownHistory(device, person, atMs, rng.int(0, 1), 60),
      });
    }
    for (let i = 0; i < activations.length; i++) {
      const extra: TruthRecord[] = i === activations.length - 1 ? [{ kind: 'ring', ring_id: this.nextId('R', 5), applicant_ids: members, pattern: 'pf_fabrication' }] : [];
      yield* this.emit(activations[i] as Activation, extra);
    }
  }

  *fraudRing(size: number): Generator<PopulationItem> {
    const { rng } = this;
    // Careful: every member on their own phone at their own address; the organiser's phone, the members'
    // emergency contacts and the hub IP still join them.
    const careful = this.careful();
    const anchor = this.anchor();
    const place = placeIn(rng);
    const sharedLine = streetAddress(rng);
    const organizerPhone = mobileNumber(rng);
    const hubIp = residentialIp(rng, place.province);
    const sharedDevice = this.phoneDevice(anchor - 200 * DAY);
    const people: Person[] = [];
    for (let i = 0; i < size; i++) {
      const atMs = this.momentNear(anchor, 7, rng.chance(0.3));
      people.push(this.person({ atMs, home: nearbyPlace(rng, place), addressLine: rng.chance(0.5) && !careful ? sharedLine : undefined, registeredYearsAgo: careful ? this.fraudAccountAge(1) : rng.next() }));
    }
    // Members vouch for each other: each names another member as an emergency contact.
    people.forEach((p, i) => {
      const other = people[(i + 1) % people.length] as Person;
      if (other !== p) p.contacts[0] = { name: other.name, phone: other.phone, relation: '朋友' };
    });
    const members = people.map((p) => p.applicantId);
    let index = 0;
    for (const person of people) {
      const atMs = this.momentNear(anchor, 7, rng.chance(0.3));
      const device = index < 2 && !careful ? sharedDevice : this.phoneDevice(atMs - 90 * DAY);
      const extra: TruthRecord[] = index === people.length - 1 ? [{ kind: 'ring', ring_id: this.nextId('R', 5), applicant_ids: members, pattern: 'fraud_ring' }] : [];
      yield* this.emit({
        person, kind: 'fraud_ring', careful, submittedMs: atMs, device, surface: 'app', ip: rng.chance(0.5) ? hubIp : residentialIp(rng, place.province),
        style: rng.chance(0.5) ? 'paster' : 'human', identityCheck: 'live', pf: this.genuinePf(person, atMs), reservedPhone: rng.chance(0.6) ? organizerPhone : person.phone,
        holderNameMatch: true, risk: this.fraudRisk(0.5), rules: rng.chance(0.5) ? [RULES.link] : [], history: [],
      }, extra);
      index += 1;
    }
  }

  *accountTakeover(): Generator<PopulationItem> {
    const { rng } = this;
    const atMs = this.momentNear(this.anchor(), 0, rng.chance(0.4));
    const person = this.person({ atMs, registeredYearsAgo: 2 + rng.next() * 6 });
    const ownPhone = this.phoneDevice(atMs - 900 * DAY);
    const history = this.ownHistory(ownPhone, person, atMs, rng.int(2, 4), 300);
    // The taker: another phone, in another province, with a new card. A careful taker works from the
    // victim's own province.
    const careful = this.careful();
    const takerDevice = this.phoneDevice(atMs - 30 * DAY);
    const farProvince = careful ? person.home.county.provinceCode : rng.pick(['44', '35', '53', '45', '46'].filter((c) => c !== person.home.county.provinceCode));
    yield* this.emit({
      person, kind: 'account_takeover', careful, submittedMs: atMs, device: takerDevice, surface: 'app', ip: residentialIp(rng, placeIn(rng, farProvince).province),
      style: rng.chance(0.5) ? 'paster' : 'farm', identityCheck: rng.chance(0.6) ? 'injected' : 'ocr', pf: this.genuinePf(person, atMs), reservedPhone: mobileNumber(rng),
      holderNameMatch: rng.chance(0.5), risk: this.fraudRisk(0.45), rules: rng.chance(0.6) ? [RULES.newDevice] : [], history,
    });
  }

  *sharedFamilyDevice(size: number): Generator<PopulationItem> {
    const { rng } = this;
    const anchor = this.anchor();
    const first = this.person({ atMs: anchor, minAge: 35, maxAge: 55 });
    const familyDevice = this.phoneDevice(anchor - 300 * DAY);
    const homeIp = residentialIp(rng, first.home.province);
    const people: Person[] = [first];
    for (let i = 1; i < size; i++) {
      const child = i === 2 || rng.chance(0.4);
      people.push(this.person({ atMs: anchor, minAge: child ? 18 : 30, maxAge: child ? 26 : 55, surname: child ? first.name.slice(0, 1) : undefined, home: first.home, addressLine: first.addressLine, male: child ? undefined : !first.male }));
    }
    people.forEach((p, i) => {
      const other = people[(i + 1) % people.length] as Person;
      p.contacts[0] = { name: other.name, phone: other.phone, relation: i === 0 ? '配偶' : rng.pick(['配偶', '父亲', '母亲', '子女']) };
    });
    let day = 0;
    for (const person of people) {
      day += rng.int(1, 12);
      const atMs = this.momentNear(anchor + day * DAY, 0, false);
      yield* this.emit({
        person, kind: 'shared_family_device', submittedMs: atMs, device: familyDevice, surface: 'app', ip: homeIp, style: 'human', identityCheck: 'live',
        pf: this.genuinePf(person, atMs), reservedPhone: person.phone, holderNameMatch: true, risk: this.genuineRisk(0.42), rules: [RULES.device], history: [],
      });
    }
  }

  *campus(size: number): Generator<PopulationItem> {
    const { rng } = this;
    const anchor = this.anchor();
    const place = placeIn(rng, rng.pick(['11', '31', '42', '32', '61', '51', '44']));
    const natIps = [campusIp(rng, place.province), campusIp(rng, place.province)];
    const school = `${place.city.replace(/市$/, '')}${rng.pick(UNIVERSITY_NAMES)}`;
    for (let i = 0; i < size; i++) {
      const atMs = this.momentNear(anchor, 20, false);
      const person = this.person({ atMs, minAge: 18, maxAge: 22, home: nearbyPlace(rng, place), registeredYearsAgo: rng.next() * 2 });
      person.income = rng.chance(0.5) ? rng.int(10, 30) * 100 : null;
      person.employer = null;
      const device = this.phoneDevice(atMs - rng.int(100, 700) * DAY);
      yield* this.emit({
        person: { ...person, addressLine: `${school}${rng.int(1, 20)}号宿舍楼${rng.int(101, 620)}` }, kind: 'campus_ip', submittedMs: atMs, device, surface: rng.chance(0.3) ? 'mini_program' : 'app',
        ip: rng.pick(natIps), style: 'human', identityCheck: 'live', pf: null, reservedPhone: person.phone, holderNameMatch: true,
        risk: this.genuineRisk(0.4), rules: rng.chance(0.5) ? [RULES.device] : [], history: this.ownHistory(device, person, atMs, rng.int(0, 1), 100),
      });
    }
  }

  *passwordManagerPaste(): Generator<PopulationItem> {
    const { rng } = this;
    const atMs = this.momentNear(this.anchor(), 0, false);
    const person = this.person({ atMs });
    const desktop = rng.chance(0.6);
    const device = desktop ? newDesktop(rng, this.nextId('PHY', 7), atMs - 300 * DAY) : newPhone(rng, this.nextId('PHY', 7), atMs - 300 * DAY);
    yield* this.emit({
      person, kind: 'password_manager_paste', submittedMs: atMs, device, surface: desktop ? 'desktop_web' : 'app', ip: residentialIp(rng, person.home.province),
      style: 'paster', identityCheck: 'live', pf: this.genuinePf(person, atMs), reservedPhone: person.phone, holderNameMatch: true,
      risk: this.genuineRisk(0.42), rules: [RULES.paste], history: this.ownHistory(device, person, atMs, 1, 120),
    });
  }

  *deviceUpdateDrift(): Generator<PopulationItem> {
    const { rng } = this;
    const atMs = this.momentNear(this.anchor(), 0, false);
    const person = this.person({ atMs, registeredYearsAgo: 1 + rng.next() * 3 });
    const device = this.phoneDevice(atMs - 600 * DAY);
    device.osIndex = 0;
    device.browserIndex = 0;
    const history = this.ownHistory(device, person, atMs, rng.int(3, 5), 400);
    // On a business trip: another province's network, same phone (updated since).
    const tripProvince = rng.pick(['11', '31', '44', '51', '33']);
    yield* this.emit({
      person, kind: 'device_update_drift', submittedMs: atMs, device, surface: 'app', ip: residentialIp(rng, placeIn(rng, tripProvince).province),
      style: 'human', identityCheck: 'live', pf: this.genuinePf(person, atMs), reservedPhone: person.phone, holderNameMatch: true,
      risk: this.genuineRisk(0.4), rules: rng.chance(0.5) ? [RULES.geo] : [], history,
    });
  }

  *group(kind: GroupKind, size: number): Generator<PopulationItem> {
    switch (kind) {
      case 'genuine': yield* this.genuine(); break;
      case 'device_farm': yield* this.deviceFarm(size); break;
      case 'emulator': yield* this.emulator(size); break;
      case 'spoofed_fingerprint': yield* this.spoofedFingerprint(); break;
      case 'bot_form_filling': yield* this.botFormFilling(); break;
      case 'synthetic_identity': yield* this.syntheticIdentity(size); break;
      case 'pf_fabrication': yield* this.pfFabrication(size); break;
      case 'fraud_ring': yield* this.fraudRing(size); break;
      case 'account_takeover': yield* this.accountTakeover(); break;
      case 'shared_family_device': yield* this.sharedFamilyDevice(size); break;
      case 'campus_ip': yield* this.campus(size); break;
      case 'password_manager_paste': yield* this.passwordManagerPaste(); break;
      case 'device_update_drift': yield* this.deviceUpdateDrift(); break;
    }
  }
}

/** Which groups the population is made of: every pattern present once the population is big enough. */
function planGroups(rng: Rng, applicants: number): { kind: GroupKind; size: number }[] {
  const plan: { kind: GroupKind; size: number }[] = [];
  let used = 0;
  for (const [kind, share, minSize, maxSize] of GROUP_SHARES) {
    const target = Math.round(applicants * share);
    let allocated = 0;
    while (allocated < target && used < applicants) {
      const size = Math.min(rng.int(minSize, maxSize), target - allocated, applicants - used);
      plan.push({ kind, size });
      allocated += size;
      used += size;
    }
  }
  for (; used < applicants; used++) plan.push({ kind: 'genuine', size: 1 });
  return rng.shuffle(plan);
}

export function* generatePopulation(options: PopulationOptions): Generator<PopulationItem> {
  if (!Number.isInteger(options.applicants) || options.applicants < 1) throw new Error('applicants must be a positive integer');
  const full: Required<PopulationOptions> = { applicants: options.applicants, seed: options.seed, start: options.start ?? DEFAULT_START, windowDays: options.windowDays ?? DEFAULT_WINDOW_DAYS, hard: options.hard ?? false };
  const rng = new Rng(`vigil-population:${String(full.seed)}`);
  const builder = new PopulationBuilder(rng, full);
  for (const { kind, size } of planGroups(rng.fork('plan'), full.applicants)) yield* builder.group(kind, size);
}
