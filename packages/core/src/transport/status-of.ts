import { isRestError } from "@azure/core-rest-pipeline";

/**
 * The HTTP status of an Azure failure: a `RestError`'s `statusCode`, a Keywarden error's `status`, or anything
 * shaped like either. `undefined` when the request never got an answer.
 */
export function statusOf(error: unknown): number | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const { statusCode, status } = error as { statusCode?: unknown; status?: unknown };
  if (typeof statusCode === "number") return statusCode;
  return typeof status === "number" ? status : undefined;
}

/** Whether Azure answered 404. */
export function isNotFound(error: unknown): boolean {
  return statusOf(error) === 404;
}

/** The service's error code (`SecretNotFound`, `ForbiddenByFirewall`, ...) of an Azure failure, when it has one. */
export function serviceCodeOf(error: unknown): string | undefined {
  if (!isRestError(error)) {
    const code = (error as { serviceCode?: unknown } | null | undefined)?.serviceCode;
    return typeof code === "string" ? code : undefined;
  }
  const details = error.details as { error?: { code?: string; innererror?: { code?: string } } } | undefined;
  return details?.error?.innererror?.code ?? details?.error?.code ?? error.code;
}
