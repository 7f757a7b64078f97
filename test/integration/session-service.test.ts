import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../main/services/index.js';
import { createSessionService, storeDirIn, UPGRADE_TASK } from '../../main/services/session.js';
import { createUnlockThrottle, MAX_DELAY_SECONDS, THROTTLE_FILE } from '../../main/services/unlockThrottle.js';
import { createHandlers } from '../../main/ipc/handlers/index.js';
import { createIpcRegistry } from '../../main/ipc/registry.js';
import { createStore, TEST_SCRYPT, type OpenedStore } from '../../main/store/open.js';
import { MIGRATIONS } from '../../main/store/migrations/index.js';
import type { EventName, EventPayload } from '../../shared/ipc/events.js';
import { VigilError } from '../../shared/errors.js';
import { readKeyring } from '../../main/store/keyring/keyring.js';
import { manualClock, type ManualClock } from '../support/clock.js';

const ORIGIN = 'app://vigil';
const ADMIN = { username: 'wang.jg', displayName: '王建国', passphrase: 'admin passphrase 1' };

interface Harness {
  services: Services;
  clock: ManualClock;
  events: { event: EventName; payload: unknown }[];
  demoFills: OpenedStore[];
}

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

function harness(options: { withDemoHook?: boolean; dataDir?: string; clock?: ManualClock } = {}): Harness & { dataDir: string } {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'vigil-session-'));
  const clock = options.clock ?? manualClock();
  const events: Harness['events'] = [];
  const demoFills: OpenedStore[] = [];
  const services = createServices({
    dataDir,
    host: 'browser',
    osLocale: 'zh-CN',
    version: '0.0.0-test',
    emit: <E extends EventName>(event: E, payload: EventPayload<E>) => events.push({ event, payload }),
    session: {
      kdf: TEST_SCRYPT,
      clock,
      // A recording hook in place of the generator: this pins the session's side of the hook only.
      ...(options.withDemoHook === true ? { fillDemoData: (opened: OpenedStore) => void demoFills.push(opened) } : {}),
    },
  });
  cleanups.push(async () => {
    services.dispose();
    // The background checkpointer closes its own connection a moment later; remove the folder after it.
    await services.session.whenLockSettled();
    rmSync(dataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  });
  return { services, clock, events, demoFills, dataDir };
}

async function codeOf(run: () => unknown): Promise<string> {
  try {
    await run();
    return 'ok';
  } catch (error) {
    return error instanceof VigilError ? error.code : `unexpected: ${String(error)}`;
  }
}

