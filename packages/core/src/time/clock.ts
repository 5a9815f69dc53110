import type { AbortSignalLike } from "@azure/abort-controller";
import { delay } from "@azure/core-util";

/**
 * Time as Keywarden sees it: the one way every package is given the time. Pure logic takes a `Clock` (or the
 * instant read from one) instead of reading `Date.now()`, so tests and benchmarks control time and replays are
 * deterministic.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /** Resolves after `ms` on this clock; rejects with an `AbortError` when `abortSignal` fires first. */
  sleep(ms: number, abortSignal?: AbortSignalLike): Promise<void>;
}

/** The real clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, abortSignal) => delay(Math.max(0, ms), abortSignal === undefined ? {} : { abortSignal }),
};

/** The clock's current time as an ISO 8601 UTC string, as journals and reports record it. */
export function isoNow(clock: Clock): string {
  return new Date(clock.now()).toISOString();
}
