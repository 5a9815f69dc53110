/**
 * Memoises provider lookups by key for one run, sharing in-flight promises so that concurrent alerts about the
 * same vault or principal cause one request. Failures are cached too: within a run, a provider that answered 403
 * is not asked again for the same thing.
 */
export interface LookupCache {
  getOrCreate<T>(key: string, create: () => Promise<T>): Promise<T>;
  /** Number of distinct lookups made (cache misses). */
  readonly size: number;
  clear(): void;
}

export function createLookupCache(): LookupCache {
  const entries = new Map<string, Promise<unknown>>();
  return {
    getOrCreate<T>(key: string, create: () => Promise<T>): Promise<T> {
      const existing = entries.get(key);
      if (existing !== undefined) return existing as Promise<T>;
      const created = create();
      entries.set(key, created);
      return created;
    },
    get size() {
      return entries.size;
    },
    clear() {
      entries.clear();
    },
  };
}