describe('session service', () => {
  it('first run: no store, then create makes an unlocked store with an admin', async () => {
    const { services } = harness();
    expect(services.session.status()).toMatchObject({ state: 'none', user: null, usernames: [] });
    const status = await services.session.create(ADMIN);
    expect(status).toMatchObject({ state: 'unlocked', usernames: ['wang.jg'], user: { username: 'wang.jg', displayName: '王建国', role: 'admin' } });
    expect(await codeOf(() => services.session.create(ADMIN))).toBe('store_exists');
  });

  it('lock drops the store, emits locked, and refuses store access until unlocked again', async () => {
    const { services, events } = harness();
    await services.session.create(ADMIN);
    const handle = services.session.store();
    expect(services.session.lock('user')).toMatchObject({ state: 'locked', user: null });
    expect(handle.closed).toBe(true);
    expect(handle.db.open).toBe(false);
    expect(events).toEqual([{ event: 'locked', payload: { reason: 'user' } }]);
    expect(await codeOf(() => services.session.store())).toBe('locked');
    expect(services.session.currentUser()).toBeNull();
    await services.session.unlock({ username: ADMIN.username, passphrase: ADMIN.passphrase });
    expect(services.session.currentUser()?.role).toBe('admin');
  });

  it('tells the unlock screen when a store from an older Vigil is being updated, and when it is done', async () => {
    const { services, events, dataDir } = harness();
    // A store made by a build that shipped two schema steps fewer.
    const older = await createStore(storeDirIn(dataDir), { ...ADMIN, kdf: TEST_SCRYPT, migrations: MIGRATIONS.slice(0, -2) });
    older.store.close();
    await services.session.unlock({ username: ADMIN.username, passphrase: ADMIN.passphrase });
    const steps = MIGRATIONS.slice(-2).map((m) => m.name).join(', ');
    const upgrade = events.filter((e) => e.event === 'progress' && (e.payload as { kind: string }).kind === 'store.upgrade').map((e) => e.payload);
    expect(upgrade).toEqual([
      { taskId: UPGRADE_TASK, kind: 'store.upgrade', done: 0, total: 2, ratePerSecond: null, message: steps },
      { taskId: UPGRADE_TASK, kind: 'store.upgrade', done: 2, total: 2, ratePerSecond: null, message: steps },
    ]);
    expect(services.session.store().db.prepare('SELECT count(*) FROM schema_migrations').pluck().get()).toBe(MIGRATIONS.length);
    // Up to date: the next unlock says nothing about it.
    services.session.lock('user');
    await services.session.unlock({ username: ADMIN.username, passphrase: ADMIN.passphrase });
    expect(events.filter((e) => e.event === 'progress')).toHaveLength(2);
  });

  it('delays unlocking after repeated wrong passphrases, growing each time, then lets the right one in', async () => {
    const { services, clock } = harness();
    await services.session.create(ADMIN);
    services.session.lock('user');
    const wrong = { username: ADMIN.username, passphrase: 'wrong passphrase' };
    expect(await codeOf(() => services.session.unlock(wrong))).toBe('wrong_passphrase');
    expect(await codeOf(() => services.session.unlock(wrong))).toBe('wrong_passphrase');
    expect(services.session.status().retryAfterSeconds).toBe(0);
    expect(await codeOf(() => services.session.unlock(wrong))).toBe('wrong_passphrase');
    expect(services.session.status().retryAfterSeconds).toBe(1);
    expect(await codeOf(() => services.session.unlock({ username: ADMIN.username, passphrase: ADMIN.passphrase }))).toBe('too_many_attempts');
    clock.advance(1000);
    expect(await codeOf(() => services.session.unlock(wrong))).toBe('wrong_passphrase');
    expect(services.session.status().retryAfterSeconds).toBe(2);
    clock.advance(2000);
    expect(await codeOf(() => services.session.unlock(wrong))).toBe('wrong_passphrase');
    expect(services.session.status().retryAfterSeconds).toBe(4);
    clock.advance(4000);
    await services.session.unlock({ username: ADMIN.username, passphrase: ADMIN.passphrase });
    expect(services.session.status()).toMatchObject({ state: 'unlocked', retryAfterSeconds: 0 });
  });

  it('keeps the unlock delay when the app is quit and started again, and clears it after the right passphrase', async () => {
    const first = harness();
    await first.services.session.create(ADMIN);
    first.services.session.lock('user');
    const wrong = { username: ADMIN.username, passphrase: 'wrong passphrase' };
    for (let i = 0; i < 3; i += 1) expect(await codeOf(() => first.services.session.unlock(wrong))).toBe('wrong_passphrase');
    first.clock.advance(1000);
    expect(await codeOf(() => first.services.session.unlock(wrong))).toBe('wrong_passphrase');
    expect(first.services.session.status().retryAfterSeconds).toBe(2);
    first.services.dispose();
    await first.services.session.whenLockSettled();

    // A restart on the same data folder and clock: still blocked, and the next failure doubles the wait.
    const second = harness({ dataDir: first.dataDir, clock: first.clock });
    expect(second.services.session.status()).toMatchObject({ state: 'locked', retryAfterSeconds: 2 });
    expect(await codeOf(() => second.services.session.unlock({ username: ADMIN.username, passphrase: ADMIN.passphrase }))).toBe('too_many_attempts');
    second.clock.advance(2000);
    expect(await codeOf(() => second.services.session.unlock(wrong))).toBe('wrong_passphrase');
    expect(second.services.session.status().retryAfterSeconds).toBe(4);
    second.clock.advance(4000);
    await second.services.session.unlock({ username: ADMIN.username, passphrase: ADMIN.passphrase });
    expect(existsSync(join(first.dataDir, THROTTLE_FILE))).toBe(false);
  });

  it('starts from zero when the saved delay is damaged, and never waits longer than the cap', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'vigil-session-'));
    const clock = manualClock();
    writeFileSync(join(dataDir, THROTTLE_FILE), '{not json');
    expect(createUnlockThrottle(dataDir, () => clock.now()).retryAfterSeconds()).toBe(0);
    writeFileSync(join(dataDir, THROTTLE_FILE), JSON.stringify({ failures: 40, blockedUntil: clock.now() + 10 * 86_400_000 }));
    expect(createUnlockThrottle(dataDir, () => clock.now()).retryAfterSeconds()).toBe(MAX_DELAY_SECONDS);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('locks after the idle time unless touched, and the idle time is a stored setting', async () => {
    const { services, clock, events } = harness();
    await services.session.create(ADMIN);
    expect(services.session.status().idleLockMinutes).toBe(10);
    clock.advance(9 * 60_000);
    services.session.touch();
    clock.advance(9 * 60_000);
    expect(services.session.status().state).toBe('unlocked');
    clock.advance(60_000);
    expect(services.session.status().state).toBe('locked');
    expect(events).toEqual([{ event: 'locked', payload: { reason: 'idle' } }]);

    await services.session.unlock({ username: ADMIN.username, passphrase: ADMIN.passphrase });
    services.session.setIdleLockMinutes(2);
    services.session.lock('user');
    await services.session.unlock({ username: ADMIN.username, passphrase: ADMIN.passphrase });
    expect(services.session.status().idleLockMinutes).toBe(2);
    clock.advance(2 * 60_000);
    expect(services.session.status().state).toBe('locked');
  });

  it('fills sample data through the hook when asked, and refuses when no generator is wired', async () => {
    const withHook = harness({ withDemoHook: true });
    await withHook.services.session.create({ ...ADMIN, withDemoData: true });
    expect(withHook.demoFills).toHaveLength(1);
    const dataDir = mkdtempSync(join(tmpdir(), 'vigil-session-'));
    const bare = createSessionService(dataDir, () => undefined, { kdf: TEST_SCRYPT, backgroundCheckpoint: false });
    cleanups.push(() => {
      bare.close();
      rmSync(dataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    });
    expect(await codeOf(() => bare.create({ ...ADMIN, withDemoData: true }))).toBe('invalid_input');
    expect(bare.status().state).toBe('none');
  });
});

