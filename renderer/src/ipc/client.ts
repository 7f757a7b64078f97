// The renderer's only door to main: window.vigil, typed from the shared contract.
import type { OperationInput, OperationName, OperationOutput, VigilApi } from '../../../shared/ipc/contract.js';
import type { ErrorPayload } from '../../../shared/errors.js';
import type { IpcResult } from '../../../shared/ipc/result.js';

declare global {
  interface Window {
    readonly vigil: VigilApi;
  }
}

/** A failed operation, carrying the stable code the UI translates into a message. */
export class OperationError extends Error {
  readonly code: ErrorPayload['code'];
  readonly where: string | undefined;
  constructor(payload: ErrorPayload) {
    super(payload.message);
    this.code = payload.code;
    this.where = payload.where;
  }
}

export async function call<K extends OperationName>(name: K, input: OperationInput<K>): Promise<OperationOutput<K>> {
  // Indexing a mapped type by a generic key loses the per-key pairing; the contract guarantees it.
  const invoke = window.vigil[name] as unknown as (input: OperationInput<K>) => Promise<IpcResult<OperationOutput<K>>>;
  const result = await invoke(input);
  if (!result.ok) throw new OperationError(result.error);
  return result.value;
}
