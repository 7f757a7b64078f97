import { describe, expect, it } from 'vitest';
import { openPlainDatabase } from '../../main/store/database.js';
import { migration as core } from '../../main/store/migrations/001_core.js';
import { migration as records } from '../../main/store/migrations/002_records.js';
import { migration as workflow } from '../../main/store/migrations/003_workflow.js';
import { migration as analysis } from '../../main/store/migrations/004_analysis.js';
import { MIGRATIONS } from '../../main/store/migrations/index.js';
import { applyMigrations } from '../../main/store/migrations/runner.js';

function analysisDb() {
  const db = openPlainDatabase(':memory:');
  applyMigrations(db, [core, records, workflow, analysis]);
  return db;
}

/** The schema the repository is written against (every migration). */
function currentDb() {
  const db = openPlainDatabase(':memory:');
  applyMigrations(db, MIGRATIONS);
  return db;
}

describe('migration 004 analysis', () => {
  it('creates the analysis tables and starts the watermark at zero', () => {
    const db = analysisDb();
    const names = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'analysis_%' ORDER BY name`).pluck().all();
    expect(names).toEqual([
      'analysis_applicants', 'analysis_applications', 'analysis_device_identities', 'analysis_device_keys', 'analysis_link_counts', 'analysis_link_keys',
      'analysis_observations', 'analysis_parameters', 'analysis_ring_members', 'analysis_rings', 'analysis_runs', 'analysis_score_history',
      'analysis_sessions', 'analysis_state',
    ]);
    expect(db.prepare(`SELECT value FROM analysis_state WHERE key = 'watermark'`).pluck().get()).toBe('0');
  });

  it('refuses a score outside 0-1000 and a band outside the four bands', () => {
    const db = analysisDb();
    const insert = db.prepare(`INSERT INTO analysis_applications (application_id, applicant_id, score, band, reasons_json, features_json, evidence_json, findings_json, rule_set, inputs_hash, run_id, scored_at)
      VALUES (?, 'A1', ?, ?, '[]', '{}', '{}', '[]', 'default-v1', 'h', 1, 't')`);
    expect(() => insert.run('AP1', 1001, 'high')).toThrow(/CHECK/);
    expect(() => insert.run('AP1', 500, 'severe')).toThrow(/CHECK/);
    insert.run('AP1', 500, 'medium');
  });

  it('keeps one ring per applicant and drops members with their ring', () => {
    const db = analysisDb();
    db.prepare(`INSERT INTO analysis_rings (ring_id, score, base_score, size, household_share, strong_kinds_json, links_json, edges_json, confirmed_json, run_id)
      VALUES (?, 700, 600, 2, 0, '[]', '[]', '[]', '[]', 1)`).run('R1');
    db.prepare(`INSERT INTO analysis_rings (ring_id, score, base_score, size, household_share, strong_kinds_json, links_json, edges_json, confirmed_json, run_id)
      VALUES (?, 700, 600, 2, 0, '[]', '[]', '[]', '[]', 1)`).run('R2');
    const member = db.prepare('INSERT INTO analysis_ring_members (ring_id, applicant_id) VALUES (?, ?)');
    member.run('R1', 'A1');
    expect(() => member.run('R2', 'A1')).toThrow(/UNIQUE/);
    db.pragma('foreign_keys = ON');
    db.prepare('DELETE FROM analysis_rings WHERE ring_id = ?').run('R1');
    expect(db.prepare('SELECT count(*) FROM analysis_ring_members').pluck().get()).toBe(0);
  });

  it('allows one active model and one active baseline', () => {
    const db = analysisDb();
    const insert = db.prepare(`INSERT INTO analysis_parameters (version, kind, body_json, basis, created_at, active) VALUES (?, ?, '{}', 0, 't', 1)`);
    insert.run('m1', 'model');
    insert.run('b1', 'baseline');
    expect(() => insert.run('m2', 'model')).toThrow(/UNIQUE/);
  });
});

describe('link key holder counts', () => {
  it('follow every applicant moving between keys', async () => {
    const { AnalysisRepository } = await import('../../main/store/repositories/analysis.js');
    const db = currentDb();
    const repo = new AnalysisRepository(db);
    const phone = { kind: 'phone', key: 'p1' };
    const device = { kind: 'device', key: 'd1' };
    repo.replaceLinkKeys('A1', [], [phone, device]);
    repo.replaceLinkKeys('A2', [], [phone]);
    // One holder: no row (readers count a lone holder themselves).
    expect(Object.fromEntries(repo.holderCounts(['p1', 'd1']))).toEqual({ 'phone|p1': 2 });
    repo.replaceLinkKeys('A3', [], [phone, device]);
    expect(Object.fromEntries(repo.holderCounts(['p1', 'd1']))).toEqual({ 'phone|p1': 3, 'device|d1': 2 });
    repo.replaceLinkKeys('A1', [phone, device], [phone]);
    expect(Object.fromEntries(repo.holderCounts(['p1', 'd1']))).toEqual({ 'phone|p1': 3 });
    repo.replaceLinkKeys('A2', [phone], []);
    repo.replaceLinkKeys('A3', [phone, device], [device]);
    expect(Object.fromEntries(repo.holderCounts(['p1', 'd1']))).toEqual({});
    repo.clearLinkKeys();
    repo.insertLinkKeys('A3', [device]);
    repo.insertLinkKeys('A4', [device, phone]);
    repo.rebuildLinkCounts();
    expect(Object.fromEntries(repo.holderCounts(['p1', 'd1']))).toEqual({ 'device|d1': 2 });
  });

  it('equal a recount of every key with two or more holders after many moves, roles sharing one key included', async () => {
    const { AnalysisRepository } = await import('../../main/store/repositories/analysis.js');
    const db = currentDb();
    const repo = new AnalysisRepository(db);
    // A phone key held as own phone by some and as emergency contact by others: counts are per role.
    const pool = [
      { kind: 'phone', key: 'p1' }, { kind: 'contact_phone', key: 'p1' }, { kind: 'phone', key: 'p2' }, { kind: 'device', key: 'd1' },
      { kind: 'ip', key: 'i1' }, { kind: 'ip', key: 'i2' }, { kind: 'employer', key: 'e1' },
    ];
    const held = new Map<string, { kind: string; key: string }[]>();
    let seed = 7;
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return (seed >>> 16) % n;
    };
    const expected = (): Record<string, number> => {
      const counts = new Map<string, number>();
      for (const keys of held.values()) for (const k of keys) counts.set(`${k.kind}|${k.key}`, (counts.get(`${k.kind}|${k.key}`) ?? 0) + 1);
      return Object.fromEntries([...counts].filter(([, n]) => n >= 2));
    };
    for (let step = 0; step < 400; step++) {
      const applicant = `A${next(6)}`;
      const after = pool.filter(() => next(3) === 0);
      repo.replaceLinkKeys(applicant, held.get(applicant) ?? [], after);
      held.set(applicant, after);
      // Now and then the pending keys move to the main index, as an incremental run's fold does.
      if (step % 50 === 49) repo.foldPendingKeys(0);
      expect(Object.fromEntries(repo.allLinkCounts()), `step ${step}`).toEqual(expected());
    }
    repo.rebuildLinkCounts();
    expect(Object.fromEntries(repo.allLinkCounts())).toEqual(expected());
  });

  it('equal a recount too when a run writes a slice of applicants at once, keys gained and lost by several of them together', async () => {
    const { AnalysisRepository } = await import('../../main/store/repositories/analysis.js');
    const db = currentDb();
    const repo = new AnalysisRepository(db);
    // With the key filters open, new keys the main index certainly lacks are counted from the pending index alone.
    repo.openKeyFilters();
    const pool = [
      { kind: 'phone', key: 'p1' }, { kind: 'contact_phone', key: 'p1' }, { kind: 'phone', key: 'p2' }, { kind: 'device', key: 'd1' },
      { kind: 'ip', key: 'i1' }, { kind: 'ip', key: 'i2' }, { kind: 'employer', key: 'e1' }, { kind: 'address', key: 'a1' },
    ];
    const held = new Map<string, { kind: string; key: string }[]>();
    let seed = 11;
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return (seed >>> 16) % n;
    };
    const rows = (): string[] => (db.prepare('SELECT applicant_id, kind, key FROM analysis_link_keys ORDER BY 1, 2, 3').all() as { applicant_id: string; kind: string; key: string }[]).map((r) => `${r.applicant_id}|${r.kind}|${r.key}`);
    const expected = (): Record<string, number> => {
      const counts = new Map<string, number>();
      for (const keys of held.values()) for (const k of keys) counts.set(`${k.kind}|${k.key}`, (counts.get(`${k.kind}|${k.key}`) ?? 0) + 1);
      return Object.fromEntries([...counts].filter(([, n]) => n >= 2));
    };
    for (let step = 0; step < 200; step++) {
      // A slice: distinct applicants, each moving from its stored keys to new ones.
      const applicants = [...new Set(Array.from({ length: 1 + next(5) }, () => `A${next(8)}`))];
      const changes = applicants.map((applicantId) => ({ applicantId, before: held.get(applicantId) ?? [], after: pool.filter(() => next(3) === 0) }));
      repo.replaceLinkKeysOf(changes);
      for (const c of changes) held.set(c.applicantId, c.after);
      if (step % 40 === 39) repo.foldPendingKeys(0);
      expect(Object.fromEntries(repo.allLinkCounts()), `step ${step}`).toEqual(expected());
      expect(rows(), `step ${step}`).toEqual([...held].flatMap(([a, keys]) => keys.map((k) => `${a}|${k.kind}|${k.key}`)).sort());
    }
  });
});

describe('device blocking key counts', () => {
  it('stop at the cap and leave out the observations being re-linked', async () => {
    const { AnalysisRepository } = await import('../../main/store/repositories/analysis.js');
    const repo = new AnalysisRepository(currentDb());
    // Half of them pending (an incremental run's), half in the main index: counts and caps span both.
    for (let i = 0; i < 10; i++) repo.replaceDeviceKeys(`O${i}`, ['common', ...(i < 3 ? ['rare'] : [])], i % 2 === 0);
    expect(Object.fromEntries(repo.deviceKeyCounts(['common', 'rare', 'absent'], [], 100))).toEqual({ common: 10, rare: 3 });
    expect(Object.fromEntries(repo.deviceKeyCounts(['common', 'rare'], ['O0', 'O5'], 100))).toEqual({ common: 8, rare: 2 });
    expect(Object.fromEntries(repo.deviceKeyCounts(['common', 'rare'], ['O0'], 5))).toEqual({ common: 5, rare: 2 });
  });
});
