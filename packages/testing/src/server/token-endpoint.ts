import type { FakeAzureContext } from "../context.js";
import { audienceOfScope, encodeFakeToken, type FakeTokenClaims } from "../auth/fake-token.js";
import type { FakeIdentity } from "../auth/fake-identity.js";

/** The Entra ID hosts a client may address for its tokens (the aliases Entra's instance discovery lists). */
export const LOGIN_HOSTS: readonly string[] = ["login.microsoftonline.com", "login.windows.net", "login.microsoft.com", "sts.windows.net"];

const TOKEN_LIFETIME_S = 3600;

interface EntraErrorBody {
  error: string;
  error_description: string;
  error_codes: number[];
  timestamp: string;
  trace_id: string;
  correlation_id: string;
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store, no-cache" } });
}

/** Entra's error shape: `AADSTSnnnnnn: message` in `error_description`, the number again in `error_codes`. */
function entraError(status: number, error: string, code: number, message: string, request: Request): Response {
  const correlation = request.headers.get("client-request-id") ?? "00000000-0000-0000-0000-000000000000";
  const body: EntraErrorBody = {
    error,
    error_description: `AADSTS${code}: ${message}`,
    error_codes: [code],
    timestamp: new Date().toISOString().replace("T", " ").slice(0, 19) + "Z",
    trace_id: "00000000-0000-0000-0000-000000000000",
    correlation_id: correlation,
  };
  return json(status, body);
}

/** The OpenID Connect metadata Entra publishes for a tenant (the fields MSAL reads, with the fake's host). */
function openIdConfiguration(host: string, tenantId: string): Record<string, unknown> {
  const base = `https://${host}/${tenantId}`;
  return {
    token_endpoint: `${base}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
    jwks_uri: `https://${host}/${tenantId}/discovery/v2.0/keys`,
    response_modes_supported: ["query", "fragment", "form_post"],
    subject_types_supported: ["pairwise"],
    id_token_signing_alg_values_supported: ["RS256"],
    response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
    scopes_supported: ["openid", "profile", "email", "offline_access"],
    issuer: `https://${host}/${tenantId}/v2.0`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: "https://graph.microsoft.com/oidc/userinfo",
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    claims_supported: ["sub", "iss", "aud", "exp", "iat", "auth_time", "acr", "nonce", "tid", "ver", "oid"],
    kerberos_endpoint: `${base}/kerberos`,
    tenant_region_scope: "EU",
    cloud_instance_name: "microsoftonline.com",
    cloud_graph_host_name: "graph.windows.net",
    msgraph_host: "graph.microsoft.com",
    rbac_url: "https://pas.windows.net",
  };
}

/** Entra's instance-discovery answer: the public cloud's aliases, all of them served here. */
function instanceDiscovery(host: string, tenantId: string): Record<string, unknown> {
  return {
    tenant_discovery_endpoint: `https://${host}/${tenantId}/v2.0/.well-known/openid-configuration`,
    "api-version": "1.1",
    metadata: [{ preferred_network: "login.microsoftonline.com", preferred_cache: "login.windows.net", aliases: [...LOGIN_HOSTS] }],
  };
}

/** Who a client id authenticates as: the tenant's identity, or a service principal of the seeded directory. */
function identityOfClient(ctx: FakeAzureContext, clientId: string): FakeIdentity | undefined {
  const current = ctx.identity();
  if (current.applicationId.toLowerCase() === clientId.toLowerCase()) return current;
  for (const principal of ctx.state.directory.servicePrincipals.values()) {
    if (principal.appId.toLowerCase() === clientId.toLowerCase()) return { objectId: principal.id, applicationId: principal.appId, type: "app" };
  }
  return undefined;
}

/** The form fields of a token request (`application/x-www-form-urlencoded`), or why there are none. */
async function formOf(request: Request): Promise<URLSearchParams | undefined> {
  const type = request.headers.get("content-type") ?? "";
  if (!type.toLowerCase().startsWith("application/x-www-form-urlencoded")) return undefined;
  return new URLSearchParams(await request.text());
}

function basicClient(request: Request): { id: string; secret: string } | undefined {
  const match = /^Basic\s+(\S+)$/iu.exec(request.headers.get("authorization") ?? "");
  if (match?.[1] === undefined) return undefined;
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  return colon < 0 ? undefined : { id: decodeURIComponent(decoded.slice(0, colon)), secret: decodeURIComponent(decoded.slice(colon + 1)) };
}

/**
 * The client-credentials grant, as Entra answers it. The client must be the tenant's identity
 * (`identity.applicationId`) or a service principal of the seed's directory, and present a secret or an assertion;
 * the fake keeps no application secrets, so any non-empty one is accepted (say so in a test that cares).
 */
