// Writes a generated population to DIR/population.jsonl (interchange records) and DIR/truth.jsonl (ground truth).
// Byte-identical for the same options: records are serialised in generation order with stable key order.
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { generatePopulation, type PopulationOptions } from './population.js';

export const POPULATION_FILE = 'population.jsonl';
export const TRUTH_FILE = 'truth.jsonl';

export interface WrittenPopulation {
  readonly populationPath: string;
  readonly truthPath: string;
  readonly records: number;
  readonly events: number;
  readonly truths: number;
  readonly bytes: number;
}

class BufferedFile {
  private readonly fd: number;
  private pending: string[] = [];
  private pendingLength = 0;
  bytes = 0;
  constructor(path: string) {
    this.fd = openSync(path, 'w');
  }
  line(text: string): void {
    this.pending.push(text, '\n');
    this.pendingLength += text.length + 1;
    if (this.pendingLength > 1 << 20) this.flush();
  }
  flush(): void {
    if (this.pending.length === 0) return;
    const buffer = Buffer.from(this.pending.join(''), 'utf8');
    writeSync(this.fd, buffer);
    this.bytes += buffer.length;
    this.pending = [];
    this.pendingLength = 0;
  }
  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

export function writePopulation(outDir: string, options: PopulationOptions, onProgress?: (applicationsDone: number) => void): WrittenPopulation {
  mkdirSync(outDir, { recursive: true });
  const populationPath = join(outDir, POPULATION_FILE);
  const truthPath = join(outDir, TRUTH_FILE);
  const population = new BufferedFile(populationPath);
  const truth = new BufferedFile(truthPath);
  let records = 0;
  let events = 0;
  let truths = 0;
  let applications = 0;
  try {
    for (const item of generatePopulation(options)) {
      if (item.kind === 'record') {
        population.line(JSON.stringify(item.record));
        records += 1;
        if (item.record.type === 'event') events += 1;
        else if (item.record.type === 'application') {
          applications += 1;
          if (onProgress !== undefined && applications % 1000 === 0) onProgress(applications);
        }
      } else {
        truth.line(JSON.stringify(item.truth));
        truths += 1;
      }
    }
  } finally {
    population.close();
    truth.close();
  }
  onProgress?.(applications);
  return { populationPath, truthPath, records, events, truths, bytes: population.bytes };
}
