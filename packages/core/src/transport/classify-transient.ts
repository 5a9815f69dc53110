import { isRestError } from "@azure/core-rest-pipeline";
import { RequestTimeoutError } from "../errors/core-error.js";
import { retryAfterMsOf } from "./retry-after.js";
import { statusOf } from "./status-of.js";

/** Why a failure is worth retrying. */
export interface TransientFailure {
  /** `throttled` (429), `server` (5xx but 501/505, and 408), `connection` (reset, refused, DNS), `timeout`. */
  reason: "throttled" | "server" | "connection" | "timeout";
  status?: number;
  /** The wait the server asked for, in ms. */
  retryAfterInMs?: number;
  /**
   * `true` when the request certainly never reached the service (refused before sending, or a 429: Azure did not
   * process it), so even a non-idempotent write can be resent as is.
   */
  notProcessed: boolean;
}

const connectionCodes = new Set([
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

/** Codes that mean the request was never written to the wire. */
const notSentCodes = new Set(["ECONNREFUSED", "EAI_AGAIN", "ENETUNREACH", "EHOSTUNREACH"]);

/** Whether `error` is worth retrying, and how long the server asked us to wait. Anything else is final. */
export function classifyTransient(error: unknown, nowMs: number): TransientFailure | undefined {
  if (RequestTimeoutError.isInstance(error)) return { reason: "timeout", notProcessed: false };
  const status = statusOf(error);
  const code = (error as { code?: unknown } | null | undefined)?.code;
  if (status !== undefined) {
    const wait = retryAfterMsOf(error, nowMs);
    const withWait = (failure: TransientFailure): TransientFailure => (wait === undefined ? failure : { ...failure, retryAfterInMs: wait });
    if (status === 429) return withWait({ reason: "throttled", status, notProcessed: true });
    if (status === 408 || (status >= 500 && status !== 501 && status !== 505)) return withWait({ reason: "server", status, notProcessed: false });
    return undefined;
  }
  if (typeof code === "string" && connectionCodes.has(code)) return { reason: "connection", notProcessed: notSentCodes.has(code) };
  if (isRestError(error) && code === undefined) return { reason: "connection", notProcessed: false };
  if (error instanceof TypeError && /fetch failed|network|socket/i.test(error.message)) return { reason: "connection", notProcessed: false };
  return undefined;
}
