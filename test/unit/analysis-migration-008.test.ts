import { describe, expect, it } from 'vitest';
import { openPlainDatabase } from '../../main/store/database.js';
import { MIGRATIONS } from '../../main/store/migrations/index.js';
import { applyMigrations } from '../../main/store/migrations/runner.js';
import { AnalysisRepository } from '../../main/store/repositories/analysis.js';

function migrated(upTo: number) {
  const db = openPlainDatabase(':memory:');
  applyMigrations(db, MIGRATIONS.filter((m) => m.id <= upTo));
  return db;
}

function plan(db: ReturnType<typeof migrated>, sql: string, params: Record<string, unknown>): string {
  return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as Array<{ detail: string }>).map((r) => r.detail).join('\n');
}

describe('migration 008 pending_keys', () => {
  it('keeps every stored link and device key, all of them in the main indexes', () => {
    const db = migrated(7);
    db.exec(`INSERT INTO analysis_link_keys (applicant_id, kind, key) VALUES ('A1', 'phone', 'p1'), ('A2', 'phone', 'p1'), ('A2', 'ip', 'i9')`);
    db.exec(`INSERT INTO analysis_device_keys (key, observation_id) VALUES ('k1', 'D1'), ('k1', 'D2'), ('k2', 'D2')`);
    applyMigrations(db, MIGRATIONS);
    expect(db.prepare('SELECT applicant_id, kind, key, pending FROM analysis_link_keys ORDER BY applicant_id, kind, key').all()).toEqual([
      { applicant_id: 'A1', kind: 'phone', key: 'p1', pending: 0 },
      { applicant_id: 'A2', kind: 'ip', key: 'i9', pending: 0 },
      { applicant_id: 'A2', kind: 'phone', key: 'p1', pending: 0 },
    ]);
    expect(db.prepare('SELECT observation_id, key, pending FROM analysis_device_keys ORDER BY observation_id, key').all()).toEqual([
      { observation_id: 'D1', key: 'k1', pending: 0 },
      { observation_id: 'D2', key: 'k1', pending: 0 },
      { observation_id: 'D2', key: 'k2', pending: 0 },
    ]);
    const repo = new AnalysisRepository(db);
    expect(repo.holdersOf(['p1']).map((r) => r.applicantId).sort()).toEqual(['A1', 'A2']);
    expect(repo.observationsWithKeys(['k1']).sort()).toEqual(['D1', 'D2']);
  });

  it('looks keys up in both partial indexes, and device keys of an observation by its primary key', () => {
    const db = migrated(8);
    const byKey = plan(db, `SELECT applicant_id FROM analysis_link_keys WHERE key = @key AND pending = 0 UNION ALL SELECT applicant_id FROM analysis_link_keys WHERE key = @key AND pending = 1`, { key: 'k' });
    expect(byKey).toMatch(/COVERING INDEX analysis_link_keys_key \(key=\?\)/);
    expect(byKey).toMatch(/COVERING INDEX analysis_link_keys_pending \(key=\?\)/);
    expect(plan(db, 'DELETE FROM analysis_device_keys WHERE observation_id = @id', { id: 'D1' })).toMatch(/PRIMARY KEY \(observation_id=\?\)/);
  });

  it('finds holders across pending and folded keys, and a fold moves every pending key once it reaches the threshold', () => {
    const db = migrated(MIGRATIONS.length);
    const repo = new AnalysisRepository(db);
    repo.insertLinkKeys('A1', [{ kind: 'phone', key: 'p1' }]);
    repo.replaceLinkKeys('A2', [], [{ kind: 'phone', key: 'p1' }, { kind: 'ip', key: 'i1' }]);
    repo.replaceDeviceKeys('D1', ['k1'], false);
    repo.replaceDeviceKeys('D2', ['k1', 'k2'], true);
    expect(repo.holdersOf(['p1']).map((r) => r.applicantId).sort()).toEqual(['A1', 'A2']);
    expect(repo.holderCounts(['p1'])).toEqual(new Map([['phone|p1', 2]]));
    expect(repo.deviceKeyCounts(['k1', 'k2'], [], 10)).toEqual(new Map([['k1', 2], ['k2', 1]]));
    expect(repo.foldPendingKeys(5)).toEqual({ linkKeys: 0, deviceKeys: 0 });
    expect(repo.foldPendingKeys(4)).toEqual({ linkKeys: 2, deviceKeys: 2 });
    expect(db.prepare('SELECT count(*) FROM analysis_link_keys WHERE pending = 1').pluck().get()).toBe(0);
    expect(repo.holdersOfKinds(['p1', 'i1'], ['phone', 'ip']).sort()).toEqual(['A1', 'A2']);
    expect(repo.observationsWithKeys(['k1', 'k2']).sort()).toEqual(['D1', 'D2']);
    // A key removed while pending leaves no trace in either index.
    repo.replaceLinkKeys('A3', [], [{ kind: 'phone', key: 'p3' }]);
    repo.replaceLinkKeys('A3', [{ kind: 'phone', key: 'p3' }], []);
    expect(repo.holdersOf(['p3'])).toEqual([]);
  });
});
