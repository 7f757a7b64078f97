// The end of every end-to-end test: the host goes, its folders go, and a CSP refusal fails the test.
import { rmSync } from 'node:fs';
import { expect } from 'vitest';
import type { TestHost } from '../../support/host.js';

/** After a test: closes its host, removes the folders it names, and fails the test on any CSP violation. */
export async function closeTestHost(host: TestHost | undefined, folders: readonly (string | undefined)[] = []): Promise<void> {
  const violations = host?.cspViolations() ?? [];
  await host?.close();
  for (const folder of folders) if (folder !== undefined) rmSync(folder, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  expect(violations).toEqual([]);
}
