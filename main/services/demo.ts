// "Explore with sample data": a store filled with a generated, labelled population, streamed from the
// generator straight into the import (no temporary file), so a first run has something real to open.
import { Readable } from 'node:stream';
import { generatePopulation } from '../generator/population.js';
import type { ImportSource } from '../interchange/source.js';
import { createStore, type OpenedStore, type ScryptParams } from '../store/open.js';
import { importFiles, type ImportSummary } from './import.js';
import { analyze } from './analyze.js';

export const DEMO_APPLICANTS = 2_000;
export const DEMO_SEED = 'vigil-demo';
export const DEMO_FILE_NAME = 'sample-population.jsonl';

export interface DemoOptions {
  readonly applicants?: number;
  readonly seed?: string;
  readonly onProgress?: (recordsRead: number) => void;
}

/** The generated population as an import source: JSON lines produced on demand, never all in memory. */
export function generatedPopulationSource(applicants: number, seed: string): ImportSource {
  return {
    name: DEMO_FILE_NAME,
    size: 0,
    head: () => Buffer.from('{'),
    open() {
      function* lines(): Generator<Buffer> {
        let chunk: string[] = [];
        for (const item of generatePopulation({ applicants, seed })) {
          if (item.kind !== 'record') continue;
          chunk.push(JSON.stringify(item.record), '\n');
          if (chunk.length >= 2_000) {
            yield Buffer.from(chunk.join(''), 'utf8');
            chunk = [];
          }
        }
        if (chunk.length > 0) yield Buffer.from(chunk.join(''), 'utf8');
      }
      return Readable.from(lines(), { objectMode: false });
    },
  };
}

/**
 * Fills a freshly created, open store (the session service's first-run hook, `vigil demo`) and runs the
 * engines over it: a sample queue without scores and reasons would show nothing worth exploring.
 */
export async function fillDemoStore(opened: OpenedStore, options: DemoOptions = {}): Promise<ImportSummary> {
  const source = generatedPopulationSource(options.applicants ?? DEMO_APPLICANTS, options.seed ?? DEMO_SEED);
  const summary = await importFiles(opened.store, [{ source }], {
    actor: opened.user.id,
    ...(options.onProgress === undefined ? {} : { onProgress: (p) => options.onProgress?.(p.linesRead) }),
  });
  await analyze(opened.store);
  return summary;
}

/** `vigil demo`: a new store with one admin profile and the sample population, closed and ready to open. */
export async function createDemoStore(
  dir: string,
  options: { username: string; displayName: string; passphrase: string; applicants?: number; seed?: string; kdf?: ScryptParams; onProgress?: (recordsRead: number) => void },
): Promise<{ summary: ImportSummary; user: OpenedStore['user'] }> {
  const opened = await createStore(dir, {
    username: options.username,
    displayName: options.displayName,
    passphrase: options.passphrase,
    ...(options.kdf === undefined ? {} : { kdf: options.kdf }),
    backgroundCheckpoint: true,
  });
  try {
    const summary = await fillDemoStore(opened, {
      ...(options.applicants === undefined ? {} : { applicants: options.applicants }),
      ...(options.seed === undefined ? {} : { seed: options.seed }),
      ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
    });
    return { summary, user: opened.user };
  } finally {
    opened.store.close();
    await opened.store.whenClosed();
  }
}
