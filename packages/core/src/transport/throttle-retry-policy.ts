import type { PipelinePolicy } from "@azure/core-rest-pipeline";
import { systemClock, type Clock } from "../time/clock.js";
import { retryAfterMs } from "./retry-after.js";

/** Settings of {@link throttleRetryPolicy}. */
export interface ThrottleRetryPolicyOptions {
  /** Extra attempts after a 429 (or a 503 with Retry-After). Default 5. */
  maxRetries?: number;
  /** Longest single wait. Default 60 000 ms. */
  maxRetryDelayInMs?: number;
  /** Wait when the answer names none, doubled per attempt. Default 1 000 ms. */
  retryDelayInMs?: number;
  /** Time and sleeping: inject a manual clock in tests so throttling costs no real time. */
  clock?: Clock;
}

/** The policy's name, for `pipeline.removePolicy({ name })`. */
export const throttleRetryPolicyName = "keywardenThrottleRetryPolicy";

/**
 * A core-rest-pipeline policy that resends a request answered 429 (or 503 with a Retry-After) after the wait the
 * service asked for. Unlike the SDK's built-in throttling policy it sleeps on an injected {@link Clock} and
 * honours the request's abort signal during the wait. A 429 means the service did not process the request, so a
 * resend is safe even for a write that is not idempotent.
 */
export function throttleRetryPolicy(options: ThrottleRetryPolicyOptions = {}): PipelinePolicy {
  const maxRetries = options.maxRetries ?? 5;
  const maxDelay = options.maxRetryDelayInMs ?? 60_000;
  const baseDelay = options.retryDelayInMs ?? 1000;
  const clock = options.clock ?? systemClock;
  return {
    name: throttleRetryPolicyName,
    async sendRequest(request, next) {
      for (let attempt = 0; ; attempt += 1) {
        const response = await next(request);
        const wait = retryAfterMs(response.headers, clock.now());
        const throttled = response.status === 429 || (response.status === 503 && wait !== undefined);
        if (!throttled || attempt >= maxRetries) return response;
        await clock.sleep(Math.min(maxDelay, wait ?? baseDelay * 2 ** attempt), request.abortSignal);
      }
    },
  };
}
