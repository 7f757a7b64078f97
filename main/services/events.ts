import type { EventName, EventPayload } from '../../shared/ipc/events.js';

/** How services tell the renderer something happened; the host (Electron or Chromium) delivers it. */
export type EmitEvent = <E extends EventName>(event: E, payload: EventPayload<E>) => void;
