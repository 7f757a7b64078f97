// The case desk's rules that need no store: who may do what, SLA and source, masking inputs, file names.
import { describe, expect, it } from 'vitest';
import { ageAt, genderOf, permissions, slaDueFor, sourceOf } from '../../main/services/cases.js';
import { cleanFileName } from '../../main/services/notes.js';
import { observationTraits, traitChanges } from '../../main/services/caseEvidence.js';
import type { SessionUser } from '../../shared/ipc/ops/session.js';

const user = (role: SessionUser['role'], id = 'u1'): SessionUser => ({ id, username: id, displayName: id, role });

describe('case permissions', () => {
  it('lets an investigator claim an open case and decide it, but not one someone else holds', () => {
    expect(permissions(user('investigator'), 'open', null)).toEqual({ claim: true, release: false, assign: false, decide: true, review: false, annotate: true });
    expect(permissions(user('investigator'), 'in_progress', 'u1')).toMatchObject({ claim: false, release: true, decide: true });
    expect(permissions(user('investigator'), 'in_progress', 'other')).toMatchObject({ claim: false, decide: false });
  });

  it('lets a team lead take over and assign, and nobody decide a case waiting for review or decided', () => {
    expect(permissions(user('team_lead'), 'in_progress', 'other')).toMatchObject({ claim: true, assign: true, decide: true, review: true });
    for (const status of ['pending_review', 'decided', 'closed'] as const) {
      expect(permissions(user('team_lead'), status, null)).toMatchObject({ claim: false, decide: false, assign: false });
    }
  });

  it('gives a trainer a read-only view', () => {
    expect(permissions(user('trainer'), 'open', null)).toEqual({ claim: false, release: false, assign: false, decide: false, review: false, annotate: false });
  });
});

describe('case facts', () => {
  it('reads gender and age from the resident ID', () => {
    expect(genderOf('11010519900307231X')).toBe('male');
    expect(genderOf('110105199003072326')).toBe('female');
    expect(genderOf('short')).toBeNull();
    expect(ageAt('1990-03-07', new Date('2026-03-06T00:00:00Z'))).toBe(35);
    expect(ageAt('1990-03-07', new Date('2026-03-07T00:00:00Z'))).toBe(36);
    expect(ageAt(null, new Date())).toBeNull();
  });

  it('starts the SLA when the case reached the desk, and says why it is there', () => {
    const application = { arrivedAt: '2026-03-01T00:00:00.000Z', submittedAt: '2026-02-01T00:00:00Z', submittedMs: Date.parse('2026-02-01T00:00:00Z') };
    expect(slaDueFor(application as Parameters<typeof slaDueFor>[0], 24)).toBe('2026-03-02T00:00:00.000Z');
    expect(slaDueFor({ ...application, arrivedAt: null } as Parameters<typeof slaDueFor>[0], 2)).toBe('2026-02-01T02:00:00.000Z');
    expect(sourceOf('high', 'approved', 0)).toBe('engine');
    expect(sourceOf('low', 'review', 0)).toBe('platform');
    expect(sourceOf(null, 'approved', 1)).toBe('appeal');
  });
});

describe('evidence inputs', () => {
  it('keeps a file name without path or control characters', () => {
    expect(cleanFileName('../../etc/pass\u0000wd')).toBe('passwd');
    expect(cleanFileName('C:\\Users\\li\\statement.pdf')).toBe('statement.pdf');
    expect(cleanFileName('..')).toBe('attachment');
  });

  it('lists what changed between two observations of one device, ignoring fields one side lacks', () => {
    const before = observationTraits(JSON.stringify({ user_agent: 'UA 1', screen: { width: 1080, height: 2400, dpr: 3 }, hardware: { model: 'K60' }, ip: '1.1.1.1' }));
    const after = observationTraits(JSON.stringify({ user_agent: 'UA 2', screen: { width: 1080, height: 2400, dpr: 3 }, ip: '1.1.1.1', timezone: 'Asia/Shanghai' }));
    expect(traitChanges(before, after)).toEqual([{ field: 'user_agent', from: 'UA 1', to: 'UA 2' }]);
    expect(before.screen).toBe('1080x2400@3');
  });
});
