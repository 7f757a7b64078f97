// Everything an analysis leaves in a store that a reader can see: the exports, ring rows with their edge
// weights, stored sessions, link keys and counts, and features. Two stores with equal snapshots show
// investigators the same thing; the tests compare an incremental run's against a full recompute's.
import { exportDevices, exportRings, exportScores } from '../../main/services/analysisExport.js';
import type { StoreHandle } from '../../main/store/open.js';
import { AnalysisRepository } from '../../main/store/repositories/analysis.js';

export interface AnalysisSnapshot {
  scores: string[];
  devices: string[];
  rings: string[];
  ringRows: string[];
  sessions: string[];
  keys: string[];
  counts: [string, number][];
  features: string[];
}

export function analysisSnapshot(store: StoreHandle): AnalysisSnapshot {
  const repo = new AnalysisRepository(store.db);
  return {
    scores: [...exportScores(store)].map((line) => JSON.stringify(line)),
    devices: [...exportDevices(store)].map((line) => JSON.stringify(line)),
    rings: [...exportRings(store)].map((line) => JSON.stringify(line)),
    // What the case view's ring graph and explanation show: every internal link with its weight.
    ringRows: repo.allRings().map((r) => JSON.stringify(r)).sort(),
    sessions: [...repo.featureRows()].map(({ applicationId: id }) => `${id} ${JSON.stringify(repo.sessionsOfApplications([id]))}`),
    keys: [...repo.allLinkKeys()].map((k) => `${k.applicantId} ${k.kind} ${k.key}`).sort(),
    counts: [...repo.allLinkCounts()],
    features: [...repo.featureRows()].map((r) => `${r.applicationId} ${r.featuresJson}`),
  };
}

/** The parts of two snapshots that differ, each with its first differing line: for a fuzzer's report. */
export function snapshotDifferences(a: AnalysisSnapshot, b: AnalysisSnapshot): string[] {
  const out: string[] = [];
  for (const part of Object.keys(a) as (keyof AnalysisSnapshot)[]) {
    const x = a[part].map((v) => JSON.stringify(v));
    const y = b[part].map((v) => JSON.stringify(v));
    if (x.length === y.length && x.every((v, i) => v === y[i])) continue;
    const setY = new Set(y);
    const setX = new Set(x);
    const onlyA = x.filter((v) => !setY.has(v));
    const onlyB = y.filter((v) => !setX.has(v));
    out.push(`${part}: ${onlyA.length} lines only in the first, ${onlyB.length} only in the second; first: ${(onlyA[0] ?? '').slice(0, 300)} | ${(onlyB[0] ?? '').slice(0, 300)}`);
  }
  return out;
}
