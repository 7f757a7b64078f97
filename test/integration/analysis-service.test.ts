import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { VigilError } from '../../shared/errors.js';
import type { InterchangeRecord } from '../../shared/interchange/schema.js';
import { REASON_CODES } from '../../shared/reasons.js';
import { analyseDataset } from '../../main/analysis/pipeline/run.js';
import { DEFAULT_PF_CAPS } from '../../main/analysis/pf/caps.js';
import { cohortFeatureSize, employerCohorts } from '../../main/analysis/pf/checks.js';
import { defaultRuleSet } from '../../main/analysis/scoring/ruleSets.js';
import { createHandlers } from '../../main/ipc/handlers/index.js';
import { createIpcRegistry } from '../../main/ipc/registry.js';
import { analyze, ENGINE_VERSION, rehearseAnalysis, REHEARSAL_APPLICANTS, REHEARSAL_SLICE, RUN_CACHE_KIB } from '../../main/services/analyze.js';
import { analysisState, exportDevices, exportRings, exportScores, type RingLine } from '../../main/services/analysisExport.js';
import { importFiles } from '../../main/services/import.js';
import { foldPendingKeys } from '../../main/services/keyFold.js';
import { createServices } from '../../main/services/index.js';
import { RunRecords } from '../../main/services/runRecords.js';
import { TEST_SCRYPT, unlockStore } from '../../main/store/open.js';
import { residentIdCheckChar } from '../../main/interchange/residentId.js';
import { AnalysisRepository } from '../../main/store/repositories/analysis.js';
import { KeyFilter } from '../../main/store/keyFilter.js';
import { iphone, xiaomi } from '../eval/fixtures.js';
import { labelledPopulation, type LabelledPopulation } from '../eval/population.js';
import { jsonl } from '../support/jsonl.js';
import { analysisSnapshot, type AnalysisSnapshot } from '../support/analysisSnapshot.js';
import { createTempStore, type TempStore } from '../support/store.js';

const APPLICANTS = 500;
let population: LabelledPopulation;
const cleanups: (() => void | Promise<void>)[] = [];

