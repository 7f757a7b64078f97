// An import's reference check removes an event when what it names is gone: its application, or its device
// observation (itself removed for a dangling applicant, say). When the application stays, it has lost
// events though no record of its own changed, and the change log cannot show a row that is no longer
// there. A trigger gives every removed event a change of its own (the store-wide counter moves, so a
// run that already covered the counter's old value still sees it) and notes its application and
// device observation as owners it left (012_record_moves), whatever code path deletes.
import type { Migration } from './types.js';

export const migration: Migration = {
  id: 13,
  name: 'event_removals',
  up(db) {
    db.exec(`
      CREATE TRIGGER events_removed AFTER DELETE ON events
      BEGIN
        UPDATE import_state SET value = value + 1 WHERE key = 'change_seq';
        INSERT INTO analysis_moves (change_seq, applicant_id, application_id, observation_id, employer, employer_code)
          VALUES ((SELECT value FROM import_state WHERE key = 'change_seq'), NULL, OLD.application_id, OLD.device_id, NULL, NULL);
      END;
    `);
  },
};
