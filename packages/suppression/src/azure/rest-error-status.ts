/**
 * The HTTP status of an Azure SDK `RestError` (`statusCode`), of a Keywarden error wrapping one (`status`), or of
 * anything shaped like either.
 */
export function statusOf(error: unknown): number | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const { statusCode, status } = error as { statusCode?: unknown; status?: unknown };
  if (typeof statusCode === "number") return statusCode;
  return typeof status === "number" ? status : undefined;
}

export function isNotFound(error: unknown): boolean {
  return statusOf(error) === 404;
}

/**
 * How long the service asked us to wait, in ms, from `retry-after-ms`, `x-ms-retry-after-ms` or `Retry-After`
 * (seconds or an HTTP date). `now` turns an HTTP date into a delay.
 */
export function retryAfterMs(error: unknown, now: number): number | undefined {
  const headers = (error as { response?: { headers?: { get(name: string): string | undefined } } } | undefined)?.response?.headers;
  if (headers === undefined || typeof headers.get !== "function") return undefined;
  for (const name of ["retry-after-ms", "x-ms-retry-after-ms"]) {
    const value = Number(headers.get(name));
    if (headers.get(name) !== undefined && Number.isFinite(value) && value >= 0) return value;
  }
  const retryAfter = headers.get("retry-after");
  if (retryAfter === undefined) return undefined;
  const seconds = Number(retryAfter);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(retryAfter);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
