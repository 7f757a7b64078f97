import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createHandlers } from '../../main/ipc/handlers/index.js';
import { createIpcRegistry } from '../../main/ipc/registry.js';
import { createServices, type Services } from '../../main/services/index.js';
import { TEST_SCRYPT } from '../../main/store/open.js';
import type { EventPayload } from '../../shared/ipc/events.js';
import { recordCounts } from '../support/import-dump.js';

const ORIGIN = 'app://vigil';
const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

function runtime(): { services: Services; progress: EventPayload<'progress'>[]; call: (op: string, input: unknown) => Promise<unknown> } {
  const dataDir = mkdtempSync(join(tmpdir(), 'vigil-import-ipc-'));
  const progress: EventPayload<'progress'>[] = [];
  const services = createServices({
    dataDir,
    host: 'browser',
    osLocale: 'en',
    version: 'test',
    emit: (event, payload) => {
      if (event === 'progress') progress.push(payload as EventPayload<'progress'>);
    },
    session: { kdf: TEST_SCRYPT },
  });
  cleanups.push(async () => {
    services.dispose();
    // The background checkpointer closes its own connection a moment later; remove the folder after it.
    await services.session.whenLockSettled();
    rmSync(dataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  });
  const registry = createIpcRegistry({ handlers: createHandlers(services), session: services.session, allowedOrigins: [ORIGIN], checkOutputs: true });
  return { services, progress, call: (op, input) => registry.invoke(op, input, { origin: ORIGIN }) };
}

const fixture = readFileSync(new URL('../fixtures/interchange/all-types.jsonl', import.meta.url), 'utf8');

describe('import over IPC', () => {
  it('refuses to import while the store is locked', async () => {
    const { call } = runtime();
    expect(await call('importFileContents', { files: [{ name: 'a.jsonl', text: fixture }] })).toMatchObject({ ok: false, error: { code: 'locked' } });
  });

  it('imports file contents from the browser host, reports progress and keeps the report', async () => {
    const { services, progress, call } = runtime();
    await call('createStore', { username: 'li.na', displayName: '李娜', passphrase: 'a long passphrase' });
    const bad = `${fixture}{"type":"applicant","id":"X"}\n`;
    const result = await call('importFileContents', { taskId: 'drop-1', files: [{ name: 'export.jsonl', base64: Buffer.from(bad).toString('base64') }] });
    expect(result).toMatchObject({
      ok: true,
      value: { taskId: 'drop-1', status: 'completed', totals: { inserted: 11 }, rejectedTotal: 1, rejected: [{ file: 'export.jsonl', line: 12, message: 'applicant.name: is required' }] },
    });
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.every((p) => p.taskId === 'drop-1' && p.kind === 'import')).toBe(true);
    const report = await call('getImportReport', {});
    expect(report).toMatchObject({ ok: true, value: { status: 'completed', files: ['export.jsonl'], text: 'export.jsonl:12: applicant.name: is required\n' } });
    expect(recordCounts(services.session.store().db)['event']).toBe(2);
    expect(await call('cancelImport', { taskId: 'drop-1' })).toEqual({ ok: true, value: { cancelled: false } });
  });

  it('imports by path for the Electron file dialog and says which path it cannot read', async () => {
    const { call } = runtime();
    await call('createStore', { username: 'li.na', displayName: '李娜', passphrase: 'a long passphrase' });
    const path = new URL('../fixtures/interchange/applicant.csv', import.meta.url).pathname;
    expect(await call('importFiles', { paths: [path] })).toMatchObject({ ok: true, value: { totals: { inserted: 2 }, findings: 2 } });
    expect(await call('importFiles', { paths: ['/nonexistent/x.jsonl'] })).toMatchObject({ ok: false, error: { code: 'import_failed', message: '/nonexistent/x.jsonl: cannot read the file (ENOENT)' } });
  });

  it('fills a new store with sample data when asked on first run', async () => {
    const { services, call } = runtime();
    const status = await call('createStore', { username: 'li.na', displayName: '李娜', passphrase: 'a long passphrase', withDemoData: true });
    expect(status).toMatchObject({ ok: true, value: { state: 'unlocked' } });
    const counts = recordCounts(services.session.store().db);
    expect(counts['applicant']).toBe(2000);
    expect(counts['label']).toBe(2000);
    expect(counts['event']).toBeGreaterThan(30_000);
  });
});
