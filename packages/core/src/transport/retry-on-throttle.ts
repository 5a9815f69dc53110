import type { AbortSignalLike } from "@azure/abort-controller";
import { systemClock, type Clock } from "../time/clock.js";
import { retryAfterMsOf } from "./retry-after.js";
import { statusOf } from "./status-of.js";

/** Settings of {@link retryOnThrottle}. */
export interface RetryOnThrottleOptions {
  /** Extra attempts after a 429. Default 5. */
  maxRetries?: number;
  /** Longest single wait, whatever Retry-After says. Default 60 000 ms. */
  maxRetryDelayInMs?: number;
  /** Wait when the answer names none: doubled each attempt. Default 1 000 ms. */
  retryDelayInMs?: number;
  /** Time and sleeping; defaults to the real clock. */
  clock?: Clock;
  /** Stops the waits (the Azure SDK's `AbortSignalLike`, so an `OperationOptions.abortSignal` passes as is). */
  abortSignal?: AbortSignalLike;
  /** Told before each wait (for logs and progress). */
  onThrottle?: (attempt: number, delayInMs: number) => void | Promise<void>;
}

/**
 * Runs `operation`; when it fails with HTTP 429 waits as long as the service asked (Retry-After, capped) and runs it
 * again. A 429 means the request was not processed, so this is safe even for writes that are not idempotent.
 *
 * The SDK pipeline already retries 429 a few times per request; bulk work (hundreds of writes under one budget)
 * outlasts that, and Microsoft's own bulk scripts do exactly this (defender-alerts.md section 2.4).
 */
export async function retryOnThrottle<T>(operation: () => Promise<T>, options: RetryOnThrottleOptions = {}): Promise<T> {
  const maxRetries = options.maxRetries ?? 5;
  const maxDelay = options.maxRetryDelayInMs ?? 60_000;
  const baseDelay = options.retryDelayInMs ?? 1000;
  const clock = options.clock ?? systemClock;
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await operation();
    } catch (error) {
      if (statusOf(error) !== 429 || attempt >= maxRetries || options.abortSignal?.aborted === true) throw error;
      const wait = Math.min(maxDelay, retryAfterMsOf(error, clock.now()) ?? baseDelay * 2 ** attempt);
      await options.onThrottle?.(attempt + 1, wait);
      await clock.sleep(wait, options.abortSignal);
    }
  }
}
