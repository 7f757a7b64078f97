// Shape validation of one interchange record, with the message the spec asks for:
// `type.field: what is wrong` (the reader prefixes `file:line: `). One message per record: the first problem.
import { describeValue, formatPath, interchangeErrorMap } from './messages.js';
import { RECORD_TYPES, recordSchemas, type InterchangeRecord, type RecordType } from './schema.js';

export type RecordValidation =
  | { readonly ok: true; readonly type: RecordType; readonly record: InterchangeRecord }
  | { readonly ok: false; readonly type: RecordType | null; readonly message: string };

const TYPE_SET = new Set<string>(RECORD_TYPES);

export function isRecordType(value: unknown): value is RecordType {
  return typeof value === 'string' && TYPE_SET.has(value);
}

export function validateRecord(value: unknown, expectedType?: RecordType): RecordValidation {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, type: null, message: `record: expected a JSON object, got ${describeValue(value)}` };
  }
  const declared = (value as { type?: unknown }).type;
  if (declared === undefined) return { ok: false, type: null, message: 'record.type: is required' };
  if (!isRecordType(declared)) {
    return { ok: false, type: null, message: `record.type: unknown type ${describeValue(declared)}; expected one of ${RECORD_TYPES.join(', ')}` };
  }
  if (expectedType !== undefined && declared !== expectedType) {
    return { ok: false, type: declared, message: `${declared}.type: expected "${expectedType}" in this file` };
  }
  const schema = recordSchemas[declared];
  // Valid records (nearly all) take the fast path; a failure is parsed again for its message.
  if (schema.safeParse(value).success) return { ok: true, type: declared, record: value as InterchangeRecord };
  const parsed = schema.safeParse(value, { error: interchangeErrorMap, reportInput: true });
  if (parsed.success) return { ok: true, type: declared, record: value as InterchangeRecord };
  const issue = parsed.error.issues[0];
  const path = issue === undefined ? '' : formatPath(issue.path);
  return { ok: false, type: declared, message: `${declared}${path === '' ? '' : `.${path}`}: ${issue?.message ?? 'is not valid'}` };
}
