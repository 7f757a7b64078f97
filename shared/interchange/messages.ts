// Plain-language messages for zod issues, used where a schema gave no message of its own
// (schema messages take precedence in zod 4). They end up after `file:line: type.field: `.
import type { z } from 'zod';

export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return value.length > 40 ? `a string "${value.slice(0, 40)}…"` : `"${value}"`;
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return `${typeof value} ${value.toString()}`;
  return typeof value;
}

/** `emergency_contacts[0].phone` from zod's path. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}

// Used only where the schema gave no message of its own (schema messages take precedence in zod 4).
export const interchangeErrorMap: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? 'is required' : `expected ${issue.expected}, got ${describeValue(issue.input)}`;
    case 'invalid_value':
      return `expected ${issue.values.map((v) => JSON.stringify(v)).join(' or ')}, got ${describeValue(issue.input)}`;
    case 'too_big':
      if (issue.origin === 'array') return `has more than ${String(issue.maximum)} items`;
      if (issue.origin === 'string') return `longer than ${String(issue.maximum)} characters`;
      return `must be at most ${String(issue.maximum)}, got ${describeValue(issue.input)}`;
    case 'too_small':
      if (issue.origin === 'array') return `has fewer than ${String(issue.minimum)} items`;
      if (issue.origin === 'string') return 'must not be empty';
      return `must be at least ${String(issue.minimum)}, got ${describeValue(issue.input)}`;
    case 'invalid_union':
      return `does not match any allowed form (got ${describeValue(issue.input)})`;
    case 'invalid_format':
      return `is not a valid ${issue.format}`;
    default:
      return undefined;
  }
};