describe('profiles and roles through the IPC registry', () => {
  it('lets an admin add an investigator who can unlock but not administer', async () => {
    const { services } = harness();
    const registry = createIpcRegistry({ handlers: createHandlers(services), session: services.session, allowedOrigins: [ORIGIN], checkOutputs: true });
    const call = (operation: string, input: unknown) => registry.invoke(operation, input, { origin: ORIGIN });

    expect(await call('createStore', ADMIN)).toMatchObject({ ok: true, value: { state: 'unlocked' } });
    const added = await call('addUser', { username: 'li.na', displayName: '李娜', role: 'investigator', passphrase: 'investigator pass' });
    expect(added).toMatchObject({ ok: true, value: { username: 'li.na', role: 'investigator', disabled: false } });
    expect(await call('addUser', { username: 'li.na', displayName: '李娜', role: 'trainer', passphrase: 'another pass' })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    const listed = await call('listUsers', {});
    expect(listed.ok && (listed.value as { username: string }[]).map((u) => u.username)).toEqual(['li.na', 'wang.jg']);

    await call('lock', {});
    expect(services.session.status().usernames).toEqual(['li.na', 'wang.jg']);
    expect(await call('unlock', { username: 'li.na', passphrase: 'investigator pass' })).toMatchObject({ ok: true, value: { user: { role: 'investigator' } } });
    expect(await call('addUser', { username: 'x.y', displayName: 'X', role: 'admin', passphrase: 'whatever pass' })).toMatchObject({ ok: false, error: { code: 'forbidden_role' } });
    expect(await call('listUsers', {})).toMatchObject({ ok: false, error: { code: 'forbidden_role' } });
    expect(await call('rekeyStore', { passphrase: 'investigator pass' })).toMatchObject({ ok: false, error: { code: 'forbidden_role' } });
  });

  it('changes one\'s own passphrase by rewrapping the slot only: the sealed data key stays, old passphrase refused', async () => {
    const { services } = harness();
    await services.session.create(ADMIN);
    const sealedBefore = readKeyring(services.session.storeDir).slots[0]?.sealedDataKey;
    const registry = createIpcRegistry({ handlers: createHandlers(services), session: services.session, allowedOrigins: [ORIGIN], checkOutputs: true });
    const call = (operation: string, input: unknown) => registry.invoke(operation, input, { origin: ORIGIN });
    expect(await call('changePassphrase', { currentPassphrase: 'not it at all', newPassphrase: 'brand new passphrase' })).toMatchObject({ ok: false, error: { code: 'wrong_passphrase' } });
    expect(await call('changePassphrase', { currentPassphrase: ADMIN.passphrase, newPassphrase: 'brand new passphrase' })).toMatchObject({ ok: true });
    expect(readKeyring(services.session.storeDir).slots[0]?.sealedDataKey).toEqual(sealedBefore);
    await call('lock', {});
    expect(await call('unlock', { username: ADMIN.username, passphrase: ADMIN.passphrase })).toMatchObject({ ok: false, error: { code: 'wrong_passphrase' } });
    expect(await call('unlock', { username: ADMIN.username, passphrase: 'brand new passphrase' })).toMatchObject({ ok: true });
    const audit = await call('listAudit', { limit: 10 });
    expect(audit.ok && (audit.value as { entries: { action: string }[] }).entries.map((e) => e.action)).toContain('user.passphrase_change');
    expect(await call('verifyStore', {})).toMatchObject({ ok: true, value: { ok: true, integrity: 'ok', firstBrokenEntry: null } });
  });

  it('backs up and restores through the admin operations, leaving the session locked on the restored store', async () => {
    const { services, events } = harness();
    const registry = createIpcRegistry({ handlers: createHandlers(services), session: services.session, allowedOrigins: [ORIGIN], checkOutputs: true });
    const call = (operation: string, input: unknown) => registry.invoke(operation, input, { origin: ORIGIN });
    await call('createStore', ADMIN);
    const file = join(services.session.storeDir, '..', 'backups', 'first.vbk');
    expect(await call('backupStore', { path: file })).toMatchObject({ ok: true, value: { file } });
    expect(await call('backupStore', { path: 'relative/file.vbk' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    await call('addUser', { username: 'after.backup', displayName: '后来者', role: 'investigator', passphrase: 'added after backup' });

    expect(await call('restoreStore', { path: file, passphrase: 'not mine at all', backupUsername: ADMIN.username, backupPassphrase: ADMIN.passphrase })).toMatchObject({
      ok: false,
      error: { code: 'wrong_passphrase' },
    });
    const restored = await call('restoreStore', { path: file, passphrase: ADMIN.passphrase, backupUsername: ADMIN.username, backupPassphrase: ADMIN.passphrase });
    expect(restored).toMatchObject({ ok: true, value: { report: { ok: true } } });
    expect(services.session.status()).toMatchObject({ state: 'locked', usernames: ['wang.jg'] });
    expect(events.at(-1)).toEqual({ event: 'locked', payload: { reason: 'user' } });
    await services.session.unlock({ username: ADMIN.username, passphrase: ADMIN.passphrase });
    const actions = services.session.store().db.prepare('SELECT action FROM audit_log ORDER BY seq').pluck().all();
    expect(actions).toEqual(expect.arrayContaining(['store.backup', 'store.restore', 'session.unlock']));
    expect(services.admin.listUsers().map((user) => user.username)).toEqual(['wang.jg']);
  });
});
