import { createDemoStore, DEMO_APPLICANTS, DEMO_SEED } from '../../services/demo.js';
import { EXIT_OK, optionalString, positiveInteger, requiredString, type CliCommand } from '../command.js';
import { formatCount, ProgressReporter, readPassphrase } from '../io.js';

export const demoCommand: CliCommand = {
  name: 'demo',
  usage: 'vigil demo --store DIR [--applicants N] [--seed S] [--user NAME] [--name DISPLAY_NAME]',
  summary: `creates a store filled with a generated sample population (${formatCount(DEMO_APPLICANTS)} applicants by default), ready to open`,
  options: { store: { type: 'string' }, applicants: { type: 'string' }, seed: { type: 'string' }, user: { type: 'string' }, name: { type: 'string' } },
  positionals: { min: 0, max: 0 },
  async run(line, io) {
    const dir = requiredString(line, 'store');
    const applicants = positiveInteger(line, 'applicants', DEMO_APPLICANTS);
    const seed = optionalString(line, 'seed') ?? DEMO_SEED;
    const passphrase = await readPassphrase(io, { confirm: true });
    const progress = new ProgressReporter(io, 'demo');
    const { summary, user } = await createDemoStore(dir, {
      username: optionalString(line, 'user') ?? 'admin',
      displayName: optionalString(line, 'name') ?? 'Administrator',
      passphrase,
      applicants,
      seed,
      onProgress: (records) => progress.update(records, null, `${formatCount(records)} records`),
    });
    progress.finish(summary.message);
    io.stdout.write(`created a sample store in ${dir}: ${formatCount(applicants)} applicants, ${formatCount(summary.totals.inserted)} records; profile ${user.username}\n`);
    return EXIT_OK;
  },
};
