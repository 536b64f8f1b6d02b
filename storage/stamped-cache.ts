/**
 * A read cache that is exact rather than merely fresh: every lookup first reads
 * the database's change stamp (storage/sqlite.ts), and any change anywhere, by
 * any process, empties the cache. Reading the stamp before loading means a
 * change that races a load can only make the cache miss once more, never serve
 * a stale value.
 */

/** Entries beyond this are not kept; a bound for callers with unusual keys. */
const MAX_ENTRIES = 512;

export interface StampedCache<T> {
  get(key: string, load: () => Promise<T>): Promise<T>;
}

export function stampedCache<T>(changeStamp: () => string): StampedCache<T> {
  let stamp: string | null = null;
  let entries = new Map<string, T>();
  return {
    async get(key, load) {
      const current = changeStamp();
      if (current !== stamp) {
        stamp = current;
        entries = new Map();
      }
      const hit = entries.get(key);
      if (hit !== undefined) return hit;
      const value = await load();
      if (stamp === current && entries.size < MAX_ENTRIES) entries.set(key, value);
      return value;
    },
  };
}

/** A cache for lookups by identity; without a stamp (PostgreSQL) every lookup loads. */
export function identityCache<T>(changeStamp?: () => string): StampedCache<T | null> {
  return changeStamp ? stampedCache<T | null>(changeStamp) : { get: (_key, load) => load() };
}

/** A shallow copy, so that a caller changing a cached value cannot change the next caller's. */
export function copy<T extends object>(value: T | null): T | null {
  return value === null ? null : { ...value };
}
