import { resolve } from 'node:path';
import { DEFAULT_START } from '../../generator/population.js';
import { writePopulation } from '../../generator/write.js';
import { EXIT_OK, optionalString, positiveInteger, requiredString, UsageError, type CliCommand } from '../command.js';
import { formatCount, ProgressReporter } from '../io.js';

export const generateCommand: CliCommand = {
  name: 'generate',
  usage: 'vigil generate --applicants N --seed S --out DIR [--start ISO_TIMESTAMP]',
  summary: 'writes a labelled sample population: DIR/population.jsonl (records) and DIR/truth.jsonl (ground truth)',
  options: { applicants: { type: 'string' }, seed: { type: 'string' }, out: { type: 'string' }, start: { type: 'string' } },
  positionals: { min: 0, max: 0 },
  run(line, io) {
    const applicants = positiveInteger(line, 'applicants');
    const seed = requiredString(line, 'seed');
    const out = resolve(requiredString(line, 'out'));
    const start = optionalString(line, 'start') ?? DEFAULT_START;
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(start) || !Number.isFinite(Date.parse(start))) {
      throw new UsageError('--start must be an ISO 8601 timestamp with offset, e.g. 2026-01-05T00:00:00+08:00');
    }
    const progress = new ProgressReporter(io, 'generate');
    const written = writePopulation(out, { applicants, seed, start }, (done) => progress.update(done, applicants, `${formatCount(done)} of ${formatCount(applicants)} applicants`));
    progress.finish(`${formatCount(written.records)} records (${formatCount(written.events)} events), ${formatCount(written.truths)} truth lines`);
    io.stdout.write(`${written.populationPath}\n${written.truthPath}\n`);
    return Promise.resolve(EXIT_OK);
  },
};
