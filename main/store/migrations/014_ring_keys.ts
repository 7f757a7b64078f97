// Which rings each link key joins. When a newcomer makes an address, an emergency contact or an employer a
// hub, the key's weight falls for every earlier holder's link, though none of their records changed; the
// links that fall below joining weight are inside rings that name the key (a ring's links are every key of
// its internal edges). An incremental run looks up those rings here instead of reading every ring, and
// recomputes them. Kept by the repository with its rings; filled from the rings already stored.
import type { Migration } from './types.js';

export const migration: Migration = {
  id: 14,
  name: 'ring_keys',
  up(db) {
    db.exec(`
      CREATE TABLE analysis_ring_keys (
        ring_id TEXT NOT NULL REFERENCES analysis_rings(ring_id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        PRIMARY KEY (ring_id, key)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX analysis_ring_keys_key ON analysis_ring_keys(key);
      INSERT OR IGNORE INTO analysis_ring_keys (ring_id, key)
        SELECT r.ring_id, json_extract(l.value, '$.value_hash') FROM analysis_rings r, json_each(r.links_json) l
        WHERE json_extract(l.value, '$.value_hash') IS NOT NULL;
    `);
  },
};
