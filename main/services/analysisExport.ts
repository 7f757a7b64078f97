// The analysis exports of spec/cli.md, one JSON object per line, in id order. Shapes are the public
// contract: scores {application_id, score, band, reasons[{code, weight, detail}]}, devices
// {observation_id, device_id, flags}, rings {ring_id, applicant_ids, links[{kind, value_hash}], score}.
import type { StoreHandle } from '../store/open.js';
import { createAnalysisRepository, type AnalysisRepository } from '../store/repositories/analysis.js';
import { repositoryFor } from '../store/repositories/cache.js';

export const EXPORT_KINDS = ['scores', 'devices', 'rings'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

export interface ScoreLine {
  readonly application_id: string;
  readonly score: number;
  readonly band: string;
  readonly reasons: { readonly code: string; readonly weight: number; readonly detail: string }[];
}
export interface DeviceLine {
  readonly observation_id: string;
  readonly device_id: string;
  readonly flags: string[];
}
export interface RingLine {
  readonly ring_id: string;
  readonly applicant_ids: string[];
  readonly links: { readonly kind: string; readonly value_hash: string }[];
  readonly score: number;
}

interface StoredReason {
  code: string;
  weight: number;
  detail: { en: string; 'zh-CN': string };
}

function repository(store: StoreHandle): AnalysisRepository {
  return repositoryFor(store.db, createAnalysisRepository);
}

export function* exportScores(store: StoreHandle): Generator<ScoreLine> {
  for (const row of repository(store).allApplications()) {
    const reasons = (JSON.parse(row.reasonsJson) as StoredReason[]).map((r) => ({ code: r.code, weight: r.weight, detail: r.detail.en }));
    yield { application_id: row.applicationId, score: row.score, band: row.band, reasons };
  }
}

export function* exportDevices(store: StoreHandle): Generator<DeviceLine> {
  for (const row of repository(store).allObservations()) yield { observation_id: row.observationId, device_id: row.deviceId, flags: row.flags };
}

export function* exportRings(store: StoreHandle): Generator<RingLine> {
  const rings = repository(store).allRings().sort((a, b) => (a.ringId < b.ringId ? -1 : a.ringId > b.ringId ? 1 : 0));
  for (const ring of rings) {
    yield { ring_id: ring.ringId, applicant_ids: ring.members, links: ring.links.map((l) => ({ kind: l.kind, value_hash: l.value_hash })), score: ring.score };
  }
}

export function exportLines(store: StoreHandle, kind: ExportKind): Generator<ScoreLine | DeviceLine | RingLine> {
  return kind === 'scores' ? exportScores(store) : kind === 'devices' ? exportDevices(store) : exportRings(store);
}

/** Whether an analysis ever completed on this store, and how many imported record changes it has not seen (exports would be stale). */
export function analysisState(store: StoreHandle): { analysed: boolean; pending: number } {
  const repo = repository(store);
  return { analysed: repo.lastRun() !== undefined, pending: Math.max(0, repo.currentChangeSeq() - Number(repo.state('watermark') ?? '0')) };
}
