import { initStore } from '../../store/open.js';
import { EXIT_OK, optionalString, requiredString, type CliCommand } from '../command.js';
import { readPassphrase } from '../io.js';

export const initCommand: CliCommand = {
  name: 'init',
  usage: 'vigil init --store DIR [--user NAME] [--name DISPLAY_NAME]',
  summary: 'creates an encrypted store with an admin profile (asks for a passphrase twice)',
  options: { store: { type: 'string' }, user: { type: 'string' }, name: { type: 'string' } },
  positionals: { min: 0, max: 0 },
  async run(line, io) {
    const dir = requiredString(line, 'store');
    const username = optionalString(line, 'user') ?? 'admin';
    const displayName = optionalString(line, 'name') ?? 'Administrator';
    const passphrase = await readPassphrase(io, { confirm: true });
    const user = await initStore(dir, { username, displayName, passphrase });
    io.stdout.write(`created an encrypted store in ${dir}; profile ${user.username} (${user.role})\n`);
    return EXIT_OK;
  },
};
