// The IPC contract: every operation the renderer may call, with its input, output and access.
// Domain files declare their operations; this file joins them. Nothing else defines a channel.
import type { z } from 'zod';
import type { OperationSpec } from './define.js';
import type { IpcResult } from './result.js';
import type { EventName, EventPayload } from './events.js';
import { appOperations } from './ops/app.js';
import { sessionOperations } from './ops/session.js';
import { adminOperations } from './ops/admin.js';
import { piiOperations } from './ops/pii.js';
import { caseOperations } from './ops/cases.js';
import { importOperations } from './ops/import.js';
import { analysisOperations } from './ops/analysis.js';

export const contract = {
  ...appOperations,
  ...sessionOperations,
  ...adminOperations,
  ...piiOperations,
  ...caseOperations,
  ...importOperations,
  ...analysisOperations,
} satisfies Record<string, OperationSpec>;

export type Contract = typeof contract;
export type OperationName = keyof Contract;
export type OperationInput<K extends OperationName> = z.input<Contract[K]['input']>;
export type OperationOutput<K extends OperationName> = z.output<Contract[K]['output']>;
export const OPERATION_NAMES = Object.keys(contract) as OperationName[];

export function isOperationName(name: unknown): name is OperationName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(contract, name);
}

/** The channel an operation travels on; one per operation, never a generic one. */
export function channelOf(name: OperationName): string {
  return `vigil:${name}`;
}
export function eventChannelOf(name: EventName): string {
  return `vigil-event:${name}`;
}

/** What `window.vigil` is: one named function per operation, plus typed event subscription. */
export type VigilApi = {
  readonly [K in OperationName]: (input: OperationInput<K>) => Promise<IpcResult<OperationOutput<K>>>;
} & {
  readonly on: <E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void) => () => void;
};
