import { AbortError, type AbortSignalLike } from "@azure/abort-controller";
import type { Clock } from "./clock.js";
import { CoreError } from "../errors/core-error.js";
import { coreErrorCodes } from "../errors/core-error-codes.js";

/** A clock that moves only when told to: `sleep` waits until `advance` passes its deadline. */
export interface ManualClock extends Clock {
  /** Moves time forward by `ms`, resolving every sleep whose deadline is reached, in deadline order. */
  advance(ms: number): Promise<void>;
  /** Sets the time (never backwards). */
  set(timeMs: number): Promise<void>;
  /**
   * Lets pending work run until something sleeps, then jumps to the earliest deadline and wakes it. `false` when
   * nothing went to sleep within a few turns of the event loop (the work finished or waits on something else).
   */
  advanceToNextSleep(): Promise<boolean>;
  /** How many sleeps are waiting. */
  readonly pendingSleeps: number;
}

interface Sleeper {
  until: number;
  resolve(): void;
}

/** A {@link ManualClock} starting at `startMs` (an epoch millisecond or an ISO string). For tests and simulations. */
export function createManualClock(start: number | string = 0): ManualClock {
  let now = typeof start === "string" ? Date.parse(start) : start;
  if (!Number.isFinite(now)) throw new CoreError(coreErrorCodes.invalidArgument, `createManualClock: ${String(start)} is not a time. Give epoch milliseconds or an ISO 8601 date-time.`);
  const sleepers: Sleeper[] = [];

  const release = async (): Promise<void> => {
    sleepers.sort((a, b) => a.until - b.until);
    while (sleepers.length > 0 && sleepers[0]!.until <= now) {
      sleepers.shift()!.resolve();
      // Let the woken task run (and perhaps sleep again) before the next deadline is considered.
      await Promise.resolve();
    }
  };

  return {
    now: () => now,
    sleep(ms: number, abortSignal?: AbortSignalLike) {
      if (abortSignal?.aborted === true) return Promise.reject(new AbortError("The operation was aborted."));
      if (ms <= 0) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const sleeper: Sleeper = {
          until: now + ms,
          resolve: () => {
            abortSignal?.removeEventListener("abort", onAbort);
            resolve();
          },
        };
        const onAbort = (): void => {
          const index = sleepers.indexOf(sleeper);
          if (index >= 0) sleepers.splice(index, 1);
          reject(new AbortError("The operation was aborted."));
        };
        abortSignal?.addEventListener("abort", onAbort, { once: true });
        sleepers.push(sleeper);
      });
    },
    async advance(ms) {
      if (!(ms >= 0)) throw new CoreError(coreErrorCodes.invalidArgument, `advance: ${String(ms)} is not a duration. Give a non-negative number of milliseconds.`);
      now += ms;
      await release();
    },
    async set(timeMs) {
      if (timeMs < now) {
        throw new CoreError(coreErrorCodes.invalidArgument, `A manual clock never goes backwards (asked for ${String(timeMs)}, now ${now}). Give a time at or after now.`);
      }
      now = timeMs;
      await release();
    },
    async advanceToNextSleep() {
      for (let turn = 0; turn < 20 && sleepers.length === 0; turn += 1) {
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      if (sleepers.length === 0) return false;
      now = Math.max(now, Math.min(...sleepers.map((sleeper) => sleeper.until)));
      await release();
      return true;
    },
    get pendingSleeps() {
      return sleepers.length;
    },
  };
}
