import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pfCapFor } from '../../main/generator/catalog/pf.js';
import { generatePopulation, type PopulationItem } from '../../main/generator/population.js';
import { FRAUD_PATTERNS, TRAP_KINDS, type ApplicationTruth, type DeviceTruth, type RingTruth } from '../../main/generator/truth.js';
import { writePopulation } from '../../main/generator/write.js';
import { recordFindings } from '../../main/interchange/findings.js';
import { issuerOfBin } from '../../main/interchange/cardBins.js';
import type { AppealRecord, ApplicantRecord, BankCardRecord, BureauRecord, DeviceRecord, EventRecord, InterchangeRecord, PfRecord } from '../../shared/interchange/schema.js';
import { validateRecord } from '../../shared/interchange/validate.js';

const dir = mkdtempSync(join(tmpdir(), 'vigil-generator-'));
afterAll(() => rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 }));

const items: PopulationItem[] = [...generatePopulation({ applicants: 1500, seed: 'unit' })];
const records = items.flatMap((i) => (i.kind === 'record' ? [i.record] : []));
const truths = items.flatMap((i) => (i.kind === 'truth' ? [i.truth] : []));
const ofType = <T extends InterchangeRecord>(type: T['type']): T[] => records.filter((r) => r.type === type) as T[];
const appTruths = truths.filter((t): t is ApplicationTruth => t.kind === 'application');

