// The growing delay after wrong passphrases, kept in the data folder so that quitting and restarting
// the app does not reset it. It guards the unlock screen only (scrypt guards the key slots themselves),
// so a missing or damaged file simply starts from zero, and no stored wait is ever longer than the cap.
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Failures allowed before the delay starts; then 1, 2, 4 ... seconds, capped at 5 minutes. */
export const FREE_ATTEMPTS = 3;
export const MAX_DELAY_SECONDS = 300;
export const THROTTLE_FILE = 'unlock-throttle.json';

export interface UnlockThrottle {
  /** Seconds until the next attempt is allowed (0: now). */
  retryAfterSeconds(): number;
  /** Counts a wrong passphrase and starts (or lengthens) the delay once the free attempts are spent. */
  failed(): void;
  /** A successful unlock or a new store: back to zero. */
  reset(): void;
}

interface Stored {
  readonly failures: number;
  readonly blockedUntil: number;
}

function read(file: string, now: number): Stored {
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as Partial<Stored>;
    const failures = Number.isSafeInteger(value.failures) && (value.failures ?? 0) > 0 ? (value.failures as number) : 0;
    const until = typeof value.blockedUntil === 'number' && Number.isFinite(value.blockedUntil) ? value.blockedUntil : 0;
    return { failures, blockedUntil: Math.min(until, now + MAX_DELAY_SECONDS * 1000) };
  } catch {
    return { failures: 0, blockedUntil: 0 };
  }
}

export function createUnlockThrottle(dataDir: string, now: () => number): UnlockThrottle {
  const file = join(dataDir, THROTTLE_FILE);
  let state = read(file, now());
  const save = (next: Stored): void => {
    state = next;
    try {
      if (next.failures === 0 && next.blockedUntil === 0) {
        rmSync(file, { force: true });
        return;
      }
      mkdirSync(dataDir, { recursive: true });
      const tmp = `${file}.tmp`;
      writeFileSync(tmp, JSON.stringify(next), { mode: 0o600 });
      renameSync(tmp, file);
    } catch (error) {
      // The delay still holds in memory for this run; only its survival across a restart is lost.
      console.error(`[vigil] could not save the unlock delay: ${(error as Error).message}`);
    }
  };
  return {
    retryAfterSeconds: () => Math.max(0, Math.ceil((state.blockedUntil - now()) / 1000)),
    failed() {
      const failures = state.failures + 1;
      const blockedUntil = failures >= FREE_ATTEMPTS ? now() + Math.min(MAX_DELAY_SECONDS, 2 ** (failures - FREE_ATTEMPTS)) * 1000 : state.blockedUntil;
      save({ failures, blockedUntil });
    },
    reset() {
      if (state.failures !== 0 || state.blockedUntil !== 0) save({ failures: 0, blockedUntil: 0 });
    },
  };
}
