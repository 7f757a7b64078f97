// The case desk over a real encrypted store filled by the real import with a generated population:
// queue, search, claim/assign, decisions with their audit entries, four-eyes review, notes and evidence.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlers } from '../../main/ipc/handlers/index.js';
import { createIpcRegistry } from '../../main/ipc/registry.js';
import { createServices, type Services } from '../../main/services/index.js';
import { generatedPopulationSource } from '../../main/services/demo.js';
import { importFiles } from '../../main/services/import.js';
import { analyze } from '../../main/services/analyze.js';
import { REVIEW_THRESHOLD_SETTING } from '../../main/services/cases.js';
import { TEST_SCRYPT } from '../../main/store/open.js';
import { auditEntryFromRow, type AuditRow } from '../../main/store/audit.js';
import { createSettingsRepository } from '../../main/store/repositories/settings.js';
import type { IpcResult } from '../../shared/ipc/result.js';
import { CASE_STATUSES, decodeTimelineEvents, timelineEvent, type CaseDetail, type CaseEvidence, type QueuePage } from '../../shared/ipc/ops/cases.js';
import { z } from 'zod';

const ORIGIN = 'app://vigil';
const PASSPHRASE = 'a long passphrase';

let dataDir: string;
let services: Services;
let call: <T>(op: string, input: unknown) => Promise<IpcResult<T>>;

async function ok<T>(op: string, input: unknown): Promise<T> {
  const result = await call<T>(op, input);
  if (!result.ok) throw new Error(`${op} failed: ${result.error.code} ${result.error.message}`);
  return result.value;
}

async function signInAs(username: string): Promise<void> {
  if (services.session.currentUser() !== null) services.session.lock('user');
  await services.session.unlock({ username, passphrase: PASSPHRASE });
}

function db(): ReturnType<Services['session']['store']>['db'] {
  return services.session.store().db;
}

function auditFor(target: string): ReturnType<typeof auditEntryFromRow>[] {
  return (db().prepare('SELECT * FROM audit_log WHERE target = ? ORDER BY seq').all(target) as AuditRow[]).map(auditEntryFromRow);
}

/** Flagged without the engines: the platform's own review/reject, or an appeal (the generator makes both). */
function flaggedApplicationIds(): string[] {
  return (
    db()
      .prepare(
        `SELECT id FROM applications a WHERE platform_decision IN ('review', 'rejected') OR EXISTS (SELECT 1 FROM appeals p WHERE p.application_id = a.id)
         OR EXISTS (SELECT 1 FROM analysis_applications s WHERE s.application_id = a.id AND s.band <> 'low') ORDER BY id`,
      )
      .pluck()
      .all() as string[]
  );
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'vigil-cases-'));
  services = createServices({ dataDir, host: 'browser', osLocale: 'en', version: 'test', emit: () => undefined, session: { kdf: TEST_SCRYPT } });
  const registry = createIpcRegistry({
    handlers: createHandlers(services),
    session: services.session,
    allowedOrigins: [ORIGIN],
    checkOutputs: true,
    onInternalError: (operation, error) => console.error(operation, error),
  });
  call = <T>(op: string, input: unknown) => registry.invoke(op, input, { origin: ORIGIN }) as Promise<IpcResult<T>>;
  await services.session.create({ username: 'admin', displayName: '管理员', passphrase: PASSPHRASE });
  await services.admin.addUser({ username: 'wang', displayName: '王调查', role: 'investigator', passphrase: PASSPHRASE });
  await services.admin.addUser({ username: 'zhao', displayName: '赵调查', role: 'investigator', passphrase: PASSPHRASE });
  await services.admin.addUser({ username: 'chen', displayName: '陈组长', role: 'team_lead', passphrase: PASSPHRASE });
  await services.admin.addUser({ username: 'sun', displayName: '孙培训', role: 'trainer', passphrase: PASSPHRASE });
  const user = services.session.requireUser();
  await importFiles(services.session.store(), [{ source: generatedPopulationSource(300, 'cases-workflow') }], { actor: user.id });
  await analyze(services.session.store(), { actor: user.id });
}, 120_000);

