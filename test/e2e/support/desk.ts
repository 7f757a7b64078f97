// Helpers for the desk's end-to-end tests: a signed-in store behind the real UI, and waiting on the UI.
import type { Page } from 'playwright-core';
import type { TestHost } from '../../support/host.js';

export const E2E_PASSPHRASE = 'correct horse battery staple';

/** Creates the store (as the first-run screen would) and leaves its admin signed in. */
export async function createSignedInStore(host: TestHost, profile: { username?: string; displayName?: string } = {}): Promise<void> {
  await host.runtime.services.session.create({
    username: profile.username ?? 'lin',
    displayName: profile.displayName ?? '林调查',
    passphrase: E2E_PASSPHRASE,
  });
}

/** Signs in through the unlock screen. */
export async function unlockThroughUi(page: Page, username: string, passphrase = E2E_PASSPHRASE): Promise<void> {
  await page.getByTestId('unlock').waitFor();
  await page.getByTestId('unlock-user').selectOption(username);
  await page.getByTestId('unlock-passphrase').fill(passphrase);
  await page.getByTestId('unlock-submit').click();
  await page.getByTestId('signed-in-user').waitFor();
}
