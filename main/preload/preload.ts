// The Electron preload: exposes one named function per contract operation under window.vigil,
// each bound to its own channel. No generic invoke(channel) ever reaches the page.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { createVigilApi } from '../../shared/ipc/bridge.js';
import type { VigilApi } from '../../shared/ipc/contract.js';

const api = createVigilApi({
  invoke: (channel, input) => ipcRenderer.invoke(channel, input),
  subscribe: (channel, listener) => {
    const forward = (_event: IpcRendererEvent, payload: unknown): void => listener(payload);
    ipcRenderer.on(channel, forward);
    return () => {
      ipcRenderer.removeListener(channel, forward);
    };
  },
}) satisfies VigilApi;

contextBridge.exposeInMainWorld('vigil', api);