beforeAll(() => {
  population = labelledPopulation(APPLICANTS, 'analysis-integration');
});
afterAll(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** The population cut at an applicant boundary: some groups (farms, rings, cohorts) straddle the cut. */
function split(records: readonly InterchangeRecord[], firstApplicants: number): [InterchangeRecord[], InterchangeRecord[]] {
  const a: InterchangeRecord[] = [];
  const b: InterchangeRecord[] = [];
  let seen = 0;
  for (const r of records) {
    if (r.type === 'applicant') seen++;
    (seen <= firstApplicants ? a : b).push(r);
  }
  return [a, b];
}

async function storeWith(records: readonly InterchangeRecord[]): Promise<TempStore> {
  const temp = await createTempStore({ fastKdf: true });
  cleanups.push(() => temp.cleanup());
  await importFiles(temp.store, [{ name: 'population.jsonl', bytes: jsonl(records) }], { actor: 'test' });
  return temp;
}

/** The same store locked and unlocked again: a new connection, with nothing held in memory from the last one. */
async function reopened(temp: TempStore): Promise<TempStore> {
  if (!temp.store.closed) temp.store.close();
  await temp.store.whenClosed();
  const { store } = await unlockStore(temp.dir, { username: 'admin', passphrase: temp.passphrase });
  cleanups.push(() => store.close());
  return { ...temp, store };
}

function snapshot(temp: TempStore): AnalysisSnapshot {
  return analysisSnapshot(temp.store);
}

/** The whole population analysed, with a ring of three or more whose score a confirmed member could still raise. */
async function analysedWithRing(): Promise<{ temp: TempStore; ring: RingLine }> {
  const temp = await storeWith(population.records);
  await analyze(temp.store, { refreshParameters: 'never' });
  const ring = [...exportRings(temp.store)].find((r) => r.applicant_ids.length >= 3 && r.score < 1000);
  if (ring === undefined) throw new Error('the population has no ring of three or more below the top score');
  return { temp, ring };
}

/** The population's application of an applicant ('' for none). */
function applicationOf(applicant: string | undefined): string {
  return population.dataset.applications.find((a) => a.applicant_id === applicant)?.id ?? '';
}

/**
 * Applicants `${prefix}${i}` for i in [from, to] of one employer, each with an application (`${prefix}A${i}`)
 * and a PF record (`${prefix}P${i}`) in Beijing; `pf` gives each record its employer and first month.
 * `series` keeps ID numbers and phones apart between tests.
 */
function employerStaff(prefix: string, series: 1 | 2 | 3, from: number, to: number, pf: (i: number) => { employer: string; employer_code?: string; first_month: string; last_month?: string }): InterchangeRecord[] {
  return Array.from({ length: to - from + 1 }, (_v, n) => from + n).flatMap((i): InterchangeRecord[] => {
    const first17 = `1101051990010${series}${String(100 + i)}`;
    return [
      { type: 'applicant', id: `${prefix}${i}`, name: `员工${i}`, id_number: `${first17}${residentIdCheckChar(first17)}`, phone: `13${5 + series}${String(10_000_000 + i)}` },
      { type: 'application', id: `${prefix}A${i}`, applicant_id: `${prefix}${i}`, submitted_at: '2026-03-10T10:00:00+08:00' },
      { type: 'pf_record', id: `${prefix}P${i}`, applicant_id: `${prefix}${i}`, city: '北京市', months_paid: 2, contribution_base: 6000, ...pf(i) },
    ];
  });
}

describe('the analysis service over a real encrypted store', () => {
  it('stores the PF cohort counts an incremental run recounts, for a team that joined years ago, and names no cohort', async () => {
    // Five who joined one studio in 2019 and still pay in: a cohort by first months, but no shell's.
    const team = employerStaff('O', 2, 1, 5, () => ({ employer: '小禾设计工作室', employer_code: '91110105MA01STUD1O', first_month: '2019-04', last_month: '2026-02' }));
    const temp = await storeWith([...population.records, ...team]);
    await analyze(temp.store, { refreshParameters: 'never' });
    // An incremental run recounts cohorts from the records' first months (cohortMembers' stubs) and rescores
    // whoever's count differs from the stored one: the two must agree where nothing changed.
    const repo = new AnalysisRepository(temp.store.db);
    const recount = employerCohorts(repo.cohortMembers(['91110105MA01STUD1O'], []).map((pf) => ({ applicantId: pf.applicant_id, pf })));
    const ids = ['O1', 'O2', 'O3', 'O4', 'O5'];
    const stored = repo.storedCohorts(ids);
    for (const id of ids) {
      const counted = recount.get(id);
      expect({ id, stored: stored.get(id) }).toEqual({ id, stored: { size: cohortFeatureSize(counted), suspicious: counted?.suspicious === true ? 1 : 0 } });
    }
    for (const line of exportScores(temp.store)) {
      if (line.application_id.startsWith('OA')) expect(line.reasons.map((r) => r.code)).not.toContain('PF_EMPLOYER_COHORT');
    }
  });

  it('scores every imported application exactly as the in-memory engines do', async () => {
    const temp = await storeWith(population.records);
    const summary = await analyze(temp.store, { refreshParameters: 'never' });
    expect(summary).toMatchObject({ mode: 'full', applicationsScored: APPLICANTS, modelVersion: null, ipDatabase: true });
    const memory = analyseDataset(population.dataset, { rules: defaultRuleSet(), model: null, pfCaps: DEFAULT_PF_CAPS });
    const stored = new Map([...exportScores(temp.store)].map((line) => [line.application_id, line]));
    expect(stored.size).toBe(APPLICANTS);
    for (const [id, result] of memory.applications) {
      expect(stored.get(id)?.score, id).toBe(result.score.score);
      expect(stored.get(id)?.reasons.map((r) => r.code), id).toEqual(result.score.reasons.map((r) => r.code));
    }
    const devices = new Map([...exportDevices(temp.store)].map((line) => [line.observation_id, line.device_id]));
    for (const [observationId, o] of memory.run.observations) expect(devices.get(observationId)).toBe(o.deviceId);
    expect([...exportRings(temp.store)].map((r) => r.ring_id).sort()).toEqual(memory.rings.rings.map((r) => r.ringId).sort());
  });

  it('after new applicants, an incremental run ends where a full recompute ends', async () => {
    const [first, second] = split(population.records, Math.round(APPLICANTS * 0.85));
    const temp = await storeWith(first);
    const initial = await analyze(temp.store, { refreshParameters: 'auto' });
    expect(initial.modelVersion).not.toBeNull();
    await importFiles(temp.store, [{ name: 'second.jsonl', bytes: jsonl(second) }], { actor: 'test' });
    const incremental = await analyze(temp.store, { refreshParameters: 'never' });
    expect(incremental.mode).toBe('incremental');
    expect(incremental.applicantsAffected).toBeLessThan(APPLICANTS);
    expect(incremental.applicantsAffected).toBeGreaterThanOrEqual(APPLICANTS - Math.round(APPLICANTS * 0.85));
    const afterIncremental = snapshot(temp);
    const full = await analyze(temp.store, { refreshParameters: 'never', full: true });
    expect(full.mode).toBe('full');
    const afterFull = snapshot(temp);
    expect(afterIncremental.devices).toEqual(afterFull.devices);
    expect(afterIncremental.rings).toEqual(afterFull.rings);
    expect(afterIncremental.scores).toEqual(afterFull.scores);
    expect(afterIncremental.keys).toEqual(afterFull.keys);
    expect(afterIncremental.counts).toEqual(afterFull.counts);
    expect(afterIncremental.features).toEqual(afterFull.features);
  });

  it('keeps new keys in the pending indexes between runs and folds them into the main ones after a run, slice by slice, ending where a full recompute ends', async () => {
    const [first, rest] = split(population.records, Math.round(APPLICANTS * 0.6));
    const [second, third] = split(rest, Math.round(APPLICANTS * 0.2));
    let temp = await storeWith(first);
    const pending = (): number => Number(temp.store.db.prepare('SELECT (SELECT count(*) FROM analysis_link_keys WHERE pending = 1) + (SELECT count(*) FROM analysis_device_keys WHERE pending = 1)').pluck().get());
    await analyze(temp.store, { refreshParameters: 'never' });
    expect(pending()).toBe(0);
    // The run leaves the second batch's keys pending and says so; below the threshold the fold is not due.
    await importFiles(temp.store, [{ name: 'second.jsonl', bytes: jsonl(second) }], { actor: 'test' });
    const kept = await analyze(temp.store, { refreshParameters: 'never' });
    const afterSecond = pending();
    expect(afterSecond).toBeGreaterThan(0);
    expect(kept).toMatchObject({ mode: 'incremental', keysFolded: 0, pendingKeys: afterSecond });
    expect(await foldPendingKeys(temp.store, { atLeast: afterSecond + 1 })).toMatchObject({ folded: 0, pending: afterSecond, slices: 0 });
    // A fold stopped after two small slices moves the lowest keys in key order and leaves the rest pending.
    let asked = 0;
    const partial = await foldPendingKeys(temp.store, { atLeast: 1, sliceKeys: 7, shouldStop: () => ++asked >= 2 });
    expect(partial.slices).toBe(2);
    expect(partial.folded).toBeGreaterThanOrEqual(2 * 7);
    expect(partial.pending).toBe(afterSecond - partial.folded);
    expect(pending()).toBe(partial.pending);
    // The stored filters no longer covered the main indexes from the first slice on; the saved ones do. A
    // new process (lock, unlock) reads them, and the third batch finds holders in both indexes.
    const filters = (): number => Number(temp.store.db.prepare('SELECT count(*) FROM analysis_key_filters').pluck().get());
    expect(filters()).toBe(2);
    for (const [name, table] of [['link', 'analysis_link_keys'], ['device', 'analysis_device_keys']] as const) {
      const stored = temp.store.db.prepare('SELECT items, bits FROM analysis_key_filters WHERE name = ?').get(name) as { items: number; bits: Uint8Array };
      const filter = KeyFilter.fromBytes(stored.bits, stored.items);
      const main = temp.store.db.prepare(`SELECT key FROM ${table} WHERE pending = 0`).pluck().all() as string[];
      expect(main.filter((k) => !filter.mayHold(k))).toEqual([]);
    }
    temp = await reopened(temp);
    await importFiles(temp.store, [{ name: 'third.jsonl', bytes: jsonl(third) }], { actor: 'test' });
    const thirdRun = await analyze(temp.store, { refreshParameters: 'never' });
    expect(thirdRun.pendingKeys).toBeGreaterThan(partial.pending);
    const done = await foldPendingKeys(temp.store, { atLeast: 1 });
    expect(done).toMatchObject({ folded: thirdRun.pendingKeys, pending: 0 });
    expect(pending()).toBe(0);
    const afterIncremental = snapshot(temp);
    await analyze(temp.store, { refreshParameters: 'never', full: true });
    expect(afterIncremental).toEqual(snapshot(temp));
  });

  it('never trusts stored key filters a fold left behind: a fold that stops by a crash leaves none, and the next run rebuilds them', async () => {
    const [first, rest] = split(population.records, Math.round(APPLICANTS * 0.6));
    const [second, third] = split(rest, Math.round(APPLICANTS * 0.2));
    let temp = await storeWith(first);
    await analyze(temp.store, { refreshParameters: 'never' });
    await importFiles(temp.store, [{ name: 'second.jsonl', bytes: jsonl(second) }], { actor: 'test' });
    await analyze(temp.store, { refreshParameters: 'never' });
    // The store closes under the fold after its first slice, as a lock (or a crash) would: the held filters
    // are gone with the process, and the stored ones were dropped with the first moved key.
    const fold = await foldPendingKeys(temp.store, { atLeast: 1, sliceKeys: 1_000_000, shouldStop: () => (temp.store.close(), false) });
    expect(fold.slices).toBe(1);
    temp = await reopened(temp);
    expect(Number(temp.store.db.prepare('SELECT count(*) FROM analysis_key_filters').pluck().get())).toBe(0);
    await importFiles(temp.store, [{ name: 'third.jsonl', bytes: jsonl(third) }], { actor: 'test' });
    await analyze(temp.store, { refreshParameters: 'never' });
    const afterIncremental = snapshot(temp);
    await analyze(temp.store, { refreshParameters: 'never', full: true });
    expect(afterIncremental).toEqual(snapshot(temp));
  });

  it('rescores the other holder of a phone when it becomes shared and when it stops being shared', async () => {
    const temp = await storeWith(population.records);
    await analyze(temp.store, { refreshParameters: 'never' });
    const applicants = population.dataset.applicants;
    const phoneHolders = new Map<string, number>();
    for (const a of applicants) phoneHolders.set(a.phone, (phoneHolders.get(a.phone) ?? 0) + 1);
    const [holder, borrower] = applicants.filter((a) => phoneHolders.get(a.phone) === 1);
    expect(holder).toBeDefined();
    expect(borrower).toBeDefined();
    const featuresOf = (applicantId: string | undefined): string[] => {
      const apps = new Set(population.dataset.applications.filter((a) => a.applicant_id === applicantId).map((a) => a.id));
      return [...new AnalysisRepository(temp.store.db).featureRows()].filter((r) => apps.has(r.applicationId)).map((r) => r.featuresJson);
    };
    const alone = featuresOf(holder?.id);
    // The phone goes from one holder to two (a count row appears), then back to one (the row goes).
    for (const phone of [holder?.phone, borrower?.phone]) {
      await importFiles(temp.store, [{ name: 'phone.jsonl', bytes: Buffer.from(`${JSON.stringify({ ...borrower, phone })}\n`) }], { actor: 'test' });
      const run = await analyze(temp.store, { refreshParameters: 'never' });
      expect(run.mode).toBe('incremental');
      const afterIncremental = snapshot(temp);
      if (phone === holder?.phone) expect(featuresOf(holder?.id)).not.toEqual(alone);
      else expect(featuresOf(holder?.id)).toEqual(alone);
      await analyze(temp.store, { refreshParameters: 'never', full: true });
      expect(afterIncremental).toEqual(snapshot(temp));
    }
  });

  it('rescores the other applicant in an IP window when it becomes shared and when it stops being shared', async () => {
    const temp = await storeWith(population.records);
    await analyze(temp.store, { refreshParameters: 'never' });
    const devices = population.dataset.devices.filter((d) => d.ip !== undefined && d.applicant_id !== undefined);
    const perIp = new Map<string, number>();
    for (const d of devices) perIp.set(d.ip as string, (perIp.get(d.ip as string) ?? 0) + 1);
    const lone = devices.filter((d) => perIp.get(d.ip as string) === 1);
    const seen = lone[0];
    const visitor = lone.find((d) => d.applicant_id !== seen?.applicant_id);
    expect(seen).toBeDefined();
    expect(visitor).toBeDefined();
    const features = (): string[] => {
      const apps = new Set(population.dataset.applications.filter((a) => a.applicant_id === seen?.applicant_id).map((a) => a.id));
      return [...new AnalysisRepository(temp.store.db).featureRows()].filter((r) => apps.has(r.applicationId)).map((r) => r.featuresJson);
    };
    const alone = features();
    // The visitor's sighting moves into the other's IP hour (an ip count row appears), then back (it goes).
    for (const [ip, at] of [[seen?.ip, seen?.observed_at], [visitor?.ip, visitor?.observed_at]]) {
      await importFiles(temp.store, [{ name: 'ip.jsonl', bytes: Buffer.from(`${JSON.stringify({ ...visitor, ip, observed_at: at })}\n`) }], { actor: 'test' });
      const run = await analyze(temp.store, { refreshParameters: 'never' });
      expect(run.mode).toBe('incremental');
      const afterIncremental = snapshot(temp);
      if (ip === seen?.ip) expect(features()).not.toEqual(alone);
      else expect(features()).toEqual(alone);
      await analyze(temp.store, { refreshParameters: 'never', full: true });
      expect(afterIncremental).toEqual(snapshot(temp));
    }
  });

  it('re-links a device observation whose content changed, as a full recompute would', async () => {
    const temp = await storeWith(population.records);
    await analyze(temp.store, { refreshParameters: 'never' });
    // A farm observation re-exported with different hashes and IDs: it must leave the farm's identity.
    const farmApp = population.applications.find((a) => a.pattern === 'device_farm')?.application_id;
    const observation = population.dataset.devices.find((d) => d.application_id === farmApp);
    expect(observation).toBeDefined();
    const changed = { ...observation, ids: { android_id: 'new-a', oaid: 'new-o' }, hashes: { canvas: 'new-c', webgl: 'new-w', audio: 'new-a' } };
    await importFiles(temp.store, [{ name: 'changed.jsonl', bytes: Buffer.from(`${JSON.stringify(changed)}\n`) }], { actor: 'test' });
    const run = await analyze(temp.store, { refreshParameters: 'never' });
    expect(run).toMatchObject({ mode: 'incremental', observationsLinked: 1 });
    const afterIncremental = snapshot(temp);
    await analyze(temp.store, { refreshParameters: 'never', full: true });
    expect(afterIncremental).toEqual(snapshot(temp));
  });

  it('undoes the device links a fingerprint hash made once a later import makes that hash common, and links again when it is rare again, as a full recompute would', async () => {
    // Two observations of one phone model that only their canvas hash brings together (no hardware IDs,
    // no other hash), and iPhones sharing that hash: while the hash is rare it links the pair (and the
    // iPhones); once more than COMMON_BLOCK observations share it, a full run links nothing through it.
    const at = (minute: number): string => `2026-01-10T10:${String(minute % 60).padStart(2, '0')}:00+08:00`;
    const bare = { ids: {}, hashes: { canvas: 'shared-canvas' } };
    const phones = (from: number, count: number): InterchangeRecord[] => Array.from({ length: count }, (_, i) => iphone(`IP${from + i}`, at(from + i), bare));
    const temp = await storeWith([xiaomi('X1', at(0), bare), xiaomi('X2', at(1), bare), ...phones(0, 30)]);
    await analyze(temp.store, { refreshParameters: 'never' });
    const deviceOf = (): Map<string, string> => new Map([...exportDevices(temp.store)].map((line) => [line.observation_id, line.device_id]));
    expect(deviceOf().get('X2')).toBe(deviceOf().get('X1'));

    await importFiles(temp.store, [{ name: 'more.jsonl', bytes: jsonl(phones(30, 40)) }], { actor: 'test' });
    expect(await analyze(temp.store, { refreshParameters: 'never' })).toMatchObject({ mode: 'incremental' });
    const afterIncremental = snapshot(temp);
    expect(deviceOf().get('X2')).not.toBe(deviceOf().get('X1'));
    await analyze(temp.store, { refreshParameters: 'never', full: true });
    expect(afterIncremental).toEqual(snapshot(temp));

    // And back: an import's reference check removes twelve of them, the hash is rare again, and the pair links.
    const dangling = phones(0, 12).map((record) => ({ ...record, application_id: 'NOPE' }));
    await importFiles(temp.store, [{ name: 'dangling.jsonl', bytes: jsonl(dangling) }], { actor: 'test' });
    expect(await analyze(temp.store, { refreshParameters: 'never' })).toMatchObject({ mode: 'incremental' });
    const afterRemoval = snapshot(temp);
    expect(deviceOf().get('IP0')).toBeUndefined();
    expect(deviceOf().get('X2')).toBe(deviceOf().get('X1'));
    await analyze(temp.store, { refreshParameters: 'never', full: true });
    expect(afterRemoval).toEqual(snapshot(temp));
  });

  it('names a device after its earliest observation when a new one joins it through a later one, as a full recompute would', async () => {
    // X1 and X2 (shared WebGL hash) make one identity named after X1, with nobody on it yet, so it has no
    // identity row. X3 joins through X2's canvas hash alone: X1 is not loaded, and the name must stay X1's.
    const at = (minute: number): string => `2026-01-10T10:${String(minute).padStart(2, '0')}:00+08:00`;
    const first17 = '11010519900104101';
    const person: InterchangeRecord = { type: 'applicant', id: 'P1', name: '王一', id_number: `${first17}${residentIdCheckChar(first17)}`, phone: '13600000001' };
    const bare = (hashes: Record<string, string>): Partial<Parameters<typeof xiaomi>[2]> => ({ ids: {}, hashes });
    const temp = await storeWith([person]);
    await analyze(temp.store, { refreshParameters: 'never' });
    await importFiles(temp.store, [{ name: 'pair.jsonl', bytes: jsonl([xiaomi('X1', at(0), bare({ webgl: 'w1' })), xiaomi('X2', at(5), bare({ webgl: 'w1', canvas: 'c2' }))]) }], { actor: 'test' });
    await analyze(temp.store, { refreshParameters: 'never' });
    await importFiles(temp.store, [{ name: 'third.jsonl', bytes: jsonl([xiaomi('X3', at(10), { ...bare({ canvas: 'c2' }), applicant_id: 'P1' })]) }], { actor: 'test' });
    expect(await analyze(temp.store, { refreshParameters: 'never' })).toMatchObject({ mode: 'incremental' });
    const afterIncremental = snapshot(temp);
    const devices = new Map([...exportDevices(temp.store)].map((line) => [line.observation_id, line.device_id]));
    expect(devices.get('X3')).toBe(devices.get('X1'));
    await analyze(temp.store, { refreshParameters: 'never', full: true });
    expect(afterIncremental).toEqual(snapshot(temp));
  });

  it('drops the analysis of an application and its device observations when a later import removes them, as a full recompute would', async () => {
    const temp = await storeWith(population.records);
    await analyze(temp.store, { refreshParameters: 'never' });
    // Re-exported with an applicant the store does not know: the reference check removes the application,
    // and with it its events and the device observations made for it.
    const victim = population.dataset.applications.find((a) => population.dataset.devices.some((d) => d.application_id === a.id));
    expect(victim).toBeDefined();
    const observationIds = population.dataset.devices.filter((d) => d.application_id === victim?.id).map((d) => d.id);
    const repo = new AnalysisRepository(temp.store.db);
    const removalsBefore = repo.removalCount();
    await importFiles(temp.store, [{ name: 'dangling.jsonl', bytes: jsonl([{ ...(victim as InterchangeRecord & { type: 'application' }), applicant_id: 'NOPE' }]) }], { actor: 'test' });
    expect(repo.removalCount()).toBeGreaterThanOrEqual(removalsBefore + 1 + observationIds.length);

    const run = await analyze(temp.store, { refreshParameters: 'never' });
    expect(run.mode).toBe('incremental');
    const afterIncremental = snapshot(temp);
    expect(afterIncremental.scores.some((line) => line.includes(`"${victim?.id}"`))).toBe(false);
    for (const id of observationIds) expect(afterIncremental.devices.some((line) => line.includes(`"${id}"`))).toBe(false);
    await analyze(temp.store, { refreshParameters: 'never', full: true });
    expect(afterIncremental).toEqual(snapshot(temp));
    // Nothing removed since: the next run does not look for vanished rows, and changes nothing.
    expect(await analyze(temp.store, { refreshParameters: 'never' })).toMatchObject({ mode: 'incremental', applicationsScored: 0 });
  });

  // An import removes an event when what it refers to is gone: its own device reference re-imported as
  // dangling, or its device observation removed for a dangling applicant. The application stays, with fewer
  // events, so its sessions and everything built from them change though no record of its own did.
  const removedEvents: { kind: string; pick: (records: readonly InterchangeRecord[]) => InterchangeRecord }[] = [
    { kind: 'an event re-imported with a device the store does not know', pick: (records) => {
      const event = records.find((r) => r.type === 'event' && r.kind === 'field_input' && r.device_id !== undefined);
      expect(event).toBeDefined();
      return { ...(event as InterchangeRecord & { type: 'event' }), device_id: 'NOPE' };
    } },
    { kind: 'the events of a device observation re-imported with an applicant the store does not know', pick: (records) => {
      const used = new Set(records.flatMap((r) => (r.type === 'event' && r.device_id !== undefined ? [r.device_id] : [])));
      const device = records.find((r) => r.type === 'device' && used.has(r.id));
      expect(device).toBeDefined();
      return { ...(device as InterchangeRecord & { type: 'device' }), applicant_id: 'NOPE' };
    } },
  ];
  it.each(removedEvents)('re-analyses an application after an import removes $kind, as a full recompute would', async ({ pick }) => {
    const temp = await storeWith(population.records);
    await analyze(temp.store, { refreshParameters: 'never' });
    const before = snapshot(temp);
    const result = await importFiles(temp.store, [{ name: 'dangling.jsonl', bytes: jsonl([pick(population.records)]) }], { actor: 'test' });
    expect(result.rejected.some((r) => r.message.startsWith('event.'))).toBe(true);
    expect(await analyze(temp.store, { refreshParameters: 'never' })).toMatchObject({ mode: 'incremental' });
    const afterIncremental = snapshot(temp);
    expect(afterIncremental.features).not.toEqual(before.features);
    await analyze(temp.store, { refreshParameters: 'never', full: true });
    expect(afterIncremental).toEqual(snapshot(temp));
  });

  it('weakens the links of a shared address for its earlier holders once a newcomer makes it a hub, as a full recompute would', async () => {
    // Seven applicants at one address form a ring (an address links at full weight up to six others); an
    // eighth makes it a hub, whose weaker link joins no one: the earlier seven's ring goes.
    const dwellers = (from: number, to: number): InterchangeRecord[] => Array.from({ length: to - from + 1 }, (_v, n) => from + n).flatMap((i): InterchangeRecord[] => {
      const first17 = `11010519880201${String(100 + i)}`;
      return [
        { type: 'applicant', id: `H${i}`, name: `住户${i}`, id_number: `${first17}${residentIdCheckChar(first17)}`, phone: `13900${String(100_000 + i)}`,
          address: { province: '北京市', city: '北京市', district: '朝阳区', line: '望京街道 8 号院 3 号楼 1201' } },
        { type: 'application', id: `HA${i}`, applicant_id: `H${i}`, submitted_at: '2026-03-10T10:00:00+08:00' },
      ];
    });
    const temp = await storeWith(dwellers(1, 7));
    await analyze(temp.store, { refreshParameters: 'never' });
    const ringOf = (rings: string[]): string[] => rings.map((r) => (JSON.parse(r) as { applicant_ids: string[] }).applicant_ids.join(','));
    expect(ringOf(snapshot(temp).rings)).toEqual(['H1,H2,H3,H4,H5,H6,H7']);
    await importFiles(temp.store, [{ name: 'later.jsonl', bytes: jsonl(dwellers(8, 8)) }], { actor: 'test' });
    expect(await analyze(temp.store, { refreshParameters: 'never' })).toMatchObject({ mode: 'incremental' });
    const afterIncremental = snapshot(temp);
    await analyze(temp.store, { refreshParameters: 'never', full: true });
    expect(ringOf(snapshot(temp).rings)).toEqual([]);
    expect(afterIncremental).toEqual(snapshot(temp));
    // The eighth moves out: the address links its earlier holders at full weight again.
    const moved = dwellers(8, 8).map((r) => (r.type === 'applicant' ? { ...r, address: { province: '北京市', city: '北京市', district: '海淀区', line: '学院路 5 号' } } : r));
    await importFiles(temp.store, [{ name: 'moved.jsonl', bytes: jsonl(moved) }], { actor: 'test' });
    expect(await analyze(temp.store, { refreshParameters: 'never' })).toMatchObject({ mode: 'incremental' });
    const afterMove = snapshot(temp);
    expect(ringOf(afterMove.rings)).toEqual(['H1,H2,H3,H4,H5,H6,H7']);
    await analyze(temp.store, { refreshParameters: 'never', full: true });
    expect(afterMove).toEqual(snapshot(temp));
  });

  it('keeps the sessions of two applications whose events carry the same session id apart, in an incremental run as in a full recompute', async () => {
    // The lender's session ids are unique per application, not store-wide: a later application's events
    // may reuse one. Each application keeps its own session.
    const temp = await storeWith(population.records);
    await analyze(temp.store, { refreshParameters: 'never' });
    const first = population.dataset.applications[0]?.id as string;
    const events = population.records.filter((r): r is InterchangeRecord & { type: 'event' } => r.type === 'event' && r.application_id === first && r.session_id !== undefined);
    expect(events.length).toBeGreaterThan(3);
    const first17 = '11010519860304123';
    const later: InterchangeRecord[] = [
      { type: 'applicant', id: 'SAME1', name: '复用', id_number: `${first17}${residentIdCheckChar(first17)}`, phone: '13700001234' },
      { type: 'application', id: 'SAMEA1', applicant_id: 'SAME1', submitted_at: '2026-04-01T10:00:00+08:00' },
      ...events.map((e) => ({ ...e, id: `SAME-${e.id}`, application_id: 'SAMEA1' })),
    ];
    const before = snapshot(temp).sessions.find((line) => line.startsWith(`${first} `));
    await importFiles(temp.store, [{ name: 'later.jsonl', bytes: jsonl(later) }], { actor: 'test' });
    expect(await analyze(temp.store, { refreshParameters: 'never' })).toMatchObject({ mode: 'incremental' });
    const afterIncremental = snapshot(temp);
    expect(afterIncremental.sessions.find((line) => line.startsWith(`${first} `))).toBe(before);
    expect(afterIncremental.sessions.find((line) => line.startsWith('SAMEA1 '))).not.toBe('SAMEA1 []');
    await analyze(temp.store, { refreshParameters: 'never', full: true });
    expect(afterIncremental).toEqual(snapshot(temp));
  });

  it('finds a device observation filed under another applicant when scoring the application made on it, whatever chunk each applicant falls in', async () => {
    // The exporter filed the observation under one applicant; the events of another applicant's
    // application were made on it. The application's device features read it, in a full run as here,
    // where every applicant is scored in a chunk of its own.
    const temp = await storeWith(population.records);
    await analyze(temp.store, { refreshParameters: 'never' });
    const apps = new Map(population.dataset.applications.map((a) => [a.id, a]));
    const observation = population.dataset.devices.find((d) => d.application_id !== undefined && d.applicant_id !== undefined && apps.get(d.application_id)?.applicant_id === d.applicant_id);
    expect(observation).toBeDefined();
    const elsewhere = another(population.records, observation?.applicant_id ?? '');
    const refiled = { ...(population.records.find((r) => r.id === observation?.id && r.type === 'device') as InterchangeRecord), applicant_id: elsewhere };
    await importFiles(temp.store, [{ name: 'refiled.jsonl', bytes: jsonl([refiled]) }], { actor: 'test' });
    expect(await analyze(temp.store, { refreshParameters: 'never', chunkSize: 1 })).toMatchObject({ mode: 'incremental' });
    const afterIncremental = snapshot(temp);
    await analyze(temp.store, { refreshParameters: 'never', full: true });
    expect(afterIncremental).toEqual(snapshot(temp));
  });

  it('counts one PF cohort under one employer whatever legal form its name is written with, in an incremental run as in a full recompute', async () => {
    // Six applicants of one small employer without a credit code, all contributing from the same month:
    // the first three exported as 有限公司, the later three as 有限责任公司.
    const staff = (from: number, employer: string): InterchangeRecord[] => employerStaff('S', 1, from, from + 2, () => ({ employer, first_month: '2026-01' }));
    const temp = await storeWith(staff(1, '远航贸易有限公司'));
    await analyze(temp.store, { refreshParameters: 'never' });
    await importFiles(temp.store, [{ name: 'later.jsonl', bytes: jsonl(staff(4, '远航贸易有限责任公司')) }], { actor: 'test' });
    expect(await analyze(temp.store, { refreshParameters: 'never' })).toMatchObject({ mode: 'incremental' });
    const afterIncremental = snapshot(temp);
    const cohortOfFirst = JSON.parse(afterIncremental.features.find((f) => f.startsWith('SA1 '))?.slice(4) ?? '{}') as Record<string, number>;
    expect(cohortOfFirst['pf_cohort_size']).toBe(6);
    await analyze(temp.store, { refreshParameters: 'never', full: true });
    expect(afterIncremental).toEqual(snapshot(temp));
  });

  it('rewrites a cohort\'s explanation when a colleague outside the cohort joins the employer, as a full recompute would', async () => {
    // Three applicants of one small employer all starting 2026-01 (suspicious); a fourth who started long
    // before leaves the cohort as it is but makes the explanation's "3 of 3 applicants" read "3 of 4".
    const staff = (from: number, to: number): InterchangeRecord[] =>
      employerStaff('K', 3, from, to, (i) => ({ employer: '晨光商贸有限公司', employer_code: '91110105MA01WXYZ2K', first_month: i <= 3 ? '2026-01' : '2024-05' }));
    const temp = await storeWith(staff(1, 3));
    await analyze(temp.store, { refreshParameters: 'never' });
    await importFiles(temp.store, [{ name: 'later.jsonl', bytes: jsonl(staff(4, 4)) }], { actor: 'test' });
    expect(await analyze(temp.store, { refreshParameters: 'never' })).toMatchObject({ mode: 'incremental' });
    const afterIncremental = snapshot(temp);
    expect(afterIncremental.scores.find((line) => line.includes('"KA1"'))).toContain('3 of the 4 applicants');
    await analyze(temp.store, { refreshParameters: 'never', full: true });
    expect(afterIncremental).toEqual(snapshot(temp));
  });

  it('recounts a shell employer\'s cohort when one new colleague makes it a big employer, in an incremental run as in a full recompute', async () => {
    // 60 applicants of one employer (SMALL_EMPLOYER_MAX), 40 of them starting the same month: a suspicious
    // cohort. The 61st applicant makes the employer big, and nobody's cohort counts any more.
    const staff = (from: number, to: number): InterchangeRecord[] =>
      employerStaff('E', 2, from, to, (i) => ({
        employer: '星河科技有限公司', employer_code: '91110105MA01ABCD1X', first_month: i <= 40 ? '2026-01' : `2024-${String(1 + (i % 12)).padStart(2, '0')}`,
      }));
    const temp = await storeWith(staff(1, 60));
    await analyze(temp.store, { refreshParameters: 'never' });
    const cohortOf = (features: string[], id: string): Record<string, number> => JSON.parse(features.find((f) => f.startsWith(`${id} `))?.slice(id.length + 1) ?? '{}') as Record<string, number>;
    expect(cohortOf(snapshot(temp).features, 'EA1')['pf_cohort_size']).toBe(40);
    await importFiles(temp.store, [{ name: 'later.jsonl', bytes: jsonl(staff(61, 61)) }], { actor: 'test' });
    expect(await analyze(temp.store, { refreshParameters: 'never' })).toMatchObject({ mode: 'incremental' });
    const afterIncremental = snapshot(temp);
    expect(cohortOf(afterIncremental.features, 'EA1')['pf_cohort_size']).toBe(0);
    await analyze(temp.store, { refreshParameters: 'never', full: true });
    expect(afterIncremental).toEqual(snapshot(temp));
  });

  it('recomputes the ring of a colleague whose first-pass risk moved with its cohort size alone, as a full recompute would', async () => {
    // A rule set that reads the cohort's size (the shipped one reads only its verdict): a colleague starting
    // the same month moves T1's first-pass risk, though T1's own records and link keys stay as they were.
    const shipped = defaultRuleSet();
    const rules = {
      ...shipped, id: 'cohort-size', version: shipped.version + 1,
      rules: [...shipped.rules, {
        id: 'pf.cohort_size', code: 'PF_EMPLOYER_COHORT' as const, when: { feature: 'pf_cohort_size', op: '>=' as const, value: 3 }, weight: 3,
        explain: { en: '{pf_cohort_members} applicants of one employer started contributing together.', 'zh-CN': '同一单位有{pf_cohort_members}名申请人同时开始缴存。' },
      }],
    };
    // Ten staff of a small employer: T1 and T2 start in 2026-01, the others months apart in 2024 (no
    // suspicious cohort anywhere); R1 shares T1's phone, a link strong enough for a ring of two.
    const month = (i: number): string => (i <= 2 || i === 11 ? '2026-01' : `2024-${String(i - 2).padStart(2, '0')}`);
    const staff = (from: number, to: number): InterchangeRecord[] => employerStaff('T', 1, from, to, (i) => ({ employer: '青松物流有限公司', first_month: month(i) }));
    const first17 = '11010519850505123';
    const partner: InterchangeRecord[] = [
      { type: 'applicant', id: 'R1', name: '合伙人', id_number: `${first17}${residentIdCheckChar(first17)}`, phone: '13610000001' },
      { type: 'application', id: 'RA1', applicant_id: 'R1', submitted_at: '2026-03-11T10:00:00+08:00' },
    ];
    const temp = await storeWith([...staff(1, 10), ...partner]);
    await analyze(temp.store, { refreshParameters: 'never', rules });
    const ringOf = (applicant: string): { ring_id: string; score: number } | undefined => [...exportRings(temp.store)].find((r) => r.applicant_ids.includes(applicant));
    const before = ringOf('R1');
    expect(before?.ring_id).toBe(ringOf('T1')?.ring_id);

    await importFiles(temp.store, [{ name: 'later.jsonl', bytes: jsonl(staff(11, 11)) }], { actor: 'test' });
    // The rule set reads the cohort's size, so T1's stored analysis is not patched: it goes the full way.
    expect(await analyze(temp.store, { refreshParameters: 'never', rules })).toMatchObject({ mode: 'incremental', cohortPatched: 0 });
    const afterIncremental = snapshot(temp);
    // The ring's score moved with T1's risk, and R1, whose records did not change, was rescored with it.
    expect(ringOf('R1')?.score).toBeGreaterThan(before?.score ?? 1000);
    await analyze(temp.store, { refreshParameters: 'never', rules, full: true });
    expect(afterIncremental).toEqual(snapshot(temp));
  });

  it('patches the stored analyses of colleagues whose cohort size alone moved, ending where a full recompute ends in features, words and scores', async () => {
    // Ten staff of a small employer: C1 and C2 started in 2026-01, the others months apart in 2024. A new
    // colleague starting in 2026-01 makes their cohort three of eleven: counted (the model reads its size),
    // still no shell's. Nothing else of theirs moved, so their stored analyses are patched, not recomputed.
    const month = (i: number): string => (i <= 2 || i === 11 ? '2026-01' : `2024-${String(i - 2).padStart(2, '0')}`);
    const staff = (from: number, to: number): InterchangeRecord[] =>
      employerStaff('C', 3, from, to, (i) => ({ employer: '远山仓储有限公司', employer_code: '91110105MA01CANG3C', first_month: month(i) }));
    const temp = await storeWith(staff(1, 10));
    await analyze(temp.store, { refreshParameters: 'never' });
    const repo = new AnalysisRepository(temp.store.db);
    const words = (id: string): Record<string, string> => JSON.parse(repo.application(id)?.evidenceJson ?? '{}') as Record<string, string>;
    expect(words('CA1')['pf_cohort_members']).toBe('2');

    await importFiles(temp.store, [{ name: 'later.jsonl', bytes: jsonl(staff(11, 11)) }], { actor: 'test' });
    expect(await analyze(temp.store, { refreshParameters: 'never' })).toMatchObject({ mode: 'incremental', cohortPatched: 2 });
    const afterIncremental = snapshot(temp);
    const cohorts = repo.storedCohorts(['C1', 'C2']);
    expect(words('CA1')['pf_cohort_members']).toBe('3');
    expect(JSON.parse(repo.application('CA2')?.featuresJson ?? '{}')).toMatchObject({ pf_cohort_size: 3, pf_cohort_suspicious: 0 });
    await analyze(temp.store, { refreshParameters: 'never', full: true });
    expect(afterIncremental).toEqual(snapshot(temp));
    expect(cohorts).toEqual(repo.storedCohorts(['C1', 'C2']));
  });

  it('names a shared employer as a down-weighted hub beside every holder\'s score once it becomes one, in an incremental run as in a full recompute', async () => {
    // Eleven staff of one employer, all starting in different months (no cohort): an employer held by twelve
    // is a hub (HUB_AT.employer). The twelfth's import changes nothing of the first eleven's records or
    // scores, only the finding beside them.
    const month = (i: number): string => `20${String(10 + i)}-03`;
    const staff = (from: number, to: number): InterchangeRecord[] =>
      employerStaff('H', 3, from, to, (i) => ({ employer: '万家超市有限公司', employer_code: '91110105MA01HUBS4H', first_month: month(i) }));
    const temp = await storeWith(staff(1, 11));
    await analyze(temp.store, { refreshParameters: 'never' });
    const repo = new AnalysisRepository(temp.store.db);
    const hubFinding = (id: string): boolean => (JSON.parse(repo.application(id)?.findingsJson ?? '[]') as { check: string; detail: string }[]).some((f) => f.check === 'hub_down_weighted' && f.detail === 'kind=employer');
    expect(hubFinding('HA1')).toBe(false);
    await importFiles(temp.store, [{ name: 'later.jsonl', bytes: jsonl(staff(12, 12)) }], { actor: 'test' });
    // The eleven are affected only through the hub: their stored findings are patched, not recomputed.
    expect(await analyze(temp.store, { refreshParameters: 'never' })).toMatchObject({ mode: 'incremental', hubPatched: 11 });
    const afterIncremental = snapshot(temp);
    expect(hubFinding('HA1')).toBe(true);
    await analyze(temp.store, { refreshParameters: 'never', full: true });
    expect(afterIncremental).toEqual(snapshot(temp));
  });

  // A re-imported record with the same id replaces the old one (interchange.md); when it names another
  // owner (applicant, application, employer), the one it left has changed too, though no record of its own did.
  type Move = { kind: string; pick: (records: readonly InterchangeRecord[], features: Map<string, Record<string, number>>) => object };
  const ownerOf = (r: InterchangeRecord): string => (r as { applicant_id?: string }).applicant_id ?? '';
  const another = (records: readonly InterchangeRecord[], not: string): string => {
    const withApplication = new Set(records.flatMap((r) => (r.type === 'application' ? [r.applicant_id] : [])));
    return records.flatMap((r) => (r.type === 'applicant' && r.id !== not && withApplication.has(r.id) ? [r.id] : []))[0] ?? '';
  };
  const moves: Move[] = [
    { kind: 'a bank card to another applicant', pick: (records) => {
      const card = records.find((r) => r.type === 'bank_card') as InterchangeRecord;
      return { ...card, applicant_id: another(records, ownerOf(card)) };
    } },
    { kind: 'a bureau report to another applicant', pick: (records) => {
      const report = records.find((r) => r.type === 'bureau') as InterchangeRecord;
      return { ...report, applicant_id: another(records, ownerOf(report)) };
    } },
    { kind: 'a PF record to another applicant', pick: (records) => {
      const pf = records.find((r) => r.type === 'pf_record') as InterchangeRecord;
      return { ...pf, applicant_id: another(records, ownerOf(pf)) };
    } },
    { kind: 'a PF record of a small employer\'s cohort to another employer', pick: (records, features) => {
      // A member of a counted cohort: its colleagues' cohort shrinks when it leaves.
      const inCohort = new Set(records.filter((r) => r.type === 'application' && (features.get(r.id)?.['pf_cohort_size'] ?? 0) >= 2).map((r) => ownerOf(r)));
      const pf = records.find((r) => r.type === 'pf_record' && inCohort.has(ownerOf(r)));
      expect(pf).toBeDefined();
      return { ...(pf as InterchangeRecord), employer: '新开物流有限公司', employer_code: '91110105MA09ZZZZ9Z' };
    } },
    { kind: 'an application to another applicant', pick: (records) => {
      // From an applicant with two applications: the one left behind is counted differently.
      const apps = records.filter((r): r is InterchangeRecord & { type: 'application' } => r.type === 'application');
      const app = apps.find((a) => apps.some((b) => b.id !== a.id && b.applicant_id === a.applicant_id)) ?? apps[0];
      return { ...app, applicant_id: another(records, app?.applicant_id ?? '') };
    } },
    { kind: 'an event to another application', pick: (records) => {
      const event = records.find((r) => r.type === 'event' && r.kind === 'field_input') ?? records.find((r) => r.type === 'event');
      const other = records.find((r) => r.type === 'application' && r.id !== (event as { application_id: string }).application_id) as InterchangeRecord;
      return { ...(event as InterchangeRecord), application_id: other.id };
    } },
  ];
  it.each(moves)('re-analyses what $kind leaves behind, as a full recompute would', async ({ pick }) => {
    const temp = await storeWith(population.records);
    await analyze(temp.store, { refreshParameters: 'never' });
    const features = new Map(snapshot(temp).features.map((f) => [f.slice(0, f.indexOf(' ')), JSON.parse(f.slice(f.indexOf(' ') + 1)) as Record<string, number>]));
    const moved = pick(population.records, features);
    await importFiles(temp.store, [{ name: 'moved.jsonl', bytes: jsonl([moved as InterchangeRecord]) }], { actor: 'test' });
    expect(await analyze(temp.store, { refreshParameters: 'never' })).toMatchObject({ mode: 'incremental' });
    const afterIncremental = snapshot(temp);
    await analyze(temp.store, { refreshParameters: 'never', full: true });
    expect(afterIncremental).toEqual(snapshot(temp));
  });

  it('rehearses a run over the latest analysed applicants and leaves the store as it was, so the next run still ends where a full recompute ends', async () => {
    const [first, second] = split(population.records, Math.round(APPLICANTS * 0.85));
    const temp = await storeWith(first);
    // Never analysed: nothing to rehearse on.
    expect(await rehearseAnalysis(temp.store)).toBeNull();
    await analyze(temp.store, { refreshParameters: 'auto' });
    // The second part waits unanalysed: the rehearsal must not reach it.
    await importFiles(temp.store, [{ name: 'second.jsonl', bytes: jsonl(second) }], { actor: 'test' });
    const repo = new AnalysisRepository(temp.store.db);
    const state = (): unknown[] => [
      temp.store.db.prepare('SELECT * FROM analysis_state ORDER BY key').all(),
      temp.store.db.prepare('SELECT id, status, mode FROM analysis_runs ORDER BY id').all(),
      temp.store.db.prepare('SELECT count(*) FROM analysis_score_history').pluck().get(),
      temp.store.db.prepare('SELECT * FROM analysis_applicants ORDER BY applicant_id').all(),
      temp.store.db.prepare('SELECT key, kind, applicant_id, pending FROM analysis_link_keys ORDER BY 1, 2, 3').all(),
      temp.store.db.prepare('SELECT key, observation_id, pending FROM analysis_device_keys ORDER BY 1, 2').all(),
    ];
    const before = { snapshot: snapshot(temp), state: state() };
    const watermark = Number(repo.state('watermark'));
    const rehearsal = await rehearseAnalysis(temp.store);
    expect(rehearsal).toMatchObject({ toSeq: watermark, complete: true, slices: REHEARSAL_APPLICANTS / REHEARSAL_SLICE });
    expect(rehearsal?.fromSeq).toBeGreaterThan(0);
    // More than its own applicants: the members of their small employers come along.
    expect(rehearsal?.applicantsAffected).toBeGreaterThan(REHEARSAL_APPLICANTS);
    expect(rehearsal?.applicationsScored).toBeGreaterThan(REHEARSAL_APPLICANTS);
    expect(temp.store.db.inTransaction).toBe(false);
    expect({ snapshot: snapshot(temp), state: state() }).toEqual(before);
    // Asked to stop (a run is waiting), it stops after the slice under way: the store as it was again.
    let asked = 0;
    const stopped = await rehearseAnalysis(temp.store, { shouldStop: () => ++asked >= 2 });
    expect(stopped).toMatchObject({ slices: 2, complete: false });
    expect({ snapshot: snapshot(temp), state: state() }).toEqual(before);
    // Another connection's run between two slices (here: a full one begun, the store unanalysed until it
    // ends) makes the remaining slices out of date: the rehearsal stops there, without an error.
    const { store: other } = await unlockStore(temp.dir, { username: 'admin', passphrase: temp.passphrase });
    cleanups.push(() => other.close());
    let moved = false;
    const overtaken = await rehearseAnalysis(temp.store, {
      shouldStop: () => {
        if (!moved) other.db.prepare("UPDATE analysis_state SET value = '0' WHERE key = 'watermark'").run();
        moved = true;
        return false;
      },
    });
    expect(overtaken).toMatchObject({ slices: 1, complete: false });
    other.db.prepare("UPDATE analysis_state SET value = ? WHERE key = 'watermark'").run(String(watermark));
    other.close();
    expect({ snapshot: snapshot(temp), state: state() }).toEqual(before);
    // What it leaves behind is the warm connection: the run's page cache, kept.
    expect(temp.store.db.pragma('cache_size', { simple: true })).toBe(RUN_CACHE_KIB);

    const incremental = await analyze(temp.store, { refreshParameters: 'never' });
    expect(incremental.mode).toBe('incremental');
    const afterIncremental = snapshot(temp);
    await analyze(temp.store, { refreshParameters: 'never', full: true });
    expect(afterIncremental).toEqual(snapshot(temp));

    // Features from another engine version: the next run is a full one, and there is nothing to rehearse.
    temp.store.db.prepare("UPDATE analysis_state SET value = '1' WHERE key = 'engine_version'").run();
    expect(await rehearseAnalysis(temp.store)).toBeNull();
  });

  it('gives a run that cannot begin (another connection writing) its error and leaves the connection as it was: full fsync, no transaction', async () => {
    const [first, second] = split(population.records, Math.round(APPLICANTS * 0.9));
    const temp = await storeWith(first);
    await analyze(temp.store, { refreshParameters: 'never' });
    await importFiles(temp.store, [{ name: 'second.jsonl', bytes: jsonl(second) }], { actor: 'test' });
    const { store: other } = await unlockStore(temp.dir, { username: 'admin', passphrase: temp.passphrase });
    cleanups.push(() => other.close());
    temp.store.db.pragma('busy_timeout = 50');
    other.db.exec('BEGIN IMMEDIATE');
    try {
      await expect(analyze(temp.store, { refreshParameters: 'never' })).rejects.toMatchObject({ code: 'SQLITE_BUSY' });
      await expect(rehearseAnalysis(temp.store)).rejects.toMatchObject({ code: 'SQLITE_BUSY' });
    } finally {
      other.db.exec('ROLLBACK');
    }
    expect(temp.store.db.pragma('synchronous', { simple: true })).toBe(2);
    expect(temp.store.db.inTransaction).toBe(false);
    expect((await analyze(temp.store, { refreshParameters: 'never' })).mode).toBe('incremental');
  });

  it('gives an incremental run that fails inside its transaction its own error, rolls all of it back, records the failure and leaves the connection at full fsync with no transaction; never joins a caller\'s transaction', async () => {
    const [first, second] = split(population.records, Math.round(APPLICANTS * 0.9));
    const temp = await storeWith(first);
    await analyze(temp.store, { refreshParameters: 'never' });
    await importFiles(temp.store, [{ name: 'second.jsonl', bytes: jsonl(second) }], { actor: 'test' });
    const repo = new AnalysisRepository(temp.store.db);
    const watermark = repo.state('watermark');
    const before = snapshot(temp);
    const lastRun = (): { status: string; mode: string; summary: string } =>
      temp.store.db.prepare('SELECT status, mode, summary_json AS summary FROM analysis_runs ORDER BY id DESC LIMIT 1').get() as { status: string; mode: string; summary: string };
    const completed = lastRun();
    // The store refuses a write halfway through the run, as a full disk would: the run has already written
    // sessions, devices and link keys by the time it stores the first analysis.
    temp.store.db.exec("CREATE TEMP TRIGGER refuse_analyses BEFORE INSERT ON analysis_applications BEGIN SELECT RAISE(ABORT, 'analysis write refused'); END");
    await expect(analyze(temp.store, { refreshParameters: 'never' })).rejects.toThrow('analysis write refused');
    expect(temp.store.db.inTransaction).toBe(false);
    expect(temp.store.db.pragma('synchronous', { simple: true })).toBe(2);
    expect(snapshot(temp)).toEqual(before);
    expect(repo.state('watermark')).toBe(watermark);
    expect(lastRun()).toMatchObject({ status: 'failed', mode: 'incremental' });
    expect(JSON.parse(lastRun().summary)).toEqual({ error: 'analysis write refused' });
    expect(completed.status).toBe('completed');
    // Even when the store refuses the failure row as well, the caller gets the run's own error.
    temp.store.db.exec("CREATE TEMP TRIGGER refuse_failed_runs BEFORE UPDATE ON analysis_runs WHEN NEW.status = 'failed' BEGIN SELECT RAISE(ABORT, 'run row refused'); END");
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      await expect(analyze(temp.store, { refreshParameters: 'never' })).rejects.toThrow('analysis write refused');
      expect(logged).toHaveBeenCalledWith('[vigil] could not record the failed analysis run: run row refused');
    } finally {
      logged.mockRestore();
    }
    expect(temp.store.db.inTransaction).toBe(false);
    expect(snapshot(temp)).toEqual(before);
    // A transaction the caller holds is not the run's to join, nor to roll back.
    temp.store.db.exec('BEGIN');
    temp.store.db.prepare("INSERT INTO analysis_state (key, value) VALUES ('caller', 'kept')").run();
    await expect(analyze(temp.store, { refreshParameters: 'never' })).rejects.toMatchObject({ code: 'conflict' });
    expect(temp.store.db.inTransaction).toBe(true);
    expect(repo.state('caller')).toBe('kept');
    temp.store.db.exec('ROLLBACK');

    temp.store.db.exec('DROP TRIGGER temp.refuse_analyses');
    temp.store.db.exec('DROP TRIGGER temp.refuse_failed_runs');
    const incremental = await analyze(temp.store, { refreshParameters: 'never' });
    expect(incremental.mode).toBe('incremental');
    const afterIncremental = snapshot(temp);
    await analyze(temp.store, { refreshParameters: 'never', full: true });
    expect(afterIncremental).toEqual(snapshot(temp));
  });

  it('after a full run that failed or was stopped half way, runs full again, and exports call the store stale meanwhile', async () => {
    const [first, second] = split(population.records, Math.round(APPLICANTS * 0.9));
    for (const how of ['refused', 'locked'] as const) {
      let temp = await storeWith(first);
      await analyze(temp.store, { refreshParameters: 'never' });
      expect(analysisState(temp.store).pending).toBe(0);
      const before = snapshot(temp);
      if (how === 'refused') {
        // The store refuses a link key once the run has cleared them (committed) and begun writing them again.
        temp.store.db.exec("CREATE TEMP TRIGGER refuse_keys BEFORE INSERT ON analysis_link_keys WHEN (SELECT count(*) FROM analysis_link_keys) > 1000 BEGIN SELECT RAISE(ABORT, 'link key write refused'); END");
        await expect(analyze(temp.store, { refreshParameters: 'never', full: true })).rejects.toThrow('link key write refused');
        temp.store.db.exec('DROP TRIGGER temp.refuse_keys');
      } else {
        // The investigator locks the store while the run yields between chunks of link keys.
        const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
        try {
          await expect(analyze(temp.store, { refreshParameters: 'never', full: true, onProgress: (p) => { if (p.phase === 'links' && !temp.store.closed) temp.store.close(); } })).rejects.toThrow();
        } finally {
          logged.mockRestore();
        }
        temp = await reopened(temp);
      }
      // What the failed run committed of its chunks (link keys cleared, counts or rings not yet rebuilt) is
      // not the analysis it started from.
      expect(snapshot(temp)).not.toEqual(before);
      expect(analysisState(temp.store).pending).toBeGreaterThan(0);
      expect(await rehearseAnalysis(temp.store)).toBeNull();
      await importFiles(temp.store, [{ name: 'second.jsonl', bytes: jsonl(second) }], { actor: 'test' });
      const next = await analyze(temp.store, { refreshParameters: 'never' });
      expect(next.mode).toBe('full');
      expect(analysisState(temp.store).pending).toBe(0);
      const afterNext = snapshot(temp);
      await analyze(temp.store, { refreshParameters: 'never', full: true });
      expect(afterNext).toEqual(snapshot(temp));
    }
  });

  it('recomputes everything and refits the model when the stored features come from another engine version', async () => {
    const temp = await storeWith(population.records.slice(0, 6000));
    const first = await analyze(temp.store, { refreshParameters: 'auto' });
    expect(first.modelVersion).not.toBeNull();
    const repo = new AnalysisRepository(temp.store.db);
    expect(repo.state('engine_version')).toBe(ENGINE_VERSION);
    expect((await analyze(temp.store, { refreshParameters: 'auto' })).mode).toBe('incremental');
    // A store analysed by version 1 stored 0 for a PF start without a PF record and fitted an unconstrained model.
    const before = new Map([...repo.featureRows()].map((r) => [r.applicationId, r.featuresJson]));
    const noPf = [...before].find(([, json]) => !('pf_months_before_apply' in (JSON.parse(json) as Record<string, number>)));
    expect(noPf).toBeDefined();
    temp.store.db.prepare("UPDATE analysis_applications SET features_json = json_set(features_json, '$.pf_months_before_apply', 0) WHERE application_id = ?").run(noPf?.[0]);
    temp.store.db.prepare("UPDATE analysis_state SET value = '1' WHERE key = 'engine_version'").run();
    // Labels have not grown since the fit: only the engine change can make this run refit the model.
    temp.store.db.prepare("UPDATE analysis_parameters SET basis = 1000000 WHERE kind = 'model' AND active = 1").run();
    const upgraded = await analyze(temp.store, { refreshParameters: 'auto' });
    expect(upgraded.mode).toBe('full');
    expect(repo.state('engine_version')).toBe(ENGINE_VERSION);
    expect(new Map([...repo.featureRows()].map((r) => [r.applicationId, r.featuresJson])).get(noPf?.[0] ?? '')).toBe(noPf?.[1]);
    expect(repo.activeParameter('model')?.basis).toBe(repo.labelCount());
    expect((await analyze(temp.store, { refreshParameters: 'auto' })).mode).toBe('incremental');
  });

  it('refuses a stored rule set whose explanation quotes an unknown word, before writing anything', async () => {
    const temp = await storeWith(population.records.slice(0, 1500));
    await analyze(temp.store, { refreshParameters: 'never' });
    const before = snapshot(temp);
    const runs = (): number => (temp.store.db.prepare('SELECT count(*) AS n FROM analysis_runs').get() as { n: number }).n;
    const runsBefore = runs();
    const rules = defaultRuleSet();
    const ring = rules.rules.find((r) => r.id === 'ring.member');
    const tuned = { ...rules, id: 'tuned', rules: rules.rules.map((r) => (r === ring ? { ...r, explain: { ...r.explain, 'zh-CN': '申请人属于关联团伙{ring_id}（共用{ring_lnks}）。' } } : r)) };
    temp.store.db.prepare("INSERT INTO rule_sets (id, name, version, definition_json, created_at, is_active) VALUES ('rs1', 'tuned', 3, ?, 'now', 1)").run(JSON.stringify(tuned));
    await importFiles(temp.store, [{ name: 'more.jsonl', bytes: jsonl(population.records.slice(1500, 1700)) }], { actor: 'test' });

    const failure = await analyze(temp.store, { refreshParameters: 'never' }).then(() => null, (error: unknown) => error);
    expect(failure).toBeInstanceOf(VigilError);
    expect(failure).toMatchObject({ code: 'invalid_input', where: 'rule_sets/tuned/v3' });
    expect((failure as VigilError).message).toMatch(/active rule set tuned v3 cannot be used: rule ring\.member: the zh-CN explanation quotes \{ring_lnks\}/);
    expect(runs()).toBe(runsBefore);
    expect(snapshot(temp)).toEqual(before);
    // Fixed, the same store analyses the new records.
    temp.store.db.prepare("UPDATE rule_sets SET definition_json = ? WHERE id = 'rs1'").run(JSON.stringify({ ...tuned, rules: rules.rules }));
    expect((await analyze(temp.store, { refreshParameters: 'never' })).ruleSet).toBe(`tuned-v${rules.version}`);
  });

  it('adds score history only when the data, the rules or the model change', async () => {
    const temp = await storeWith(population.records.slice(0, 3000));
    await analyze(temp.store, { refreshParameters: 'never' });
    const repo = new AnalysisRepository(temp.store.db);
    const someApplication = [...exportScores(temp.store)][0]?.application_id as string;
    expect(repo.history(someApplication)).toHaveLength(1);

    const unchanged = await analyze(temp.store, { refreshParameters: 'never' });
    expect(unchanged).toMatchObject({ mode: 'incremental', applicationsScored: 0, historyRows: 0 });

    const rules = defaultRuleSet();
    const stricter = { ...rules, version: rules.version + 1, intercept: rules.intercept + 0.5 };
    const rescored = await analyze(temp.store, { refreshParameters: 'never', rules: stricter });
    expect(rescored.applicationsRescored).toBeGreaterThan(0);
    const history = repo.history(someApplication);
    expect(history).toHaveLength(2);
    expect(history.map((h) => h.ruleSet)).toEqual([`default-v${rules.version}`, `default-v${rules.version + 1}`]);
  });

  it('writes an analysis whose applicant, score, band and reasons stand as stored by its other columns alone, and whole where one moved or the row is gone', async () => {
    const temp = await storeWith(population.records.slice(0, 3000));
    await analyze(temp.store, { refreshParameters: 'never' });
    const repo = new AnalysisRepository(temp.store.db);
    const [id, otherId] = [...exportScores(temp.store)].map((s) => s.application_id);
    const stored = (applicationId: string | undefined) => repo.applicationsAnalysed([applicationId ?? '']).get(applicationId ?? '');
    const before = stored(id);
    if (before === undefined || id === undefined || otherId === undefined) throw new Error('nothing analysed');
    const byIndex = (sql: string, ...params: unknown[]): string[] => (temp.store.db.prepare(sql).all(...params) as { application_id: string }[]).map((r) => r.application_id);

    // Only unindexed columns moved (most neighbours a run rescores): they are written, and a new input adds history.
    const details = { ...before, featuresJson: '{"moved":1}', evidenceJson: '{"moved":2}', findingsJson: '[]', ringId: 'R-moved', inputsHash: 'moved', runId: before.runId + 1, scoredAt: '2026-12-04T00:00:00.000Z' };
    expect(repo.saveApplication(details, before)).toBe(true);
    expect(stored(id)).toEqual(details);
    expect(repo.saveApplication(details, details)).toBe(false);

    // The score, band and reasons moved: every column is written, and the indexes over them find the row.
    const rescored = { ...details, score: before.score === 1000 ? 999 : before.score + 1, band: before.band === 'critical' ? 'low' : 'critical', reasonsJson: '[{"code":"MOVED"}]' };
    repo.saveApplication(rescored, details);
    expect(stored(id)).toEqual(rescored);
    expect(byIndex('SELECT application_id FROM analysis_applications INDEXED BY analysis_applications_band WHERE band = ? AND score = ?', rescored.band, rescored.score)).toContain(id);
    expect(byIndex("SELECT application_id FROM analysis_applications INDEXED BY analysis_applications_queue WHERE application_id = ? AND json_extract(reasons_json, '$[0].code') = 'MOVED'", id)).toEqual([id]);

    // Filed under another applicant: the applicant's index follows.
    const moved = { ...rescored, applicantId: 'A-MOVED' };
    repo.saveApplication(moved, rescored);
    expect(byIndex('SELECT application_id FROM analysis_applications INDEXED BY analysis_applications_applicant WHERE applicant_id = ?', 'A-MOVED')).toEqual([id]);

    // A row deleted after it was read is written again whole, not lost to an update that matched nothing.
    const other = stored(otherId);
    if (other === undefined) throw new Error('nothing analysed');
    repo.deleteApplication(otherId);
    repo.saveApplication({ ...other, inputsHash: 'again' }, other);
    expect(stored(otherId)).toEqual({ ...other, inputsHash: 'again' });
    expect(temp.store.db.pragma('quick_check', { simple: true })).toBe('ok');
  });

  it('taints a ring through another member\'s confirmed fraud, never an application through its own label', async () => {
    const { temp, ring } = await analysedWithRing();
    const [confirmedApplicant, other] = ring.applicant_ids;
    const label = { type: 'label', application_id: applicationOf(confirmedApplicant), is_fraud: true, pattern: 'fraud_ring', source: 'confirmed' };
    await importFiles(temp.store, [{ name: 'confirmed.jsonl', bytes: Buffer.from(`${JSON.stringify(label)}\n`) }], { actor: 'test' });
    const run = await analyze(temp.store, { refreshParameters: 'never' });
    expect(run.mode).toBe('incremental');
    const scores = new Map([...exportScores(temp.store)].map((line) => [line.application_id, line]));
    expect(scores.get(applicationOf(other))?.reasons.map((r) => r.code)).toContain('RING_CONFIRMED_FRAUD');
    expect(scores.get(applicationOf(confirmedApplicant))?.reasons.map((r) => r.code)).not.toContain('RING_CONFIRMED_FRAUD');
    const tainted = [...exportRings(temp.store)].find((r) => r.ring_id === ring.ring_id);
    expect(tainted?.score).toBeGreaterThan(ring.score);
  });

  it('taints a ring when an investigator rejects a member, and lifts the taint when the rejection is superseded, in an incremental run as in a full recompute', async () => {
    const { temp, ring } = await analysedWithRing();
    const [rejectedApplicant, other] = ring.applicant_ids;
    const reasonsOf = (applicant: string | undefined): string[] => [...exportScores(temp.store)].find((line) => line.application_id === applicationOf(applicant))?.reasons.map((r) => r.code) ?? [];
    const expectFullAgrees = async (): Promise<void> => {
      const incremental = snapshot(temp);
      await analyze(temp.store, { refreshParameters: 'never', full: true });
      expect(incremental).toEqual(snapshot(temp));
    };
    // The rows the decisions service writes: a case, then an effective rejection with its reasons.
    const now = new Date().toISOString();
    temp.store.db.prepare(`INSERT INTO cases (id, application_id, applicant_id, status, created_at, updated_at) VALUES ('C1', ?, ?, 'decided', ?, ?)`).run(applicationOf(rejectedApplicant), rejectedApplicant, now, now);
    temp.store.db.prepare(`INSERT INTO case_decisions (id, case_id, application_id, outcome, reason_codes_json, decided_by, decided_at, effective)
      VALUES ('D1', 'C1', ?, 'reject', '["RING_MEMBER"]', ?, ?, 1)`).run(applicationOf(rejectedApplicant), temp.user.id, now);
    expect(analysisState(temp.store).pending).toBeGreaterThan(0);
    const tainted = await analyze(temp.store, { refreshParameters: 'never' });
    expect(tainted).toMatchObject({ mode: 'incremental' });
    expect(tainted.applicantsAffected).toBeGreaterThanOrEqual(ring.applicant_ids.length);
    expect(reasonsOf(other)).toContain('RING_CONFIRMED_FRAUD');
    expect([...exportRings(temp.store)].find((r) => r.ring_id === ring.ring_id)?.score).toBeGreaterThan(ring.score);
    await expectFullAgrees();

    // A team lead's approval supersedes the rejection: the ring is no longer tainted.
    temp.store.db.prepare(`INSERT INTO case_decisions (id, case_id, application_id, outcome, reason_codes_json, decided_by, decided_at, effective)
      VALUES ('D2', 'C1', ?, 'approve', '[]', ?, ?, 1)`).run(applicationOf(rejectedApplicant), temp.user.id, now);
    temp.store.db.prepare(`UPDATE case_decisions SET superseded_by = 'D2' WHERE id = 'D1'`).run();
    expect((await analyze(temp.store, { refreshParameters: 'never' })).mode).toBe('incremental');
    expect(reasonsOf(other)).not.toContain('RING_CONFIRMED_FRAUD');
    await expectFullAgrees();
  });

  it('reads each imported record once per run and answers as the store does, in the same order', async () => {
    const temp = await storeWith(population.records.slice(0, 3000));
    const repo = new AnalysisRepository(temp.store.db);
    const records = new RunRecords(repo);
    const applicants = population.dataset.applicants.map((a) => a.id).filter((_id, i) => i < 40);
    const asked = [...applicants.slice(20), 'NO-SUCH-APPLICANT', ...applicants.slice(0, 25)];
    const observations = population.dataset.devices.slice(0, 30).map((d) => d.id);
    const first = {
      applications: records.applicationsOfApplicants(asked), pf: records.pfOfApplicants(asked), cards: records.cardsOfApplicants(asked),
      applicants: records.applicants(asked), devices: records.devices([...observations, 'NO-SUCH-OBSERVATION']), bureaus: records.bureausOfApplicants(asked),
    };
    expect(first.applicants.map((a) => a.id)).toEqual(repo.applicants(asked).map((a) => a.id));
    expect(first.applications).toEqual(repo.applicationsOfApplicants(asked));
    expect(first.pf).toEqual(repo.pfOfApplicants(asked));
    expect(first.cards).toEqual(repo.cardsOfApplicants(asked));
    expect(first.bureaus).toEqual(repo.bureausOfApplicants(asked));
    expect(first.devices).toEqual(repo.devices(observations));
    expect(first.applications.length).toBeGreaterThan(0);
    // A later read of what was read before takes nothing from the store: the very same objects come back.
    const reads = vi.spyOn(repo, 'applicationsOfApplicants');
    const again = records.applicationsOfApplicants(applicants.slice(0, 10));
    expect(reads).not.toHaveBeenCalled();
    expect(again.every((a) => first.applications.includes(a))).toBe(true);
    records.applicationsOfApplicants([...applicants.slice(0, 10), population.dataset.applicants[41]?.id ?? '']);
    expect(reads).toHaveBeenCalledTimes(1);
    expect(reads.mock.calls[0]?.[0]).toEqual([population.dataset.applicants[41]?.id]);
    const pf = population.dataset.pfRecords.find((p) => p.employer_code !== undefined);
    const sizes = repo.employerSizes([pf?.employer_code ?? '', 'NO-SUCH-CODE'], ['no such employer']);
    expect(records.employerSizes([pf?.employer_code ?? '', 'NO-SUCH-CODE'], ['no such employer'])).toEqual(sizes);
    expect(records.employerSizes([pf?.employer_code ?? ''], [])).toEqual({ byCode: sizes.byCode, byName: new Map() });
  });

  it('keeps link keys\' holders and holder counts read during a run only once the run is done writing keys', async () => {
    const temp = await storeWith(population.records.slice(0, 3000));
    await analyze(temp.store, { refreshParameters: 'never' });
    const repo = new AnalysisRepository(temp.store.db);
    const records = new RunRecords(repo);
    // Keys with two or more holders, and one nobody holds.
    const shared = [...repo.allLinkCounts().keys()].slice(0, 40).map((kindKey) => kindKey.slice(kindKey.indexOf('|') + 1));
    expect(shared.length).toBeGreaterThanOrEqual(8);
    const keys = [...shared, 'nobody-holds-this'];
    const holderReads = vi.spyOn(repo, 'holdersOf');
    const countReads = vi.spyOn(repo, 'holderCounts');
    records.holdersOf(keys);
    records.holderCounts(keys);
    records.holdersOf(keys);
    records.holderCounts(keys);
    expect(holderReads).toHaveBeenCalledTimes(2);
    expect(countReads).toHaveBeenCalledTimes(2);
    records.linkKeysSettled();
    const holders = records.holdersOf(keys);
    const counts = records.holderCounts(keys);
    const some = keys.slice(2, 6);
    const order = (rows: readonly { applicantId: string; kind: string; key: string }[]): string[] => rows.map((r) => `${r.key} ${r.kind} ${r.applicantId}`);
    expect(order(records.holdersOf(some))).toEqual(order(holders.filter((h) => some.includes(h.key))));
    expect([...records.holderCounts(some)]).toEqual([...counts].filter(([kindKey]) => some.includes(kindKey.slice(kindKey.indexOf('|') + 1))));
    expect(holderReads).toHaveBeenCalledTimes(3);
    expect(countReads).toHaveBeenCalledTimes(3);
    // The same answers as the store's, each holder once; ascending keys.
    expect(order(holders).sort()).toEqual(order(repo.holdersOf(keys)).sort());
    expect(order(holders).map((line) => line.split(' ')[0])).toEqual(order(holders).map((line) => line.split(' ')[0]).sort());
    expect(counts).toEqual(repo.holderCounts(keys));
    expect(holders.length).toBeGreaterThanOrEqual(2 * shared.length);
  });

  it('keeps observations and link keys read during a run only once the run is done writing them', async () => {
    const temp = await storeWith(population.records.slice(0, 3000));
    await analyze(temp.store, { refreshParameters: 'never' });
    const repo = new AnalysisRepository(temp.store.db);
    const records = new RunRecords(repo);
    const applicants = population.dataset.applicants.slice(0, 30).map((a) => a.id);
    const keyReads = vi.spyOn(repo, 'linkKeysOf');
    const observationReads = vi.spyOn(repo, 'observationsOfApplicants');
    // Still being written: every read asks the store.
    records.linkKeysOf(applicants);
    records.linkKeysOf(applicants);
    records.observationsOfApplicants(applicants);
    records.observationsOfApplicants(applicants);
    expect(keyReads).toHaveBeenCalledTimes(2);
    expect(observationReads).toHaveBeenCalledTimes(2);
    records.linkKeysSettled();
    records.observationsSettled();
    const keys = records.linkKeysOf(applicants);
    const observations = records.observationsOfApplicants(applicants);
    expect(records.linkKeysOf(applicants.slice(5, 10))).toEqual(keys.filter((k) => applicants.slice(5, 10).includes(k.applicantId)));
    expect(records.observationsOfApplicants(applicants.slice(0, 3))).toEqual(observations.filter((o) => applicants.slice(0, 3).includes(o.applicantId ?? '')));
    expect(keyReads).toHaveBeenCalledTimes(3);
    expect(observationReads).toHaveBeenCalledTimes(3);
    expect(keys).toEqual(repo.linkKeysOf(applicants));
    expect(observations).toEqual(repo.observationsOfApplicants(applicants));
    expect(keys.length).toBeGreaterThan(30);
    expect(observations.length).toBeGreaterThan(0);
  });
});

