import { createHash } from "node:crypto";
import type { KeyVaultErrorSpec } from "./key-vault-response.js";
import type { TokenCheck } from "../auth/fake-token.js";

/**
 * Key Vault's challenge-based authentication. A request without a bearer token gets 401 with a `WWW-Authenticate`
 * header naming the tenant's authority and the resource; the SDK then fetches a token for that resource and tenant
 * and resends the request. The gate answers from the headers alone, before anything reads the (empty) body.
 */

export const KEY_VAULT_RESOURCE = "https://vault.azure.net";
export const LOGIN_AUTHORITY = "https://login.microsoftonline.com";

export function challengeHeader(tenantId: string): string {
  return `Bearer authorization="${LOGIN_AUTHORITY}/${tenantId}", resource="${KEY_VAULT_RESOURCE}"`;
}

/** The 401 body for a request that carries no token (recorded). */
export const MISSING_TOKEN: KeyVaultErrorSpec = {
  status: 401,
  code: "Unauthorized",
  message: "AKV10000: Request is missing a Bearer or PoP token.",
};

/** The 401 body for a token the vault does not accept. */
export function rejectedToken(check: Exclude<TokenCheck, { ok: true }>, tenantId: string): KeyVaultErrorSpec {
  switch (check.reason) {
    case "missing":
      return MISSING_TOKEN;
    case "audience":
      return { status: 401, code: "Unauthorized", message: `AKV10022: Invalid audience. ${check.message}` };
    case "tenant":
      return foreignTenantToken(tenantId, check.message);
    case "expired":
      return { status: 401, code: "Unauthorized", message: `AKV10013: Token has expired. ${check.message}` };
    case "malformed":
      return { status: 401, code: "Unauthorized", message: `AKV10002: Token is not a valid JWT. ${check.message}` };
  }
}

/** The 401 a vault answers to a token issued by another tenant than its own. */
export function foreignTenantToken(vaultTenantId: string, detail?: string): KeyVaultErrorSpec {
  return {
    status: 401,
    code: "Unauthorized",
    message: `AKV10032: Invalid issuer. Expected one of https://sts.windows.net/${vaultTenantId}/, https://login.microsoftonline.com/${vaultTenantId}/v2.0.${
      detail === undefined ? "" : ` ${detail}`
    }`,
  };
}

/**
 * The tenant a vault outside the fake tenant claims in its challenge: a stable GUID derived from the vault name, so a
 * vault the seed does not know behaves like a real vault that belongs to somebody else's tenant.
 */
export function foreignTenantOf(vaultName: string): string {
  const hex = createHash("sha256").update(`foreign-tenant:${vaultName.toLowerCase()}`).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
