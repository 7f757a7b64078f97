import { useEffect } from 'react';
import { call } from '../ipc/client.js';

/** At most one `touch` per interval: enough to keep the idle lock away, never a call per keystroke. */
export const TOUCH_INTERVAL_MS = 30_000;

export function useActivityReporter(active: boolean): void {
  useEffect(() => {
    if (!active) return;
    let last = 0;
    const onActivity = (): void => {
      const now = Date.now();
      if (now - last < TOUCH_INTERVAL_MS) return;
      last = now;
      // A failed touch only means the session already ended; the `locked` event handles that.
      call('touch', {}).catch(() => undefined);
    };
    const kinds = ['keydown', 'pointerdown', 'wheel', 'pointermove'] as const;
    for (const kind of kinds) window.addEventListener(kind, onActivity, { passive: true, capture: true });
    return () => {
      for (const kind of kinds) window.removeEventListener(kind, onActivity, { capture: true });
    };
  }, [active]);
}
