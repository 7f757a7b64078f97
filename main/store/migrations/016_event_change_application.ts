// An incremental analysis starts by asking which applications have events changed since its last run: for
// a batch of 1,000 new applications, some 45,000 events. With the change index holding only change_seq,
// each answer was a lookup of the whole event row (its raw JSON, often on an overflow page); an index that
// also holds the application answers from the index alone. It replaces the old one, whose every other
// use (the import's reference check reads rows changed since a watermark) it serves as well.
import type { Migration } from './types.js';

export const migration: Migration = {
  id: 16,
  name: 'event_change_application',
  up(db) {
    db.exec(`
      CREATE INDEX events_change_application ON events(change_seq, application_id);
      DROP INDEX events_change;
    `);
  },
};
