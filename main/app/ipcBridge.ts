// The only file that touches ipcMain: one handler per contract operation, each forwarding to the
// registry with the sending frame's origin. The registry does every check.
import { ipcMain, type WebContents } from 'electron';
import { OPERATION_NAMES, channelOf, eventChannelOf } from '../../shared/ipc/contract.js';
import type { EventName, EventPayload } from '../../shared/ipc/events.js';
import type { IpcRegistry } from '../ipc/registry.js';
import { originOf } from '../host/origin.js';

export function registerIpc(registry: IpcRegistry): void {
  for (const name of OPERATION_NAMES) {
    ipcMain.handle(channelOf(name), (event, input: unknown) => {
      // A frame that is gone or has no URL is refused as the `null` origin.
      return registry.invoke(name, input, { origin: originOf(event.senderFrame?.url ?? '') });
    });
  }
}

export function emitTo(target: () => WebContents | null) {
  return <E extends EventName>(event: E, payload: EventPayload<E>): void => {
    const contents = target();
    if (contents !== null && !contents.isDestroyed()) contents.send(eventChannelOf(event), payload);
  };
}
