import { afterEach, describe, expect, it } from 'vitest';
import { startTestHost, type TestHost } from '../support/host.js';
import { closeTestHost } from './support/teardown.js';
import { createSignedInStore } from './support/desk.js';
import type { VigilApi } from '../../shared/ipc/contract.js';


let host: TestHost | undefined;
afterEach(async () => {
  await closeTestHost(host);
  host = undefined;
});

describe('renderer shell in Chromium over the real IPC registry', () => {
  it('follows the OS language on first run, switches language in Settings and remembers it', async () => {
    host = await startTestHost({ locale: 'zh-CN' });
    await host.open();
    const { page } = host;
    // First run: no store yet, so the welcome screen greets in the OS language.
    await expect.poll(() => page.getByTestId('first-run').locator('h1').textContent()).toBe('欢迎使用 Vigil 慧眼');
    await createSignedInStore(host);
    await page.reload();
    await expect.poll(() => page.getByTestId('nav-queue').textContent()).toBe('案件队列');

    await page.getByTestId('nav-settings').click();
    await page.getByTestId('language-select').selectOption('en');
    await expect.poll(() => page.getByTestId('nav-queue').textContent()).toBe('Queue');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');

    await page.reload();
    await page.waitForSelector('[data-app-ready]');
    expect(await page.getByTestId('nav-queue').textContent()).toBe('Queue');
    expect(host.runtime.services.preferences.get().language).toBe('en');
  });

  it('calls operations through window.vigil and gets typed results and error codes back', async () => {
    host = await startTestHost();
    await host.open();
    const { page } = host;
    const info = await page.evaluate(() => (globalThis as unknown as { vigil: VigilApi }).vigil.getAppInfo({}));
    expect(info).toMatchObject({ ok: true, value: { name: 'Vigil', host: 'browser' } });

    const bad = await page.evaluate(() => (globalThis as unknown as { vigil: VigilApi }).vigil.setPreferences({ language: 'fr' } as unknown as { language: 'en' }));
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_input', where: 'language' } });
    expect(host.runtime.services.preferences.get().language).toBe('en');

    // window.vigil offers only the contract's named functions, frozen.
    const shape = await page.evaluate(() => {
      const api = (globalThis as unknown as { vigil: VigilApi }).vigil;
      return { frozen: Object.isFrozen(api), invoke: 'invoke' in api };
    });
    expect(shape).toEqual({ frozen: true, invoke: false });
  });

  it('refuses a call from a page of another origin', async () => {
    host = await startTestHost();
    await host.open();
    await host.page.goto('about:blank');
    const encoded = await host.page.evaluate(() =>
      (globalThis as unknown as { __vigilInvoke: (c: string, i: unknown) => Promise<string> }).__vigilInvoke('vigil:getPreferences', {}),
    );
    expect(JSON.parse(encoded)).toMatchObject({ ok: false, error: { code: 'forbidden_origin' } });
  });

  it('applies the dark theme from Settings', async () => {
    host = await startTestHost();
    await createSignedInStore(host);
    await host.open();
    await host.page.getByTestId('nav-settings').click();
    await host.page.getByLabel('Dark').check();
    await expect.poll(() => host?.page.locator('html').getAttribute('data-theme')).toBe('dark');
  });
});
