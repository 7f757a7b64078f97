// An investigator's effective rejection counts as confirmed fraud for the analysis (a ring with a
// confirmed member is tainted; see AnalysisRepository.confirmedAmong), and so does its undoing: a later
// decision superseding it, or an appeal overturning it. None of these is an imported record, so the
// change log (change_seq) never showed them and an incremental run kept the ring's old taint until a full
// run. Triggers give each such change a change of its own (the store-wide counter moves) and note the
// application here, whatever code path writes; an incremental run reads these with the rest of the change
// log, as it reads confirmed labels, and every run deletes the ones it has covered.
import type { Migration } from './types.js';

const noted = (name: string, event: string, table: string, when: string, application: string): string => `
  CREATE TRIGGER ${name} AFTER ${event} ON ${table} WHEN ${when}
  BEGIN
    UPDATE import_state SET value = value + 1 WHERE key = 'change_seq';
    INSERT INTO analysis_outcome_changes (change_seq, application_id)
      VALUES ((SELECT value FROM import_state WHERE key = 'change_seq'), ${application});
  END;`;

export const migration: Migration = {
  id: 16,
  name: 'outcome_changes',
  up(db) {
    db.exec(`
      CREATE TABLE analysis_outcome_changes (
        change_seq INTEGER NOT NULL,
        application_id TEXT NOT NULL
      ) STRICT;
      CREATE INDEX analysis_outcome_changes_seq ON analysis_outcome_changes (change_seq);
      ${noted('case_decisions_outcome_added', 'INSERT', 'case_decisions', "NEW.outcome = 'reject'", 'NEW.application_id')}
      ${noted('case_decisions_outcome_changed', 'UPDATE', 'case_decisions',
        'OLD.effective IS NOT NEW.effective OR OLD.superseded_by IS NOT NEW.superseded_by OR OLD.outcome IS NOT NEW.outcome OR OLD.application_id IS NOT NEW.application_id',
        'NEW.application_id')}
      ${noted('appeal_handling_outcome_added', 'INSERT', 'appeal_handling', "NEW.outcome = 'overturned'", 'NEW.application_id')}
      ${noted('appeal_handling_outcome_changed', 'UPDATE', 'appeal_handling', 'OLD.outcome IS NOT NEW.outcome OR OLD.application_id IS NOT NEW.application_id', 'NEW.application_id')}
      ${noted('appeal_handling_outcome_removed', 'DELETE', 'appeal_handling', "OLD.outcome = 'overturned'", 'OLD.application_id')}
    `);
  },
};
