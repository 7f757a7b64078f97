import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../main/store/migrations/index.js';
import { createStore, TEST_SCRYPT } from '../../main/store/open.js';

const work = mkdtempSync(join(tmpdir(), 'vigil-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 }));
const PASSPHRASE = 'cli test passphrase';
const fixture = new URL('../fixtures/interchange/all-types.jsonl', import.meta.url).pathname;

/** Runs the real bin (the same file `npx vigil` runs), without a terminal. */
function vigil(args: string[], env: Record<string, string | undefined> = { VIGIL_PASSPHRASE: PASSPHRASE }): { status: number | null; stdout: string; stderr: string } {
  const childEnv: NodeJS.ProcessEnv = { ...process.env };
  delete childEnv['VIGIL_PASSPHRASE'];
  for (const [k, v] of Object.entries(env)) if (v !== undefined) childEnv[k] = v;
  const result = spawnSync(process.execPath, ['main/cli/vigil.mjs', ...args], { env: childEnv, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('the vigil command line', () => {
  const store = join(work, 'store');

  it('creates a store, imports into it and verifies it, with VIGIL_PASSPHRASE', () => {
    const init = vigil(['init', '--store', store, '--user', 'li.na', '--name', '李娜']);
    expect(init).toMatchObject({ status: 0, stdout: `created an encrypted store in ${store}; profile li.na (admin)\n` });

    const imported = vigil(['import', fixture, '--store', store]);
    expect(imported.status).toBe(0);
    expect(imported.stdout).toMatch(/^applicant\s+1\s+0\s+0$/m);
    expect(imported.stdout).toMatch(/^event\s+2\s+0\s+0$/m);
    expect(imported.stdout).toMatch(/^total\s+11\s+0\s+0$/m);
    expect(imported.stderr).toContain('import: imported 11 new, 0 changed, 0 unchanged records; 0 rejected');

    const verified = vigil(['verify', '--store', store]);
    expect(verified.status).toBe(0);
    expect(verified.stdout).toContain('integrity: ok\n');
    expect(verified.stdout.trim().endsWith('ok')).toBe(true);
  });

  it('exits 1 on bad input, printing rejected lines as file:line and writing the report', () => {
    const bad = join(work, 'bad.jsonl');
    writeFileSync(bad, '{"type":"applicant","id":"A9","name":"x","id_number":"11010519491231002X"}\nnot json\n');
    const report = join(work, 'report.txt');
    const result = vigil(['import', bad, '--store', store, '--report', report]);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('bad.jsonl:1: applicant.phone: is required\n');
    expect(result.stdout).toMatch(/^bad\.jsonl:2: record: not valid JSON/m);
    expect(result.stderr).toContain('vigil import: 2 lines were rejected\n');
    expect(readFileSync(report, 'utf8').split('\n').filter(Boolean)).toHaveLength(2);
    // Two files of one name in two folders: each rejected line says which, by the path as given.
    for (const folder of ['x', 'y']) mkdirSync(join(work, folder), { recursive: true });
    writeFileSync(join(work, 'x', 'same.jsonl'), 'not json\n');
    writeFileSync(join(work, 'y', 'same.jsonl'), 'not json either\n');
    const twins = vigil(['import', join(work, 'x', 'same.jsonl'), join(work, 'y', 'same.jsonl'), '--store', store]);
    expect(twins.stdout).toContain(`${join(work, 'x', 'same.jsonl')}:1: record: not valid JSON`);
    expect(twins.stdout).toContain(`${join(work, 'y', 'same.jsonl')}:1: record: not valid JSON`);
    expect(vigil(['import', join(work, 'x', 'same.jsonl'), '--store', store]).stderr).toContain('vigil import: 1 line was rejected\n');
  });

  it('exits 1 for a wrong passphrase, a missing passphrase without a terminal, a missing file and an existing store', () => {
    expect(vigil(['verify', '--store', store], { VIGIL_PASSPHRASE: 'not the passphrase' })).toMatchObject({ status: 1, stderr: 'vigil verify: the username or the passphrase is wrong\n' });
    expect(vigil(['verify', '--store', store], {})).toMatchObject({ status: 1, stderr: 'vigil verify: no passphrase: set VIGIL_PASSPHRASE or run vigil in a terminal to be asked for it\n' });
    expect(vigil(['import', join(work, 'missing.jsonl'), '--store', store]).status).toBe(1);
    expect(vigil(['init', '--store', store])).toMatchObject({ status: 1 });
    expect(vigil(['verify', '--store', join(work, 'nowhere')]).stderr).toContain('there is no store in');
  });

  it('never writes a result over the store\'s own files, and names a folder given as a file, a file given as the store folder and a full disk', () => {
    const before = { keyring: readFileSync(join(store, 'keyring.json')) };
    for (const [command, file] of [['analyze', 'vigil.db'], ['verify', 'keyring.json'], ['import', 'keyring.json']] as const) {
      const args = command === 'import' ? ['import', fixture, '--store', store, '--report', join(store, file)] : [command, '--store', store, '--out', join(store, file)];
      const refused = vigil(args);
      expect(refused.status).toBe(1);
      expect(refused.stderr).toContain(`it is inside the store folder ${store}: choose a file outside it`);
    }
    // Spelled another way (through ..), and a new file in the store folder: refused all the same.
    expect(vigil(['export', 'scores', '--store', store, '--out', join(store, '..', 'store', 'scores.jsonl')]).stderr).toContain('it is inside the store folder');
    expect(readFileSync(join(store, 'keyring.json'))).toEqual(before.keyring);
    expect(vigil(['verify', '--store', store]).status).toBe(0);

    expect(vigil(['import', work, '--store', store])).toMatchObject({ status: 1, stderr: `vigil import: cannot import ${work}: it is a folder (name the files in it)\n` });
    expect(vigil(['import', join(work, 'missing.jsonl'), '--store', store]).stderr).toBe(`vigil import: cannot read ${join(work, 'missing.jsonl')}: no such file or folder\n`);
    expect(vigil(['init', '--store', fixture])).toMatchObject({ status: 1, stderr: `vigil init: cannot create the store folder ${fixture}: it, or a folder on its path, is a file\n` });

    expect(vigil(['analyze', '--store', store]).status).toBe(0);
    expect(vigil(['export', 'scores', '--store', store, '--out', '/dev/full'])).toMatchObject({ status: 1, stderr: 'vigil export: cannot write /dev/full (--out): the disk is full\n' });
    // Results on standard output, where the shell sent them to a full disk.
    const full = openSync('/dev/full', 'w');
    try {
      const childEnv: NodeJS.ProcessEnv = { ...process.env, VIGIL_PASSPHRASE: PASSPHRASE };
      const result = spawnSync(process.execPath, ['main/cli/vigil.mjs', 'export', 'scores', '--store', store], { env: childEnv, encoding: 'utf8', stdio: ['ignore', full, 'pipe'] });
      expect(result).toMatchObject({ status: 1, stderr: 'vigil: cannot write the results to standard output: the disk is full\n' });
    } finally {
      closeSync(full);
    }
  });

  it('says so on stderr when it updates a store from an older Vigil, once', async () => {
    const older = join(work, 'older-store');
    const created = await createStore(older, { username: 'li.na', displayName: '李娜', passphrase: PASSPHRASE, kdf: TEST_SCRYPT, migrations: MIGRATIONS.slice(0, -2) });
    created.store.close();
    const first = vigil(['verify', '--store', older]);
    expect(first.status).toBe(0);
    expect(first.stderr).toContain(`updating the store for this version of Vigil (2 schema steps: ${MIGRATIONS.slice(-2).map((m) => m.name).join(', ')}); a large store can take a minute\n`);
    expect(first.stdout).toContain('integrity: ok\n');
    const second = vigil(['verify', '--store', older]);
    expect(second.status).toBe(0);
    expect(second.stderr).not.toContain('updating the store');
  });

  it('exits 2 with the usage on usage errors', () => {
    const noFiles = vigil(['import', '--store', store]);
    expect(noFiles.status).toBe(2);
    expect(noFiles.stderr).toBe('vigil import: import needs an argument\nusage: vigil import FILE... --store DIR [--strict] [--type TYPE] [--report FILE] [--out FILE] [--user NAME]\n');
    expect(vigil(['import', fixture])).toMatchObject({ status: 2, stderr: expect.stringContaining('--store is required') as unknown });
    expect(vigil(['import', fixture, '--store', store, '--type', 'loan']).status).toBe(2);
    expect(vigil(['import', fixture, '--store', store, '--bogus']).status).toBe(2);
    const unknown = vigil(['frobnicate']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('vigil: unknown command "frobnicate"');
    expect(unknown.stderr).toContain('vigil import FILE... --store DIR');
    expect(vigil([]).status).toBe(2);
    expect(vigil(['--help'])).toMatchObject({ status: 0, stdout: expect.stringContaining('usage: vigil <command> [options]') as unknown });
    expect(vigil(['generate', '--applicants', 'many', '--seed', '1', '--out', work]).status).toBe(2);
  });

  it('generates the same files for the same seed', () => {
    const a = vigil(['generate', '--applicants', '40', '--seed', 's1', '--out', join(work, 'g1')], {});
    const b = vigil(['generate', '--applicants', '40', '--seed', 's1', '--out', join(work, 'g2')], {});
    expect(a.status).toBe(0);
    expect(b.status).toBe(0);
    expect(readFileSync(join(work, 'g1', 'population.jsonl')).equals(readFileSync(join(work, 'g2', 'population.jsonl')))).toBe(true);
    expect(readFileSync(join(work, 'g1', 'truth.jsonl')).equals(readFileSync(join(work, 'g2', 'truth.jsonl')))).toBe(true);
    expect(a.stdout).toBe(`${join(work, 'g1', 'population.jsonl')}\n${join(work, 'g1', 'truth.jsonl')}\n`);
  });

  it('makes a demo store that opens and verifies', () => {
    const demo = join(work, 'demo');
    const made = vigil(['demo', '--store', demo, '--applicants', '60']);
    expect(made.status).toBe(0);
    expect(made.stdout).toMatch(/^created a sample store in .+: 60 applicants, [\d,]+ records; profile admin\n$/);
    expect(existsSync(join(demo, 'vigil.db'))).toBe(true);
    expect(vigil(['verify', '--store', demo]).status).toBe(0);
  });
});
