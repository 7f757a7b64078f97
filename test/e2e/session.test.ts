// First run, unlock and lock through the real UI over the real session service.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { storeDirIn } from '../../main/services/session.js';
import { MIGRATIONS } from '../../main/store/migrations/index.js';
import { createStore, TEST_SCRYPT } from '../../main/store/open.js';
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

describe('first run', () => {
  it('checks the form, then creates an empty store whose admin is signed in with the role shown', async () => {
    host = await startTestHost({ locale: 'en-US' });
    await host.open();
    const { page } = host;
    await page.getByTestId('first-run').waitFor();
    await page.getByTestId('first-run-mode-empty').click();
    await page.locator('#first-run-username').fill('Li Na');
    await page.locator('#first-run-passphrase').fill('short');
    await page.getByTestId('first-run-submit').click();
    await expect.poll(() => page.locator('.field-problem').allTextContents()).toEqual([
      'Use 2–40 lowercase letters, digits, “_”, “.” or “-”.',
      'Enter the name colleagues know you by.',
      'The passphrase needs at least 8 characters.',
    ]);
    expect(host.runtime.services.session.status().state).toBe('none');

    await page.locator('#first-run-username').fill('li.na');
    await page.locator('#first-run-displayName').fill('李娜');
    await page.locator('#first-run-passphrase').fill(E2E_PASSPHRASE);
    await page.locator('#first-run-confirm').fill(`${E2E_PASSPHRASE}!`);
    await page.getByTestId('first-run-submit').click();
    await expect.poll(() => page.locator('.field-problem').allTextContents()).toEqual(['The two passphrases differ.']);
    await page.locator('#first-run-confirm').fill(E2E_PASSPHRASE);
    await page.getByTestId('first-run-submit').click();

    await page.getByTestId('signed-in-user').waitFor();
    expect(await page.getByTestId('signed-in-user').textContent()).toContain('李娜');
    expect(await page.getByTestId('signed-in-role').textContent()).toBe('Administrator');
    expect(host.runtime.services.session.status()).toMatchObject({ state: 'unlocked', user: { username: 'li.na', role: 'admin' } });
    await page.getByText('No cases in the queue yet', { exact: false }).waitFor();
  });

  it('explores with sample data: the store is created with a full queue', async () => {
    host = await startTestHost({ locale: 'zh-CN' });
    await host.open();
    const { page } = host;
    await page.getByTestId('first-run-mode-sample').click();
    await page.locator('#first-run-username').fill('demo');
    await page.locator('#first-run-displayName').fill('体验用户');
    await page.locator('#first-run-passphrase').fill(E2E_PASSPHRASE);
    await page.locator('#first-run-confirm').fill(E2E_PASSPHRASE);
    await page.getByTestId('first-run-submit').click();
    await page.getByTestId('signed-in-user').waitFor({ timeout: 90_000 });
    await waitForQueueRows(page);
    expect(Number((await page.getByTestId('queue-total').textContent())?.replace(/\D/g, ''))).toBeGreaterThan(100);
  }, 120_000);
});

