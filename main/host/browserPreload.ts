// The Chromium host's stand-in for the Electron preload: builds the very same window.vigil object,
// over a Playwright binding instead of ipcRenderer. Injected before any page script runs.
import { createVigilApi } from '../../shared/ipc/bridge.js';
import type { VigilApi } from '../../shared/ipc/contract.js';

interface HostWindow {
  __vigilInvoke?: (channel: string, input: unknown) => Promise<unknown>;
  __vigilDeliver?: (channel: string, payload: unknown) => void;
  vigil?: VigilApi;
}

const hostWindow = window as unknown as HostWindow;
const listeners = new Map<string, Set<(payload: unknown) => void>>();

hostWindow.__vigilDeliver = (channel, payload) => {
  for (const listener of listeners.get(channel) ?? []) listener(payload);
};

const api = createVigilApi({
  invoke: (channel, input) => {
    const invoke = hostWindow.__vigilInvoke;
    if (invoke === undefined) return Promise.reject(new Error('the Vigil host binding is missing'));
    return invoke(channel, input).then((encoded) => (typeof encoded === 'string' ? (JSON.parse(encoded) as unknown) : encoded));
  },
  subscribe: (channel, listener) => {
    const set = listeners.get(channel) ?? new Set();
    set.add(listener);
    listeners.set(channel, set);
    return () => {
      set.delete(listener);
    };
  },
}) satisfies VigilApi;

Object.defineProperty(window, 'vigil', { value: api, writable: false, configurable: false, enumerable: true });
