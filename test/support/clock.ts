// A manual clock for the session's timers: tests advance time instead of waiting for it.
import type { SessionClock } from '../../main/services/session.js';

export interface ManualClock extends SessionClock {
  advance(ms: number): void;
  pendingTimers(): number;
}

export function manualClock(start = 1_000_000): ManualClock {
  let now = start;
  let nextId = 0;
  const timers = new Map<number, { at: number; run: () => void }>();
  return {
    now: () => now,
    setTimer(run, ms) {
      nextId += 1;
      timers.set(nextId, { at: now + ms, run });
      return nextId;
    },
    clearTimer(handle) {
      timers.delete(handle as number);
    },
    advance(ms) {
      now += ms;
      for (const [id, timer] of [...timers].sort((a, b) => a[1].at - b[1].at)) {
        if (timer.at <= now && timers.has(id)) {
          timers.delete(id);
          timer.run();
        }
      }
    },
    pendingTimers: () => timers.size,
  };
}
