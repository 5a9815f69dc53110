import { isRestError } from "@azure/core-rest-pipeline";

/** Raised by the engine when one attempt of a request took longer than `requestTimeoutMs`. */
export class RequestTimeoutError extends Error {
  constructor(label: string, timeoutMs: number) {
    super(`${label} did not answer within ${timeoutMs} ms.`);
    this.name = "RequestTimeoutError";
  }
}

export interface TransientFailure {
  /** `throttled` (429), `server` (5xx, 408), `connection` (reset, refused, DNS), `timeout`. */
  reason: "throttled" | "server" | "connection" | "timeout";
  status?: number;
  /** The wait the server asked for (Retry-After / retry-after-ms / x-ms-retry-after-ms), in ms. */
  retryAfterMs?: number;
}

const CONNECTION_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EAI_AGAIN",
  "ENETUNREACH",
  "EHOSTUNREACH",
  "UND_ERR_SOCKET",
  "REQUEST_SEND_ERROR",
]);

/** Whether a failure is worth retrying, and how long the server asked us to wait. Anything else is final. */
export function classifyTransient(error: unknown, now: number = Date.now()): TransientFailure | undefined {
  if (error instanceof RequestTimeoutError) return { reason: "timeout" };
  if (isRestError(error)) {
    const status = error.statusCode;
    const retryAfterMs = retryAfterFrom(error.response?.headers.get.bind(error.response.headers), now);
    const withRetry = <T extends TransientFailure>(failure: T): T =>
      retryAfterMs === undefined ? failure : { ...failure, retryAfterMs };
    if (status === 429) return withRetry({ reason: "throttled", status });
    if (status === 408 || (status !== undefined && status >= 500 && status !== 501 && status !== 505)) {
      return withRetry({ reason: "server", status });
    }
    if (status === undefined && (error.code === undefined || CONNECTION_CODES.has(error.code))) {
      return { reason: "connection" };
    }
    return undefined;
  }
  const generic = error as { statusCode?: unknown; status?: unknown; retryAfterMs?: unknown; code?: unknown } | null;
  const statusCode = generic?.statusCode;
  const plainStatus = generic?.status;
  const genericStatus = typeof statusCode === "number" ? statusCode : typeof plainStatus === "number" ? plainStatus : undefined;
  if (genericStatus !== undefined) {
    const status = genericStatus;
    const retryAfterMs = typeof generic?.retryAfterMs === "number" ? generic.retryAfterMs : undefined;
    const reason = status === 429 ? "throttled" : status === 408 || (status >= 500 && status !== 501 && status !== 505) ? "server" : undefined;
    if (reason === undefined) return undefined;
    return retryAfterMs === undefined ? { reason, status } : { reason, status, retryAfterMs };
  }
  const code = generic?.code;
  if (typeof code === "string" && CONNECTION_CODES.has(code)) return { reason: "connection" };
  if (error instanceof TypeError && /fetch failed|network|socket/i.test(error.message)) return { reason: "connection" };
  return undefined;
}

/** Parses `retry-after-ms`, `x-ms-retry-after-ms` and `Retry-After` (seconds or an HTTP date). */
export function retryAfterFrom(get: ((name: string) => string | undefined) | undefined, now: number): number | undefined {
  if (get === undefined) return undefined;
  for (const name of ["retry-after-ms", "x-ms-retry-after-ms"]) {
    const value = Number(get(name));
    if (get(name) !== undefined && Number.isFinite(value) && value >= 0) return value;
  }
  const header = get("retry-after");
  if (header === undefined) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** HTTP status of an Azure failure, when it has one. */
export function statusOf(error: unknown): number | undefined {
  if (isRestError(error)) return error.statusCode;
  const status = (error as { statusCode?: unknown; status?: unknown } | null)?.statusCode ??
    (error as { status?: unknown } | null)?.status;
  return typeof status === "number" ? status : undefined;
}

/** The service's error code (`SecretNotFound`, `ForbiddenByPolicy`...) of an Azure failure, when it has one. */
export function serviceCodeOf(error: unknown): string | undefined {
  if (!isRestError(error)) return undefined;
  const details = error.details as { error?: { code?: string; innererror?: { code?: string } } } | undefined;
  return details?.error?.innererror?.code ?? details?.error?.code ?? error.code;
}
