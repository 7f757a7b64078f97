// The one place operations are dispatched. Every call, from Electron or from the Chromium host,
// passes the same gates in the same order: origin, operation name, input shape, access, then the service.
import type { z } from 'zod';
import { contract, isOperationName, type OperationName, type OperationOutput } from '../../shared/ipc/contract.js';
import type { Access } from '../../shared/ipc/define.js';
import type { IpcResult } from '../../shared/ipc/result.js';
import type { SessionUser } from '../../shared/ipc/ops/session.js';
import { VigilError, type ErrorPayload } from '../../shared/errors.js';
import { storeBusyError } from '../store/busy.js';
import { findForbiddenKey } from './inputGuard.js';

export interface CallContext {
  /** The signed-in user, or null while the store is locked (only `public` operations run then). */
  readonly user: SessionUser | null;
}

export type ParsedInput<K extends OperationName> = z.output<(typeof contract)[K]['input']>;
export type Handler<K extends OperationName> = (
  input: ParsedInput<K>,
  context: CallContext,
) => OperationOutput<K> | Promise<OperationOutput<K>>;
export type Handlers = { [K in OperationName]: Handler<K> };

export interface SessionView {
  currentUser(): SessionUser | null;
}

export interface Caller {
  /** Origin of the frame that sent the call (`app://vigil` in Electron). */
  readonly origin: string;
}

export interface IpcRegistry {
  invoke(operation: unknown, input: unknown, caller: Caller): Promise<IpcResult<unknown>>;
}

export interface RegistryOptions {
  readonly handlers: Handlers;
  readonly session: SessionView;
  readonly allowedOrigins: readonly string[];
  /** Parse every output against the contract too (tests and development): a service that returns more than the contract promises is a bug. */
  readonly checkOutputs?: boolean;
  readonly onInternalError?: (operation: string, error: unknown) => void;
}

function fail(code: ErrorPayload['code'], message: string, where?: string): IpcResult<never> {
  return { ok: false, error: where === undefined ? { code, message } : { code, message, where } };
}

function accessAllows(access: Access, user: SessionUser | null): 'ok' | 'locked' | 'forbidden_role' {
  if (access === 'public') return 'ok';
  if (user === null) return 'locked';
  if (access === 'signed_in') return 'ok';
  return access.includes(user.role) ? 'ok' : 'forbidden_role';
}

export function createIpcRegistry(options: RegistryOptions): IpcRegistry {
  const origins = new Set(options.allowedOrigins);
  return {
    async invoke(operation, rawInput, caller) {
      if (!origins.has(caller.origin)) return fail('forbidden_origin', `calls from ${caller.origin} are not accepted`);
      if (!isOperationName(operation)) return fail('unknown_operation', `there is no operation named ${String(operation).slice(0, 80)}`);
      const spec = contract[operation];

      const forbidden = findForbiddenKey(rawInput);
      if (forbidden !== null) return fail('invalid_input', `key "${forbidden.key}" is not allowed`, forbidden.path);
      const parsed = spec.input.safeParse(rawInput ?? {});
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const where = issue && issue.path.length > 0 ? issue.path.join('.') : undefined;
        return fail('invalid_input', issue ? `${where ?? 'input'}: ${issue.message}` : 'input is not valid', where);
      }

      const user = options.session.currentUser();
      const allowed = accessAllows(spec.access, user);
      if (allowed === 'locked') return fail('locked', 'the store is locked: unlock it first');
      if (allowed === 'forbidden_role') return fail('forbidden_role', `${operation} is not available to the ${user?.role ?? ''} role`);

      try {
        const handler = options.handlers[operation] as (input: unknown, context: CallContext) => unknown;
        const value: unknown = await handler(parsed.data, { user });
        if (options.checkOutputs === true) {
          const out = spec.output.safeParse(value);
          if (!out.success) throw new Error(`${operation} returned output outside the contract: ${out.error.message}`);
        }
        return { ok: true, value };
      } catch (error) {
        if (error instanceof VigilError) return { ok: false, error: error.toPayload() };
        const busy = storeBusyError(error);
        if (busy !== null) return { ok: false, error: busy.toPayload() };
        options.onInternalError?.(operation, error);
        return fail('internal', 'something went wrong inside Vigil; the details are in the log');
      }
    },
  };
}
