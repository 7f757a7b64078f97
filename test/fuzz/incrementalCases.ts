// A differential fuzz of incremental analysis: `npm run fuzz:incremental -- [cases] [first seed]` runs it
// (incremental.ts); an integration test replays a few fixed cases on every test run.
//
// Each case imports a generated population in 2-5 batches and analyses after each one, incrementally;
// then it recomputes everything and compares what an investigator would see (exports, ring rows, sessions,
// link keys, features). Later batches bring records held back from earlier ones (some of them referred to
// already, so the reference check drops what points at them) and re-imports that change, move or orphan
// records already analysed, or reuse another application's session id. Chunk sizes and the fold of
// pending keys after each run (when it is due, its slice size, where it stops) vary. A difference prints
// the case's seed and what it did; `-- 1 <seed>` replays one case. About 3-4 s per case on the 2-core
// machine; each case uses its own store in a temp folder, removed afterwards.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InterchangeRecord } from '../../shared/interchange/schema.js';
import { analyze, rehearseAnalysis, type AnalyzeOptions } from '../../main/services/analyze.js';
import { importFiles } from '../../main/services/import.js';
import { foldPendingKeys } from '../../main/services/keyFold.js';
import { Rng } from '../../main/generator/random.js';
import { createStore, TEST_SCRYPT } from '../../main/store/open.js';
import { labelledPopulation } from '../eval/population.js';
import { analysisSnapshot, snapshotDifferences } from '../support/analysisSnapshot.js';
import { jsonl } from '../support/jsonl.js';

type Rec = InterchangeRecord & { id: string; applicant_id?: string; application_id?: string; device_id?: string; session_id?: string };

export interface Case {
  readonly seed: number;
  readonly batches: Rec[][];
  readonly options: AnalyzeOptions;
  /** The fold of pending keys after each run (keyFold.ts): when it is due, its slice size, and after how many slices it stops. */
  readonly fold: { readonly atLeast: number; readonly sliceKeys: number; readonly stopAfter: number | null };
  /** A rehearsal (rolled back, rehearseAnalysis) over this many of the latest applicants after each import or after each fold; none when null. */
  readonly rehearsal: { readonly when: 'after_import' | 'after_fold'; readonly applicants: number } | null;
  readonly log: string[];
}

