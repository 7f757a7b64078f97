// A fast yes/no pre-check compiled from the interchange zod schemas. It may only say "valid" when zod
// would accept the value too; anything it cannot vouch for goes to zod (validateRecord), so every
// rejection message still comes from zod. Built from the schemas themselves, not retyped, so a schema
// change reaches it; a construct it does not know makes that record type skip the fast path entirely.
import type { z } from 'zod';
import { isRecordType } from '../../shared/interchange/validate.js';
import { recordSchemas, type InterchangeRecord, type RecordType } from '../../shared/interchange/schema.js';

type Check = (value: unknown) => boolean;

// The parts of zod 4's internal definitions the compiler reads (`_zod.def`, see zod/v4/core).
interface Def {
  readonly type: string;
  readonly coerce?: boolean;
  readonly checks?: readonly Schema[];
  readonly check?: string;
  readonly format?: string;
  readonly pattern?: RegExp;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly length?: number;
  readonly value?: unknown;
  readonly inclusive?: boolean;
  readonly innerType?: Schema;
  readonly element?: Schema;
  readonly shape?: Readonly<Record<string, Schema>>;
  readonly catchall?: Schema;
  readonly options?: readonly Schema[];
  readonly keyType?: Schema;
  readonly valueType?: Schema;
}
interface Schema {
  readonly _zod: {
    readonly def: Def;
    readonly traits: ReadonlySet<string>;
    readonly values?: ReadonlySet<unknown>;
    readonly optin?: string;
    readonly optout?: string;
    check(payload: { value: unknown; issues: unknown[] }): unknown;
  };
}

const asSchema = (schema: z.core.$ZodType): Schema => schema as unknown as Schema;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// zod's util.isPlainObject, which z.record() requires.
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (!isObject(value)) return false;
  const ctor: unknown = value['constructor'];
  if (ctor === undefined || typeof ctor !== 'function') return true;
  const prototype: unknown = (ctor as { prototype?: unknown }).prototype;
  return isObject(prototype) && Object.prototype.hasOwnProperty.call(prototype, 'isPrototypeOf');
}

/** One zod check as a predicate; null when the compiler does not know it well enough. */
function compileOneCheck(check: Schema): Check | null {
  const def = check._zod.def;
  switch (def.check) {
    case 'min_length': {
      const minimum = def.minimum as number;
      return (v) => (v as { length: number }).length >= minimum;
    }
    case 'max_length': {
      const maximum = def.maximum as number;
      return (v) => (v as { length: number }).length <= maximum;
    }
    case 'length_equals': {
      const length = def.length as number;
      return (v) => (v as { length: number }).length === length;
    }
    case 'greater_than': {
      const bound = def.value as number;
      return def.inclusive === true ? (v) => (v as number) >= bound : (v) => (v as number) > bound;
    }
    case 'less_than': {
      const bound = def.value as number;
      return def.inclusive === true ? (v) => (v as number) <= bound : (v) => (v as number) < bound;
    }
    case 'number_format':
      if (def.format === 'safeint') return (v) => Number.isSafeInteger(v);
      break;
    case 'string_format':
      if (def.format === 'regex' && def.pattern !== undefined) {
        const pattern = def.pattern;
        return (v) => {
          pattern.lastIndex = 0;
          return pattern.test(v as string);
        };
      }
      break;
    case 'overwrite':
      // Rewrites the value for later checks (trim, lowercase): not modelled.
      return null;
    default:
      break;
  }
  // Anything else (datetime formats, refinements) runs zod's own check and looks for issues.
  return (v) => {
    const payload = { value: v, issues: [] as unknown[] };
    const result = check._zod.check(payload);
    return !(result instanceof Promise) && payload.issues.length === 0;
  };
}

function compileChecks(schema: Schema): Check[] | null {
  const all = [...(schema._zod.traits.has('$ZodCheck') ? [schema] : []), ...(schema._zod.def.checks ?? [])];
  const out: Check[] = [];
  for (const check of all) {
    const compiled = compileOneCheck(check);
    if (compiled === null) return null;
    out.push(compiled);
  }
  return out;
}

function compileObject(def: Def): Check | null {
  const shape = def.shape ?? {};
  if (Object.getOwnPropertySymbols(shape).length > 0) return null;
  const keys = Object.keys(shape);
  if (keys.includes('__proto__')) return null;
  const fields: { key: string; check: Check; optional: boolean }[] = [];
  for (const key of keys) {
    const field = shape[key] as Schema;
    const check = compile(field);
    if (check === null) return null;
    fields.push({ key, check, optional: field._zod.optin === 'optional' && field._zod.optout === 'optional' });
  }
  const catchallType = def.catchall?._zod.def.type;
  let strict = false;
  if (catchallType === 'never') strict = true;
  else if (catchallType !== undefined && catchallType !== 'unknown' && catchallType !== 'any') return null;
  const keySet = new Set(keys);
  return (v) => {
    if (!isObject(v)) return false;
    for (const field of fields) {
      const value = v[field.key];
      if (value === undefined) {
        // Absent, or present as undefined: fine for an optional field; zod decides any other case.
        if (!field.optional) return false;
        continue;
      }
      if (!field.check(value)) return false;
    }
    if (strict) {
      for (const key in v) if (!keySet.has(key)) return false;
    }
    return true;
  };
}

