// A store another connection is writing to: the app and a `vigil` command, or two commands, at once.
import { VigilError } from '../../shared/errors.js';

/**
 * SQLite gave up waiting (busy_timeout) for another connection's write lock: the app and a `vigil` command,
 * or two commands, writing to one store at once. A state to explain to the person, not a crash.
 */
export function storeBusyError(error: unknown): VigilError | null {
  const code = error instanceof Error ? (error as { code?: unknown }).code : undefined;
  if (typeof code !== 'string' || !(code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))) return null;
  return new VigilError('store_busy', 'the store is busy: another program (the Vigil app or a vigil command) is writing to it; try again when it has finished');
}
