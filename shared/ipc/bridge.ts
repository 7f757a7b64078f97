// Builds `window.vigil` from two transport functions. The Electron preload passes ipcRenderer-based
// ones; the Chromium host passes Playwright-binding-based ones. Same object, same shape, both hosts.
import { EVENT_NAMES, type EventName, type EventPayload } from './events.js';
import { OPERATION_NAMES, channelOf, eventChannelOf, type VigilApi } from './contract.js';

export interface BridgeTransport {
  invoke(channel: string, input: unknown): Promise<unknown>;
  subscribe(channel: string, listener: (payload: unknown) => void): () => void;
}

export function createVigilApi(transport: BridgeTransport): VigilApi {
  const api: Record<string, unknown> = {};
  for (const name of OPERATION_NAMES) {
    const channel = channelOf(name);
    api[name] = (input: unknown) => transport.invoke(channel, input);
  }
  api['on'] = <E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void) => {
    if (!EVENT_NAMES.includes(event)) throw new Error(`unknown event ${String(event)}`);
    return transport.subscribe(eventChannelOf(event), listener as (payload: unknown) => void);
  };
  return Object.freeze(api) as VigilApi;
}
