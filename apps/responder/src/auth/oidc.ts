import type { Configuration } from "openid-client";

import type { Role } from "../config/config.js";
import type { Principal } from "./principal.js";

export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  rolesClaim: string;
  roleMap: Record<Role, string[]>;
}

export interface OidcStart {
  url: string;
  /** Kept in a short-lived signed cookie until the callback. */
  pending: { verifier: string; state: string; nonce: string };
}

/**
 * Sign-in with OpenID Connect (Entra ID in production) through `openid-client`: authorization code with PKCE,
 * state and nonce; roles from the token's roles claim (app roles) mapped by configuration.
 */
export class OidcSignIn {
  readonly #settings: OidcSettings;
  #configuration: Promise<Configuration> | undefined;

  constructor(settings: OidcSettings) {
    this.#settings = settings;
  }

  async #config(): Promise<Configuration> {
    this.#configuration ??= import("openid-client").then(async (client) => {
      const issuer = new URL(this.#settings.issuer);
      // The ID token's signature is checked against the provider's JWKS too, not only its claims: the roles that
      // decide who may approve come from it. Plain http only for a loopback provider (configuration enforces it).
      const execute = [client.enableNonRepudiationChecks, ...(issuer.protocol === "http:" ? [client.allowInsecureRequests] : [])];
      return client.discovery(issuer, this.#settings.clientId, this.#settings.clientSecret, undefined, { execute });
    });
    try {
      return await this.#configuration;
    } catch (error) {
      this.#configuration = undefined; // try discovery again on the next sign-in
      throw error;
    }
  }

  async start(): Promise<OidcStart> {
    const client = await import("openid-client");
    const config = await this.#config();
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: this.#settings.redirectUri,
      scope: "openid profile email",
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: "S256",
      state,
      nonce,
    });
    return { url: url.href, pending: { verifier, state, nonce } };
  }

  /** Completes the sign-in; `undefined` when the person holds none of the responder's roles. */
  async finish(callbackQuery: string, pending: OidcStart["pending"]): Promise<Principal | undefined> {
    const client = await import("openid-client");
    const config = await this.#config();
    const current = new URL(this.#settings.redirectUri);
    current.search = callbackQuery;
    const tokens = await client.authorizationCodeGrant(config, current, {
      pkceCodeVerifier: pending.verifier,
      expectedState: pending.state,
      expectedNonce: pending.nonce,
      idTokenExpected: true,
    });
    const claims = tokens.claims();
    if (claims === undefined) return undefined;
    const claimed = claims[this.#settings.rolesClaim];
    const values = new Set(Array.isArray(claimed) ? claimed.filter((value): value is string => typeof value === "string") : []);
    const granted = new Set<Role>();
    for (const role of ["viewer", "approver", "admin"] as const) {
      if (this.#settings.roleMap[role].some((value) => values.has(value))) granted.add(role);
    }
    if (granted.size === 0) return undefined;
    const oid = typeof claims["oid"] === "string" ? claims["oid"] : undefined;
    const upn = typeof claims["preferred_username"] === "string" ? claims["preferred_username"] : typeof claims["upn"] === "string" ? claims["upn"] : undefined;
    const name = typeof claims["name"] === "string" ? claims["name"] : (upn ?? claims.sub);
    return {
      id: `oidc:${oid ?? claims.sub}`,
      name,
      roles: granted,
      ...(oid === undefined ? {} : { objectId: oid }),
      ...(upn === undefined ? {} : { userPrincipalName: upn }),
      via: "session",
    };
  }
}
