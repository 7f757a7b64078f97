import type { ErrorPayload } from '../errors.js';

export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: ErrorPayload };
