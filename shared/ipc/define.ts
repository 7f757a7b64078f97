import type { z } from 'zod';
import type { Role } from '../domain/roles.js';

/**
 * Who may call an operation: `public` works while the store is locked (status, unlock, preferences);
 * `signed_in` needs any unlocked session; a role list needs one of those roles.
 */
export type Access = 'public' | 'signed_in' | readonly Role[];

export interface OperationSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  readonly input: I;
  readonly output: O;
  readonly access: Access;
}

export function operation<I extends z.ZodType, O extends z.ZodType>(spec: OperationSpec<I, O>): OperationSpec<I, O> {
  return spec;
}
