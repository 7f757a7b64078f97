// A generated population held in memory as an analysis dataset plus the generator's truth.
import type { InterchangeRecord } from '../../shared/interchange/schema.js';
import type { AnalysisDataset } from '../../main/analysis/pipeline/dataset.js';
import { generatePopulation } from '../../main/generator/population.js';
import type { ApplicationTruth, DeviceTruth, RingTruth } from '../../main/generator/truth.js';

export interface LabelledPopulation {
  readonly dataset: AnalysisDataset;
  readonly records: InterchangeRecord[];
  readonly devices: DeviceTruth[];
  readonly rings: RingTruth[];
  readonly applications: ApplicationTruth[];
}

export function labelledPopulation(applicants: number, seed: string | number, hard = false): LabelledPopulation {
  const d = {
    applicants: [] as AnalysisDataset['applicants'][number][],
    applications: [] as AnalysisDataset['applications'][number][],
    devices: [] as AnalysisDataset['devices'][number][],
    events: [] as AnalysisDataset['events'][number][],
    bankCards: [] as AnalysisDataset['bankCards'][number][],
    pfRecords: [] as AnalysisDataset['pfRecords'][number][],
    bureaus: [] as AnalysisDataset['bureaus'][number][],
    decisions: [] as AnalysisDataset['decisions'][number][],
    labels: [] as AnalysisDataset['labels'][number][],
  };
  const records: InterchangeRecord[] = [];
  const devices: DeviceTruth[] = [];
  const rings: RingTruth[] = [];
  const applications: ApplicationTruth[] = [];
  for (const item of generatePopulation({ applicants, seed, hard })) {
    if (item.kind === 'truth') {
      const t = item.truth;
      if (t.kind === 'device') devices.push(t);
      else if (t.kind === 'ring') rings.push(t);
      else applications.push(t);
      continue;
    }
    const r = item.record;
    records.push(r);
    switch (r.type) {
      case 'applicant': d.applicants.push(r); break;
      case 'application': d.applications.push(r); break;
      case 'device': d.devices.push(r); break;
      case 'event': d.events.push(r); break;
      case 'bank_card': d.bankCards.push(r); break;
      case 'pf_record': d.pfRecords.push(r); break;
      case 'bureau': d.bureaus.push(r); break;
      case 'decision': d.decisions.push(r); break;
      case 'label': d.labels.push(r); break;
      case 'appeal': break;
    }
  }
  return { dataset: d, records, devices, rings, applications };
}
