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
  /** The words reasons are written from (a rescore after a rule change renders them) and the findings beside a score. */
  evidence: string[];
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
    evidence: [...repo.featureRows()].map(({ applicationId: id }) => {
      const row = repo.application(id);
      return `${id} {"evidence":${row?.evidenceJson ?? 'null'},"findings":${row?.findingsJson ?? 'null'}}`;
    }),
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
    out.push(`${part}: ${onlyA.length} lines only in the first, ${onlyB.length} only in the second; first: ${fieldsApart(onlyA, onlyB) ?? `${(onlyA[0] ?? '').slice(0, 300)} | ${(onlyB[0] ?? '').slice(0, 300)}`}`);
  }
  return out;
}

/** For lines `<id> <JSON object>`: the first id on both sides, with the fields (to two levels) that differ. */
function fieldsApart(onlyA: readonly string[], onlyB: readonly string[]): string | undefined {
  const split = (quoted: string): [string, unknown] | undefined => {
    const line = JSON.parse(quoted) as unknown;
    if (typeof line !== 'string') return undefined;
    const space = line.indexOf(' ');
    try {
      return space < 0 ? undefined : [line.slice(0, space), JSON.parse(line.slice(space + 1)) as unknown];
    } catch {
      return undefined;
    }
  };
  const flat = (value: unknown, prefix: string, depth: number, out: Map<string, string>): Map<string, string> => {
    if (depth < 2 && value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value)) flat(v, prefix === '' ? k : `${prefix}.${k}`, depth + 1, out);
    } else out.set(prefix, JSON.stringify(value));
    return out;
  };
  const b = new Map(onlyB.flatMap((q) => {
    const parsed = split(q);
    return parsed === undefined ? [] : [parsed];
  }));
  for (const q of onlyA) {
    const a = split(q);
    if (a === undefined || !b.has(a[0])) continue;
    const x = flat(a[1], '', 0, new Map());
    const y = flat(b.get(a[0]), '', 0, new Map());
    const keys = [...new Set([...x.keys(), ...y.keys()])].filter((k) => x.get(k) !== y.get(k));
    return `${a[0]}: ${keys.slice(0, 6).map((k) => `${k} ${(x.get(k) ?? '-').slice(0, 80)} | ${(y.get(k) ?? '-').slice(0, 80)}`).join('; ')}`;
  }
  return undefined;
}