describe('unlock and lock', () => {
  it('says a wrong passphrase is wrong, then makes the next try wait with a countdown that ends', async () => {
    dataDir = await preparedDeskDataDir();
    host = await startTestHost({ dataDir, locale: 'en-US' });
    await host.open();
    const { page } = host;
    await page.getByTestId('unlock').waitFor();
    expect(await page.getByTestId('unlock-user').locator('option').allTextContents()).toEqual(expect.arrayContaining([INVESTIGATOR.username]));
    for (let attempt = 1; attempt <= 4; attempt += 1) {
      await expect.poll(() => page.getByTestId('unlock-passphrase').isEnabled()).toBe(true);
      await expect.poll(() => page.getByTestId('unlock-wait').count(), { timeout: 10_000 }).toBe(0);
      await page.getByTestId('unlock-user').selectOption(INVESTIGATOR.username);
      await page.getByTestId('unlock-passphrase').fill(`wrong ${attempt}`);
      await page.getByTestId('unlock-submit').click();
      await expect.poll(() => page.getByTestId('unlock-problem').textContent()).toMatch(/Wrong user name or passphrase|Too many failed attempts/);
    }
    // After the free attempts the delay grows: the form says how long and refuses until then.
    await expect.poll(() => page.getByTestId('unlock-wait').textContent()).toMatch(/try again in \d+ s/);
    await page.getByTestId('unlock-passphrase').fill(E2E_PASSPHRASE);
    expect(await page.getByTestId('unlock-submit').isDisabled()).toBe(true);
    await expect.poll(() => page.getByTestId('unlock-wait').count(), { timeout: 15_000 }).toBe(0);
    await page.getByTestId('unlock-submit').click();
    await page.getByTestId('signed-in-user').waitFor();
    expect(await page.getByTestId('signed-in-role').textContent()).toBe('Investigator');
  });

  it('locks with the button and when the session ends on its own, and reports activity at most once per interval', async () => {
    dataDir = await preparedDeskDataDir();
    host = await startTestHost({ dataDir, locale: 'en-US' });
    await host.open();
    const { page } = host;
    await unlockThroughUi(page, INVESTIGATOR.username);
    await waitForQueueRows(page);

    // Activity reaches main through `touch`, throttled: a burst of keys is one call.
    const session = host.runtime.services.session;
    let touches = 0;
    const touch = session.touch.bind(session);
    Object.assign(session, {
      touch: () => {
        touches += 1;
        touch();
      },
    });
    for (let key = 0; key < 12; key += 1) await page.keyboard.press('j');
    await expect.poll(() => touches).toBe(1);

    // A search typed before locking (it may hold an ID number) is gone for whoever unlocks next.
    const everything = await page.getByTestId('queue-total').textContent();
    await page.getByTestId('queue-search').fill('110105');
    await expect.poll(() => page.getByTestId('queue-total').textContent()).not.toBe(everything);
    await page.getByTestId('lock-button').click();
    await page.getByTestId('unlock').waitFor();
    expect(await page.getByTestId('lock-reason').textContent()).toBe('You locked the store.');
    expect(host.runtime.services.session.status().state).toBe('locked');

    await unlockThroughUi(page, INVESTIGATOR.username);
    expect(await page.getByTestId('queue-search').inputValue()).toBe('');
    // The idle timer (or the OS) ends the session in main: the window follows the `locked` event.
    host.runtime.services.session.lock('idle');
    await page.getByTestId('unlock').waitFor();
    expect(await page.getByTestId('lock-reason').textContent()).toBe('Locked after 10 minutes without activity.');
    expect(await page.getByTestId('signed-in-user').count()).toBe(0);
  });

  it('says a store from an older Vigil is being updated while it unlocks', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'vigil-e2e-upgrade-'));
    // A store made by a build that shipped two schema steps fewer.
    const older = await createStore(storeDirIn(dataDir), { ...INVESTIGATOR, passphrase: E2E_PASSPHRASE, kdf: TEST_SCRYPT, migrations: MIGRATIONS.slice(0, -2) });
    older.store.close();
    host = await startTestHost({ dataDir, locale: 'en-US' });
    await host.open();
    const { page } = host;
    // The notice lasts as long as the update, which is short on a small store: the page records what it showed.
    await page.evaluate(() => {
      const seen: string[] = [];
      Object.assign(window, { __upgradeNotices: seen });
      new MutationObserver(() => {
        const notice = document.querySelector('[data-testid=unlock-upgrading]')?.textContent;
        if (notice !== undefined && notice !== null && seen.at(-1) !== notice) seen.push(notice);
      }).observe(document.body, { childList: true, subtree: true, characterData: true });
    });
    await unlockThroughUi(page, INVESTIGATOR.username);
    expect(await page.evaluate(() => (window as unknown as { __upgradeNotices: string[] }).__upgradeNotices)).toEqual([
      'Updating this store for this version of Vigil (2 steps, only this once). A large store can take a minute: keep Vigil open.',
    ]);
    expect(await page.getByTestId('unlock-upgrading').count()).toBe(0);
    expect(host.runtime.services.session.store().db.prepare('SELECT count(*) FROM schema_migrations').pluck().get()).toBe(MIGRATIONS.length);
  });
});
