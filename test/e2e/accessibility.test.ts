// axe-core finds no serious or critical accessibility violation on any page of the desk, in the light
// theme (English) and the dark theme (Chinese): real store, generated and analysed data.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestHost, type TestHost } from '../support/host.js';
import { INVESTIGATOR, TEAM_LEAD, preparedDeskDataDir, unlockThroughUi, waitForQueueRows } from './support/desk.js';

let host: TestHost | undefined;
const folders: string[] = [];
afterEach(async () => {
  await host?.close();
  host = undefined;
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
});

/** Serious and critical violations on the page as it is now, as readable lines (empty when clean). */
async function violations(page: Page, where: string): Promise<string[]> {
  // Charts settle (recharts measures, cytoscape lays out) before axe reads colours and names.
  await page.waitForTimeout(300);
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  return result.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${where}: ${violation.id} (${violation.impact}) ${violation.nodes.slice(0, 3).map((node) => node.target.join(' ')).join(' | ')}`);
}

async function go(page: Page, hash: string, ready: string): Promise<void> {
  await page.evaluate(`window.location.hash = ${JSON.stringify(hash)}`);
  await page.locator(ready).first().waitFor();
}

function caseOf(target: TestHost, pattern: string): string {
  return target.runtime.services.session
    .store()
    .db.prepare(`SELECT l.application_id FROM labels l JOIN analysis_applications s ON s.application_id = l.application_id WHERE l.pattern = ? ORDER BY s.score DESC LIMIT 1`)
    .pluck()
    .get(pattern) as string;
}

/** Visits every page and dialog, collecting what axe finds on each. */
async function auditEveryPage(target: TestHost): Promise<string[]> {
  const { page } = target;
  const found: string[] = [];
  await page.getByTestId('unlock').waitFor();
  found.push(...(await violations(page, 'unlock')));
  await unlockThroughUi(page, INVESTIGATOR.username);
  await waitForQueueRows(page);
  found.push(...(await violations(page, 'queue')));
  await page.keyboard.press('?');
  await page.getByTestId('shortcuts-help').waitFor();
  found.push(...(await violations(page, 'shortcuts dialog')));
  await page.keyboard.press('Escape');

  await go(page, `#/cases/${caseOf(target, 'device_farm')}`, '[data-testid=timeline-svg]');
  await page.locator('[data-testid=reason] button').first().click();
  found.push(...(await violations(page, 'case: timeline')));
  for (const tab of ['device', 'behaviour', 'links', 'notes'] as const) {
    await page.getByTestId(`tab-${tab}`).click();
    await page.locator(`#panel-${tab}`).waitFor();
    found.push(...(await violations(page, `case: ${tab}`)));
  }
  await page.getByTestId('decision-reject').check();
  found.push(...(await violations(page, 'case: decision form')));
  await page.getByTestId('reveal-id_number').click();
  await page.getByTestId('reveal-dialog').waitFor();
  found.push(...(await violations(page, 'reveal dialog')));
  await page.keyboard.press('Escape');
  await go(page, `#/cases/${caseOf(target, 'pf_fabrication')}`, '[data-testid=timeline-svg]');
  await page.getByTestId('tab-pf').click();
  await page.getByTestId('pf-panel').waitFor();
  found.push(...(await violations(page, 'case: pf & identity')));

  await go(page, '#/cases', '[data-testid=queue-total]');
  found.push(...(await violations(page, 'my cases')));
  await go(page, '#/import', '[data-testid=import-page]');
  await page.getByTestId('import-file-input').setInputFiles({
    name: 'export.jsonl',
    mimeType: 'application/json',
    buffer: Buffer.from('{"type":"applicant","id":"AX-1","name":"李娜","id_number":"110105199003072316","phone":"13912345678"}\n{"type":"applicant","id":"AX-2"}\n'),
  });
  await page.getByTestId('import-summary').waitFor();
  found.push(...(await violations(page, 'import summary')));
  for (const route of ['settings', 'appeals', 'training', 'dashboards'] as const) {
    await go(page, `#/${route}`, '#page-title');
    found.push(...(await violations(page, route)));
  }
  await page.getByTestId('lock-button').click();
  await unlockThroughUi(page, TEAM_LEAD.username);
  await go(page, '#/review', '[data-testid=review-page]');
  found.push(...(await violations(page, 'review')));
  return found;
}

describe('accessibility', () => {
  it('has no serious or critical axe violation on the first-run screen', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'vigil-axe-first-'));
    folders.push(empty);
    host = await startTestHost({ dataDir: empty, locale: 'zh-CN' });
    await host.open();
    await host.page.getByTestId('first-run').waitFor();
    const found = await violations(host.page, 'first run');
    await host.page.getByTestId('first-run-submit').click();
    found.push(...(await violations(host.page, 'first run with field problems')));
    expect(found).toEqual([]);
  });

  it('has no serious or critical axe violation on any page in the light theme (English)', async () => {
    const dataDir = await preparedDeskDataDir();
    folders.push(dataDir);
    host = await startTestHost({ dataDir, locale: 'en-US' });
    await host.open();
    expect(await auditEveryPage(host)).toEqual([]);
  });

  it('has no serious or critical axe violation on any page in the dark theme (Chinese)', async () => {
    const dataDir = await preparedDeskDataDir();
    folders.push(dataDir);
    writeFileSync(join(dataDir, 'preferences.json'), JSON.stringify({ language: 'zh-CN', theme: 'dark' }));
    host = await startTestHost({ dataDir, locale: 'zh-CN', colorScheme: 'dark' });
    await host.open();
    expect(await auditEveryPage(host)).toEqual([]);
  });
});
