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

describe('migration 015 sessions_per_application', () => {
  it('keeps the sessions a store already holds', () => {
    const db = migrated(14);
    db.exec(`INSERT INTO analysis_sessions (session_id, application_id, bot, coached, features_json, assessment_json)
      VALUES ('S1', 'AP1', 1, 0, '{"sessionId":"S1","applicationId":"AP1"}', '{"bot":true}'), ('S2', 'AP1', 0, 0, '{"sessionId":"S2","applicationId":"AP1"}', '{}')`);
    applyMigrations(db, MIGRATIONS);
    expect(new AnalysisRepository(db).sessionsOfApplications(['AP1'])).toEqual([
      { features: { sessionId: 'S1', applicationId: 'AP1' }, assessment: { bot: true } },
      { features: { sessionId: 'S2', applicationId: 'AP1' }, assessment: {} },
    ]);
  });

  it('holds one session id under two applications, each replaced on its own', () => {
    const db = migrated(MIGRATIONS.length);
    const repo = new AnalysisRepository(db);
    const session = (applicationId: string, bot: boolean) => ({ sessionId: 'S1', bot, coached: false, features: { sessionId: 'S1', applicationId }, assessment: { bot } });
    repo.replaceSessions('AP1', [session('AP1', false)]);
    repo.replaceSessions('AP2', [session('AP2', true)]);
    repo.replaceSessions('AP1', [session('AP1', true)]);
    expect(repo.sessionsOfApplications(['AP1'])).toEqual([{ features: { sessionId: 'S1', applicationId: 'AP1' }, assessment: { bot: true } }]);
    expect(repo.sessionsOfApplications(['AP2'])).toEqual([{ features: { sessionId: 'S1', applicationId: 'AP2' }, assessment: { bot: true } }]);
    expect(db.prepare('SELECT count(*) FROM analysis_sessions').pluck().get()).toBe(2);
  });
});
