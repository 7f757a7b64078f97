// Bloom filters over the main analysis key indexes (see keyFilter.ts and AnalysisRepository's key
// filter methods): one row per index with its bits, how many distinct keys were added, and a random
// generation that changes with every write, so a connection holding a filter in memory knows when it
// is stale. A missing row means "no filter": the next analysis builds one from the index. Anything that
// writes main-index keys other than through the repository (a future migration rewriting keys, say)
// must delete these rows.
import type { Migration } from './types.js';

export const migration: Migration = {
  id: 11,
  name: 'key_filters',
  up(db) {
    db.exec(`
      CREATE TABLE analysis_key_filters (
        name TEXT PRIMARY KEY CHECK (name IN ('link', 'device')),
        generation INTEGER NOT NULL,
        items INTEGER NOT NULL CHECK (items >= 0),
        bits BLOB NOT NULL
      ) STRICT;
    `);
  },
};
