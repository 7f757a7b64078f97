// What an incremental analyze reads and writes per new application, made cheaper (issue 5):
// - PF cohort stubs (employer, first month, applicant, id) by credit code come from the index alone:
//   the 004 index lacked the employer name, so every colleague cost a read of its PF row.
// - Holder counts are kept only for link keys with two or more holders (see replaceLinkKeys): rows of
//   single-holder keys from earlier runs go, so the table holds what the repository now maintains.
import type { Migration } from './types.js';

export const migration: Migration = {
  id: 6,
  name: 'analysis_incremental',
  up(db) {
    db.exec(`
      DROP INDEX analysis_pf_employer_code;
      CREATE INDEX analysis_pf_employer_code ON pf_records(employer_code, first_month, applicant_id, id, employer);
      DELETE FROM analysis_link_counts WHERE holders < 2;
    `);
  },
};
