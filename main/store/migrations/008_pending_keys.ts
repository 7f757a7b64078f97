// Link keys and device blocking keys are looked up by key, and a new applicant's keys land at random
// places in a key-ordered index: 1,000 new applicants dirtied about 12,500 random index pages (of 17,900
// written), each one decrypted, changed and encrypted again. New keys now go to a small pending index
// (partial index `WHERE pending = 1`), whose few pages stay hot; readers look in both. When the pending
// rows pass a threshold, one fold moves them to the main index in key order, touching each main page
// once for many keys instead of once per key (see AnalysisRepository.foldPendingKeys).
// Device keys were clustered by key (WITHOUT ROWID, key first); they are now clustered by observation
// (new observations append) with the key order in the two partial indexes.
import type { Migration } from './types.js';

export const migration: Migration = {
  id: 8,
  name: 'pending_keys',
  up(db) {
    db.exec(`
      ALTER TABLE analysis_link_keys ADD COLUMN pending INTEGER NOT NULL DEFAULT 0 CHECK (pending IN (0, 1));
      DROP INDEX analysis_link_keys_key;
      CREATE INDEX analysis_link_keys_key ON analysis_link_keys(key, kind, applicant_id) WHERE pending = 0;
      CREATE INDEX analysis_link_keys_pending ON analysis_link_keys(key, kind, applicant_id) WHERE pending = 1;

      CREATE TABLE analysis_device_keys_v8 (
        observation_id TEXT NOT NULL,
        key TEXT NOT NULL,
        pending INTEGER NOT NULL DEFAULT 0 CHECK (pending IN (0, 1)),
        PRIMARY KEY (observation_id, key)
      ) STRICT, WITHOUT ROWID;
      INSERT INTO analysis_device_keys_v8 (observation_id, key) SELECT observation_id, key FROM analysis_device_keys ORDER BY observation_id, key;
      DROP TABLE analysis_device_keys;
      ALTER TABLE analysis_device_keys_v8 RENAME TO analysis_device_keys;
      CREATE INDEX analysis_device_keys_key ON analysis_device_keys(key, observation_id) WHERE pending = 0;
      CREATE INDEX analysis_device_keys_pending ON analysis_device_keys(key, observation_id) WHERE pending = 1;
    `);
  },
};
