import { retryAfterMs, statusOf } from "../azure/rest-error-status.js";

export interface ThrottleOptions {
  /** Extra attempts after the SDK's own retries gave up on a 429. Default 5. */
  maxRetries?: number;
  /** Longest single wait, whatever Retry-After says. Default 60 000 ms. */
  maxDelayMs?: number;
  /** Wait used between attempts; injectable so tests do not sleep. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/**
 * Runs `operation`, and when it fails with HTTP 429 waits as long as the service asked (Retry-After) and tries again.
 * The SDK pipeline already retries 429 a few times; bulk work (dismissing hundreds of alerts) outlasts that budget, and
 * Microsoft's own bulk-dismiss script does exactly this (defender-alerts.md section 2.4).
 */
export async function withThrottleRetry<T>(
  operation: () => Promise<T>,
  options: ThrottleOptions & { signal?: AbortSignal; now: () => number; onThrottle?: (attempt: number, delayMs: number) => Promise<void> },
): Promise<T> {
  const maxRetries = options.maxRetries ?? 5;
  const maxDelayMs = options.maxDelayMs ?? 60_000;
  const sleep = options.sleep ?? defaultSleep;
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await operation();
    } catch (error) {
      if (statusOf(error) !== 429 || attempt >= maxRetries) throw error;
      const delay = Math.min(maxDelayMs, retryAfterMs(error, options.now()) ?? 1000 * 2 ** attempt);
      await options.onThrottle?.(attempt + 1, delay);
      await sleep(delay, options.signal);
    }
  }
}

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(signal.reason as Error);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
