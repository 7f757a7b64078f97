// CSV rows to interchange values: dotted headers become nested objects (`address.city`), cells are
// typed by the schema (numbers, booleans, JSON for arrays and objects), empty cells are absent.
import { recordSchemas, type RecordType } from '../../shared/interchange/schema.js';

type CellKind = 'string' | 'number' | 'boolean' | 'json' | 'text-or-json';

interface Column {
  readonly name: string;
  readonly path: readonly string[];
  readonly kind: CellKind;
}

interface ZodInternals {
  _zod: { def: { type: string; shape?: Record<string, ZodInternals>; innerType?: ZodInternals; options?: ZodInternals[] } };
}

function unwrap(schema: ZodInternals): ZodInternals {
  let current = schema;
  while (current._zod.def.type === 'optional' || current._zod.def.type === 'nullable' || current._zod.def.type === 'default') {
    const inner = current._zod.def.innerType;
    if (inner === undefined) break;
    current = inner;
  }
  return current;
}

function kindOf(schema: ZodInternals | undefined): CellKind {
  if (schema === undefined) return 'string';
  const def = unwrap(schema)._zod.def;
  switch (def.type) {
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'array':
    case 'object':
    case 'record':
      return 'json';
    case 'union':
      return 'text-or-json';
    default:
      return 'string';
  }
}

function kindAtPath(type: RecordType, path: readonly string[]): CellKind {
  let schema: ZodInternals | undefined = recordSchemas[type];
  for (const part of path) {
    if (schema === undefined) return 'string';
    const def: ZodInternals['_zod']['def'] = unwrap(schema)._zod.def;
    if (def.type !== 'object' || def.shape === undefined) return 'string';
    schema = Object.prototype.hasOwnProperty.call(def.shape, part) ? def.shape[part] : undefined;
  }
  return kindOf(schema);
}

export class CsvHeader {
  readonly columns: readonly Column[];
  constructor(readonly type: RecordType, names: readonly string[]) {
    const seen = new Set<string>();
    this.columns = names.map((raw) => {
      const name = raw.trim();
      if (name === '') throw new Error('the header has an empty column name');
      if (seen.has(name)) throw new Error(`the header names column "${name}" twice`);
      seen.add(name);
      const path = name.split('.');
      if (path.some((p) => p === '' || p === '__proto__' || p === 'constructor' || p === 'prototype')) throw new Error(`column "${name}" is not a valid field path`);
      return { name, path, kind: kindAtPath(type, path) };
    });
  }

  /** The record value for one row, or a message (`type.field: ...`) when a cell cannot be read. */
  toValue(cells: readonly string[]): { value: Record<string, unknown> } | { message: string } {
    if (cells.length !== this.columns.length) {
      return { message: `record: has ${cells.length} fields, the header has ${this.columns.length}` };
    }
    const value: Record<string, unknown> = { type: this.type };
    for (let i = 0; i < this.columns.length; i++) {
      const column = this.columns[i] as Column;
      const cell = cells[i] as string;
      if (cell === '') continue;
      let typed: unknown = cell;
      switch (column.kind) {
        case 'number':
          if (/^\s*-?\d+(\.\d+)?([eE][+-]?\d+)?\s*$/.test(cell)) typed = Number(cell);
          break;
        case 'boolean': {
          const lower = cell.trim().toLowerCase();
          if (lower === 'true' || lower === '1') typed = true;
          else if (lower === 'false' || lower === '0') typed = false;
          break;
        }
        case 'json':
          try {
            typed = JSON.parse(cell) as unknown;
          } catch {
            return { message: `${this.type}.${column.name}: the cell is not valid JSON` };
          }
          break;
        case 'text-or-json':
          if (cell === 'true' || cell === 'false' || /^-?\d+(\.\d+)?$/.test(cell)) typed = JSON.parse(cell) as unknown;
          break;
        case 'string':
          break;
      }
      setPath(value, column.path, typed);
    }
    if (typeof value['type'] !== 'string') value['type'] = this.type;
    return { value };
  }
}

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i] as string;
    const existing = node[key];
    if (existing === null || typeof existing !== 'object' || Array.isArray(existing)) {
      const created: Record<string, unknown> = {};
      node[key] = created;
      node = created;
    } else node = existing as Record<string, unknown>;
  }
  node[path[path.length - 1] as string] = value;
}

