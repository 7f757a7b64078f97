// Covering indexes for the case queue (issue 6): the queue is a query over applications and their
// latest score, filtered, counted and sorted across 100,000 cases per keystroke. Reading table rows
// (with their raw JSON and feature blobs) would decrypt every page of both tables; these indexes hold
// exactly the columns the queue filters and sorts on, so those scans never touch the rows. The top three
// reason codes are indexed as expressions: the queue's reason filter and counts work on them.
import type { Migration } from './types.js';

export const migration: Migration = {
  id: 5,
  name: 'queue',
  up(db) {
    db.exec(`
      CREATE INDEX applications_queue ON applications(platform_decision, submitted_ms, applicant_id, created_batch_id, id);
      CREATE INDEX analysis_applications_queue ON analysis_applications(
        application_id, score, band,
        json_extract(reasons_json, '$[0].code'), json_extract(reasons_json, '$[1].code'), json_extract(reasons_json, '$[2].code')
      );
    `);
  },
};