async function token(ctx: FakeAzureContext, request: Request, tenant: string): Promise<Response> {
  const form = await formOf(request);
  if (form === undefined) {
    return entraError(400, "invalid_request", 900144, "The request body must contain the following parameter: 'grant_type' (as application/x-www-form-urlencoded).", request);
  }
  const grant = form.get("grant_type");
  if (grant !== "client_credentials") {
    return entraError(
      400,
      "unsupported_grant_type",
      70003,
      `The fake Azure tenant's token endpoint serves the client_credentials grant only, not ${JSON.stringify(grant ?? "")}: use a client-secret, client-certificate or client-assertion credential.`,
      request,
    );
  }
  const basic = basicClient(request);
  const clientId = form.get("client_id") ?? basic?.id ?? "";
  if (clientId === "") return entraError(400, "invalid_request", 900144, "The request body must contain the following parameter: 'client_id'.", request);
  const identity = identityOfClient(ctx, clientId);
  if (identity === undefined) {
    return entraError(
      400,
      "unauthorized_client",
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${ctx.state.tenantId}'. Use the fake tenant's identity (client id ${ctx.identity().applicationId}) or add a service principal with this appId to the seed's directory.`,
      request,
    );
  }
  const secret = form.get("client_secret") ?? basic?.secret ?? "";
  const assertion = form.get("client_assertion") ?? "";
  if (secret === "" && assertion === "") {
    return entraError(401, "invalid_client", 7000216, "'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type.", request);
  }
  const scopes = (form.get("scope") ?? "").split(/\s+/u).filter((scope) => scope.length > 0);
  const resourceScope = scopes.find((scope) => scope.endsWith("/.default"));
  if (resourceScope === undefined) {
    return entraError(
      400,
      "invalid_scope",
      1002012,
      `The provided value for scope ${scopes.join(" ") || "(none)"} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
      request,
    );
  }
  // Real time, like the in-process credential: the SDKs cache tokens by the system clock.
  const iat = Math.floor(Date.now() / 1000);
  const claims: FakeTokenClaims = {
    aud: audienceOfScope(resourceScope),
    tid: tenant,
    oid: identity.objectId,
    appid: identity.applicationId,
    idtyp: identity.type,
    ...(identity.userPrincipalName ? { upn: identity.userPrincipalName } : {}),
    iat,
    exp: iat + TOKEN_LIFETIME_S,
  };
  return json(200, { token_type: "Bearer", expires_in: TOKEN_LIFETIME_S, ext_expires_in: TOKEN_LIFETIME_S, access_token: encodeFakeToken(claims) });
}

/** Tenant segments Entra resolves to the fake tenant: its id (case-insensitively). */
function isFakeTenant(ctx: FakeAzureContext, segment: string): boolean {
  return segment.toLowerCase() === ctx.state.tenantId.toLowerCase();
}

const MULTI_TENANT = new Set(["common", "organizations", "consumers"]);

/**
 * Entra ID for the fake tenant, over the wire: instance discovery, the tenant's OpenID configuration and its v2.0
 * token endpoint, which is what MSAL (Node, Python, .NET, Java, Go) asks for before a client-credentials token.
 * Anything else on a login host is a 501 naming what is served.
 */
export async function handleLoginRequest(ctx: FakeAzureContext, request: Request): Promise<Response> {
  const url = new URL(request.url);
  const host = url.hostname.toLowerCase();
  const segments = url.pathname.split("/").filter((segment) => segment.length > 0);
  const [tenant, ...rest] = segments;
  const path = rest.join("/");
  if (request.method === "GET" && tenant !== undefined && path === "discovery/instance") {
    const authorize = url.searchParams.get("authorization_endpoint");
    const target = authorize === null ? undefined : /^https:\/\/[^/]+\/([^/]+)\//u.exec(authorize)?.[1];
    return json(200, instanceDiscovery(host, target ?? tenant));
  }
  if (tenant !== undefined && !isFakeTenant(ctx, tenant) && !MULTI_TENANT.has(tenant.toLowerCase())) {
    return entraError(
      400,
      "invalid_tenant",
      90002,
      `Tenant '${tenant}' not found. The fake Azure server serves tenant ${ctx.state.tenantId}: pass it as the credential's tenant id.`,
      request,
    );
  }
  if (request.method === "GET" && tenant !== undefined && (path === "v2.0/.well-known/openid-configuration" || path === ".well-known/openid-configuration")) {
    return json(200, openIdConfiguration(host, isFakeTenant(ctx, tenant) ? ctx.state.tenantId : tenant));
  }
  if (request.method === "POST" && tenant !== undefined && path === "oauth2/v2.0/token") {
    if (!isFakeTenant(ctx, tenant)) {
      return entraError(
        400,
        "invalid_request",
        50059,
        `No tenant-identifying information found in the request: the client_credentials grant needs the tenant id (${ctx.state.tenantId}) in the authority, not '${tenant}'.`,
        request,
      );
    }
    return token(ctx, request, ctx.state.tenantId);
  }
  return json(501, {
    error: "invalid_request",
    error_description: `The fake Azure server's Entra ID serves instance discovery, /{tenant}/v2.0/.well-known/openid-configuration and POST /{tenant}/oauth2/v2.0/token (client_credentials), not ${request.method} ${url.pathname}. See the "Server mode" section of the @keywarden/testing README.`,
  });
}
