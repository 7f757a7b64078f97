// Import in the window with main's own file dialog. Chromium has no Electron dialog, so the test host
// hands the runtime a stand-in chooser that returns real generated files: everything after the OS
// dialog (selection id, import, progress events, summary) is the production path.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { generatePopulation } from '../../main/generator/population.js';
import type { ChooseFiles } from '../../main/services/fileChoice.js';
import { startTestHost, type TestHost } from '../support/host.js';
import { closeTestHost } from './support/teardown.js';
import { createSignedInStore } from './support/desk.js';

let host: TestHost | undefined;
const folders: string[] = [];
afterEach(async () => {
  await closeTestHost(host, folders.splice(0));
  host = undefined;
});

/** A generated population as a real JSONL file, and a small export with one line the format rejects. */
function exportFiles(): { population: string; records: number; small: string } {
  const folder = mkdtempSync(join(tmpdir(), 'vigil-e2e-chosen-'));
  folders.push(folder);
  const lines: string[] = [];
  for (const item of generatePopulation({ applicants: 120, seed: 'e2e-import-dialog' })) if (item.kind === 'record') lines.push(JSON.stringify(item.record));
  const population = join(folder, 'platform-export.jsonl');
  writeFileSync(population, `${lines.join('\n')}\n`);
  const small = join(folder, 'late-additions.jsonl');
  writeFileSync(
    small,
    [
      '{"type":"applicant","id":"E2E-DLG-P1","name":"周晓明","id_number":"110105199003072316","phone":"13912345678"}',
      '{"type":"applicant","id":"E2E-DLG-P2"}',
    ].join('\n'),
  );
  return { population, records: lines.length, small };
}

async function signedInHost(chooseFiles: ChooseFiles, locale?: 'zh-CN' | 'en'): Promise<TestHost> {
  const target = await startTestHost(locale === undefined ? { chooseFiles } : { chooseFiles, locale });
  host = target;
  await createSignedInStore(target);
  await target.open();
  await target.page.getByTestId('nav-import').click();
  await target.page.getByTestId('import-page').waitFor();
  return target;
}

