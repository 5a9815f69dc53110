import type { RetryOnThrottleOptions } from "@keywarden/core";

/**
 * 429 handling beyond the SDK's own retries: core's `retryOnThrottle` settings (`maxRetries`, `maxRetryDelayInMs`,
 * `retryDelayInMs`). The waits run on the options' `clock` (inject a manual clock so tests do not sleep).
 */
export type ThrottleOptions = Pick<RetryOnThrottleOptions, "maxRetries" | "maxRetryDelayInMs" | "retryDelayInMs">;