describe('sample population generator', () => {
  it('writes byte-identical files for the same seed and different ones for another seed', () => {
    const a = writePopulation(join(dir, 'a'), { applicants: 200, seed: 42 });
    const b = writePopulation(join(dir, 'b'), { applicants: 200, seed: 42 });
    const c = writePopulation(join(dir, 'c'), { applicants: 200, seed: 43 });
    // Buffer.equals: a deep toEqual over megabytes is needlessly slow.
    expect(readFileSync(a.populationPath).equals(readFileSync(b.populationPath))).toBe(true);
    expect(readFileSync(a.truthPath).equals(readFileSync(b.truthPath))).toBe(true);
    expect(a.records).toBeGreaterThan(5_000);
    expect(readFileSync(a.populationPath).equals(readFileSync(c.populationPath))).toBe(false);
  });

  it('produces only records that pass the interchange schema', () => {
    const invalid = records.map((r) => validateRecord(JSON.parse(JSON.stringify(r)))).filter((v) => !v.ok);
    expect(invalid).toEqual([]);
  });

  it('labels every application, with 10-15% fraud and every fraud pattern and trap present', () => {
    expect(ofType('label')).toHaveLength(1500);
    expect(appTruths).toHaveLength(1500);
    const fraudShare = appTruths.filter((t) => t.is_fraud).length / appTruths.length;
    expect(fraudShare).toBeGreaterThan(0.1);
    expect(fraudShare).toBeLessThan(0.15);
    expect(new Set(appTruths.map((t) => t.pattern).filter((p) => p !== null))).toEqual(new Set(FRAUD_PATTERNS));
    expect(new Set(appTruths.map((t) => t.trap).filter((p) => p !== null))).toEqual(new Set(TRAP_KINDS));
    // Labels agree with the truth.
    const labelByApp = new Map(ofType<{ type: 'label'; application_id: string; is_fraud: boolean; pattern?: string }>('label').map((l) => [l.application_id, l]));
    for (const truth of appTruths) expect(labelByApp.get(truth.application_id)).toMatchObject({ is_fraud: truth.is_fraud, ...(truth.pattern === null ? {} : { pattern: truth.pattern }) });
  });

  it('gives every device observation a physical device, and shows a device drift between observations', () => {
    const deviceTruth = truths.filter((t): t is DeviceTruth => t.kind === 'device');
    const observations = ofType<DeviceRecord>('device');
    expect(new Set(deviceTruth.map((t) => t.observation_id))).toEqual(new Set(observations.map((o) => o.id)));
    const byPhysical = new Map<string, DeviceRecord[]>();
    const observationById = new Map(observations.map((o) => [o.id, o]));
    for (const t of deviceTruth) byPhysical.set(t.physical_id, [...(byPhysical.get(t.physical_id) ?? []), observationById.get(t.observation_id) as DeviceRecord]);
    const multi = [...byPhysical.values()].filter((list) => list.length > 1);
    expect(multi.length).toBeGreaterThan(100);
    // Same hardware, changed software: user agents differ while the GPU stays.
    const drifted = multi.filter((list) => new Set(list.map((o) => o.user_agent)).size > 1 && new Set(list.map((o) => o.hardware?.gpu_renderer)).size === 1);
    expect(drifted.length).toBeGreaterThan(20);
  });

  it('forms rings whose members are real applicants', () => {
    const rings = truths.filter((t): t is RingTruth => t.kind === 'ring');
    const applicantIds = new Set(ofType<ApplicantRecord>('applicant').map((a) => a.id));
    expect(new Set(rings.map((r) => r.pattern))).toEqual(new Set(['device_farm', 'pf_fabrication', 'fraud_ring', 'synthetic_identity']));
    for (const ring of rings) for (const id of ring.applicant_ids) expect(applicantIds.has(id)).toBe(true);
  });

  it('makes valid identities for genuine applicants and broken ones only in synthetic identities', () => {
    const applicantOf = new Map(appTruths.map((t) => [t.applicant_id, t]));
    for (const applicant of ofType<ApplicantRecord>('applicant')) {
      const findings = recordFindings('applicant', applicant).filter((f) => f.code !== 'phone_format_invalid');
      if (findings.length > 0) expect(applicantOf.get(applicant.id)?.pattern).toBe('synthetic_identity');
      expect(recordFindings('applicant', applicant).some((f) => f.code === 'phone_format_invalid')).toBe(false);
    }
    for (const card of ofType<BankCardRecord>('bank_card')) expect(issuerOfBin(card.bin)).not.toBeNull();
  });

  it('keeps PF contributions within city caps at 5-12%, and fabricates recent round ones for the PF cohorts', () => {
    const pfs = ofType<PfRecord>('pf_record');
    for (const pf of pfs) {
      const cap = pfCapFor(pf.city);
      expect(pf.contribution_base).toBeGreaterThanOrEqual(cap.min);
      expect(pf.contribution_base).toBeLessThanOrEqual(cap.max);
      expect(pf.rate).toBeGreaterThanOrEqual(0.05);
      expect(pf.rate).toBeLessThanOrEqual(0.12);
    }
    const fabricatedApplicants = new Set(appTruths.filter((t) => t.pattern === 'pf_fabrication').map((t) => t.applicant_id));
    const fabricated = pfs.filter((p) => fabricatedApplicants.has(p.applicant_id));
    expect(fabricated.length).toBeGreaterThan(0);
    for (const pf of fabricated) {
      expect(pf.months_paid).toBeLessThanOrEqual(4);
      expect((pf.contribution_base ?? 0) % 1000).toBe(0);
    }
  });

  it('follows the activation flow with 15-25 events per application on average and human keystroke timing', () => {
    const events = ofType<EventRecord>('event');
    expect(events.length / 1500).toBeGreaterThan(15);
    expect(events.length / 1500).toBeLessThan(25);
    const first = events.filter((e) => e.application_id === events[0]?.application_id);
    const steps = first.map((e) => e.step ?? 0);
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
    expect(first[0]?.kind).toBe('login');
    const botApps = new Set(appTruths.filter((t) => t.pattern === 'bot_form_filling').map((t) => t.application_id));
    const spread = (e: EventRecord): number => {
      const intervals = (e.attrs?.['key_intervals_ms'] as number[] | undefined) ?? [];
      const mean = intervals.reduce((a, b) => a + b, 0) / intervals.length;
      return Math.sqrt(intervals.reduce((a, b) => a + (b - mean) ** 2, 0) / intervals.length) / mean;
    };
    const typed = events.filter((e) => e.kind === 'field_input' && e.attrs?.['field'] === 'id_number');
    const botSpread = typed.filter((e) => botApps.has(e.application_id)).map(spread);
    const humanSpread = typed.filter((e) => !botApps.has(e.application_id)).map(spread);
    expect(Math.max(...botSpread)).toBeLessThan(0.1);
    expect(humanSpread.filter((s) => s > 0.2).length / humanSpread.length).toBeGreaterThan(0.9);
  });

  it('files appeals for some rejected applicants, most of them genuine', () => {
    const appeals = ofType<AppealRecord>('appeal');
    expect(appeals.length).toBeGreaterThan(5);
    const truthByApp = new Map(appTruths.map((t) => [t.application_id, t]));
    const genuine = appeals.filter((a) => truthByApp.get(a.application_id)?.is_fraud === false).length;
    expect(genuine / appeals.length).toBeGreaterThan(0.7);
  });

  it('makes a hard population for evaluation: careful fraud in every pattern, credit files that do not give fraud away, and leaves the default one as it was', () => {
    const hard = [...generatePopulation({ applicants: 3000, seed: 'unit-hard', hard: true })];
    const hardRecords = hard.flatMap((i) => (i.kind === 'record' ? [i.record] : []));
    const hardTruths = hard.flatMap((i) => (i.kind === 'truth' && i.truth.kind === 'application' ? [i.truth] : []));
    expect(hardRecords.map((r) => validateRecord(JSON.parse(JSON.stringify(r)))).filter((v) => !v.ok)).toEqual([]);
    const careful = hardTruths.filter((t) => t.careful === true);
    expect(careful.every((t) => t.is_fraud)).toBe(true);
    expect(new Set(careful.map((t) => t.pattern))).toEqual(new Set(FRAUD_PATTERNS));
    expect(careful.length / hardTruths.filter((t) => t.is_fraud).length).toBeGreaterThan(0.3);
    // Share of fraud applicants whose bureau file looks like a genuine one's (at most 3 inquiries).
    const cleanFileShare = (recs: readonly InterchangeRecord[], truth: readonly ApplicationTruth[]): number => {
      const fraudApplicants = new Set(truth.filter((t) => t.is_fraud).map((t) => t.applicant_id));
      const bureaus = recs.filter((r): r is BureauRecord => r.type === 'bureau' && fraudApplicants.has(r.applicant_id));
      return bureaus.filter((b) => (b.inquiries_3m ?? 0) <= 3).length / bureaus.length;
    };
    expect(cleanFileShare(records, appTruths)).toBeLessThan(0.3);
    expect(cleanFileShare(hardRecords, hardTruths)).toBeGreaterThan(0.5);
    // Careful PF agencies avoid round bases; the default population's always use them.
    const pfOf = (recs: readonly InterchangeRecord[], truth: readonly ApplicationTruth[], pick: (t: ApplicationTruth) => boolean): PfRecord[] => {
      const ids = new Set(truth.filter(pick).map((t) => t.applicant_id));
      return recs.filter((r): r is PfRecord => r.type === 'pf_record' && ids.has(r.applicant_id));
    };
    expect(pfOf(hardRecords, hardTruths, (t) => t.pattern === 'pf_fabrication' && t.careful === true).some((p) => (p.contribution_base ?? 0) % 1000 !== 0)).toBe(true);
    expect(pfOf(records, appTruths, (t) => t.pattern === 'pf_fabrication').every((p) => (p.contribution_base ?? 1) % 1000 === 0)).toBe(true);
    // Without the option nothing changes and nothing is marked careful.
    expect(appTruths.some((t) => t.careful !== undefined)).toBe(false);
    const again = [...generatePopulation({ applicants: 300, seed: 'unit-default', hard: false })];
    expect(JSON.stringify([...generatePopulation({ applicants: 300, seed: 'unit-default' })])).toBe(JSON.stringify(again));
  });
});
