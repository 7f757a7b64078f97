import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../main/services/index.js';
import { createHandlers } from '../../main/ipc/handlers/index.js';
import { createIpcRegistry } from '../../main/ipc/registry.js';
import { TEST_SCRYPT } from '../../main/store/open.js';
import { verifyStore } from '../../main/store/verify.js';

const ORIGIN = 'app://vigil';
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function unlockedRuntime(): Promise<{ services: Services; call: (op: string, input: unknown) => Promise<unknown> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'vigil-pii-'));
  const services = createServices({ dataDir, host: 'browser', osLocale: 'en', version: 'test', emit: () => undefined, session: { kdf: TEST_SCRYPT } });
  cleanups.push(async () => {
    services.dispose();
    // The background checkpointer closes its own connection a moment later; remove the folder after it.
    await services.session.whenLockSettled();
    rmSync(dataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  });
  await services.session.create({ username: 'wang.jg', displayName: '王建国', passphrase: 'admin passphrase' });
  // The applicant arrives the way real ones do: an interchange line through the import service (002_records).
  const line = JSON.stringify({ type: 'applicant', id: 'ap-1', name: '李小明', id_number: '110105199001011234', phone: '13812345678' });
  const summary = await services.importer.importContents({ strict: true, files: [{ name: 'applicants.jsonl', text: `${line}\n` }] });
  expect(JSON.stringify(summary)).toContain('applicant');
  const registry = createIpcRegistry({ handlers: createHandlers(services), session: services.session, allowedOrigins: [ORIGIN], checkOutputs: true });
  return { services, call: (op, input) => registry.invoke(op, input, { origin: ORIGIN }) };
}

describe('revealing PII', () => {
  it('returns the clear value with a reason and writes an audit entry that holds the reason, not the value', async () => {
    const { services, call } = await unlockedRuntime();
    const result = await call('revealPii', { applicantId: 'ap-1', field: 'id_number', reason: '核对身份证 for appeal A-17' });
    expect(result).toMatchObject({ ok: true, value: { value: '110105199001011234', masked: '110105********1234' } });
    const { db } = services.session.store();
    const entry = db.prepare(`SELECT actor, action, target, after_json FROM audit_log WHERE action = 'pii.reveal'`).get() as { actor: string; target: string; after_json: string };
    expect(entry.actor).toBe(services.session.currentUser()?.id);
    expect(entry.target).toBe('applicant:ap-1#id_number');
    expect(JSON.parse(entry.after_json)).toEqual({ reason: '核对身份证 for appeal A-17', role: 'admin' });
    expect(entry.after_json).not.toContain('110105199001011234');
    expect(verifyStore(services.session.store()).ok).toBe(true);
  });

  it('requires a reason and refuses a role that may not reveal', async () => {
    const { services, call } = await unlockedRuntime();
    expect(await call('revealPii', { applicantId: 'ap-1', field: 'phone', reason: '  ' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await call('revealPii', { applicantId: 'nobody', field: 'phone', reason: 'checking a call' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    await call('addUser', { username: 'trainer.one', displayName: '培训师', role: 'trainer', passphrase: 'trainer passphrase' });
    services.session.lock('user');
    await services.session.unlock({ username: 'trainer.one', passphrase: 'trainer passphrase' });
    expect(await call('revealPii', { applicantId: 'ap-1', field: 'phone', reason: 'curious about it' })).toMatchObject({ ok: false, error: { code: 'forbidden_role' } });
    const reveals = services.session.store().db.prepare(`SELECT count(*) FROM audit_log WHERE action = 'pii.reveal'`).pluck().get();
    expect(reveals).toBe(0);
  });
});
