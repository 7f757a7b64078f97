// Typed subscription to main's events (locked, progress, notification) through window.vigil.on.
import { useEffect, useRef } from 'react';
import type { EventName, EventPayload } from '../../../shared/ipc/events.js';

export function useVigilEvent<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): void {
  const latest = useRef(listener);
  useEffect(() => {
    latest.current = listener;
  });
  useEffect(() => window.vigil.on(event, (payload) => latest.current(payload)), [event]);
}
