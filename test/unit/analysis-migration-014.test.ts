import { describe, expect, it } from 'vitest';
import { openPlainDatabase } from '../../main/store/database.js';
import { MIGRATIONS } from '../../main/store/migrations/index.js';
import { applyMigrations } from '../../main/store/migrations/runner.js';
import { AnalysisRepository, type RingRow } from '../../main/store/repositories/analysis.js';

function migrated(upTo: number) {
  const db = openPlainDatabase(':memory:');
  applyMigrations(db, MIGRATIONS.filter((m) => m.id <= upTo));
  return db;
}

const ring = (ringId: string, keys: string[], members: string[]): RingRow => ({
  ringId, score: 500, baseScore: 500, size: members.length, householdShare: 0, strongKinds: [],
  links: keys.map((k) => ({ kind: 'address', value_hash: k, members: members.length })), edges: [], confirmed: [], members,
});

describe('migration 014 ring_keys', () => {
  it('indexes the keys of the rings a store already holds', () => {
    const db = migrated(13);
    const insert = db.prepare(`INSERT INTO analysis_rings (ring_id, score, base_score, size, household_share, strong_kinds_json, links_json, edges_json, confirmed_json, run_id)
      VALUES (?, 500, 500, 2, 0, '[]', ?, '[]', '[]', 1)`);
    insert.run('R1', JSON.stringify(ring('R1', ['k1', 'k2'], []).links));
    insert.run('R2', JSON.stringify(ring('R2', ['k2'], []).links));
    applyMigrations(db, MIGRATIONS);
    const repo = new AnalysisRepository(db);
    expect(repo.ringIdsOfKeys(['k1']).sort()).toEqual(['R1']);
    expect(repo.ringIdsOfKeys(['k2', 'k9']).sort()).toEqual(['R1', 'R2']);
  });

  it('follows the rings as the repository writes, replaces and clears them', () => {
    const db = migrated(MIGRATIONS.length);
    const repo = new AnalysisRepository(db);
    repo.insertRing(ring('R1', ['k1', 'k2'], ['A1', 'A2']), 1);
    repo.insertRing(ring('R2', ['k2', 'k3'], ['A3', 'A4']), 1);
    expect(repo.ringIdsOfKeys(['k2']).sort()).toEqual(['R1', 'R2']);
    repo.deleteRings(['R1'], ['A1', 'A2']);
    expect(repo.ringIdsOfKeys(['k1', 'k2'])).toEqual(['R2']);
    repo.clearRings();
    expect(repo.ringIdsOfKeys(['k2', 'k3'])).toEqual([]);
    expect(db.prepare('SELECT count(*) FROM analysis_ring_keys').pluck().get()).toBe(0);
  });
});
