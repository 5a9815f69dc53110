import { createHash, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

import { exportJWK, generateKeyPair, SignJWT, type JWK } from "jose";

/** A person the local provider signs in (the claims Entra ID puts in an ID token). */
export interface ProviderUser {
  sub: string;
  oid?: string;
  name?: string;
  preferredUsername?: string;
  roles?: string[];
}

export interface LocalOidcProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Who the next /authorize request signs in (the provider's own login page is out of scope). */
  signInAs(user: ProviderUser): void;
  /** Changes the next ID token (a wrong nonce, audience, or a key not in the JWKS) to test refusals. */
  tamperNextIdToken(tamper: { claims?: Record<string, unknown>; foreignKey?: boolean }): void;
  /** Token requests and how each ended (the code grant really ran, with PKCE and client authentication). */
  tokenRequests: Array<{ outcome: "issued" | "refused"; reason?: string }>;
  close(): Promise<void>;
}

interface PendingCode {
  clientId: string;
  redirectUri: string;
  challenge: string;
  nonce: string | undefined;
  user: ProviderUser;
}

const base64url = (buffer: Buffer) => buffer.toString("base64url");

/**
 * A minimal OpenID Connect provider on loopback for the sign-in tests: discovery, authorization endpoint (code
 * flow, S256 PKCE required), token endpoint (client_secret_basic or _post, single-use codes, verifier checked) and
 * JWKS, with locally generated RS256 keys. Nothing leaves the machine.
 */
export async function startLocalOidcProvider(options: { clientId?: string; clientSecret?: string } = {}): Promise<LocalOidcProvider> {
  const clientId = options.clientId ?? "keywarden-responder-test";
  const clientSecret = options.clientSecret ?? `secret-${randomBytes(12).toString("hex")}`;
  const { publicKey, privateKey } = await generateKeyPair("RS256", { extractable: true });
  const foreign = await generateKeyPair("RS256");
  const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid: "test-key-1", alg: "RS256", use: "sig" };
  const codes = new Map<string, PendingCode>();
  let nextUser: ProviderUser | undefined;
  let tamper: { claims?: Record<string, unknown>; foreignKey?: boolean } | undefined;
  const tokenRequests: LocalOidcProvider["tokenRequests"] = [];

  const json = (response: ServerResponse, status: number, body: unknown) => {
    response.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" }).end(JSON.stringify(body));
  };
  const readBody = (request: IncomingMessage) =>
    new Promise<string>((resolve, reject) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
      request.on("error", reject);
    });

  let issuer = "";
  const server = createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? "/", issuer);
      if (request.method === "GET" && url.pathname === "/.well-known/openid-configuration") {
        return json(response, 200, {
          issuer,
          authorization_endpoint: `${issuer}/authorize`,
          token_endpoint: `${issuer}/token`,
          jwks_uri: `${issuer}/jwks`,
          response_types_supported: ["code"],
          subject_types_supported: ["public"],
          id_token_signing_alg_values_supported: ["RS256"],
          code_challenge_methods_supported: ["S256"],
          token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
          scopes_supported: ["openid", "profile", "email"],
        });
      }
      if (request.method === "GET" && url.pathname === "/jwks") return json(response, 200, { keys: [publicJwk] });
      if (request.method === "GET" && url.pathname === "/authorize") {
        const q = url.searchParams;
        if (q.get("client_id") !== clientId || q.get("response_type") !== "code") return json(response, 400, { error: "unauthorized_client" });
        if (q.get("code_challenge_method") !== "S256" || q.get("code_challenge") === null) return json(response, 400, { error: "invalid_request", error_description: "PKCE S256 required" });
        if (!(q.get("scope") ?? "").split(" ").includes("openid")) return json(response, 400, { error: "invalid_scope" });
        const redirectUri = q.get("redirect_uri");
        if (redirectUri === null || nextUser === undefined) return json(response, 400, { error: "invalid_request" });
        const code = base64url(randomBytes(24));
        codes.set(code, { clientId, redirectUri, challenge: q.get("code_challenge")!, nonce: q.get("nonce") ?? undefined, user: nextUser });
        const back = new URL(redirectUri);
        back.searchParams.set("code", code);
        const state = q.get("state");
        if (state !== null) back.searchParams.set("state", state);
        response.writeHead(302, { location: back.href }).end();
        return;
      }
      if (request.method === "POST" && url.pathname === "/token") {
        const form = new URLSearchParams(await readBody(request));
        const refuse = (reason: string) => {
          tokenRequests.push({ outcome: "refused", reason });
          json(response, 400, { error: "invalid_grant", error_description: reason });
        };
        let givenId = form.get("client_id");
        let givenSecret = form.get("client_secret");
        const basic = /^Basic (.+)$/.exec(request.headers.authorization ?? "")?.[1];
        if (basic !== undefined) {
          const [id, secret] = Buffer.from(basic, "base64").toString("utf8").split(":").map((part) => decodeURIComponent(part));
          givenId = id ?? null;
          givenSecret = secret ?? null;
        }
        if (givenId !== clientId || givenSecret !== clientSecret) return refuse("client authentication failed");
        if (form.get("grant_type") !== "authorization_code") return refuse("unsupported grant");
        const code = form.get("code") ?? "";
        const pending = codes.get(code);
        codes.delete(code); // single use, whatever happens next
        if (pending === undefined) return refuse("unknown or used code");
        if (form.get("redirect_uri") !== pending.redirectUri) return refuse("redirect_uri differs from the authorization request");
        const verifier = form.get("code_verifier") ?? "";
        if (base64url(createHash("sha256").update(verifier).digest()) !== pending.challenge) return refuse("PKCE verifier does not match");
        const user = pending.user;
        const now = Math.floor(Date.now() / 1000);
        const claims: Record<string, unknown> = {
          sub: user.sub,
          ...(user.oid === undefined ? {} : { oid: user.oid }),
          ...(user.name === undefined ? {} : { name: user.name }),
          ...(user.preferredUsername === undefined ? {} : { preferred_username: user.preferredUsername }),
          ...(user.roles === undefined ? {} : { roles: user.roles }),
          ...(pending.nonce === undefined ? {} : { nonce: pending.nonce }),
          ...tamper?.claims,
        };
        const idToken = await new SignJWT(claims)
          .setProtectedHeader({ alg: "RS256", kid: "test-key-1", typ: "JWT" })
          .setIssuer(typeof claims["iss"] === "string" ? claims["iss"] : issuer)
          .setAudience(typeof claims["aud"] === "string" ? claims["aud"] : clientId)
          .setIssuedAt(now)
          .setExpirationTime(now + 600)
          .sign(tamper?.foreignKey === true ? foreign.privateKey : privateKey);
        tamper = undefined;
        tokenRequests.push({ outcome: "issued" });
        return json(response, 200, { access_token: base64url(randomBytes(24)), token_type: "Bearer", expires_in: 600, id_token: idToken, scope: "openid profile email" });
      }
      json(response, 404, { error: "not_found" });
    })().catch((error: unknown) => json(response, 500, { error: "server_error", error_description: String(error) }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer,
    clientId,
    clientSecret,
    signInAs(user) {
      nextUser = user;
    },
    tamperNextIdToken(next) {
      tamper = next;
    },
    tokenRequests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
