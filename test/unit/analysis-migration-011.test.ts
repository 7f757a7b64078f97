import { describe, expect, it, vi } from 'vitest';
import { openPlainDatabase } from '../../main/store/database.js';
import { MIGRATIONS } from '../../main/store/migrations/index.js';
import { applyMigrations } from '../../main/store/migrations/runner.js';
import { AnalysisRepository } from '../../main/store/repositories/analysis.js';

function migrated() {
  const db = openPlainDatabase(':memory:');
  applyMigrations(db, MIGRATIONS);
  return db;
}

function filterRows(db: ReturnType<typeof migrated>): { name: string; items: number }[] {
  return db.prepare('SELECT name, items FROM analysis_key_filters ORDER BY name').all() as { name: string; items: number }[];
}

/** The statements a repository prepared, by name, so a test can see which index a lookup asked. */
function statementSpy(repo: AnalysisRepository, name: string) {
  const statement = (repo as unknown as { s: Record<string, { all: (...a: unknown[]) => unknown; get: (...a: unknown[]) => unknown }> }).s[name];
  if (statement === undefined) throw new Error(`no statement ${name}`);
  return { all: vi.spyOn(statement, 'all'), get: vi.spyOn(statement, 'get') };
}

describe('migration 011 key_filters', () => {
  it('builds the filters from the main key indexes on first use, and asks only the pending index about keys they lack', () => {
    const db = migrated();
    const repo = new AnalysisRepository(db);
    repo.insertLinkKeys('A1', [{ kind: 'phone', key: 'p1' }]);
    repo.replaceDeviceKeys('D1', ['k1'], false);
    repo.openKeyFilters();
    expect(filterRows(db)).toEqual([{ name: 'device', items: 1 }, { name: 'link', items: 1 }]);

    const both = statementSpy(repo, 'holdersOfNewKeys');
    const pendingOnly = statementSpy(repo, 'pendingHoldersOfNewKeys');
    // A new holder of a folded key: both indexes are asked, and the count row starts at two.
    repo.replaceLinkKeys('A2', [], [{ kind: 'phone', key: 'p1' }]);
    expect(both.all).toHaveBeenCalledTimes(1);
    expect(repo.holderCounts(['p1'])).toEqual(new Map([['phone|p1', 2]]));
    // A key nobody held: only the pending index is asked; a second pending holder is still counted.
    repo.replaceLinkKeys('A3', [], [{ kind: 'phone', key: 'p9' }]);
    repo.replaceLinkKeys('A4', [], [{ kind: 'phone', key: 'p9' }]);
    expect(pendingOnly.all).toHaveBeenCalledTimes(2);
    expect(both.all).toHaveBeenCalledTimes(1);
    expect(repo.holderCounts(['p9'])).toEqual(new Map([['phone|p9', 2]]));
    expect(repo.holdersOf(['p1', 'p9', 'nobody']).map((r) => r.applicantId).sort()).toEqual(['A1', 'A2', 'A3', 'A4']);
    expect(repo.holdersOfKinds(['p1', 'p9'], ['phone']).sort()).toEqual(['A1', 'A2', 'A3', 'A4']);

    repo.replaceDeviceKeys('D2', ['k1', 'k2'], true);
    repo.replaceDeviceKeys('D3', ['k2'], true);
    expect(repo.deviceKeyCounts(['k1', 'k2', 'k3'], [], 10)).toEqual(new Map([['k1', 2], ['k2', 2]]));
    expect(repo.deviceKeyCounts(['k2'], ['D3'], 10)).toEqual(new Map([['k2', 1]]));
    expect(repo.observationsWithKeys(['k1', 'k2']).sort()).toEqual(['D1', 'D2', 'D3']);
  });

  it('takes folded keys into the filters, so they are found in the main index after the fold', () => {
    const db = migrated();
    const repo = new AnalysisRepository(db);
    repo.openKeyFilters();
    repo.replaceLinkKeys('A1', [], [{ kind: 'phone', key: 'p1' }]);
    repo.replaceDeviceKeys('D1', ['k1'], true);
    expect(repo.foldPendingKeys(0)).toEqual({ linkKeys: 1, deviceKeys: 1 });
    repo.saveKeyFilters();
    expect(filterRows(db)).toEqual([{ name: 'device', items: 1 }, { name: 'link', items: 1 }]);
    // Another connection's view: read from the store, not the memory of this one.
    const other = new AnalysisRepository(db);
    other.openKeyFilters();
    other.replaceLinkKeys('A2', [], [{ kind: 'phone', key: 'p1' }]);
    expect(other.holderCounts(['p1'])).toEqual(new Map([['phone|p1', 2]]));
    expect(other.deviceKeyCounts(['k1'], [], 10)).toEqual(new Map([['k1', 1]]));
  });

  it('drops the stored filters when main-index keys are written with none open, and a holder of them reads the store again', () => {
    const db = migrated();
    const first = new AnalysisRepository(db);
    first.openKeyFilters();
    first.saveKeyFilters();
    expect(filterRows(db)).toHaveLength(2);
    // Another connection writes folded keys without filters: the stored ones no longer cover the index.
    const other = new AnalysisRepository(db);
    other.insertLinkKeys('A1', [{ kind: 'phone', key: 'p1' }]);
    expect(filterRows(db)).toEqual([]);
    // The first connection's filters in memory are stale: opening again rebuilds them from the index.
    first.openKeyFilters();
    first.replaceLinkKeys('A2', [], [{ kind: 'phone', key: 'p1' }]);
    expect(first.holderCounts(['p1'])).toEqual(new Map([['phone|p1', 2]]));
  });

  it('notices a filter another connection rewrote (a new generation) and reads it instead of its own copy', () => {
    const db = migrated();
    const first = new AnalysisRepository(db);
    first.openKeyFilters();
    first.saveKeyFilters();
    const other = new AnalysisRepository(db);
    other.openKeyFilters();
    other.replaceLinkKeys('A1', [], [{ kind: 'phone', key: 'p1' }]);
    other.foldPendingKeys(0);
    other.saveKeyFilters();
    first.openKeyFilters();
    first.replaceLinkKeys('A2', [], [{ kind: 'phone', key: 'p1' }]);
    expect(first.holderCounts(['p1'])).toEqual(new Map([['phone|p1', 2]]));
  });

  it('never stores, nor trusts, a filter that missed another connection\'s keys: two folds at once', () => {
    const db = migrated();
    const window = new AnalysisRepository(db);
    window.openKeyFilters();
    window.replaceLinkKeys('A1', [], [{ kind: 'phone', key: 'p1' }]);
    window.replaceLinkKeys('A2', [], [{ kind: 'phone', key: 'p2' }]);
    window.saveKeyFilters();
    // The window's fold and the command line's open the same filters, then take turns with their slices.
    const cli = new AnalysisRepository(db);
    window.openKeyFilters();
    cli.openKeyFilters();
    expect(window.foldPendingSlice(1)).toEqual({ linkKeys: 1, deviceKeys: 0 });
    expect(cli.foldPendingSlice(1)).toEqual({ linkKeys: 1, deviceKeys: 0 });
    window.saveHeldKeyFilters();
    cli.saveHeldKeyFilters();
    // Neither filter covers both folded keys: a later run must not answer "nobody holds p1" (or p2) from one.
    const later = new AnalysisRepository(db);
    later.openKeyFilters();
    later.replaceLinkKeys('A3', [], [{ kind: 'phone', key: 'p1' }]);
    later.replaceLinkKeys('A4', [], [{ kind: 'phone', key: 'p2' }]);
    expect(later.holderCounts(['p1', 'p2'])).toEqual(new Map([['phone|p1', 2], ['phone|p2', 2]]));
    // Nor does the window, holding its own filter from before the command line's slice.
    window.openKeyFilters();
    window.replaceLinkKeys('A5', [], [{ kind: 'phone', key: 'p2' }]);
    expect(window.holderCounts(['p2'])).toEqual(new Map([['phone|p2', 3]]));
  });

  it('trusts the filters a store saved before index versions were kept, without rebuilding them', () => {
    const db = migrated();
    const before = new AnalysisRepository(db);
    before.insertLinkKeys('A1', [{ kind: 'phone', key: 'p1' }]);
    before.openKeyFilters();
    before.saveKeyFilters();
    db.prepare("DELETE FROM analysis_state WHERE key LIKE 'main_keys_%'").run();
    const upgraded = new AnalysisRepository(db);
    const rebuild = statementSpy(upgraded, 'mainLinkKeys');
    const iterate = vi.spyOn((upgraded as unknown as { s: Record<string, { iterate: () => unknown }> }).s['mainLinkKeys'] as { iterate: () => unknown }, 'iterate');
    upgraded.openKeyFilters();
    expect(iterate).not.toHaveBeenCalled();
    expect(rebuild.all).not.toHaveBeenCalled();
    upgraded.replaceLinkKeys('A2', [], [{ kind: 'phone', key: 'p1' }]);
    expect(upgraded.holderCounts(['p1'])).toEqual(new Map([['phone|p1', 2]]));
  });
});
