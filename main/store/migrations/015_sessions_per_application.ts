// A session id is the lender's, unique within an application's events but not across the store: a later
// application's events may carry one an earlier application used. Sessions were keyed by session id alone,
// so the second application's session replaced the first's. Keyed by (application, session) now. The old
// table cannot hold two rows for one id, so copying it loses nothing; the next analysis of an application
// writes whatever sessions it lacked. A rowid table with a unique index, not WITHOUT ROWID: a session row
// (about 1.6 KB of JSON) fits a table page but not an index page, where it would spill to overflow pages.
import type { Migration } from './types.js';

export const migration: Migration = {
  id: 15,
  name: 'sessions_per_application',
  up(db) {
    db.exec(`
      CREATE TABLE analysis_sessions_new (
        application_id TEXT NOT NULL,
        session_id TEXT NOT NULL,
        bot INTEGER NOT NULL CHECK (bot IN (0, 1)),
        coached INTEGER NOT NULL CHECK (coached IN (0, 1)),
        features_json TEXT NOT NULL CHECK (json_valid(features_json)),
        assessment_json TEXT NOT NULL CHECK (json_valid(assessment_json))
      ) STRICT;
      INSERT INTO analysis_sessions_new (application_id, session_id, bot, coached, features_json, assessment_json)
        SELECT application_id, session_id, bot, coached, features_json, assessment_json FROM analysis_sessions ORDER BY application_id, session_id;
      DROP TABLE analysis_sessions;
      ALTER TABLE analysis_sessions_new RENAME TO analysis_sessions;
      CREATE UNIQUE INDEX analysis_sessions_key ON analysis_sessions(application_id, session_id);
    `);
  },
};
