import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { createIpcRegistry, type Handlers } from '../../main/ipc/registry.js';
import { openPlainDatabase } from '../../main/store/database.js';
import type { SessionUser } from '../../shared/ipc/ops/session.js';
import { OPERATION_NAMES } from '../../shared/ipc/contract.js';

const ORIGIN = 'app://vigil';
const investigator: SessionUser = { id: 'u1', username: 'li.na', displayName: '李娜', role: 'investigator' };

function registryWith(user: SessionUser | null) {
  const calls: string[] = [];
  const handlers = Object.fromEntries(
    OPERATION_NAMES.map((name) => [name, vi.fn((input: unknown) => { calls.push(name); return { echoed: input }; })]),
  ) as unknown as Handlers;
  handlers.getPreferences = vi.fn(() => { calls.push('getPreferences'); return { language: 'en' as const, theme: 'light' as const }; });
  handlers.setPreferences = vi.fn((input: { language?: 'en' | 'zh-CN'; theme?: 'light' | 'dark' | 'system' }) => { calls.push('setPreferences'); return { language: input.language ?? 'en', theme: input.theme ?? 'light' }; });
  const registry = createIpcRegistry({ handlers, session: { currentUser: () => user }, allowedOrigins: [ORIGIN], checkOutputs: true });
  return { registry, calls };
}

describe('IPC registry', () => {
  it('runs a valid call and returns the service value', async () => {
    const { registry, calls } = registryWith(null);
    const result = await registry.invoke('setPreferences', { language: 'zh-CN' }, { origin: ORIGIN });
    expect(result).toEqual({ ok: true, value: { language: 'zh-CN', theme: 'light' } });
    expect(calls).toEqual(['setPreferences']);
  });

  it('returns invalid_input for a malformed input without reaching the service', async () => {
    const { registry, calls } = registryWith(null);
    const result = await registry.invoke('setPreferences', { language: 'fr' }, { origin: ORIGIN });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('invalid_input');
      expect(result.error.where).toBe('language');
    }
    expect(calls).toEqual([]);
  });

  it('refuses extra fields, wrong types and oversized strings with invalid_input', async () => {
    const { registry, calls } = registryWith(null);
    for (const input of [{ language: 'en', extra: 1 }, { theme: 42 }, 'not an object', { username: 'x'.repeat(5000), passphrase: 'p' }]) {
      const op = typeof input === 'object' && 'username' in input ? 'unlock' : 'setPreferences';
      const result = await registry.invoke(op, input, { origin: ORIGIN });
      expect(result.ok ? 'ok' : result.error.code).toBe('invalid_input');
    }
    expect(calls).toEqual([]);
  });

  it('refuses prototype-pollution keys anywhere in the input', async () => {
    const { registry, calls } = registryWith(null);
    const polluted = JSON.parse('{"language":"en","__proto__":{"isAdmin":true}}') as unknown;
    const result = await registry.invoke('setPreferences', polluted, { origin: ORIGIN });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input', where: '__proto__' } });
    const nested = JSON.parse('{"a":{"constructor":{"prototype":{}}}}') as unknown;
    expect(await registry.invoke('setPreferences', nested, { origin: ORIGIN })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(calls).toEqual([]);
    expect(({} as Record<string, unknown>)['isAdmin']).toBeUndefined();
  });

  it('refuses a call from a foreign origin before anything else', async () => {
    const { registry, calls } = registryWith(investigator);
    const result = await registry.invoke('getPreferences', {}, { origin: 'https://evil.example' });
    expect(result).toMatchObject({ ok: false, error: { code: 'forbidden_origin' } });
    expect(calls).toEqual([]);
  });

  it('cannot call an unknown operation, including inherited object keys', async () => {
    const { registry } = registryWith(investigator);
    for (const name of ['dropDatabase', 'toString', '__proto__', 'constructor', 42]) {
      const result = await registry.invoke(name, {}, { origin: ORIGIN });
      expect(result).toMatchObject({ ok: false, error: { code: 'unknown_operation' } });
    }
  });

  it('refuses signed-in operations while locked', async () => {
    const { registry, calls } = registryWith(null);
    expect(await registry.invoke('lock', {}, { origin: ORIGIN })).toMatchObject({ ok: false, error: { code: 'locked' } });
    expect(calls).toEqual([]);
  });

  it('turns an unexpected service failure into internal without leaking its message', async () => {
    const { registry } = registryWith(null);
    const onInternalError = vi.fn();
    const failing = createIpcRegistry({
      handlers: { ...(Object.fromEntries(OPERATION_NAMES.map((n) => [n, () => ({})])) as unknown as Handlers), getPreferences: () => { throw new Error('SQLITE_CORRUPT at /home/x'); } },
      session: { currentUser: () => null },
      allowedOrigins: [ORIGIN],
      onInternalError,
    });
    const result = await failing.invoke('getPreferences', {}, { origin: ORIGIN });
    expect(result).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(JSON.stringify(result)).not.toContain('SQLITE');
    expect(onInternalError).toHaveBeenCalledOnce();
    expect(registry).toBeDefined();
  });

  it('says the store is busy when another connection holds its write lock, instead of internal', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-busy-'));
    const file = join(dir, 'busy.db');
    const holder = openPlainDatabase(file);
    const writer = openPlainDatabase(file);
    try {
      writer.pragma('busy_timeout = 0');
      holder.exec('CREATE TABLE t (x INTEGER)');
      holder.exec('BEGIN IMMEDIATE');
      const onInternalError = vi.fn();
      const busy = createIpcRegistry({
        handlers: { ...(Object.fromEntries(OPERATION_NAMES.map((n) => [n, () => ({})])) as unknown as Handlers), getPreferences: () => { writer.exec('INSERT INTO t VALUES (1)'); return { language: 'en' as const, theme: 'light' as const }; } },
        session: { currentUser: () => null },
        allowedOrigins: [ORIGIN],
        onInternalError,
      });
      const result = await busy.invoke('getPreferences', {}, { origin: ORIGIN });
      expect(result).toMatchObject({ ok: false, error: { code: 'store_busy' } });
      expect(result.ok ? '' : result.error.message).toContain('another program');
      expect(onInternalError).not.toHaveBeenCalled();
      holder.exec('ROLLBACK');
    } finally {
      writer.close();
      holder.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

