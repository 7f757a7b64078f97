// Screenshots of every page in zh-CN and en (light), and the desk in the dark theme, saved to
// test-output/screenshots/ (git-ignored) for people to look at. Real store, generated and analysed data.
// A script, not a test (it only takes pictures, and takes a minute): `npm run build` first, then
// `node --import tsx test/e2e/screenshots.ts`.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { startTestHost, type TestHost } from '../support/host.js';
import { INVESTIGATOR, TEAM_LEAD, preparedDeskDataDir, unlockThroughUi, waitForQueueRows } from './support/desk.js';

const OUT = fileURLToPath(new URL('../../test-output/screenshots/', import.meta.url));
let host: TestHost | undefined;
const folders: string[] = [];
async function cleanUp(): Promise<void> {
  await host?.close();
  host = undefined;
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
}

async function shot(page: Page, name: string, fullPage = false): Promise<void> {
  // Let charts lay out and fonts settle before the picture.
  await page.waitForTimeout(350);
  await page.screenshot({ path: join(OUT, `${name}.png`), fullPage });
}

async function go(page: Page, hash: string, ready: string): Promise<void> {
  await page.evaluate(`window.location.hash = ${JSON.stringify(hash)}`);
  await page.locator(ready).first().waitFor();
}

/** A device-farm case with a ring, from the generator's labels (ground truth a test may read). */
function farmCase(target: TestHost): string {
  const db = target.runtime.services.session.store().db;
  return db
    .prepare(
      `SELECT l.application_id FROM labels l JOIN analysis_applications s ON s.application_id = l.application_id
        WHERE l.pattern = 'device_farm' AND s.ring_id IS NOT NULL ORDER BY s.score DESC LIMIT 1`,
    )
    .pluck()
    .get() as string;
}

/** The riskiest application of a fraud pattern, from the generator's labels. */
function patternCase(target: TestHost, pattern: string): string {
  const db = target.runtime.services.session.store().db;
  return db
    .prepare(`SELECT l.application_id FROM labels l JOIN analysis_applications s ON s.application_id = l.application_id WHERE l.pattern = ? ORDER BY s.score DESC LIMIT 1`)
    .pluck()
    .get(pattern) as string;
}

const SMALL_EXPORT = [
  '{"type":"applicant","id":"SHOT-P1","name":"周晓明","id_number":"110105199003072316","phone":"13912345678"}',
  '{"type":"application","id":"SHOT-A1","applicant_id":"SHOT-P1","submitted_at":"2026-03-14T09:26:53+08:00","platform_decision":"review"}',
  '{"type":"applicant","id":"SHOT-P2","name":"","id_number":"1101051990","phone":"139"}',
  '{"type":"event","id":"SHOT-E1","application_id":"SHOT-A1","ts":"not a time","kind":"login"}',
].join('\n');

