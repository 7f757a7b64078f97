// Helpers for the desk's end-to-end tests: a real store filled by the real import with a generated
// population and analysed by the real engines, built once per source version and copied per test.
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { analyze } from '../../../main/services/analyze.js';
import { generatedPopulationSource } from '../../../main/services/demo.js';
import { importFiles } from '../../../main/services/import.js';
import { createServices } from '../../../main/services/index.js';
import type { TestHost } from '../../support/host.js';

export const E2E_PASSPHRASE = 'correct horse battery staple';
/** Enough applicants for every fraud pattern, including several device farms with their rings. */
export const E2E_APPLICANTS = 800;
export const E2E_SEED = 'vigil-e2e-desk';

export interface DeskProfile {
  readonly username: string;
  readonly displayName: string;
}
export const ADMIN: DeskProfile = { username: 'lin', displayName: '林主管' };
export const INVESTIGATOR: DeskProfile = { username: 'wang', displayName: '王调查' };
export const TEAM_LEAD: DeskProfile = { username: 'chen', displayName: '陈组长' };

/** Creates the store (as the first-run screen would) and leaves its admin signed in. */
export async function createSignedInStore(host: TestHost, profile: { username?: string; displayName?: string } = {}): Promise<void> {
  await host.runtime.services.session.create({
    username: profile.username ?? 'lin',
    displayName: profile.displayName ?? '林调查',
    passphrase: E2E_PASSPHRASE,
  });
}

const root = fileURLToPath(new URL('../../../', import.meta.url));
const SOURCES = ['main/generator', 'main/analysis', 'main/interchange', 'main/store', 'main/services', 'resources', 'shared'];

function filesUnder(path: string): string[] {
  if (!existsSync(path)) return [];
  if (statSync(path).isFile()) return [path];
  return readdirSync(path).sort().flatMap((name) => filesUnder(join(path, name)));
}

/** A digest of everything that shapes the prepared store: change any of it and the store is rebuilt. */
function sourceDigest(): string {
  const hash = createHash('sha256');
  for (const file of SOURCES.flatMap((dir) => filesUnder(join(root, dir)))) hash.update(file).update(readFileSync(file));
  hash.update(`${E2E_APPLICANTS}|${E2E_SEED}`);
  return hash.digest('hex').slice(0, 16);
}

async function buildDeskStore(dataDir: string): Promise<void> {
  const services = createServices({ dataDir, host: 'browser', osLocale: 'zh-CN', version: 'e2e', emit: () => undefined });
  try {
    await services.session.create({ username: ADMIN.username, displayName: ADMIN.displayName, passphrase: E2E_PASSPHRASE });
    await services.admin.addUser({ ...INVESTIGATOR, role: 'investigator', passphrase: E2E_PASSPHRASE });
    await services.admin.addUser({ ...TEAM_LEAD, role: 'team_lead', passphrase: E2E_PASSPHRASE });
    const store = services.session.store();
    const actor = services.session.requireUser().id;
    await importFiles(store, [{ source: generatedPopulationSource(E2E_APPLICANTS, E2E_SEED) }], { actor });
    await analyze(store, { actor });
  } finally {
    services.dispose();
  }
}

/**
 * A data folder holding a locked store with the generated population, analysed, and three profiles
 * (admin, investigator, team lead; one passphrase). Built once per source digest, copied for each test.
 */
export async function preparedDeskDataDir(): Promise<string> {
  const cache = join(tmpdir(), 'vigil-e2e-cache', sourceDigest());
  if (!existsSync(join(cache, 'ready'))) {
    rmSync(cache, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    mkdirSync(cache, { recursive: true });
    await buildDeskStore(cache);
    writeFileSync(join(cache, 'ready'), new Date().toISOString());
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'vigil-e2e-desk-'));
  // A closed store's files are consistent on disk; copying them is how a test gets its own store.
  cpSync(cache, dataDir, { recursive: true, filter: (source) => !source.endsWith('/ready') });
  return dataDir;
}

/** Signs in through the unlock screen. */
export async function unlockThroughUi(page: Page, username: string, passphrase = E2E_PASSPHRASE): Promise<void> {
  await page.getByTestId('unlock').waitFor();
  await page.getByTestId('unlock-user').selectOption(username);
  await page.getByTestId('unlock-passphrase').fill(passphrase);
  await page.getByTestId('unlock-submit').click();
  await page.getByTestId('signed-in-user').waitFor();
}

/** Waits until the queue shows rows with data (not placeholders). */
export async function waitForQueueRows(page: Page): Promise<void> {
  await page.locator('[data-testid=queue-row][data-application-id]').first().waitFor();
}
