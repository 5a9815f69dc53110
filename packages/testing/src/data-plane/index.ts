import { http, type HttpHandler } from "msw";
import { toFetchResponse } from "../dispatch/plain-response.js";
import type { FakeAzureContext } from "../context.js";
import { VAULT_AUDIENCE } from "../hosts.js";
import { challengeHeader, foreignTenantOf, foreignTenantToken, MISSING_TOKEN, rejectedToken } from "./challenge.js";
import { KeyVaultFailure, failureResponse, type DataPlaneCall } from "./data-plane-call.js";
import { apiVersionAtMost, isKnownKeyVaultApiVersion, LATEST_KEY_VAULT_API_VERSION } from "./api-versions.js";
import { badParameter } from "./key-vault-errors.js";
import { errorResponse, type ResponseContext } from "./key-vault-response.js";
import { purgeExpired } from "./object-lifecycle.js";
import { routeDataPlaneCall } from "./route.js";
import { evaluateFirewall } from "./vault-firewall.js";

export { evaluateFirewall, type FirewallDecision, type VaultNetworkSettings } from "./vault-firewall.js";

/**
 * The Key Vault data plane of every vault in the tenant, at `https://{vault}.vault.azure.net`. One msw handler
 * takes every request to a vault host and runs Key Vault's own order of checks: the bearer challenge (answered from
 * the headers, before the body is read), the vault firewall, then the operation.
 */
export function createDataPlaneHandlers(ctx: FakeAzureContext): HttpHandler[] {
  const suffix = ctx.vaultDnsSuffix.replaceAll(".", "\\.");
  const vaultHost = new RegExp(`^https://[0-9a-z-]+\\.${suffix}(:443)?/`, "iu");
  return [http.all(vaultHost, async ({ request }) => toFetchResponse(await handleVaultRequest(ctx, request)))];
}

/** Whether a URL is on a vault host of the tenant's DNS suffix (`https://{vault}.vault.azure.net`). */
const vaultUrlPatterns = new Map<string, RegExp>();

export function isVaultUrl(ctx: FakeAzureContext, url: string): boolean {
  let pattern = vaultUrlPatterns.get(ctx.vaultDnsSuffix);
  if (pattern === undefined) {
    pattern = new RegExp(`^https://[0-9a-z-]+\\.${ctx.vaultDnsSuffix.replaceAll(".", "\\.")}\\.?(:443)?(/|\\?|$)`, "iu");
    vaultUrlPatterns.set(ctx.vaultDnsSuffix, pattern);
  }
  return pattern.test(url);
}

/** One data-plane request, answered (the vault host's msw handler and the tenant's dispatcher both call this). */
export async function handleVaultRequest(ctx: FakeAzureContext, request: Request): Promise<Response> {
  const url = new URL(request.url);
  const clientIp = ctx.callerIp(request);
  const vault = ctx.findVaultByHost(url.hostname);
  const vaultName = url.hostname.split(".")[0] ?? url.hostname;
  const responseContext: ResponseContext = { clientIp, region: vault?.resource.location ?? "westus", requestId: ctx.ids.guid() };

  if (vault === undefined) {
    // DNS failure cannot be faked through msw, so an unknown vault behaves like a real vault in another tenant:
    // it challenges with its own tenant, then refuses the token our tenant issued.
    const foreignTenant = foreignTenantOf(vaultName);
    const headers = { "www-authenticate": challengeHeader(foreignTenant) };
    const error = request.headers.has("authorization") ? foreignTenantToken(foreignTenant) : MISSING_TOKEN;
    return errorResponse(responseContext, error, headers);
  }

  const vaultTenant = vault.resource.properties.tenantId;
  const check = ctx.tokens.verify(request, VAULT_AUDIENCE);
  if (!check.ok) {
    return errorResponse(responseContext, rejectedToken(check, vaultTenant), { "www-authenticate": challengeHeader(vaultTenant) });
  }

  const firewall = evaluateFirewall(vault.resource.properties, {
    clientIp,
    caller: `appid=${check.claims.appid};oid=${check.claims.oid};iss=https://sts.windows.net/${check.claims.tid}/`,
    vaultName: vault.resource.name,
    location: vault.resource.location,
  });
  if (!firewall.allowed) {
    return errorResponse(responseContext, { status: 403, code: "Forbidden", message: firewall.message, innerCode: firewall.innerCode });
  }

  const apiVersion = url.searchParams.get("api-version");
  if (apiVersion === null || apiVersion === "") {
    return errorResponse(responseContext, badParameter("The api-version query parameter is missing: pass api-version (for example 7.5)."));
  }

  const latest = vault.settings.latestApiVersion ?? LATEST_KEY_VAULT_API_VERSION;
  if (!isKnownKeyVaultApiVersion(apiVersion) || (vault.settings.latestApiVersion !== undefined && !apiVersionAtMost(apiVersion, latest))) {
    // The service's answer (reported in Azure/azure-sdk-for-python#28595 from Azure Stack Hub, "The specified version
    // (7.3) is not recognized. Consider using the latest supported version (7.1).", and Azure/azure-sdk-for-net#14789
    // from a sovereign cloud): the same for a version nobody serves and one newer than the vault's cloud.
    return errorResponse(
      responseContext,
      badParameter(`The specified version (${apiVersion}) is not recognized. Consider using the latest supported version (${latest}).`)
    );
  }

  const nowMs = ctx.clock.now();
  const call: DataPlaneCall = {
    ctx,
    vault,
    request,
    url,
    segments: url.pathname
      .split("/")
      .slice(1)
      .map((segment) => decodeURIComponent(segment)),
    vaultUrl: (vault.resource.properties.vaultUri ?? `https://${vault.resource.name}.${ctx.vaultDnsSuffix}`).replace(/\/+$/u, ""),
    apiVersion,
    nowMs,
    nowSeconds: Math.floor(nowMs / 1000),
    responseContext,
    claims: check.claims,
  };
  purgeExpired(vault, call.nowMs);
  try {
    return await routeDataPlaneCall(call);
  } catch (error) {
    if (error instanceof KeyVaultFailure) return failureResponse(call, error.spec);
    throw error;
  }
}