async function everyPage(language: 'zh-CN' | 'en'): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  // First run, on an empty data folder.
  const empty = mkdtempSync(join(tmpdir(), 'vigil-shot-first-'));
  folders.push(empty);
  host = await startTestHost({ dataDir: empty, locale: language });
  await host.open();
  await host.page.getByTestId('first-run').waitFor();
  await shot(host.page, `${language}-01-first-run`);
  await host.close();

  const dataDir = await preparedDeskDataDir();
  folders.push(dataDir);
  host = await startTestHost({ dataDir, locale: language });
  await host.open();
  const { page } = host;
  await page.getByTestId('unlock').waitFor();
  await shot(page, `${language}-02-unlock`);
  await page.getByTestId('unlock-passphrase').fill('not the passphrase');
  await page.getByTestId('unlock-submit').click();
  await page.getByTestId('unlock-problem').waitFor();
  await shot(page, `${language}-03-unlock-wrong-passphrase`);

  await unlockThroughUi(page, INVESTIGATOR.username);
  await waitForQueueRows(page);
  await page.locator('#filter-reason option').nth(3).waitFor({ state: 'attached' });
  await shot(page, `${language}-04-queue`);
  await page.keyboard.press('j');
  await page.keyboard.press('j');
  await page.getByTestId('filter-band-critical').check();
  await waitForQueueRows(page);
  await shot(page, `${language}-05-queue-filtered`);
  await page.keyboard.press('?');
  await page.getByTestId('shortcuts-help').waitFor();
  await shot(page, `${language}-06-shortcuts`);
  await page.keyboard.press('Escape');
  await page.getByTestId('filter-reset').click();

  const applicationId = farmCase(host);
  await go(page, `#/cases/${applicationId}`, '[data-testid=timeline-svg]');
  await page.locator('[data-testid=reason]').first().getByRole('button').click();
  await shot(page, `${language}-07-case-timeline`);
  await page.locator('[data-testid=timeline-svg] .mark').nth(3).dispatchEvent('click');
  await shot(page, `${language}-08-case-timeline-event`);
  for (const [tab, name] of [
    ['device', '09-case-device'],
    ['behaviour', '10-case-behaviour'],
    ['links', '12-case-links'],
  ] as const) {
    await page.getByTestId(`tab-${tab}`).click();
    await page.locator(`[data-testid=${tab === 'links' ? 'ring-graph' : `${tab}-panel`}]`).waitFor();
    await shot(page, `${language}-${name}`, tab === 'device' || tab === 'behaviour');
  }
  // PF and identity on a PF-fabrication case (the farm case has no PF record).
  await go(page, `#/cases/${patternCase(host, 'pf_fabrication')}`, '[data-testid=timeline-svg]');
  await page.getByTestId('tab-pf').click();
  await page.getByTestId('pf-panel').waitFor();
  await shot(page, `${language}-11-case-pf-identity`);
  // One reason opened: the explanation an investigator reads out to an applicant who appeals.
  await page.locator('[data-testid=reason][data-code=PF_EMPLOYER_COHORT] button').click();
  await page.getByTestId('reason-evidence').scrollIntoViewIfNeeded();
  await shot(page, `${language}-11b-case-reason-open`);
  await go(page, `#/cases/${applicationId}`, '[data-testid=timeline-svg]');
  await page.getByTestId('reveal-id_number').click();
  await page.getByTestId('reveal-reason').fill(language === 'en' ? 'Compare with the ID card photo' : '与身份证照片核对');
  await shot(page, `${language}-13-reveal-dialog`);
  await page.getByTestId('reveal-submit').click();
  await page.getByTestId('reveal-dialog').waitFor({ state: 'detached' });
  await page.getByTestId('tab-notes').click();
  await page.getByTestId('note-body').fill(language === 'en' ? '**Device farm**: same phone model as 6 others\n- IDs pasted\n- SMS code in 2 s' : '**设备农场**：与另外 6 人同一设备\n- 身份证号为粘贴\n- 短信验证码 2 秒内填入');
  await page.getByLabel(language === 'en' ? 'Format as Markdown (**bold**, lists)' : '使用 Markdown 格式（**加粗**、列表）').check();
  await page.getByTestId('note-submit').click();
  await page.getByTestId('note').first().waitFor();
  await page.getByTestId('attach-file').setInputFiles({ name: 'bank-statement.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4 statement') });
  await page.getByTestId('attachment').first().waitFor();
  await page.getByTestId('decision-reject').check();
  await page.locator('[data-testid^=decision-code-]').first().check();
  await shot(page, `${language}-14-case-notes-decision`);
  await page.getByTestId('decision-submit').click();
  await page.getByTestId('decision-history').waitFor();
  await shot(page, `${language}-15-case-decided`);

  await go(page, '#/cases', '[data-testid=queue-total]');
  await shot(page, `${language}-16-my-cases`);
  await go(page, '#/import', '[data-testid=import-page]');
  await shot(page, `${language}-17-import`);
  await page.getByTestId('import-file-input').setInputFiles({ name: 'platform-export.jsonl', mimeType: 'application/json', buffer: Buffer.from(SMALL_EXPORT) });
  await page.getByTestId('import-summary').waitFor();
  await shot(page, `${language}-18-import-summary`);
  await go(page, '#/settings', '[data-testid=language-select]');
  await shot(page, `${language}-19-settings`);
  for (const [route, name] of [
    ['appeals', '20-appeals'],
    ['training', '21-training'],
    ['dashboards', '22-dashboards'],
  ] as const) {
    await go(page, `#/${route}`, '#page-title');
    await shot(page, `${language}-${name}`);
  }

  // The team lead's review list holds the rejection just made (when it needs four eyes).
  await page.getByTestId('lock-button').click();
  await unlockThroughUi(page, TEAM_LEAD.username);
  await go(page, '#/review', '[data-testid=review-page]');
  await shot(page, `${language}-23-review`);
  const violations = host.cspViolations();
  if (violations.length > 0) throw new Error(`the renderer broke its CSP: ${violations.join('; ')}`);
}

async function darkDesk(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const dataDir = await preparedDeskDataDir();
  folders.push(dataDir);
  writeFileSync(join(dataDir, 'preferences.json'), JSON.stringify({ language: 'zh-CN', theme: 'dark' }));
  host = await startTestHost({ dataDir, locale: 'zh-CN', colorScheme: 'dark' });
  await host.open();
  await unlockThroughUi(host.page, INVESTIGATOR.username);
  await waitForQueueRows(host.page);
  await shot(host.page, 'dark-zh-CN-queue');
  await go(host.page, `#/cases/${farmCase(host)}`, '[data-testid=timeline-svg]');
  await shot(host.page, 'dark-zh-CN-case');
  await host.page.getByTestId('tab-links').click();
  await host.page.getByTestId('ring-graph').waitFor();
  await shot(host.page, 'dark-zh-CN-links');
}

export async function takeScreenshots(): Promise<void> {
  for (const run of [() => everyPage('zh-CN'), () => everyPage('en'), darkDesk]) {
    try {
      await run();
    } finally {
      await cleanUp();
    }
  }
  console.log(`screenshots saved in ${OUT}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await takeScreenshots();
}
