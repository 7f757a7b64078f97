// A re-imported record replaces the stored one with the same id (interchange.md). When the new version
// names another owner (a bank card, bureau report or PF record another applicant, an application another
// applicant, an event another application or device, a PF record another employer), the owner it left
// changed too, though no record of its own did: the change log (change_seq) only shows the new owner.
// Triggers note the old owner here with the change_seq of the replacement, whatever code path writes;
// an incremental analysis reads the moves in its range with the rest of the change log, and every run
// deletes the ones it has covered.
import type { Migration } from './types.js';

const moved = (table: string, when: string, values: string): string => `
  CREATE TRIGGER ${table}_moves AFTER UPDATE ON ${table} WHEN ${when}
    BEGIN INSERT INTO analysis_moves (change_seq, applicant_id, application_id, observation_id, employer, employer_code) VALUES (${values}); END;`;

export const migration: Migration = {
  id: 12,
  name: 'record_moves',
  up(db) {
    db.exec(`
      CREATE TABLE analysis_moves (
        change_seq INTEGER NOT NULL,
        applicant_id TEXT,
        application_id TEXT,
        observation_id TEXT,
        employer TEXT,
        employer_code TEXT
      ) STRICT;
      CREATE INDEX analysis_moves_seq ON analysis_moves (change_seq);
      ${moved('applications', 'OLD.applicant_id IS NOT NEW.applicant_id', 'NEW.change_seq, OLD.applicant_id, NULL, NULL, NULL, NULL')}
      ${moved('bank_cards', 'OLD.applicant_id IS NOT NEW.applicant_id', 'NEW.change_seq, OLD.applicant_id, NULL, NULL, NULL, NULL')}
      ${moved('bureau_reports', 'OLD.applicant_id IS NOT NEW.applicant_id', 'NEW.change_seq, OLD.applicant_id, NULL, NULL, NULL, NULL')}
      ${moved('pf_records', 'OLD.applicant_id IS NOT NEW.applicant_id OR OLD.employer IS NOT NEW.employer OR OLD.employer_code IS NOT NEW.employer_code',
        'NEW.change_seq, OLD.applicant_id, NULL, NULL, OLD.employer, OLD.employer_code')}
      ${moved('events', 'OLD.application_id IS NOT NEW.application_id OR OLD.device_id IS NOT NEW.device_id', `NEW.change_seq, NULL, CASE WHEN OLD.application_id IS NOT NEW.application_id THEN OLD.application_id END,
        CASE WHEN OLD.device_id IS NOT NEW.device_id THEN OLD.device_id END, NULL, NULL`)}
    `);
  },
};