export function makeCase(seed: number): Case {
  const generator = new Rng(`fuzz-case-${seed}`); // a case is its seed
  const random = (): number => generator.next();
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const applicants = 200 + Math.floor(random() * 400);
  const count = 2 + Math.floor(random() * 4);
  const records = labelledPopulation(applicants, `fuzz-${seed}`).records as Rec[];
  const log: string[] = [`${applicants} applicants, ${count} batches`];
  // Cut at applicant boundaries, then hold some records back to a later batch.
  const batches: Rec[][] = Array.from({ length: count }, () => []);
  let seen = 0;
  for (const r of records) {
    if (r.type === 'applicant') seen++;
    let b = Math.min(count - 1, Math.floor(((seen - 1) / applicants) * count));
    if (r.type !== 'applicant' && b < count - 1 && random() < 0.04) b += 1 + Math.floor(random() * (count - 1 - b));
    batches[b]?.push(r);
  }
  const options: AnalyzeOptions = { refreshParameters: 'never', chunkSize: pick([1, 3, 17, 250]) };
  const foldAt = pick([0, 1, 40, 65_536]);

  // Re-imports in later batches of what earlier batches brought.
  const byType = (list: readonly Rec[], type: Rec['type']): Rec[] => list.filter((r) => r.type === type);
  for (let b = 1; b < count; b++) {
    const earlier = batches.slice(0, b).flat();
    const people = byType(earlier, 'applicant').map((r) => r.id);
    const apps = byType(earlier, 'application');
    const edits = Math.floor(random() * 7);
    for (let i = 0; i < edits; i++) {
      const kind = pick(['move', 'move', 'content', 'orphan', 'session', 'label'] as const);
      if (kind === 'move') {
        const r = pick(earlier.filter((x) => ['bank_card', 'pf_record', 'bureau', 'application', 'device', 'event'].includes(x.type)));
        if (r === undefined) continue;
        const moved: Rec = r.type === 'event' ? { ...r, application_id: pick(apps).id } : r.type === 'pf_record' && random() < 0.4
          ? { ...r, employer: pick(byType(earlier, 'pf_record')).employer ?? '某某有限公司' } as Rec
          : { ...r, applicant_id: pick(people) };
        batches[b]?.push(moved);
        log.push(`batch ${b}: move ${r.type} ${r.id}`);
      } else if (kind === 'content') {
        const r = pick(earlier.filter((x) => ['applicant', 'device', 'pf_record'].includes(x.type)));
        if (r === undefined) continue;
        const donor = pick(earlier.filter((x) => x.type === r.type && x.id !== r.id));
        const changed: Rec = r.type === 'applicant'
          ? { ...r, address: (donor as { address?: unknown }).address, phone: random() < 0.3 ? (donor as { phone: string }).phone : (r as { phone: string }).phone } as Rec
          : r.type === 'device' ? { ...r, ip: (donor as { ip?: string }).ip }
          : { ...r, contribution_base: 3000 + Math.floor(random() * 20) * 1000 };
        batches[b]?.push(changed);
        log.push(`batch ${b}: change ${r.type} ${r.id}`);
      } else if (kind === 'orphan') {
        const r = pick(earlier.filter((x) => ['application', 'device', 'event'].includes(x.type)));
        if (r === undefined) continue;
        batches[b]?.push(r.type === 'event' ? { ...r, device_id: 'NOPE' } : { ...r, applicant_id: 'NOPE' });
        log.push(`batch ${b}: orphan ${r.type} ${r.id}`);
      } else if (kind === 'session') {
        const from = pick(apps);
        const to = pick(apps);
        const events = earlier.filter((x) => x.type === 'event' && x.application_id === from.id && x.session_id !== undefined);
        if (events.length === 0 || from.id === to.id) continue;
        batches[b]?.push(...events.map((e) => ({ ...e, id: `${e.id}-S${b}`, application_id: to.id })));
        log.push(`batch ${b}: ${to.id} reuses the session ids of ${from.id}`);
      } else {
        const app = pick(apps);
        // Every other label is a confirmed outcome, the kind that taints a ring (chosen without a draw, so
        // the cases drawn after it stay what they were).
        const source = log.length % 2 === 0 ? 'confirmed' : 'chargeback';
        batches[b]?.push({ type: 'label', application_id: app.id, is_fraud: random() < 0.5, source } as unknown as Rec);
        log.push(`batch ${b}: ${source} label ${app.id}`);
      }
    }
  }
  // Drawn last, so the cases above stay what they were before folds moved out of the run.
  const fold = { atLeast: foldAt, sliceKeys: pick([1, 16, 500, 8_192]), stopAfter: pick([null, null, 1, 3]) };
  // Drawn after the fold, for the same reason: a rehearsal leaves the store as it was, so the end state must not move.
  const when = pick([null, 'after_import', 'after_fold'] as const);
  const rehearsal = when === null ? null : { when, applicants: pick([1, 40, 300]) };
  log.splice(1, 0, `chunk ${options.chunkSize ?? '-'}, fold at ${fold.atLeast} in slices of ${fold.sliceKeys}${fold.stopAfter === null ? '' : `, stopped after ${fold.stopAfter}`}${rehearsal === null ? '' : `, rehearsal of ${rehearsal.applicants} ${rehearsal.when.replace('_', ' ')}`}`);
  return { seed, batches, options, fold, rehearsal, log };
}

/** The differences between the incremental runs' end state and a full recompute's: none is right. */
export async function runCase(c: Case): Promise<string[]> {
  const parent = mkdtempSync(join(tmpdir(), 'vigil-fuzz-'));
  const { store } = await createStore(join(parent, 'store'), { username: 'fuzz', displayName: 'fuzz', passphrase: 'fuzz passphrase', backgroundCheckpoint: false, kdf: TEST_SCRYPT });
  try {
    for (const [i, batch] of c.batches.entries()) {
      if (batch.length === 0) continue;
      await importFiles(store, [{ name: `batch-${i}.jsonl`, bytes: jsonl(batch) }], { actor: 'fuzz' });
      if (c.rehearsal?.when === 'after_import') await rehearseAnalysis(store, { applicants: c.rehearsal.applicants });
      await analyze(store, { ...c.options, actor: 'fuzz' });
      let slices = 0;
      await foldPendingKeys(store, { atLeast: c.fold.atLeast, sliceKeys: c.fold.sliceKeys, shouldStop: () => c.fold.stopAfter !== null && ++slices >= c.fold.stopAfter });
      if (c.rehearsal?.when === 'after_fold') await rehearseAnalysis(store, { applicants: c.rehearsal.applicants });
    }
    const incremental = analysisSnapshot(store);
    await analyze(store, { refreshParameters: 'never', full: true, actor: 'fuzz' });
    return snapshotDifferences(incremental, analysisSnapshot(store));
  } finally {
    store.close();
    await store.whenClosed();
    rmSync(parent, { recursive: true, force: true });
  }
}

