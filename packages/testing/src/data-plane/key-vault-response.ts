import { plainJsonResponse, plainResponse } from "../dispatch/plain-response.js";

/**
 * Response helpers shaped like Key Vault's: JSON with `charset=utf-8`, the `x-ms-keyvault-*` headers the recordings
 * show, and `{ error: { code, message, innererror? } }` bodies (`KeyVaultError` in the 7.5 spec).
 */

/** Per-request facts every Key Vault response header carries. */
export interface ResponseContext {
  readonly clientIp: string;
  readonly region: string;
  readonly requestId: string;
}

export const KEY_VAULT_SERVICE_VERSION = "1.9.2103.1";

export function keyVaultHeaders(context: ResponseContext): Record<string, string> {
  const family = context.clientIp.includes(":") ? "InterNetworkV6" : "InterNetwork";
  const connection = context.clientIp.includes(":") ? "Ipv6" : "Ipv4";
  return {
    "cache-control": "no-cache",
    "x-content-type-options": "nosniff",
    "x-ms-keyvault-network-info": `conn_type=${connection};addr=${context.clientIp};act_addr_fam=${family};`,
    "x-ms-keyvault-region": context.region,
    "x-ms-keyvault-service-version": KEY_VAULT_SERVICE_VERSION,
    "x-ms-request-id": context.requestId,
  };
}

export function jsonResponse(context: ResponseContext, status: number, body: unknown, extraHeaders: Record<string, string> = {}): Response {
  return plainJsonResponse(status, { ...keyVaultHeaders(context), "content-type": "application/json; charset=utf-8", ...extraHeaders }, body);
}

export function emptyResponse(context: ResponseContext, status: number): Response {
  return plainResponse(status, keyVaultHeaders(context), null);
}

/** A Key Vault error: status, top-level code, message and optional inner code. */
export interface KeyVaultErrorSpec {
  readonly status: number;
  readonly code: string;
  readonly message: string;
  readonly innerCode?: string | undefined;
}

export function errorBody(error: KeyVaultErrorSpec): { error: { code: string; message: string; innererror?: { code: string } } } {
  return {
    error: {
      code: error.code,
      message: error.message,
      ...(error.innerCode === undefined ? {} : { innererror: { code: error.innerCode } }),
    },
  };
}

export function errorResponse(context: ResponseContext, error: KeyVaultErrorSpec, extraHeaders: Record<string, string> = {}): Response {
  return jsonResponse(context, error.status, errorBody(error), extraHeaders);
}
