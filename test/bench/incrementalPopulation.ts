// The population both incremental benchmarks use: one generated population split at an applicant
// boundary. The first `storeApplicants` go to the store (handed over in parts as they are generated, so
// they never all sit in memory); the rest come back as `batches` batches of `newApplicants` new
// applicants, some of whom share devices, rings and employers with earlier ones.
import type { InterchangeRecord } from '../../shared/interchange/schema.js';
import { generatePopulation } from '../../main/generator/population.js';

/** Records per part handed to `importPart` (each part ends after a label, at a record boundary). */
const PART_RECORDS = 200_000;

export async function splitPopulation(
  sizes: { storeApplicants: number; newApplicants: number; batches: number },
  importPart: (records: readonly InterchangeRecord[], part: number) => Promise<void>,
): Promise<InterchangeRecord[][]> {
  const { storeApplicants, newApplicants, batches } = sizes;
  const pending: InterchangeRecord[] = [];
  const late: InterchangeRecord[][] = Array.from({ length: batches }, () => []);
  let applicants = 0;
  let part = 0;
  for (const item of generatePopulation({ applicants: storeApplicants + newApplicants * batches, seed: 'bench-incremental' })) {
    if (item.kind !== 'record') continue;
    if (item.record.type === 'applicant') applicants++;
    if (applicants > storeApplicants) {
      late[Math.floor((applicants - storeApplicants - 1) / newApplicants)]?.push(item.record);
      continue;
    }
    pending.push(item.record);
    if (pending.length >= PART_RECORDS && item.record.type === 'label') {
      await importPart(pending, part++);
      pending.length = 0;
    }
  }
  if (pending.length > 0) await importPart(pending, part++);
  return late;
}
