import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { generatePopulation } from '../../main/generator/population.js';
import { compileFastCheck, fastCheckedTypes, fastValidRecord } from '../../main/interchange/fastCheck.js';
import { RECORD_TYPES, type RecordType } from '../../shared/interchange/schema.js';
import { validateRecord } from '../../shared/interchange/validate.js';

const fixture = readFileSync(new URL('../fixtures/interchange/all-types.jsonl', import.meta.url), 'utf8')
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line) as Record<string, unknown>);

function generated(applicants: number, seed: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const item of generatePopulation({ applicants, seed })) if (item.kind === 'record') out.push(JSON.parse(JSON.stringify(item.record)) as Record<string, unknown>);
  return out;
}

// Values that break a field in every way JSON can: wrong types, empty and very long strings, bounds,
// non-integers, huge numbers (1e999 parses to Infinity), bad dates, and nested shapes.
const REPLACEMENTS: unknown[] = [
  undefined, null, true, false, 0, -1, 1.5, 0.5, 2, 7, 8, 1001, -0.001, 2 ** 53, Number.POSITIVE_INFINITY,
  '', 'x', 'x'.repeat(65), 'x'.repeat(201), 'x'.repeat(20_001), '2026-03-14T09:26:53.589+08:00', '2026-02-30T00:00:00Z',
  '2026-03-14 09:26', '2026-03', '2026-13', '12345', '1234567', 'abc123', '11010519491231002X', 'approved', 'frozen',
  'field_input', 'page_view', [], [1], ['a'], Array.from({ length: 101 }, () => 'r'), {}, { nested: 1 }, { level: 2 }, { month: '2026-01', amount: -1 },
];

/** Every path to a scalar or container inside a record (`a`, `a.b`, `a[0]`). */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [];
  if (Array.isArray(value)) {
    value.slice(0, 2).forEach((item, i) => {
      out.push([...prefix, i], ...paths(item, [...prefix, i]));
    });
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) out.push([...prefix, key], ...paths(item, [...prefix, key]));
  }
  return out;
}

function withValue(record: Record<string, unknown>, path: (string | number)[], value: unknown): unknown {
  const copy = structuredClone(record) as Record<string | number, unknown>;
  let node = copy;
  for (const part of path.slice(0, -1)) node = node[part] as Record<string | number, unknown>;
  const last = path.at(-1) as string | number;
  if (value === undefined) {
    if (Array.isArray(node)) node.splice(last as number, 1);
    else delete node[last];
  } else node[last] = value;
  return copy;
}

describe('the compiled pre-check', () => {
  it('covers every record type', () => {
    expect(new Set(fastCheckedTypes())).toEqual(new Set(RECORD_TYPES));
  });

  it('accepts every record of a generated population and of the all-types fixture', () => {
    const records = [...generated(60, 'fast-accept'), ...fixture];
    const missed = records.filter((r) => fastValidRecord(r) === null);
    expect(missed).toEqual([]);
  });

  it('never accepts a record that zod rejects, over every field of every type broken every way', () => {
    const samples = new Map<RecordType, Record<string, unknown>[]>();
    for (const record of [...fixture, ...generated(25, 'fast-mutate')]) {
      const type = record['type'] as RecordType;
      const list = samples.get(type) ?? [];
      // Several samples per type, so optional fields and every event kind's attrs are covered.
      if (list.length < (type === 'event' ? 24 : 3)) list.push(record);
      samples.set(type, list);
    }
    let rejectedByZod = 0;
    let checked = 0;
    for (const [type, records] of samples) {
      for (const record of records) {
        for (const path of paths(record)) {
          for (const replacement of REPLACEMENTS) {
            const value = withValue(record, path, replacement);
            const zod = validateRecord(value);
            const fast = fastValidRecord(value);
            checked += 1;
            if (!zod.ok) rejectedByZod += 1;
            if (fast !== null && !zod.ok) expect.fail(`${type} ${path.join('.')}=${typeof replacement === 'string' ? JSON.stringify(replacement) : String(replacement)}: fast path accepted, zod says ${zod.message}`);
            // And with the type a CSV file would expect.
            if (fastValidRecord(value, type) !== null) expect(validateRecord(value, type).ok).toBe(true);
          }
        }
        // Unknown fields are kept, never a reason to reject, in both.
        const extra = { ...record, crm_segment: 'vip', nested_unknown: { a: [1, 2] } };
        expect(fastValidRecord(extra)).not.toBeNull();
      }
    }
    expect(checked).toBeGreaterThan(10_000);
    expect(rejectedByZod).toBeGreaterThan(checked / 4);
  });

  it('turns away records of another type than the file expects, and non-objects', () => {
    const applicant = fixture.find((r) => r['type'] === 'applicant');
    expect(fastValidRecord(applicant, 'application')).toBeNull();
    for (const value of [null, [], 'applicant', 3, { type: 'loan' }, {}]) expect(fastValidRecord(value)).toBeNull();
  });

  it('compiles only what it models: transforms and trimming have no fast path', () => {
    expect(compileFastCheck(z.string().trim().max(3))).toBeNull();
    expect(compileFastCheck(z.string().transform((s) => s.length))).toBeNull();
    expect(compileFastCheck(z.string().default('x'))).toBeNull();
    expect(compileFastCheck(z.strictObject({ a: z.number() }))).not.toBeNull();
  });

  it('agrees with zod on synthetic schemas for each construct it compiles', () => {
    const schema = z.strictObject({
      s: z.string().min(2).max(4).regex(/^[a-z]+$/),
      n: z.number().int().gt(0).lte(10).optional(),
      u: z.union([z.boolean(), z.literal('yes')]).optional(),
      e: z.enum(['a', 'b']).nullable().optional(),
      r: z.record(z.string(), z.number()).optional(),
      l: z.array(z.number().nonnegative()).max(2).optional(),
      d: z.iso.datetime({ offset: true }).optional(),
      c: z.string().refine((v) => v !== 'bad').optional(),
    });
    const check = compileFastCheck(schema);
    expect(check).not.toBeNull();
    const cases: unknown[] = [
      { s: 'ab' }, { s: 'a' }, { s: 'abcde' }, { s: 'AB' }, { s: 'ab', n: 10 }, { s: 'ab', n: 0 }, { s: 'ab', n: 1.5 }, { s: 'ab', n: 11 },
      { s: 'ab', u: true }, { s: 'ab', u: 'yes' }, { s: 'ab', u: 'no' }, { s: 'ab', e: null }, { s: 'ab', e: 'c' }, { s: 'ab', r: { x: 1 } },
      { s: 'ab', r: { x: 'y' } }, { s: 'ab', r: [] }, { s: 'ab', l: [0, 1] }, { s: 'ab', l: [0, 1, 2] }, { s: 'ab', l: [-1] },
      { s: 'ab', d: '2026-03-14T09:26:53+08:00' }, { s: 'ab', d: '2026-03-14T09:26:53' }, { s: 'ab', c: 'ok' }, { s: 'ab', c: 'bad' },
      { s: 'ab', extra: 1 }, null, [], 'ab',
    ];
    for (const value of cases) expect([JSON.stringify(value), check?.(value)]).toEqual([JSON.stringify(value), schema.safeParse(value).success]);
  });
});