function compileRecord(def: Def): Check | null {
  const keyType = def.keyType;
  const valueType = def.valueType;
  if (keyType === undefined || valueType === undefined) return null;
  const keyDef = keyType._zod.def;
  if (keyDef.type !== 'string' || keyDef.coerce === true || (keyDef.checks?.length ?? 0) > 0 || keyType._zod.traits.has('$ZodCheck')) return null;
  const valueAny = valueType._zod.def.type === 'unknown' || valueType._zod.def.type === 'any';
  const valueCheck = valueAny ? null : compile(valueType);
  if (!valueAny && valueCheck === null) return null;
  return (v) => {
    if (!isPlainObject(v)) return false;
    if (Object.getOwnPropertySymbols(v).length > 0) return false;
    if (valueCheck === null) return true;
    for (const key of Object.keys(v)) if (!valueCheck(v[key])) return false;
    return true;
  };
}

function compileBase(schema: Schema): Check | null {
  const def = schema._zod.def;
  if (def.coerce === true) return null;
  switch (def.type) {
    case 'string':
      return (v) => typeof v === 'string';
    case 'number':
      return (v) => typeof v === 'number' && Number.isFinite(v);
    case 'boolean':
      return (v) => typeof v === 'boolean';
    case 'literal':
    case 'enum': {
      const values = schema._zod.values;
      if (values === undefined) return null;
      return (v) => values.has(v);
    }
    case 'unknown':
    case 'any':
      return () => true;
    case 'optional': {
      const inner = def.innerType;
      if (inner === undefined || inner._zod.optin === 'defaulted') return null;
      const check = compile(inner);
      if (check === null) return null;
      return (v) => v === undefined || check(v);
    }
    case 'nullable': {
      const check = def.innerType === undefined ? null : compile(def.innerType);
      if (check === null) return null;
      return (v) => v === null || check(v);
    }
    case 'array': {
      const element = def.element === undefined ? null : compile(def.element);
      if (element === null) return null;
      return (v) => {
        if (!Array.isArray(v)) return false;
        for (const item of v as unknown[]) if (!element(item)) return false;
        return true;
      };
    }
    case 'object':
      return compileObject(def);
    case 'record':
      return compileRecord(def);
    case 'union': {
      // `inclusive: false` is z.xor (exactly one option): not modelled.
      if (def.inclusive === false) return null;
      const options = (def.options ?? []).map(compile);
      if (options.length === 0 || options.some((o) => o === null)) return null;
      const compiled = options as Check[];
      return (v) => compiled.some((option) => option(v));
    }
    default:
      return null;
  }
}

function compile(schema: Schema): Check | null {
  const base = compileBase(schema);
  if (base === null) return null;
  const checks = compileChecks(schema);
  if (checks === null) return null;
  if (checks.length === 0) return base;
  return (v) => {
    if (!base(v)) return false;
    for (const check of checks) if (!check(v)) return false;
    return true;
  };
}

/** Compiles one zod schema into a predicate that is true only where zod accepts; null when not compilable. */
export function compileFastCheck(schema: z.core.$ZodType): Check | null {
  return compile(asSchema(schema));
}

const FAST_CHECKS = new Map<RecordType, Check>();
for (const [type, schema] of Object.entries(recordSchemas)) {
  const check = compileFastCheck(schema);
  if (check !== null) FAST_CHECKS.set(type as RecordType, check);
}

/** The record types that have a fast path (all ten today; a test pins it). */
export function fastCheckedTypes(): RecordType[] {
  return [...FAST_CHECKS.keys()];
}

/**
 * The record when `value` is certainly a valid record (of `expectedType`, if given), else null: the
 * caller then runs validateRecord, which decides and words the message exactly as before.
 */
export function fastValidRecord(value: unknown, expectedType?: RecordType): { type: RecordType; record: InterchangeRecord } | null {
  if (!isObject(value)) return null;
  const declared = value['type'];
  if (!isRecordType(declared)) return null;
  if (expectedType !== undefined && declared !== expectedType) return null;
  const check = FAST_CHECKS.get(declared);
  if (check === undefined || !check(value)) return null;
  return { type: declared, record: value as InterchangeRecord };
}