describe('import with the native file dialog', () => {
  it('imports the files chosen in the dialog, shows their names while it runs, then the counts', async () => {
    const files = exportFiles();
    const target = await signedInHost(() => Promise.resolve([files.population, files.small]));
    const { page } = target;
    // A native dialog replaces the file input; the help text drops the size limit for chosen files.
    expect(await page.getByTestId('import-file-input').count()).toBe(0);
    expect(await page.locator('.drop-zone .help').textContent()).toContain('any size');

    // Record what the progress panel showed: it may come and go between two polls.
    await page.evaluate(() => {
      const seen: string[] = [];
      (globalThis as unknown as { __progressSeen: string[] }).__progressSeen = seen;
      new MutationObserver(() => {
        const panel = document.querySelector('[data-testid=import-progress] h2');
        if (panel?.textContent && !seen.includes(panel.textContent)) seen.push(panel.textContent);
      }).observe(document.body, { childList: true, subtree: true, characterData: true });
    });
    await page.getByTestId('import-choose').click();
    const summary = page.getByTestId('import-summary');
    await summary.waitFor();

    expect(await summary.getAttribute('data-status')).toBe('completed');
    const seen = await page.evaluate(() => (globalThis as unknown as { __progressSeen: string[] }).__progressSeen);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatch(/^Importing platform-export\.jsonl \([\d.]+ [KM]B\), late-additions\.jsonl \(\d+ B\)$/);
    const total = page.locator('.import-summary .total-row td').first();
    expect(Number((await total.textContent())?.replace(/,/g, ''))).toBe(files.records + 1);
    expect(await page.getByTestId('import-count-applicant').locator('td').first().textContent()).toBe('121');
    expect(await page.getByTestId('import-rejected').textContent()).toBe('late-additions.jsonl:2 applicant.name: is required');
    // The rejected-lines report names the file, never its folder.
    const report = target.runtime.services.importer.report();
    expect(report.files).toEqual(['platform-export.jsonl', 'late-additions.jsonl']);
  });

  it('does nothing when the person cancels the dialog, and the button works again', async () => {
    let answers: string[][] = [[]];
    let asked = 0;
    const files = exportFiles();
    const target = await signedInHost(() => {
      asked += 1;
      return Promise.resolve(answers.shift() ?? []);
    });
    const { page } = target;
    await page.getByTestId('import-choose').click();
    await expect.poll(() => asked).toBe(1);
    await expect.poll(() => page.getByTestId('import-choose').textContent()).toBe('Choose files…');
    await expect.poll(() => page.getByTestId('import-choose').isEnabled()).toBe(true);
    expect(await page.getByTestId('import-summary').count()).toBe(0);
    expect(await page.locator('[role=alert]').count()).toBe(0);

    answers = [[files.small]];
    await page.getByTestId('import-choose').click();
    await page.getByTestId('import-summary').waitFor();
    expect(await page.getByTestId('import-count-applicant').locator('td').first().textContent()).toBe('1');
  });

  it('still imports dropped files by content next to the native dialog', async () => {
    const target = await signedInHost(() => Promise.resolve([]));
    const { page } = target;
    const line = '{"type":"applicant","id":"E2E-DROP-P1","name":"周晓明","id_number":"110105199003072316","phone":"13912345678"}';
    const transfer = await page.evaluateHandle((text) => {
      const data = new DataTransfer();
      data.items.add(new File([text], 'dropped.jsonl', { type: 'application/json' }));
      return data;
    }, line);
    await page.getByTestId('import-drop-zone').dispatchEvent('drop', { dataTransfer: transfer });
    await page.getByTestId('import-summary').waitFor();
    expect(await page.getByTestId('import-count-applicant').locator('td').first().textContent()).toBe('1');
    expect(target.runtime.services.importer.report().files).toEqual(['dropped.jsonl']);
  });

  it('rejects a dropped line that is not UTF-8 by file and line, and imports the rest', async () => {
    const target = await signedInHost(() => Promise.resolve([]));
    const { page } = target;
    const good = '{"type":"applicant","id":"E2E-GBK-P1","name":"周晓明","id_number":"110105199003072316","phone":"13912345678"}';
    const transfer = await page.evaluateHandle((text) => {
      const gbk = new Uint8Array([0xd5, 0xc5]);
      const data = new DataTransfer();
      data.items.add(new File([`${text}\n{"type":"applicant","id":"E2E-GBK-P2","name":"`, gbk, '","id_number":"110105199003072316","phone":"13912345679"}\n'], 'gbk.jsonl', { type: 'application/json' }));
      return data;
    }, good);
    await page.getByTestId('import-drop-zone').dispatchEvent('drop', { dataTransfer: transfer });
    await page.getByTestId('import-summary').waitFor();
    expect(await page.getByTestId('import-count-applicant').locator('td').first().textContent()).toBe('1');
    expect(await page.getByTestId('import-rejected').textContent()).toContain('gbk.jsonl:2 record: not valid UTF-8');
  });

  it('gives the reason of a rejected line in Chinese in a Chinese window, the field and the file as they are', async () => {
    const target = await signedInHost(() => Promise.resolve([]), 'zh-CN');
    const { page } = target;
    const lines = ['{"type":"applicant","id":"E2E-ZH-P1","name":"周晓明","id_number":"110105199003072316","phone":"13912345678"}', '{"type":"applicant","id":"E2E-ZH-P2","name":"周晓红","id_number":"110105199003072316"}'];
    const transfer = await page.evaluateHandle((text) => {
      const data = new DataTransfer();
      data.items.add(new File([text], 'late.jsonl', { type: 'application/json' }));
      return data;
    }, lines.join('\n'));
    await page.getByTestId('import-drop-zone').dispatchEvent('drop', { dataTransfer: transfer });
    await page.getByTestId('import-summary').waitFor();
    expect(await page.getByTestId('import-rejected').textContent()).toBe('late.jsonl:2 applicant.phone：缺少此必填字段');
  });
});
