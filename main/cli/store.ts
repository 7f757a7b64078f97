// Opening the store for one command: passphrase from the environment or a prompt, the profile from
// --user (or the only one there is). Commands that need the store (import, verify, analyze, export) use this.
import { VigilError } from '../../shared/errors.js';
import { storeUsernames, unlockStore, type OpenedStore } from '../store/open.js';
import { optionalString, type ParsedCommandLine } from './command.js';
import { readPassphrase, type CliIo } from './io.js';

export const USER_ENV = 'VIGIL_USER';

/** Options every store command accepts: `--store DIR` (required) and `--user NAME`. */
export const STORE_OPTIONS = {
  store: { type: 'string' },
  user: { type: 'string' },
} as const;

export async function openStoreForCli(line: ParsedCommandLine, io: CliIo, storeDir: string): Promise<OpenedStore> {
  const usernames = storeUsernames(storeDir);
  if (usernames.length === 0) throw new VigilError('no_store', `there is no store in ${storeDir} (create one with vigil init --store ${storeDir})`);
  const asked = optionalString(line, 'user') ?? io.env[USER_ENV];
  let username: string;
  if (asked !== undefined && asked !== '') username = asked;
  else if (usernames.length === 1) username = usernames[0] as string;
  else throw new VigilError('invalid_input', `this store has several profiles (${usernames.join(', ')}): say which with --user or ${USER_ENV}`);
  const passphrase = await readPassphrase(io, { confirm: false });
  // Imports write a lot: WAL checkpoints run on a worker thread, as in the app. Close with closeStoreForCli.
  return unlockStore(storeDir, {
    username,
    passphrase,
    backgroundCheckpoint: true,
    // A store from an older Vigil gets its missing schema steps first; on a large one that takes a while.
    onUpgrade: (steps) => io.stderr.write(`updating the store for this version of Vigil (${steps.length} schema ${steps.length === 1 ? 'step' : 'steps'}: ${steps.join(', ')}); a large store can take a minute\n`),
  });
}

/** Closes the store and waits until every connection (the checkpointer's too) has let go of the file. */
export async function closeStoreForCli(opened: OpenedStore): Promise<void> {
  opened.store.close();
  await opened.store.whenClosed();
}
