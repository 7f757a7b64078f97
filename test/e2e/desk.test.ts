// The must-show flow of issue 6 in Chromium over a real store with a generated, analysed population:
// unlock -> filter the queue -> open a device-farm case -> see the shared-device reason and the ring ->
// reveal an ID number with a reason (audited) -> reject with reason codes -> the case leaves the queue,
// and the decision and its audit entry are in the store after the runtime is closed and reopened.
import { afterEach, describe, expect, it } from 'vitest';
import { launchBrowserHost } from '../../main/host/browserHost.js';
import { auditEntryFromRow, type AuditRow } from '../../main/store/audit.js';
import { startTestHost, type TestHost } from '../support/host.js';
import { closeTestHost } from './support/teardown.js';
import { E2E_PASSPHRASE, INVESTIGATOR, preparedDeskDataDir, unlockThroughUi, waitForQueueRows } from './support/desk.js';

let host: TestHost | undefined;
let dataDir: string | undefined;
afterEach(async () => {
  await closeTestHost(host, [dataDir]);
  host = undefined;
  dataDir = undefined;
});

describe('the investigator desk, end to end', () => {
  it('takes a device-farm case from the queue to an audited rejection that survives a restart', async () => {
    dataDir = await preparedDeskDataDir();
    host = await startTestHost({ dataDir, locale: 'en-US' });
    await host.open();
    const { page } = host;
    const db = () => host?.runtime.services.session.store().db ?? (() => { throw new Error('locked'); })();

    // Unlock as the investigator.
    await unlockThroughUi(page, INVESTIGATOR.username);
    await expect.poll(() => page.getByTestId('signed-in-role').textContent()).toBe('Investigator');
    await waitForQueueRows(page);
    const totalBefore = Number((await page.getByTestId('queue-total').textContent())?.replace(/\D/g, ''));
    expect(totalBefore).toBeGreaterThan(50);

    // Filter: cases whose main reasons include the shared device.
    await page.getByTestId('filter-reason').selectOption('DEVICE_SHARED_APPLICANTS');
    await expect.poll(async () => Number((await page.getByTestId('queue-total').textContent())?.replace(/\D/g, ''))).toBeLessThan(totalBefore);
    await waitForQueueRows(page);
    const shown = await page.locator('[data-testid=queue-row][data-application-id]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-application-id') ?? ''));
    // Ground truth from the generator's labels (tests may read it; the engines never do).
    const farms = new Set(db().prepare(`SELECT application_id FROM labels WHERE pattern = 'device_farm'`).pluck().all() as string[]);
    const farmCase = shown.find((id) => farms.has(id));
    expect(farmCase).toBeDefined();
    const applicationId = farmCase ?? '';

    // Open it: the shared-device reason is there, with the data behind it.
    await page.locator(`[data-testid=queue-row][data-application-id="${applicationId}"]`).click();
    await page.getByTestId('case-page').waitFor();
    const reason = page.locator('[data-testid=reason][data-code=DEVICE_SHARED_APPLICANTS]');
    await reason.waitFor();
    await reason.getByRole('button').click();
    await expect.poll(() => reason.getByTestId('reason-evidence').textContent()).toMatch(/\d/);

    // The ring: a graph, and its members as links to their cases.
    await page.getByTestId('tab-links').click();
    await page.getByTestId('ring-graph').waitFor();
    const members = page.getByTestId('ring-member');
    await expect.poll(() => members.count()).toBeGreaterThan(2);
    expect(await page.getByTestId('ring-shared').textContent()).toMatch(/device/i);

    // Reveal the ID number with a reason: the clear value shows, and the reveal is audited.
    const applicantId = db().prepare('SELECT applicant_id FROM applications WHERE id = ?').pluck().get(applicationId) as string;
    const clearId = db().prepare('SELECT id_number FROM applicants WHERE id = ?').pluck().get(applicantId) as string;
    expect(await page.getByTestId('pii-id_number').textContent()).not.toContain(clearId);
    await page.getByTestId('reveal-id_number').click();
    await page.getByTestId('reveal-reason').fill('Compare with the ID card photo from the appeal');
    await page.getByTestId('reveal-submit').click();
    await expect.poll(() => page.getByTestId('pii-id_number').textContent()).toContain(clearId);
    const reveal = (db().prepare(`SELECT * FROM audit_log WHERE action = 'pii.reveal' AND target = ?`).all(`applicant:${applicantId}#id_number`) as AuditRow[]).map(auditEntryFromRow);
    expect(reveal).toHaveLength(1);
    expect(reveal[0]?.after).toMatchObject({ reason: 'Compare with the ID card photo from the appeal' });

    // Reject with reason codes.
    await page.getByTestId('decision-reject').check();
    await expect.poll(() => page.getByTestId('decision-submit').isDisabled()).toBe(true);
    await page.getByTestId('decision-code-DEVICE_SHARED_APPLICANTS').check();
    await page.getByTestId('decision-code-RING_MEMBER').check();
    await page.getByTestId('decision-comment').fill('One phone model and fingerprint across the ring; IDs pasted.');
    await page.getByTestId('decision-submit').click();
    await expect.poll(() => page.getByTestId('case-status').getAttribute('class')).toMatch(/status-(decided|pending_review)/);
    const status = (await page.getByTestId('case-status').getAttribute('class'))?.match(/status-(decided|pending_review)/)?.[1];

    // Back in the queue, the case is gone.
    await page.getByRole('link', { name: /Queue/ }).first().click();
    await waitForQueueRows(page);
    await page.getByTestId('filter-reset').click();
    await page.getByTestId('queue-search').fill(clearId);
    await expect.poll(() => page.getByTestId('queue-total').textContent()).toMatch(/^0 /);

    // Close everything, open the store again, and find the decision and its audit entry.
    await host.close();
    host = undefined;
    const reopened = await launchBrowserHost({ dataDir });
    try {
      await reopened.runtime.services.session.unlock({ username: INVESTIGATOR.username, passphrase: E2E_PASSPHRASE });
      const store = reopened.runtime.services.session.store().db;
      const decision = store.prepare(`SELECT d.outcome, d.reason_codes_json, d.effective, c.status FROM case_decisions d JOIN cases c ON c.id = d.case_id WHERE d.application_id = ?`).get(applicationId) as {
        outcome: string;
        reason_codes_json: string;
        effective: number;
        status: string;
      };
      expect(decision).toMatchObject({ outcome: 'reject', status });
      expect(JSON.parse(decision.reason_codes_json)).toEqual(['DEVICE_SHARED_APPLICANTS', 'RING_MEMBER']);
      const audit = (store.prepare(`SELECT * FROM audit_log WHERE action = 'case.decide' AND target = ?`).all(`case:${applicationId}`) as AuditRow[]).map(auditEntryFromRow);
      expect(audit).toHaveLength(1);
      expect(audit[0]?.after).toMatchObject({ outcome: 'reject', reasonCodes: ['DEVICE_SHARED_APPLICANTS', 'RING_MEMBER'] });
      // The audit chain still holds from the first entry to the decision.
      expect(reopened.runtime.services.audit.verify()).toMatchObject({ ok: true, firstBrokenEntry: null });
    } finally {
      await reopened.close();
    }
  });
});
