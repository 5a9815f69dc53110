import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import type { FakeIdentity } from "./fake-identity.js";

/** Claims carried by a fake access token (a JWT with `alg: none`, so tools that decode tokens still work). */
export interface FakeTokenClaims {
  aud: string;
  tid: string;
  oid: string;
  appid: string;
  idtyp: "app" | "user";
  upn?: string;
  iat: number;
  exp: number;
  scp?: string;
}

export type TokenCheck =
  | { ok: true; claims: FakeTokenClaims }
  | { ok: false; reason: "missing" | "malformed" | "expired" | "audience" | "tenant"; message: string };

const TOKEN_LIFETIME_S = 3600;

function base64url(value: string): string {
  return Buffer.from(value, "utf8").toString("base64url");
}

/** Resource (audience) of a scope: `https://vault.azure.net/.default` -> `https://vault.azure.net`. */
export function audienceOfScope(scope: string): string {
  return scope.replace(/\/\.default$/u, "").replace(/\/$/u, "");
}

export function encodeFakeToken(claims: FakeTokenClaims): string {
  return `${base64url(JSON.stringify({ alg: "none", typ: "JWT" }))}.${base64url(JSON.stringify(claims))}.`;
}

/**
 * Recently decoded tokens: an SDK client sends the same cached token on every request, and decoding it (base64 and
 * JSON) is a measurable part of answering one. Claims are frozen, so a cached entry cannot be changed by a caller.
 */
const decoded = new Map<string, Readonly<FakeTokenClaims> | undefined>();
const DECODED_MAX = 64;

export function decodeFakeToken(token: string): FakeTokenClaims | undefined {
  if (decoded.has(token)) return decoded.get(token);
  const claims = decodeUncached(token);
  if (decoded.size >= DECODED_MAX) decoded.delete(decoded.keys().next().value as string);
  decoded.set(token, claims === undefined ? undefined : Object.freeze(claims));
  return decoded.get(token);
}

function decodeUncached(token: string): FakeTokenClaims | undefined {
  const [, payload] = token.split(".");
  if (payload === undefined) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Partial<FakeTokenClaims>;
    if (typeof claims.aud !== "string" || typeof claims.tid !== "string" || typeof claims.exp !== "number") return undefined;
    return claims as FakeTokenClaims;
  } catch {
    return undefined;
  }
}

/** Issues and checks fake bearer tokens against the tenant clock. */
export interface FakeTokenService {
  issue(scopes: string | string[], options?: GetTokenOptions): AccessToken;
  /**
   * Checks a request's `Authorization: Bearer` header for the given audience (e.g. `https://management.azure.com`).
   * Audiences compare without a trailing slash and case-insensitively, as Entra does.
   */
  verify(request: Request, audience: string): TokenCheck;
  /** A `TokenCredential` for the real Azure SDK clients. */
  credential: TokenCredential;
}

export function createFakeTokenService(options: { tenantId: () => string; identity: () => FakeIdentity }): FakeTokenService {
  const issue = (scopes: string | string[], getTokenOptions?: GetTokenOptions): AccessToken => {
    const scope = Array.isArray(scopes) ? scopes[0] ?? "" : scopes;
    const identity = options.identity();
    // Real time, not the tenant clock: the SDK caches tokens by the system clock, and tests move the tenant clock
    // by days (soft-delete retention) without wanting every cached token to die.
    const iat = Math.floor(Date.now() / 1000);
    const claims: FakeTokenClaims = {
      aud: audienceOfScope(scope),
      tid: getTokenOptions?.tenantId ?? options.tenantId(),
      oid: identity.objectId,
      appid: identity.applicationId,
      idtyp: identity.type,
      ...(identity.userPrincipalName ? { upn: identity.userPrincipalName } : {}),
      iat,
      exp: iat + TOKEN_LIFETIME_S,
    };
    // The SDK's token cache compares expiresOnTimestamp with the real clock, so give it real time.
    return { token: encodeFakeToken(claims), expiresOnTimestamp: Date.now() + TOKEN_LIFETIME_S * 1000, tokenType: "Bearer" };
  };

  const verify = (request: Request, audience: string): TokenCheck => {
    const header = request.headers.get("authorization");
    if (!header) return { ok: false, reason: "missing", message: "The request is missing an Authorization header." };
    const match = /^Bearer\s+(\S+)$/iu.exec(header);
    const claims = match?.[1] === undefined ? undefined : decodeFakeToken(match[1]);
    if (!claims)
      return { ok: false, reason: "malformed", message: "The access token is not a token issued by the fake tenant's credential." };
    const wanted = audience.replace(/\/$/u, "").toLowerCase();
    if (claims.aud.toLowerCase() !== wanted) {
      return {
        ok: false,
        reason: "audience",
        message: `The access token has audience '${claims.aud}'; this endpoint needs '${audience}'.`,
      };
    }
    if (claims.tid.toLowerCase() !== options.tenantId().toLowerCase()) {
      return {
        ok: false,
        reason: "tenant",
        message: `The access token is from tenant '${claims.tid}', not the fake tenant '${options.tenantId()}'.`,
      };
    }
    if (claims.exp <= Math.floor(Date.now() / 1000)) {
      return { ok: false, reason: "expired", message: "The access token has expired." };
    }
    return { ok: true, claims };
  };

  return {
    issue,
    verify,
    credential: { getToken: (scopes, getTokenOptions) => Promise.resolve(issue(scopes, getTokenOptions)) },
  };
}
