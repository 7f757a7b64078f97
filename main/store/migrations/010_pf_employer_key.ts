// PF cohorts of employers exported without a social credit code are counted by normalised name
// (normaliseEmployer: 远航贸易有限公司 and 远航贸易有限责任公司 are one employer). The store looked
// colleagues up by the raw name, so an incremental analyze missed the ones written another way and
// ended elsewhere than a full recompute. Each PF record now keeps its normalised name, written by the
// import, with an index over the records that have no credit code (the ones looked up by name), holding
// every column a cohort stub reads.
// The backfill uses today's normaliseEmployer: a later change to it needs a migration of its own.
import { normaliseEmployer } from '../../interchange/employer.js';
import type { Migration } from './types.js';

export const migration: Migration = {
  id: 10,
  name: 'pf_employer_key',
  up(db) {
    db.exec('ALTER TABLE pf_records ADD COLUMN employer_key TEXT');
    const rows = db.prepare('SELECT id, employer FROM pf_records').all() as { id: string; employer: string }[];
    const update = db.prepare('UPDATE pf_records SET employer_key = ? WHERE id = ?');
    for (const row of rows) update.run(normaliseEmployer(row.employer), row.id);
    db.exec(`CREATE INDEX pf_records_employer_key ON pf_records(employer_key, first_month, applicant_id, id, employer, employer_code) WHERE coalesce(employer_code, '') = ''`);
  },
};
