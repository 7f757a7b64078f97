// The records an analysis reads, as plain arrays. The full run passes everything; an incremental run
// passes the closure of what changed (the changed applicants and everyone sharing something with them).
import type {
  ApplicantRecord, ApplicationRecord, BankCardRecord, BureauRecord, DecisionRecord, DeviceRecord, EventRecord, LabelRecord, PfRecord,
} from '../../../shared/interchange/schema.js';

export interface AnalysisDataset {
  readonly applicants: readonly ApplicantRecord[];
  readonly applications: readonly ApplicationRecord[];
  readonly devices: readonly DeviceRecord[];
  readonly events: readonly EventRecord[];
  readonly bankCards: readonly BankCardRecord[];
  readonly pfRecords: readonly PfRecord[];
  readonly bureaus: readonly BureauRecord[];
  readonly decisions: readonly DecisionRecord[];
  readonly labels: readonly LabelRecord[];
}

export function emptyDataset(): AnalysisDataset {
  return { applicants: [], applications: [], devices: [], events: [], bankCards: [], pfRecords: [], bureaus: [], decisions: [], labels: [] };
}

export function groupBy<T>(items: readonly T[], key: (item: T) => string | undefined | null): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    if (k === undefined || k === null) continue;
    let list = out.get(k);
    if (list === undefined) out.set(k, (list = []));
    list.push(item);
  }
  return out;
}

/** Applicants with a confirmed fraud outcome: `label` records with source `confirmed`. */
export function confirmedFraudApplicants(dataset: Pick<AnalysisDataset, 'labels' | 'applications'>): Set<string> {
  const applicantOf = new Map(dataset.applications.map((a) => [a.id, a.applicant_id]));
  const out = new Set<string>();
  for (const label of dataset.labels) {
    if (!label.is_fraud || label.source !== 'confirmed') continue;
    const applicant = applicantOf.get(label.application_id);
    if (applicant !== undefined) out.add(applicant);
  }
  return out;
}
