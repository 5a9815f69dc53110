import { createHmac, timingSafeEqual } from "node:crypto";

import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from "jose";

/** Contract header names of a signed delivery. */
export const timestampHeader = "x-keywarden-timestamp";
export const signatureHeader = "x-keywarden-signature";

/** `sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>">` (contract). */
export function signDelivery(key: string, timestamp: number | string, rawBody: string): string {
  return `sha256=${createHmac("sha256", key).update(`${timestamp}.${rawBody}`).digest("hex")}`;
}

/** Why a delivery was refused; each maps to a status, a short reason and a counter label. */
export type DeliveryRefusal = "unauthenticated" | "bad-signature" | "stale" | "replayed" | "bad-token";

export type DeliveryCheck =
  | { ok: true; via: "hmac" | "entra"; replayKey?: string; replayExpiresAt?: number; subject?: string }
  | { ok: false; refusal: DeliveryRefusal; reason: string };

export interface DeliveryAuthOptions {
  hmacKey?: string;
  maxClockSkewSeconds: number;
  entra?: { issuer: string; audience: string; jwksUri: string; requiredRole?: string };
}

const headerValue = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value);

/**
 * Checks a delivery's HMAC signature (timestamp within the allowed skew; replay detection is the caller's, with
 * the returned key) and/or its Entra ID bearer token (issuer, audience, signature against the JWKS).
 */
export class DeliveryAuthenticator {
  readonly #options: DeliveryAuthOptions;
  readonly #jwks: JWTVerifyGetKey | undefined;

  constructor(options: DeliveryAuthOptions) {
    this.#options = options;
    this.#jwks = options.entra === undefined ? undefined : createRemoteJWKSet(new URL(options.entra.jwksUri), { timeoutDuration: 5_000, cooldownDuration: 30_000 });
  }

  async check(headers: Record<string, string | string[] | undefined>, rawBody: string, nowMs: number): Promise<DeliveryCheck> {
    const signature = headerValue(headers[signatureHeader]);
    const timestamp = headerValue(headers[timestampHeader]);
    const authorization = headerValue(headers["authorization"]);
    const bearer = authorization?.match(/^Bearer\s+([\w-]+\.[\w-]+\.[\w-]+)\s*$/i)?.[1];

    if (signature !== undefined || timestamp !== undefined) {
      if (this.#options.hmacKey === undefined) return { ok: false, refusal: "unauthenticated", reason: "signed deliveries are not configured" };
      return this.#checkSignature(signature, timestamp, rawBody, nowMs);
    }
    if (bearer !== undefined && this.#options.entra !== undefined && this.#jwks !== undefined) return this.#checkToken(bearer);
    return { ok: false, refusal: "unauthenticated", reason: "missing signature or bearer token" };
  }

  #checkSignature(signature: string | undefined, timestamp: string | undefined, rawBody: string, nowMs: number): DeliveryCheck {
    if (signature === undefined || timestamp === undefined) return { ok: false, refusal: "bad-signature", reason: `both ${timestampHeader} and ${signatureHeader} are required` };
    if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, refusal: "bad-signature", reason: `${timestampHeader} must be unix seconds` };
    const match = /^sha256=([0-9a-f]{64})$/i.exec(signature);
    if (match === null) return { ok: false, refusal: "bad-signature", reason: `${signatureHeader} must be sha256=<64 hex digits>` };
    const expected = createHmac("sha256", this.#options.hmacKey!).update(`${timestamp}.${rawBody}`).digest();
    const given = Buffer.from(match[1]!, "hex");
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, refusal: "bad-signature", reason: "signature does not match" };
    // Checked after the signature, so an attacker learns nothing about the clock from unsigned probes.
    const skewMs = this.#options.maxClockSkewSeconds * 1000;
    const sentMs = Number(timestamp) * 1000;
    if (Math.abs(nowMs - sentMs) > skewMs) return { ok: false, refusal: "stale", reason: `timestamp is more than ${this.#options.maxClockSkewSeconds} s from the responder's clock` };
    return { ok: true, via: "hmac", replayKey: `hmac:${match[1]!.toLowerCase()}`, replayExpiresAt: sentMs + skewMs };
  }

  async #checkToken(token: string): Promise<DeliveryCheck> {
    const entra = this.#options.entra!;
    try {
      const { payload } = await jwtVerify(token, this.#jwks!, { issuer: entra.issuer, audience: entra.audience, algorithms: ["RS256", "ES256", "PS256"], clockTolerance: 60 });
      if (entra.requiredRole !== undefined) {
        const roles = Array.isArray(payload["roles"]) ? (payload["roles"] as unknown[]) : [];
        if (!roles.includes(entra.requiredRole)) return { ok: false, refusal: "bad-token", reason: `token lacks the ${entra.requiredRole} role` };
      }
      return { ok: true, via: "entra", ...(typeof payload.sub === "string" ? { subject: payload.sub } : {}) };
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      return { ok: false, refusal: "bad-token", reason: `bearer token refused${typeof code === "string" ? ` (${code})` : ""}` };
    }
  }
}