describe('analysis over IPC', () => {
  it('runs the engines with progress events and reads one case compactly', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'vigil-analysis-ipc-'));
    const progress: unknown[] = [];
    const services = createServices({ dataDir, host: 'browser', osLocale: 'en', version: 'test', emit: (event, payload) => event === 'progress' && progress.push(payload), session: { kdf: TEST_SCRYPT } });
    cleanups.push(async () => {
      services.dispose();
      // The background checkpointer closes its own connection a moment later; remove the folder after it.
      await services.session.whenLockSettled();
      rmSync(dataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    });
    const registry = createIpcRegistry({ handlers: createHandlers(services), session: services.session, allowedOrigins: ['app://vigil'], checkOutputs: true });
    const call = (op: string, input: unknown): Promise<unknown> => registry.invoke(op, input, { origin: 'app://vigil' });
    await call('createStore', { username: 'li.na', displayName: '李娜', passphrase: 'a long passphrase' });
    await importFiles(services.session.store(), [{ name: 'p.jsonl', bytes: jsonl(population.records) }], { actor: 'test' });
    expect(await call('getAnalysisStatus', {})).toMatchObject({ ok: true, value: { running: false, lastRun: null } });

    const ran = await call('runAnalysis', { taskId: 'run-1' });
    expect(ran).toMatchObject({ ok: true, value: { taskId: 'run-1', mode: 'full', applicationsScored: APPLICANTS } });
    expect(progress.length).toBeGreaterThan(0);
    expect(await call('getAnalysisStatus', {})).toMatchObject({ ok: true, value: { pendingChanges: 0, lastRun: { mode: 'full' } } });

    const farm = population.applications.find((a) => a.pattern === 'device_farm');
    const result = (await call('getCaseAnalysis', { applicationId: farm?.application_id })) as { ok: boolean; value: Record<string, unknown> };
    expect(result.ok).toBe(true);
    const analysis = result.value as { band: string; reasons: { code: string }[]; devices: { otherApplicants: unknown[] }[]; behaviour: unknown[]; ring: { nodes: { current: boolean }[] } | null };
    expect(['high', 'critical']).toContain(analysis.band);
    expect(analysis.reasons.map((r) => r.code)).toContain('DEVICE_SHARED_APPLICANTS');
    expect(analysis.devices[0]?.otherApplicants.length).toBeGreaterThan(0);
    expect(analysis.behaviour.length).toBeGreaterThan(0);
    expect(analysis.ring?.nodes.some((n) => n.current)).toBe(true);
    expect(await call('getCaseAnalysis', { applicationId: 'no-such-application' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });
});

describe('background work in the window: the rehearsal after unlock and the fold of pending keys after a run', () => {
  async function servicesWith(analysis: { foldPendingAt?: number; foldDelayMs?: number; rehearsalDelayMs?: number }): Promise<ReturnType<typeof createServices>> {
    const dataDir = mkdtempSync(join(tmpdir(), 'vigil-analysis-fold-'));
    const services = createServices({ dataDir, host: 'browser', osLocale: 'en', version: 'test', emit: () => undefined, session: { kdf: TEST_SCRYPT }, analysis });
    cleanups.push(async () => {
      services.dispose();
      await services.session.whenLockSettled();
      rmSync(dataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    });
    await services.session.create({ username: 'li.na', displayName: '李娜', passphrase: 'a long passphrase' });
    return services;
  }
  const runsIn = (services: ReturnType<typeof createServices>): unknown[] => services.session.store().db.prepare('SELECT id, status FROM analysis_runs ORDER BY id').all();
  const cacheOf = (services: ReturnType<typeof createServices>): unknown => services.session.store().db.pragma('cache_size', { simple: true });

  /** A store analysed, locked and unlocked again with the rehearsal this far off; returns the records of a later import. */
  async function reopenedAfterAnalysis(rehearsalDelayMs: number): Promise<{ services: ReturnType<typeof createServices>; later: InterchangeRecord[] }> {
    const [a, later] = split(population.records, Math.round(APPLICANTS * 0.9));
    const services = await servicesWith({ rehearsalDelayMs });
    await importFiles(services.session.store(), [{ name: 'a.jsonl', bytes: jsonl(a) }], { actor: 'test' });
    await services.analysis.run({ full: false });
    services.session.lock('user');
    await services.session.unlock({ username: 'li.na', passphrase: 'a long passphrase' });
    return { services, later };
  }

  it('rehearses a run after unlock, rolled back, so the first real run meets a warm connection', async () => {
    const { services, later: b } = await reopenedAfterAnalysis(0);
    const runs = runsIn(services);
    // A fresh connection, the store's own page cache.
    expect(cacheOf(services)).toBe(-32768);
    await services.analysis.maintenanceSettled();
    expect(cacheOf(services)).toBe(RUN_CACHE_KIB);
    expect(runsIn(services)).toEqual(runs);
    await importFiles(services.session.store(), [{ name: 'b.jsonl', bytes: jsonl(b) }], { actor: 'test' });
    expect((await services.analysis.run({ full: false })).mode).toBe('incremental');
  });

  it('does not rehearse when a run comes first', async () => {
    const { services, later: b } = await reopenedAfterAnalysis(600_000);
    await importFiles(services.session.store(), [{ name: 'b.jsonl', bytes: jsonl(b) }], { actor: 'test' });
    // The rehearsal waits ten minutes; the run does not wait for it, and it never begins.
    const started = performance.now();
    expect((await services.analysis.run({ full: false })).mode).toBe('incremental');
    expect(performance.now() - started).toBeLessThan(60_000);
    // Nothing is left waiting either: the rehearsal was called off, not put back.
    await services.analysis.maintenanceSettled();
  });

  const pendingIn = (services: ReturnType<typeof createServices>): number => Number(services.session.store().db.prepare('SELECT (SELECT count(*) FROM analysis_link_keys WHERE pending = 1) + (SELECT count(*) FROM analysis_device_keys WHERE pending = 1)').pluck().get());
  it('answers the run first, then folds once enough keys wait', async () => {
    const [a, b] = split(population.records, Math.round(APPLICANTS * 0.92));
    const services = await servicesWith({ foldPendingAt: 1, foldDelayMs: 0 });
    await importFiles(services.session.store(), [{ name: 'a.jsonl', bytes: jsonl(a) }], { actor: 'test' });
    await services.analysis.run({ full: false });
    await importFiles(services.session.store(), [{ name: 'b.jsonl', bytes: jsonl(b) }], { actor: 'test' });
    const ran = await services.analysis.run({ full: false });
    expect(ran.mode).toBe('incremental');
    // The run's answer came before the fold: its keys were still pending then.
    expect(pendingIn(services)).toBeGreaterThan(0);
    await services.analysis.maintenanceSettled();
    expect(pendingIn(services)).toBe(0);
  });

  it('stops a fold that has not begun when the next run comes, and leaves the keys pending', async () => {
    const [a, rest2] = split(population.records, Math.round(APPLICANTS * 0.86));
    const [b, c] = split(rest2, Math.round(APPLICANTS * 0.07));
    const services = await servicesWith({ foldPendingAt: 1, foldDelayMs: 600_000 });
    await importFiles(services.session.store(), [{ name: 'a.jsonl', bytes: jsonl(a) }], { actor: 'test' });
    await services.analysis.run({ full: false });
    await importFiles(services.session.store(), [{ name: 'b.jsonl', bytes: jsonl(b) }], { actor: 'test' });
    await services.analysis.run({ full: false });
    const afterB = pendingIn(services);
    expect(afterB).toBeGreaterThan(0);
    await importFiles(services.session.store(), [{ name: 'c.jsonl', bytes: jsonl(c) }], { actor: 'test' });
    // The fold waits ten minutes; the run does not wait for it.
    const started = performance.now();
    await services.analysis.run({ full: false });
    expect(performance.now() - started).toBeLessThan(60_000);
    expect(pendingIn(services)).toBeGreaterThan(afterB);
  });
});

describe('vigil analyze and vigil export', () => {
  const work = mkdtempSync(join(tmpdir(), 'vigil-analysis-cli-'));
  cleanups.push(() => rmSync(work, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 }));
  const env = { ...process.env, VIGIL_PASSPHRASE: 'cli analysis passphrase' };
  const vigil = (args: string[]): { status: number | null; stdout: string; stderr: string } => {
    const r = spawnSync(process.execPath, ['main/cli/vigil.mjs', ...args], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const scoreLine = z.strictObject({
    application_id: z.string(),
    score: z.number().int().min(0).max(1000),
    band: z.enum(['low', 'medium', 'high', 'critical']),
    reasons: z.array(z.strictObject({ code: z.enum(REASON_CODES as [string, ...string[]]), weight: z.number(), detail: z.string().min(1) })),
  });
  const deviceLine = z.strictObject({ observation_id: z.string(), device_id: z.string(), flags: z.array(z.string()) });
  const ringLine = z.strictObject({
    ring_id: z.string(),
    applicant_ids: z.array(z.string()).min(2),
    links: z.array(z.strictObject({ kind: z.string(), value_hash: z.string().regex(/^[0-9a-f]{24}$/) })),
    score: z.number().int().min(0).max(1000),
  });

  it('analyses an imported population and exports scores, devices and rings in the spec shapes', () => {
    const store = join(work, 'store');
    const file = join(work, 'population.jsonl');
    writeFileSync(file, jsonl(population.records.slice(0, 4000)));
    expect(vigil(['init', '--store', store, '--user', 'li.na', '--name', '李娜']).status).toBe(0);
    expect(vigil(['import', file, '--store', store]).status).toBe(0);
    // Never analysed: an export that would miss every line refuses instead of printing nothing.
    expect(vigil(['export', 'scores', '--store', store])).toMatchObject({ status: 1, stdout: '', stderr: `vigil export: the store has not been analysed yet: run vigil analyze --store ${store} first\n` });

    const analysed = vigil(['analyze', '--store', store]);
    expect(analysed.status).toBe(0);
    expect(analysed.stdout).toMatch(/^mode: full/m);
    expect(analysed.stdout).toMatch(/^applications scored: \d+/m);

    const scores = vigil(['export', 'scores', '--store', store]);
    expect(scores.status).toBe(0);
    const scoreLines = scores.stdout.trim().split('\n').map((l) => scoreLine.parse(JSON.parse(l)));
    expect(scoreLines.length).toBe(population.records.slice(0, 4000).filter((r) => r.type === 'application').length);
    for (const line of scoreLines) expect(line.reasons.map((r) => r.weight)).toEqual([...line.reasons.map((r) => r.weight)].sort((a, b) => b - a));

    const out = join(work, 'devices.jsonl');
    expect(vigil(['export', 'devices', '--store', store, '--out', out]).status).toBe(0);
    const devices = vigil(['export', 'devices', '--store', store]).stdout.trim().split('\n').map((l) => deviceLine.parse(JSON.parse(l)));
    expect(devices.length).toBe(population.records.slice(0, 4000).filter((r) => r.type === 'device').length);

    const rings = vigil(['export', 'rings', '--store', store]).stdout.trim().split('\n').filter(Boolean).map((l) => ringLine.parse(JSON.parse(l)));
    expect(rings.length).toBeGreaterThan(0);

    const again = vigil(['analyze', '--store', store]);
    expect(again.stdout).toMatch(/^mode: incremental/m);
    expect(again.stdout).toMatch(/^link and device keys pending: 0 \(folded into the main indexes at 65,536\)$/m);
    expect(vigil(['export', 'everything', '--store', store]).status).toBe(2);
  });

  it('refuses a result file it cannot write before it analyses, says a busy store is busy, and stops quietly when the reader does', async () => {
    const store = join(work, 'errors');
    const file = join(work, 'errors.jsonl');
    writeFileSync(file, jsonl(population.records.slice(0, 6000)));
    expect(vigil(['init', '--store', store, '--user', 'li.na', '--name', '李娜']).status).toBe(0);
    expect(vigil(['import', file, '--store', store]).status).toBe(0);

    // A summary with nowhere to go is refused before the run: nothing is analysed.
    const folder = join(work, 'no-such-folder');
    const nowhere = join(folder, 'summary.txt');
    expect(vigil(['analyze', '--store', store, '--out', nowhere])).toMatchObject({ status: 1, stdout: '', stderr: `vigil analyze: cannot write ${nowhere} (--out): there is no folder ${folder}\n` });
    expect(vigil(['export', 'scores', '--store', store]).stderr).toContain('has not been analysed yet');
    const empty = vigil(['analyze', '--store', store, '--out=']);
    expect(empty.status).toBe(2);
    expect(empty.stderr).toContain('vigil analyze: --out needs a file name\n');
    expect(vigil(['import', file, '--store', store, '--report', nowhere])).toMatchObject({ status: 1, stderr: `vigil import: cannot write ${nowhere} (--report): there is no folder ${folder}\n` });
    expect(vigil(['analyze', '--store', store]).status).toBe(0);
    expect(vigil(['export', 'rings', '--store', store, '--out', work])).toMatchObject({ status: 1, stderr: `vigil export: cannot write ${work} (--out): it is a folder\n` });

    // Another writer holds the store (the app, another command): after SQLite's wait, a reason, not a stack.
    const holder = await unlockStore(store, { username: 'li.na', passphrase: env.VIGIL_PASSPHRASE });
    try {
      holder.store.db.exec('BEGIN IMMEDIATE');
      expect(vigil(['analyze', '--store', store, '--full'])).toMatchObject({
        status: 1,
        stderr: 'vigil analyze: the store is busy: another program (the Vigil app or a vigil command) is writing to it; try again when it has finished\n',
      });
      holder.store.db.exec('ROLLBACK');
    } finally {
      holder.store.close();
      await holder.store.whenClosed();
    }

    // A reader that has gone (`| head` once it has its lines; here one that reads nothing) closes the
    // pipe: the export stops without an error of its own.
    expect(vigil(['export', 'scores', '--store', store]).stdout.length).toBeGreaterThan(10_000);
    const piped = spawnSync('bash', ['-c', 'node main/cli/vigil.mjs export scores --store "$1" | true; echo "exit ${PIPESTATUS[0]}"', 'vigil', store], { env, encoding: 'utf8' });
    expect(piped).toMatchObject({ stdout: 'exit 0\n', stderr: '' });
  });
});
