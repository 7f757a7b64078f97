import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { JSON_SCHEMA_PATH } from '../../main/interchange/writeJsonSchema.js';
import { renderInterchangeJsonSchema } from '../../shared/interchange/jsonSchema.js';
import { RECORD_TYPES } from '../../shared/interchange/schema.js';
import { validateRecord } from '../../shared/interchange/validate.js';

const applicant = { type: 'applicant', id: 'A1', name: '张伟', id_number: '11010519491231002X', phone: '13812345678' };
const message = (value: unknown): string => {
  const result = validateRecord(value);
  return result.ok ? 'ok' : result.message;
};

describe('interchange v1 schema', () => {
  it('has a committed JSON Schema identical to the one generated from the zod schemas', () => {
    // Regenerate with: node --import tsx main/interchange/writeJsonSchema.ts
    expect(readFileSync(JSON_SCHEMA_PATH, 'utf8')).toBe(renderInterchangeJsonSchema());
  });

  it('describes every record type in the JSON Schema', () => {
    const schema = JSON.parse(renderInterchangeJsonSchema()) as { oneOf: { properties: { type: { const: string } } }[] };
    expect(schema.oneOf.map((s) => s.properties.type.const).sort()).toEqual([...RECORD_TYPES].sort());
  });

  it('keeps unknown fields and accepts a valid record', () => {
    expect(validateRecord({ ...applicant, crm_segment: 'vip' })).toMatchObject({ ok: true, record: { crm_segment: 'vip' } });
  });

  it('names the type and field of a missing required field', () => {
    const { phone: _phone, ...withoutPhone } = applicant;
    expect(message(withoutPhone)).toBe('applicant.phone: is required');
  });

  it('says what type a field should have and what it got', () => {
    expect(message({ ...applicant, declared_income_monthly: '12000' })).toBe('applicant.declared_income_monthly: expected number, got "12000"');
    expect(message({ type: 'label', application_id: 'AP1', is_fraud: 'yes' })).toBe('label.is_fraud: expected boolean, got "yes"');
  });

  it('rejects an unknown record type and lists the known ones', () => {
    expect(message({ type: 'loan', id: 'x' })).toBe(`record.type: unknown type "loan"; expected one of ${RECORD_TYPES.join(', ')}`);
    expect(message({ id: 'x' })).toBe('record.type: is required');
    expect(message([1, 2])).toBe('record: expected a JSON object, got an array');
  });

  it('rejects timestamps without an offset or with impossible dates', () => {
    const app = { type: 'application', id: 'AP1', applicant_id: 'A1' };
    expect(message({ ...app, submitted_at: '2026-03-14 09:26:53' })).toBe('application.submitted_at: expected an ISO 8601 timestamp with offset');
    expect(message({ ...app, submitted_at: '2026-03-14T09:26:53' })).toBe('application.submitted_at: expected an ISO 8601 timestamp with offset');
    expect(message({ ...app, submitted_at: '2026-02-30T09:26:53+08:00' })).toBe('application.submitted_at: expected an ISO 8601 timestamp with offset');
    expect(message({ ...app, submitted_at: '2026-03-14T09:26:53.589+08:00' })).toBe('ok');
    expect(message({ ...app, submitted_at: '2026-03-14T01:26:53Z' })).toBe('ok');
  });

  it('points into nested arrays and known event attributes', () => {
    expect(message({ ...applicant, emergency_contacts: [{ phone: 139 }] })).toBe('applicant.emergency_contacts[0].phone: expected string, got number 139');
    const event = { type: 'event', id: 'E1', application_id: 'AP1', ts: '2026-03-14T09:26:53+08:00', kind: 'field_input', attrs: { key_intervals_ms: [120, 'fast'] } };
    expect(message(event)).toBe('event.attrs.key_intervals_ms[1]: expected number, got "fast"');
    // Kinds the engines do not analyse keep whatever attrs they carry.
    expect(message({ ...event, kind: 'custom_tracking' })).toBe('ok');
  });

  it('checks enumerations and ranges with the allowed values in the message', () => {
    const app = { type: 'application', id: 'AP1', applicant_id: 'A1', submitted_at: '2026-03-14T09:26:53+08:00' };
    expect(message({ ...app, channel: 'tv' })).toBe('application.channel: expected "app" or "web" or "mini_program", got "tv"');
    expect(message({ ...app, platform_score: 1200 })).toBe('application.platform_score: must be at most 1000, got number 1200');
  });
});
