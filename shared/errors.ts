// Stable error codes: the UI and the tests key on `code`; `message` is for the person.
export const ERROR_CODES = [
  'invalid_input',
  'unknown_operation',
  'forbidden_origin',
  'forbidden_role',
  'locked',
  'no_store',
  'store_exists',
  'wrong_passphrase',
  'too_many_attempts',
  'store_newer_than_app',
  'store_corrupt',
  'migration_mismatch',
  'not_found',
  'conflict',
  'store_busy',
  'import_failed',
  'cancelled',
  'key_backend_changed',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorPayload {
  code: ErrorCode;
  message: string;
  /** Where the problem is, for input errors: `field.path` or `file:line`. */
  where?: string;
}

/** An error a service throws on purpose; anything else becomes `internal` at the IPC boundary. */
export class VigilError extends Error {
  readonly code: ErrorCode;
  readonly where: string | undefined;
  constructor(code: ErrorCode, message: string, where?: string) {
    super(message);
    this.name = 'VigilError';
    this.code = code;
    this.where = where;
  }
  toPayload(): ErrorPayload {
    return this.where === undefined ? { code: this.code, message: this.message } : { code: this.code, message: this.message, where: this.where };
  }
}
