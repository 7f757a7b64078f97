// The queue with the keyboard, search and claim; notes and evidence on a case; import from the window.
import { afterEach, describe, expect, it } from 'vitest';
import { startTestHost, type TestHost } from '../support/host.js';
import { closeTestHost } from './support/teardown.js';
import { INVESTIGATOR, preparedDeskDataDir, unlockThroughUi, waitForQueueRows } from './support/desk.js';

let host: TestHost | undefined;
let dataDir: string | undefined;
afterEach(async () => {
  await closeTestHost(host, [dataDir]);
  host = undefined;
  dataDir = undefined;
});

async function signedIn(): Promise<TestHost> {
  dataDir = await preparedDeskDataDir();
  host = await startTestHost({ dataDir, locale: 'en-US' });
  await host.open();
  await unlockThroughUi(host.page, INVESTIGATOR.username);
  await waitForQueueRows(host.page);
  return host;
}

const selectedId = (target: TestHost): Promise<string | null> => target.page.locator('[data-testid=queue-row][aria-selected=true]').getAttribute('data-application-id');

describe('queue', () => {
  it('moves with j and k, opens with Enter, returns with u to the same place, and claims with c', async () => {
    const target = await signedIn();
    const { page } = target;
    const ids = await page.locator('[data-testid=queue-row][data-application-id]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-application-id')));
    expect(await selectedId(target)).toBe(ids[0]);
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    await page.keyboard.press('k');
    await expect.poll(() => selectedId(target)).toBe(ids[2]);

    await page.keyboard.press('Enter');
    await page.getByTestId('case-page').waitFor();
    expect(await page.getByTestId('case-page').getAttribute('data-application-id')).toBe(ids[2]);
    await page.keyboard.press('3');
    await expect.poll(() => page.getByTestId('tab-behaviour').getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('u');
    await waitForQueueRows(page);
    await expect.poll(() => selectedId(target)).toBe(ids[2]);

    await page.keyboard.press('c');
    await expect.poll(() => page.locator(`[data-testid=queue-row][data-application-id="${ids[2]}"] .assignee-cell`).textContent()).toBe(INVESTIGATOR.displayName);
    await page.getByTestId('nav-cases').click();
    await waitForQueueRows(page);
    expect(await page.locator('[data-testid=queue-row][data-application-id]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-application-id')))).toEqual([ids[2]]);
  });

  it('searches by the clear ID number after /, shows only masked values, and counts every filter', async () => {
    const target = await signedIn();
    const { page } = target;
    const db = target.runtime.services.session.store().db;
    const someId = await page.locator('[data-testid=queue-row][data-application-id]').nth(4).getAttribute('data-application-id');
    const clear = db.prepare('SELECT p.id_number, p.name FROM applicants p JOIN applications a ON a.applicant_id = p.id WHERE a.id = ?').get(someId) as { id_number: string; name: string };

    await page.keyboard.press('/');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('queue-search');
    await page.keyboard.type(clear.id_number);
    await expect.poll(() => page.getByTestId('queue-total').textContent()).toBe('1 cases');
    expect(await page.locator('[data-testid=queue-row]').first().getAttribute('data-application-id')).toBe(someId);
    const text = (await page.getByTestId('queue-list').textContent()) ?? '';
    expect(text).not.toContain(clear.id_number);
    expect(text).not.toContain(clear.name);

    await page.getByTestId('queue-search').fill('');
    await waitForQueueRows(page);
    // The band counts say how many cases each choice would show.
    const critical = Number(await page.getByTestId('filter-band-critical').locator('xpath=..').locator('.facet-count').textContent());
    await page.getByTestId('filter-band-critical').check();
    await expect.poll(async () => Number((await page.getByTestId('queue-total').textContent())?.replace(/\D/g, ''))).toBe(critical);
  });

  it('keeps notes (Markdown rendered as text, never markup) and encrypted evidence on a case', async () => {
    const target = await signedIn();
    const { page } = target;
    await page.keyboard.press('Enter');
    await page.getByTestId('case-page').waitFor();
    const applicationId = (await page.getByTestId('case-page').getAttribute('data-application-id')) ?? '';
    await page.keyboard.press('n');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('note-body');
    await page.getByTestId('note-body').fill('**Checked** the card\n- BIN matches\n<img src=x onerror=alert(1)>');
    await page.getByLabel('Format as Markdown (**bold**, lists)').check();
    await page.getByTestId('note-submit').click();
    const note = page.getByTestId('note').first();
    await note.waitFor();
    expect(await note.locator('.markdown strong').textContent()).toBe('Checked');
    expect(await note.locator('.markdown li').textContent()).toBe('BIN matches');
    expect(await note.locator('img').count()).toBe(0);
    expect(await note.textContent()).toContain('<img src=x onerror=alert(1)>');

    await page.getByTestId('attach-file').setInputFiles({ name: 'statement.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4 the statement') });
    await page.getByTestId('attachment').first().waitFor();
    const stored = target.runtime.services.session
      .store()
      .db.prepare('SELECT a.file_name, a.size_bytes FROM case_attachments a JOIN cases c ON c.id = a.case_id WHERE c.application_id = ?')
      .get(applicationId);
    expect(stored).toEqual({ file_name: 'statement.pdf', size_bytes: 22 });
    const download = page.waitForEvent('download');
    await page.getByTestId('attachment').first().getByRole('button').click();
    expect((await download).suggestedFilename()).toBe('statement.pdf');
  });

  it('imports a file chosen in the window and offers the rejected lines as a report', async () => {
    const target = await signedIn();
    const { page } = target;
    await page.getByTestId('nav-import').click();
    const lines = [
      '{"type":"applicant","id":"E2E-P1","name":"周晓明","id_number":"110105199003072316","phone":"13912345678"}',
      '{"type":"application","id":"E2E-A1","applicant_id":"E2E-P1","submitted_at":"2026-03-14T09:26:53+08:00","platform_decision":"review"}',
      '{"type":"applicant","id":"E2E-P2"}',
    ];
    await page.getByTestId('import-file-input').setInputFiles({ name: 'export.jsonl', mimeType: 'application/json', buffer: Buffer.from(lines.join('\n')) });
    const summary = page.getByTestId('import-summary');
    await summary.waitFor();
    expect(await summary.getAttribute('data-status')).toBe('completed');
    expect(await page.getByTestId('import-count-applicant').textContent()).toContain('1');
    expect(await page.getByTestId('import-rejected').textContent()).toContain('export.jsonl:3');
    const download = page.waitForEvent('download');
    await page.getByTestId('import-report').click();
    expect((await download).suggestedFilename()).toMatch(/^vigil-import-\d+-rejected\.txt$/);
    // The imported application is on the desk: flagged by the platform.
    await page.getByTestId('nav-queue').click();
    await page.getByTestId('queue-search').fill('110105199003072316');
    await expect.poll(() => page.getByTestId('queue-total').textContent()).toBe('1 cases');
  });
});
