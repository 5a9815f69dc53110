import { systemClock, type Clock } from "@keywarden/core";
import { InvalidTriageArgumentError } from "./errors/invalid-triage-argument-error.js";

/**
 * Memoises provider lookups by key, sharing in-flight promises so that concurrent alerts about the same vault or
 * principal cause one request. Failures are cached too (a provider that answered 403 is not asked again at once),
 * for a shorter time than answers.
 */
export interface LookupCache {
  getOrCreate<T>(key: string, create: () => Promise<T>): Promise<T>;
  /** Number of entries held (in flight or answered and not yet expired). */
  readonly size: number;
  clear(): void;
}

/** Options of {@link createLookupCache}. */
export interface LookupCacheOptions {
  /**
   * How long an answer is reused, in milliseconds on `clock`. Default: as long as the cache lives (one run). Set it
   * when one cache serves many bursts (a responder), so that a vault's firewall or a principal's roles are re-read.
   */
  ttlInMs?: number;
  /** How long a failed lookup is remembered. Default the smaller of `ttlInMs` and 30 s. */
  failureTtlInMs?: number;
  /** The clock expiry is measured on (`@keywarden/core`'s `Clock`). Default the system clock. */
  clock?: Clock;
  /** The most entries kept; beyond it the oldest are dropped. Default 10,000. */
  maxEntries?: number;
}

interface Entry {
  promise: Promise<unknown>;
  /** Epoch ms after which the entry is stale; `Infinity` while in flight or without a TTL. */
  expiresAt: number;
}

const DEFAULT_FAILURE_TTL_MS = 30_000;

export function createLookupCache(options: LookupCacheOptions = {}): LookupCache {
  const clock = options.clock ?? systemClock;
  const ttlInMs = options.ttlInMs ?? Number.POSITIVE_INFINITY;
  const failureTtlInMs = options.failureTtlInMs ?? Math.min(ttlInMs, DEFAULT_FAILURE_TTL_MS);
  const maxEntries = options.maxEntries ?? 10_000;
  for (const [name, value] of [["ttlInMs", ttlInMs], ["failureTtlInMs", failureTtlInMs], ["maxEntries", maxEntries]] as const) {
    if (!(value > 0)) throw new InvalidTriageArgumentError(`createLookupCache: ${name} is ${String(value)}. Give a positive number.`);
  }
  // Insertion order is age order: a refreshed entry is deleted and set again, so the first key is the oldest.
  const entries = new Map<string, Entry>();
  return {
    getOrCreate<T>(key: string, create: () => Promise<T>): Promise<T> {
      const existing = entries.get(key);
      if (existing !== undefined && clock.now() < existing.expiresAt) return existing.promise as Promise<T>;
      if (existing !== undefined) entries.delete(key);
      const entry: Entry = { promise: create(), expiresAt: Number.POSITIVE_INFINITY };
      entries.set(key, entry);
      entry.promise.then(
        () => {
          entry.expiresAt = clock.now() + ttlInMs;
        },
        () => {
          entry.expiresAt = clock.now() + failureTtlInMs;
        },
      );
      while (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
      return entry.promise as Promise<T>;
    },
    get size() {
      return entries.size;
    },
    clear() {
      entries.clear();
    },
  };
}
