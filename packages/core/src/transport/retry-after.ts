/** Headers as the Azure pipeline exposes them (`HttpHeaders`), or any `get(name)` bag. */
export interface HeaderLookup {
  get(name: string): string | undefined | null;
}

const numeric = /^\d+(\.\d+)?$/;

/**
 * How long a throttled (429) or unavailable (503) answer asks the caller to wait, in milliseconds:
 * `retry-after-ms`, then `x-ms-retry-after-ms`, then `Retry-After` (seconds or an HTTP date, relative to `nowMs`).
 * `undefined` when absent or unreadable. Key Vault and ARM send all three spellings (key-vault.md, throttling).
 */
export function retryAfterMs(headers: HeaderLookup | undefined, nowMs: number): number | undefined {
  if (headers === undefined || typeof headers.get !== "function") return undefined;
  for (const name of ["retry-after-ms", "x-ms-retry-after-ms"]) {
    const value = headers.get(name)?.trim();
    if (value !== undefined && numeric.test(value)) return Number(value);
  }
  const retryAfter = headers.get("retry-after")?.trim();
  if (retryAfter === undefined || retryAfter === "") return undefined;
  if (numeric.test(retryAfter)) return Number(retryAfter) * 1000;
  const date = Date.parse(retryAfter);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

/** {@link retryAfterMs} read from an error's `response.headers` (an Azure `RestError`), when it has one. */
export function retryAfterMsOf(error: unknown, nowMs: number): number | undefined {
  const headers = (error as { response?: { headers?: HeaderLookup } } | null | undefined)?.response?.headers;
  const direct = (error as { retryAfterInMs?: unknown } | null | undefined)?.retryAfterInMs;
  return retryAfterMs(headers, nowMs) ?? (typeof direct === "number" && direct >= 0 ? direct : undefined);
}