afterAll(async () => {
  services.dispose();
  // The background checkpointer closes its own connection a moment later; remove the folder after it.
  await services.session.whenLockSettled();
  rmSync(dataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
});

describe('case queue', () => {
  it('lists every flagged application once, with PII masked', async () => {
    await signInAs('wang');
    const expected = flaggedApplicationIds();
    expect(expected.length).toBeGreaterThan(20);
    const page = await ok<QueuePage>('listQueue', { filter: {}, offset: 0, limit: 500 });
    expect(page.total).toBe(expected.length);
    expect(page.rows.map((row) => row.applicationId).sort()).toEqual(expected);
    const clear = db().prepare('SELECT id_number, phone FROM applicants WHERE id = ?').get(page.rows[0]?.applicantId) as { id_number: string; phone: string };
    const text = JSON.stringify(page);
    expect(text).not.toContain(clear.id_number);
    expect(text).not.toContain(clear.phone);
    expect(page.rows[0]?.idNumber).toMatch(/^\d{6}\*{8}[\dX]{4}$/);
  });

  it('pages through the queue in a stable order without repeating or losing a case', async () => {
    const all = await ok<QueuePage>('listQueue', { filter: {}, sort: 'submitted_desc', offset: 0, limit: 500 });
    const pages: string[] = [];
    for (let offset = 0; offset < all.total; offset += 7) {
      const page = await ok<QueuePage>('listQueue', { filter: {}, sort: 'submitted_desc', offset, limit: 7 });
      pages.push(...page.rows.map((row) => row.applicationId));
    }
    expect(pages).toEqual(all.rows.map((row) => row.applicationId));
    const times = all.rows.map((row) => Date.parse(row.submittedAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  it('finds a case by the clear ID number, phone or name, and answers masked', async () => {
    const target = (await ok<QueuePage>('listQueue', { filter: {}, offset: 3, limit: 1 })).rows[0];
    expect(target).toBeDefined();
    const clear = db().prepare('SELECT name, id_number, phone FROM applicants WHERE id = ?').get(target?.applicantId) as { name: string; id_number: string; phone: string };
    for (const search of [clear.id_number, clear.phone.slice(-8), clear.name]) {
      const found = await ok<QueuePage>('listQueue', { filter: { search }, offset: 0, limit: 50 });
      expect(found.rows.map((row) => row.applicationId)).toContain(target?.applicationId);
      expect(JSON.stringify(found)).not.toContain(clear.id_number);
    }
    const none = await ok<QueuePage>('listQueue', { filter: { search: '000000000000000000' }, offset: 0, limit: 50 });
    expect(none.total).toBe(0);
  });

  it('counts each facet as if its own choice were not made, and the counts add up', async () => {
    const counts = await ok<{ total: number; statuses: Array<{ value: string; count: number }>; sources: Array<{ value: string; count: number }>; sla: Array<{ count: number }> }>(
      'getQueueCounts',
      { filter: { source: 'platform' } },
    );
    const platformOnly = await ok<QueuePage>('listQueue', { filter: { source: 'platform' }, offset: 0, limit: 1 });
    expect(counts.total).toBe(platformOnly.total);
    const everything = await ok<QueuePage>('listQueue', { filter: {}, offset: 0, limit: 1 });
    expect(counts.sources.reduce((sum, facet) => sum + facet.count, 0)).toBe(everything.total);
    expect(counts.sla.reduce((sum, facet) => sum + facet.count, 0)).toBe(platformOnly.total);
    // The status facet ignores the status filter: it counts every status of the platform-flagged cases.
    const allStatuses = await ok<QueuePage>('listQueue', { filter: { source: 'platform', statuses: [...CASE_STATUSES] }, offset: 0, limit: 1 });
    expect(counts.statuses.reduce((sum, facet) => sum + facet.count, 0)).toBe(allStatuses.total);
    expect(counts.statuses.find((facet) => facet.value === 'open')?.count).toBeGreaterThan(0);
  });
});

describe('one case', () => {
  it('returns the timeline in time order as JSON the shared event schema accepts, with the device observations', async () => {
    await signInAs('wang');
    const applicationId = (await ok<QueuePage>('listQueue', { filter: {}, offset: 5, limit: 1 })).rows[0]?.applicationId ?? '';
    const timeline = await ok<{ eventCount: number; eventsJson: string; devices: unknown[] }>('getCaseTimeline', { applicationId });
    const events = z.array(timelineEvent).parse(decodeTimelineEvents(timeline.eventsJson));
    const stored = db().prepare('SELECT count(*) FROM events WHERE application_id = ?').pluck().get(applicationId) as number;
    expect(stored).toBeGreaterThan(5);
    expect(events).toHaveLength(stored);
    expect(timeline.eventCount).toBe(stored);
    const times = events.map((event) => Date.parse(event.ts));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(events.some((event) => event.kind === 'field_input' && typeof event.attrs['duration_ms'] === 'number')).toBe(true);
    expect(timeline.devices.length).toBeGreaterThan(0);
    expect(await call('getCaseTimeline', { applicationId: 'NO-SUCH-APPLICATION' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('shows the applicant masked, with gender and age from the ID and the applicant\'s other applications', async () => {
    const applicationId = (await ok<QueuePage>('listQueue', { filter: {}, offset: 6, limit: 1 })).rows[0]?.applicationId ?? '';
    const detail = await ok<CaseDetail>('getCase', { applicationId });
    const clear = db().prepare('SELECT a.name, a.id_number FROM applicants a JOIN applications p ON p.applicant_id = a.id WHERE p.id = ?').get(applicationId) as { name: string; id_number: string };
    expect(detail.applicant.idNumber).toBe(`${clear.id_number.slice(0, 6)}********${clear.id_number.slice(14)}`);
    expect(JSON.stringify(detail)).not.toContain(clear.id_number);
    expect(detail.applicant.gender).toBe(Number(clear.id_number.charAt(16)) % 2 === 1 ? 'male' : 'female');
    expect(detail.applicant.age).toBeGreaterThanOrEqual(16);
    expect(detail).toMatchObject({ status: 'open', assignee: null, caseId: null, decisions: [], notes: [] });
  });
});

describe('evidence', () => {
  it('explains a device-farm case: the shared-device reason with the values its rules read, the device and its other applicants, and the ring', async () => {
    await signInAs('wang');
    const farm = db()
      .prepare(`SELECT l.application_id FROM labels l JOIN analysis_applications s ON s.application_id = l.application_id
                 WHERE l.pattern = 'device_farm' AND s.ring_id IS NOT NULL ORDER BY s.score DESC LIMIT 1`)
      .pluck()
      .get() as string | undefined;
    expect(farm).toBeDefined();
    const evidence = await ok<CaseEvidence>('getCaseEvidence', { applicationId: farm ?? '' });
    expect(evidence.scored).toBe(true);
    expect(evidence.history.at(-1)?.score).toBe(evidence.score);
    const shared = evidence.reasons.find((reason) => reason.code === 'DEVICE_SHARED_APPLICANTS');
    expect(shared?.points).toBeGreaterThan(0);
    expect(shared?.detail['zh-CN']).toMatch(/[\u4e00-\u9fff]/);
    expect(shared?.features.length).toBeGreaterThan(0);
    expect(evidence.devices.some((device) => device.applicants > 2 && device.others.length > 0)).toBe(true);
    expect(evidence.ring?.members.filter((member) => member.current)).toHaveLength(1);
    expect(evidence.ring?.members.length).toBeGreaterThan(2);
    expect(evidence.ring?.shared.map((link) => link.kind)).toContain('device');
    // Other applicants appear masked only.
    const names = db().prepare('SELECT name FROM applicants').pluck().all() as string[];
    const text = JSON.stringify(evidence);
    expect(names.filter((name) => name.length > 1 && text.includes(`"${name}"`))).toEqual([]);
    expect(await call('getCaseEvidence', { applicationId: 'NO-SUCH' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('shows the behaviour measures against the population and the provident fund history', async () => {
    const withPf = db()
      .prepare(`SELECT a.id FROM applications a JOIN pf_records p ON p.applicant_id = a.applicant_id JOIN analysis_sessions s ON s.application_id = a.id
                 WHERE json_array_length(json_extract(p.raw, '$.history')) > 3 LIMIT 1`)
      .pluck()
      .get() as string;
    const evidence = await ok<CaseEvidence>('getCaseEvidence', { applicationId: withPf });
    expect(evidence.pf[0]?.history.length).toBeGreaterThan(3);
    expect(evidence.sessions.length).toBeGreaterThan(0);
    expect(evidence.sessions[0]?.measures.map((measure) => measure.name)).toContain('keyIntervalMean');
    expect(evidence.baseline?.['keyIntervalMean']?.median).toBeGreaterThan(0);
  });
});

describe('holding a case', () => {
  it('claims a case for the investigator, refuses a second claimant, lets a team lead reassign, and audits each step', async () => {
    await signInAs('wang');
    const applicationId = (await ok<QueuePage>('listQueue', { filter: {}, offset: 10, limit: 1 })).rows[0]?.applicationId ?? '';
    const claimed = await ok<CaseDetail>('claimCase', { applicationId });
    expect(claimed).toMatchObject({ status: 'in_progress', assignee: { displayName: '王调查' }, can: { claim: false, release: true, decide: true } });

    await signInAs('zhao');
    expect(await call('claimCase', { applicationId })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await call('decideCase', { applicationId, outcome: 'approve' })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await call('assignCase', { applicationId, assigneeId: services.session.requireUser().id })).toMatchObject({ ok: false, error: { code: 'forbidden_role' } });

    await signInAs('chen');
    const zhao = (await ok<Array<{ id: string; displayName: string }>>('listAssignees', {})).find((user) => user.displayName === '赵调查');
    const reassigned = await ok<CaseDetail>('assignCase', { applicationId, assigneeId: zhao?.id ?? '' });
    expect(reassigned.assignee?.displayName).toBe('赵调查');
    expect(auditFor(`case:${applicationId}`).map((entry) => entry.action)).toEqual(['case.claim', 'case.assign']);

    const mine = await (async () => {
      await signInAs('zhao');
      return ok<QueuePage>('listQueue', { filter: { assignee: 'me' }, offset: 0, limit: 50 });
    })();
    expect(mine.rows.map((row) => row.applicationId)).toEqual([applicationId]);
  });
});

describe('deciding', () => {
  it('refuses a rejection without reason codes and a code outside the catalogue', async () => {
    await signInAs('wang');
    const applicationId = (await ok<QueuePage>('listQueue', { filter: {}, offset: 20, limit: 1 })).rows[0]?.applicationId ?? '';
    expect(await call('decideCase', { applicationId, outcome: 'reject', reasonCodes: [] })).toMatchObject({ ok: false, error: { code: 'invalid_input', where: 'reasonCodes' } });
    expect(await call('decideCase', { applicationId, outcome: 'reject', reasonCodes: ['NOT_A_CODE'] })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await call('decideCase', { applicationId, outcome: 'escalate', reasonCodes: [] })).toMatchObject({ ok: false, error: { code: 'invalid_input', where: 'comment' } });
    expect(auditFor(`case:${applicationId}`)).toEqual([]);
  });

  it('rejects below the review threshold at once: the case leaves the queue and the decision and its audit entry are stored together', async () => {
    await signInAs('admin');
    services.session.store().db.transaction(() => createSettingsRepository(db()).set(REVIEW_THRESHOLD_SETTING, 1001, null))();
    await signInAs('wang');
    const before = await ok<QueuePage>('listQueue', { filter: {}, offset: 0, limit: 500 });
    const applicationId = before.rows[25]?.applicationId ?? '';
    const decided = await ok<CaseDetail>('decideCase', { applicationId, outcome: 'reject', reasonCodes: ['DEVICE_SHARED_APPLICANTS', 'RING_MEMBER'], comment: 'same phone as 4 others' });
    expect(decided).toMatchObject({ status: 'decided', decisions: [{ outcome: 'reject', effective: true, requiresReview: false, reasonCodes: ['DEVICE_SHARED_APPLICANTS', 'RING_MEMBER'] }] });

    const after = await ok<QueuePage>('listQueue', { filter: {}, offset: 0, limit: 500 });
    expect(after.total).toBe(before.total - 1);
    expect(after.rows.map((row) => row.applicationId)).not.toContain(applicationId);
    const decidedOnly = await ok<QueuePage>('listQueue', { filter: { statuses: ['decided'] }, offset: 0, limit: 500 });
    expect(decidedOnly.rows.map((row) => row.applicationId)).toContain(applicationId);

    const [entry] = auditFor(`case:${applicationId}`);
    expect(entry).toMatchObject({ action: 'case.decide', after: { outcome: 'reject', reasonCodes: ['DEVICE_SHARED_APPLICANTS', 'RING_MEMBER'], requiresReview: false, status: 'decided' } });
    expect(await call('decideCase', { applicationId, outcome: 'approve' })).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });

  it('sends a rejection at or above the threshold to a team lead, who cannot be the decider, and counts it only after sign-off', async () => {
    await signInAs('admin');
    services.session.store().db.transaction(() => createSettingsRepository(db()).set(REVIEW_THRESHOLD_SETTING, 600, null))();
    await signInAs('chen');
    const scored = await ok<QueuePage>('listQueue', { filter: { bands: ['high', 'critical'] }, offset: 0, limit: 1 });
    const target = scored.rows[0];
    expect(target?.score).toBeGreaterThanOrEqual(600);
    const applicationId = target?.applicationId ?? '';
    const pending = await ok<CaseDetail>('decideCase', { applicationId, outcome: 'reject', reasonCodes: ['PF_RECENT_START'] });
    expect(pending).toMatchObject({ status: 'pending_review', decisions: [{ effective: false, requiresReview: true, review: { status: 'pending' } }] });
    const decisionId = pending.decisions[0]?.id ?? '';
    // Waiting for sign-off, it leaves the investigators' queue and shows in the leads' review list.
    expect((await ok<QueuePage>('listQueue', { filter: {}, offset: 0, limit: 500 })).rows.map((row) => row.applicationId)).not.toContain(applicationId);
    expect((await ok<Array<{ decisionId: string }>>('listPendingReviews', {})).map((item) => item.decisionId)).toContain(decisionId);
    expect(await call('reviewDecision', { decisionId, verdict: 'signed_off' })).toMatchObject({ ok: false, error: { code: 'forbidden_role' } });

    await signInAs('admin');
    expect(await call('reviewDecision', { decisionId, verdict: 'sent_back' })).toMatchObject({ ok: false, error: { code: 'invalid_input', where: 'comment' } });
    const signed = await ok<CaseDetail>('reviewDecision', { decisionId, verdict: 'signed_off', comment: 'PF history started 2 months before' });
    expect(signed).toMatchObject({ status: 'decided', decisions: [{ effective: true, review: { status: 'signed_off', reviewer: { displayName: '管理员' } } }] });
    expect(auditFor(`case:${applicationId}`).map((entry) => entry.action)).toEqual(['case.decide', 'case.review']);
    expect(await call('reviewDecision', { decisionId, verdict: 'signed_off' })).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });

  it('returns a rejection sent back by the lead to the investigator who made it', async () => {
    await signInAs('wang');
    const target = (await ok<QueuePage>('listQueue', { filter: { bands: ['high', 'critical'] }, offset: 0, limit: 1 })).rows[0];
    const applicationId = target?.applicationId ?? '';
    const pending = await ok<CaseDetail>('decideCase', { applicationId, outcome: 'reject', reasonCodes: ['DEVICE_SHARED_APPLICANTS'] });
    await signInAs('chen');
    const back = await ok<CaseDetail>('reviewDecision', { decisionId: pending.decisions[0]?.id ?? '', verdict: 'sent_back', comment: 'family device, check the contacts' });
    expect(back).toMatchObject({ status: 'in_progress', assignee: { displayName: '王调查' }, decisions: [{ effective: false, review: { status: 'sent_back' } }] });
    await signInAs('wang');
    expect((await ok<QueuePage>('listQueue', { filter: { assignee: 'me' }, offset: 0, limit: 50 })).rows.map((row) => row.applicationId)).toContain(applicationId);
    const approved = await ok<CaseDetail>('decideCase', { applicationId, outcome: 'approve' });
    expect(approved).toMatchObject({ status: 'decided' });
    expect(approved.decisions.map((decision) => [decision.outcome, decision.effective])).toEqual([['reject', false], ['approve', true]]);
  });

  it('does not let a trainer decide', async () => {
    await signInAs('sun');
    const applicationId = (await ok<QueuePage>('listQueue', { filter: {}, offset: 0, limit: 1 })).rows[0]?.applicationId ?? '';
    expect(await call('decideCase', { applicationId, outcome: 'approve' })).toMatchObject({ ok: false, error: { code: 'forbidden_role' } });
    expect((await ok<CaseDetail>('getCase', { applicationId })).can).toMatchObject({ decide: false, claim: false, annotate: false });
  });
});

describe('notes and evidence', () => {
  it('stores notes and files inside the store with their sha256, and audits that they were added, not what they say', async () => {
    await signInAs('wang');
    const applicationId = (await ok<QueuePage>('listQueue', { filter: {}, offset: 40, limit: 1 })).rows[0]?.applicationId ?? '';
    await ok('addCaseNote', { applicationId, format: 'markdown', body: '**Called** the applicant: 13812345678 does not answer' });
    const bytes = Buffer.from('%PDF-1.4 fake statement\n');
    const attachment = await ok<{ id: string; sha256: string; sizeBytes: number }>('addCaseAttachment', {
      applicationId,
      fileName: '../../etc/bank statement.pdf',
      mediaType: 'application/pdf',
      contentBase64: bytes.toString('base64'),
    });
    expect(attachment).toMatchObject({ sizeBytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
    const fetched = await ok<{ fileName: string; contentBase64: string }>('getCaseAttachment', { attachmentId: attachment.id });
    expect(fetched.fileName).toBe('bank statement.pdf');
    expect(Buffer.from(fetched.contentBase64, 'base64').equals(bytes)).toBe(true);
    const detail = await ok<CaseDetail>('getCase', { applicationId });
    expect(detail.notes).toMatchObject([{ format: 'markdown', author: { displayName: '王调查' } }]);
    expect(detail.attachments).toHaveLength(1);
    const audit = JSON.stringify(auditFor(`case:${applicationId}`));
    expect(audit).toContain('case.note');
    expect(audit).toContain(attachment.sha256);
    expect(audit).not.toContain('13812345678');
  });
});

describe('desk settings', () => {
  it('lets a team lead change the four-eyes threshold and the SLA, audited, and nobody else', async () => {
    await signInAs('wang');
    expect(await call('setCaseSettings', { reviewThreshold: 500 })).toMatchObject({ ok: false, error: { code: 'forbidden_role' } });
    await signInAs('chen');
    const before = await ok<{ reviewThreshold: number; slaHours: number }>('getCaseSettings', {});
    expect(await ok('setCaseSettings', { reviewThreshold: 820, slaHours: 48 })).toEqual({ reviewThreshold: 820, slaHours: 48 });
    expect(await call('setCaseSettings', { slaHours: 0 })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    await signInAs('wang');
    expect(await ok('getCaseSettings', {})).toEqual({ reviewThreshold: 820, slaHours: 48 });
    const detail = await ok<CaseDetail>('getCase', { applicationId: (await ok<QueuePage>('listQueue', { filter: {}, offset: 0, limit: 1 })).rows[0]?.applicationId ?? '' });
    expect(detail.reviewThreshold).toBe(820);
    const [entry] = auditFor('setting:cases');
    expect(entry).toMatchObject({ action: 'settings.update', before, after: { reviewThreshold: 820, slaHours: 48 } });
  });
});

describe('after a restart', () => {
  it('finds decisions, reviews and notes again after the store is locked and unlocked', async () => {
    await signInAs('wang');
    const decided = await ok<QueuePage>('listQueue', { filter: { statuses: ['decided'] }, offset: 0, limit: 10 });
    expect(decided.total).toBeGreaterThan(0);
    services.session.lock('user');
    await signInAs('wang');
    const again = await ok<QueuePage>('listQueue', { filter: { statuses: ['decided'] }, offset: 0, limit: 10 });
    expect(again.rows.map((row) => row.applicationId)).toEqual(decided.rows.map((row) => row.applicationId));
  });
});
