/** Headers as the Azure pipeline exposes them. */
interface HeaderBag {
  get(name: string): string | undefined | null;
}

/**
 * How long a throttled (429/503) response asks us to wait, in milliseconds: `retry-after-ms`,
 * `x-ms-retry-after-ms`, then `Retry-After` (seconds or an HTTP date, relative to `nowMs`). `undefined` when
 * absent or unreadable.
 */
export function retryAfterMs(headers: HeaderBag | undefined, nowMs: number): number | undefined {
  if (headers === undefined) return undefined;
  for (const name of ["retry-after-ms", "x-ms-retry-after-ms"]) {
    const value = headers.get(name);
    if (value !== undefined && value !== null && /^\d+(\.\d+)?$/.test(value.trim())) return Number(value.trim());
  }
  const retryAfter = headers.get("retry-after")?.trim();
  if (retryAfter === undefined || retryAfter === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(retryAfter)) return Number(retryAfter) * 1000;
  const date = Date.parse(retryAfter);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

/** Resolves after `ms`, or rejects with the signal's reason when aborted. */
export function delay(ms: number, abortSignal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (abortSignal?.aborted) {
      reject(abortReason(abortSignal));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortReason(abortSignal!));
    };
    const timer = setTimeout(() => {
      abortSignal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    abortSignal?.addEventListener("abort", onAbort, { once: true });
  });
}

function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason;
  const error = new Error("The operation was aborted.");
  error.name = "AbortError";
  return error;
}
