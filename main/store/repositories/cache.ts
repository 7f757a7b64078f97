// One repository instance per connection: statements are prepared on first use and reused until the
// connection closes (the WeakMap lets a closed store's statements go with it).
import type { Database } from '../database.js';

const caches = new WeakMap<Database, Map<(db: Database) => unknown, unknown>>();

export function repositoryFor<T>(db: Database, create: (db: Database) => T): T {
  let cache = caches.get(db);
  if (cache === undefined) {
    cache = new Map();
    caches.set(db, cache);
  }
  let repository = cache.get(create) as T | undefined;
  if (repository === undefined) {
    repository = create(db);
    cache.set(create, repository);
  }
  return repository;
}
