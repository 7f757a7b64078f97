import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createHandlers } from '../../main/ipc/handlers/index.js';
import { createIpcRegistry } from '../../main/ipc/registry.js';
import type { ChooseFiles, FileChoiceRequest } from '../../main/services/fileChoice.js';
import { createServices, type Services } from '../../main/services/index.js';
import { TEST_SCRYPT } from '../../main/store/open.js';
import type { EventPayload } from '../../shared/ipc/events.js';
import { recordCounts } from '../support/import-dump.js';

const ORIGIN = 'app://vigil';
const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

function runtime(options: { chooseFiles?: ChooseFiles } = {}): { services: Services; progress: EventPayload<'progress'>[]; call: (op: string, input: unknown) => Promise<unknown> } {
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
    ...options,
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
const fixturePath = (name: string): string => new URL(`../fixtures/interchange/${name}`, import.meta.url).pathname;

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

  it('imports files chosen in main\'s dialog: the window gets names, sizes and a one-time id, then the summary and progress', async () => {
    const csv = fixturePath('applicant.csv');
    const jsonl = fixturePath('all-types.jsonl');
    const requests: FileChoiceRequest[] = [];
    const { progress, call } = runtime({
      chooseFiles: (request) => {
        requests.push(request);
        return Promise.resolve([csv, jsonl]);
      },
    });
    expect(await call('getAppInfo', {})).toMatchObject({ ok: true, value: { nativeFileDialog: true } });
    await call('createStore', { username: 'li.na', displayName: '李娜', passphrase: 'a long passphrase' });

    const chosen = await call('chooseImportFiles', {});
    expect(chosen).toEqual({
      ok: true,
      value: {
        selectionId: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/) as unknown,
        files: [
          { name: 'applicant.csv', size: statSync(csv).size },
          { name: 'all-types.jsonl', size: statSync(jsonl).size },
        ],
      },
    });
    expect(requests).toEqual([{ title: 'Choose files to import', buttonLabel: 'Import', filters: [{ name: 'Interchange files (.jsonl, .json, .gz, .csv)', extensions: ['jsonl', 'json', 'gz', 'csv'] }] }]);

    const { selectionId } = (chosen as { value: { selectionId: string } }).value;
    const result = await call('importChosenFiles', { selectionId, taskId: 'dialog-1', strict: false });
    expect(result).toMatchObject({ ok: true, value: { taskId: 'dialog-1', status: 'completed', totals: { inserted: 13 }, rejectedTotal: 0 } });
    expect((result as { value: { counts: { applicant: { inserted: number } } } }).value.counts.applicant.inserted).toBe(3);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.every((p) => p.taskId === 'dialog-1' && p.kind === 'import')).toBe(true);
    expect(await call('getImportReport', {})).toMatchObject({ ok: true, value: { status: 'completed', files: ['applicant.csv', 'all-types.jsonl'] } });
  });

  it('returns null when the person cancels the dialog', async () => {
    const { call } = runtime({ chooseFiles: () => Promise.resolve([]) });
    await call('createStore', { username: 'li.na', displayName: '李娜', passphrase: 'a long passphrase' });
    expect(await call('chooseImportFiles', {})).toEqual({ ok: true, value: null });
  });

  it('asks for the dialog in the window\'s language, one dialog at a time, and not while the store is locked', async () => {
    let answer: (paths: string[]) => void = () => undefined;
    const requests: FileChoiceRequest[] = [];
    const { call } = runtime({
      chooseFiles: (request) => {
        requests.push(request);
        return new Promise((resolve) => (answer = resolve));
      },
    });
    expect(await call('chooseImportFiles', {})).toMatchObject({ ok: false, error: { code: 'locked' } });
    await call('createStore', { username: 'li.na', displayName: '李娜', passphrase: 'a long passphrase' });
    await call('setPreferences', { language: 'zh-CN' });
    const first = call('chooseImportFiles', {});
    await vi.waitFor(() => expect(requests).toHaveLength(1));
    expect(await call('chooseImportFiles', {})).toMatchObject({ ok: false, error: { code: 'conflict', message: 'a file dialog is already open' } });
    answer([]);
    expect(await first).toEqual({ ok: true, value: null });
    expect(requests[0]).toMatchObject({ title: '选择要导入的文件', buttonLabel: '导入' });
  });

  it('refuses a selection id that is unknown, already used, or chosen by someone else', async () => {
    const { services, call } = runtime({ chooseFiles: () => Promise.resolve([fixturePath('applicant.csv')]) });
    await call('createStore', { username: 'li.na', displayName: '李娜', passphrase: 'a long passphrase' });
    const refused = { ok: false, error: { code: 'invalid_input', message: 'this file selection is unknown, expired or already used: choose the files again' } };

    expect(await call('importChosenFiles', { selectionId: 'AAAAAAAAAAAAAAAAAAAAAA', strict: false })).toEqual(refused);
    expect(await call('importChosenFiles', { selectionId: '../../etc/passwd', strict: false })).toMatchObject({ ok: false, error: { code: 'invalid_input', where: 'selectionId' } });

    const { selectionId } = ((await call('chooseImportFiles', {})) as { value: { selectionId: string } }).value;
    expect(await call('importChosenFiles', { selectionId, strict: false })).toMatchObject({ ok: true, value: { totals: { inserted: 2 } } });
    expect(await call('importChosenFiles', { selectionId, strict: false })).toEqual(refused);

    // Spent by anyone's attempt: a selection taken for another user is gone for its owner too.
    const other = ((await call('chooseImportFiles', {})) as { value: { selectionId: string } }).value.selectionId;
    expect(() => services.fileChoice.take(other, 'someone-else')).toThrow(/unknown, expired or already used/);
    expect(await call('importChosenFiles', { selectionId: other, strict: false })).toEqual(refused);
  });

  it('never lets a chosen file\'s folder reach the window: not in results, errors, reports or progress', async () => {
    const secretDir = mkdtempSync(join(tmpdir(), 'vigil-secret-folder-'));
    cleanups.push(() => rmSync(secretDir, { recursive: true, force: true }));
    mkdirSync(join(secretDir, 'inner'));
    const good = join(secretDir, 'inner', 'export.jsonl');
    writeFileSync(good, `${fixture}{"type":"applicant","id":"X"}\n`);
    const gone = join(secretDir, 'gone.jsonl');
    copyFileSync(good, gone);
    let answer = [good];
    const { progress, call } = runtime({ chooseFiles: () => Promise.resolve(answer) });
    const outputs: unknown[] = [];
    const record = async (op: string, input: unknown): Promise<unknown> => {
      const result = await call(op, input);
      outputs.push(result);
      return result;
    };
    await call('createStore', { username: 'li.na', displayName: '李娜', passphrase: 'a long passphrase' });

    const first = ((await record('chooseImportFiles', {})) as { value: { selectionId: string } }).value.selectionId;
    expect(await record('importChosenFiles', { selectionId: first, strict: false })).toMatchObject({ ok: true, value: { rejected: [{ file: 'export.jsonl', line: 12 }] } });
    await record('getImportReport', {});

    // A file removed between the dialog and the import is named by its base name only.
    answer = [gone];
    const second = ((await record('chooseImportFiles', {})) as { value: { selectionId: string } }).value.selectionId;
    rmSync(gone);
    expect(await record('importChosenFiles', { selectionId: second, strict: false })).toEqual({ ok: false, error: { code: 'import_failed', message: 'gone.jsonl: cannot read the file: no such file or folder', where: 'gone.jsonl' } });

    // A file removed before the dialog returns is refused at once, by name.
    expect(await record('chooseImportFiles', {})).toEqual({ ok: false, error: { code: 'import_failed', message: 'gone.jsonl: cannot read the file: no such file or folder', where: 'gone.jsonl' } });

    const seen = JSON.stringify([outputs, progress]);
    expect(seen).toContain('export.jsonl');
    expect(seen).not.toContain(secretDir);
    expect(seen).not.toContain('vigil-secret-folder');
    expect(seen).not.toContain(tmpdir());
  });

  it('tells the window when there is no native dialog and refuses to show one', async () => {
    const { call } = runtime();
    expect(await call('getAppInfo', {})).toMatchObject({ ok: true, value: { host: 'browser', nativeFileDialog: false } });
    await call('createStore', { username: 'li.na', displayName: '李娜', passphrase: 'a long passphrase' });
    expect(await call('chooseImportFiles', {})).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await call('importFiles', { paths: [fixturePath('applicant.csv')] })).toMatchObject({ ok: false, error: { code: 'unknown_operation' } });
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
