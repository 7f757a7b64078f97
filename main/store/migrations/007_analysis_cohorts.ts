// An incremental analyze checks the stored PF cohort of every colleague at a small employer that gained
// a record (thousands of applicants for a thousand new ones). Those reads hit one analysis_applicants row
// each, spread over the whole table; this index holds just the cohort columns, a fraction of the pages.
import type { Migration } from './types.js';

export const migration: Migration = {
  id: 7,
  name: 'analysis_cohorts',
  up(db) {
    db.exec('CREATE INDEX analysis_applicants_cohort ON analysis_applicants(applicant_id, cohort_size, cohort_suspicious)');
  },
};
