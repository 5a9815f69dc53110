import { http, type HttpHandler } from "msw";
import type { FakeAzureContext } from "../context.js";
import { ARM_AUDIENCE, ARM_ENDPOINT } from "../hosts.js";
import { armError } from "../http/azure-errors.js";
import { canonicalUrl, MISREAD_ARM_URL } from "../http/canonical-url.js";
import { unsupportedArmApiVersion } from "./arm-api-version.js";
import { ArmFailure, type ArmCall } from "./arm-call.js";
import type { ArmRoute } from "./arm-route.js";
import { authorizationRoutes } from "./authorization-routes.js";
import { insightsRoutes } from "./insights-routes.js";
import { keyVaultRoutes } from "./key-vault-routes.js";
import { miscRoutes } from "./misc-routes.js";
import { networkRoutes } from "./network-routes.js";
import { securityAlertRoutes } from "./security-alert-routes.js";
import { suppressionRuleRoutes } from "./suppression-rule-routes.js";

function unauthorized(code: string, message: string): Response {
  const response = armError(401, code, message);
  response.headers.set(
    "www-authenticate",
    `Bearer authorization_uri="https://login.microsoftonline.com/common", error="invalid_token", error_description="${message.replaceAll(
      '"',
      "'"
    )}"`
  );
  return response;
}

/**
 * Every ARM (`https://management.azure.com`) operation of the tenant behind one handler that does what ARM does
 * before a resource provider sees a request: bearer token check, api-version check, subscription and resource
 * group existence. A path no route knows falls through to the fallback (400 naming the request).
 */
export function createArmHandlers(ctx: FakeAzureContext): HttpHandler[] {
  const routes: ArmRoute[] = [
    ...securityAlertRoutes(),
    ...suppressionRuleRoutes(),
    ...keyVaultRoutes(),
    ...authorizationRoutes(),
    ...insightsRoutes(),
    ...miscRoutes(),
    ...networkRoutes(),
  ];
  const handle = async ({ request }: { request: Request }): Promise<Response | undefined> => {
    const url = canonicalUrl(new URL(request.url));
    const path = url.pathname.replace(/\/{2,}/gu, "/");
    const method = request.method.toUpperCase();
    const candidates = routes
      .map((route) => ({ route, match: route.path.exec(path) }))
      .filter((c): c is { route: ArmRoute; match: RegExpExecArray } => c.match !== null);
    if (candidates.length === 0) return undefined;
    const chosen = candidates.find((c) => c.route.method === method);
    if (!chosen) {
      return armError(
        405,
        "MethodNotAllowed",
        `The fake Azure tenant serves ${candidates.map((c) => c.route.method).join(", ")} on ${path}, not ${method}.`
      );
    }
    const { route, match } = chosen;

    const check = ctx.tokens.verify(request, ARM_AUDIENCE);
    if (!check.ok) {
      switch (check.reason) {
        case "missing":
          return unauthorized("AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing.");
        case "audience":
          return unauthorized(
            "InvalidAuthenticationTokenAudience",
            `The access token has been obtained for wrong audience or resource. ${check.message}`
          );
        case "tenant":
          return unauthorized("InvalidAuthenticationTokenTenant", check.message);
        case "expired":
          return unauthorized("ExpiredAuthenticationToken", "The access token expiry UTC time is earlier than current UTC time.");
        case "malformed":
          return unauthorized("InvalidAuthenticationToken", `The access token is invalid. ${check.message}`);
      }
    }

    const apiVersion = url.searchParams.get("api-version");
    if (apiVersion === null) {
      return armError(400, "MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required for all requests.");
    }
    if (!route.apiVersions.includes(apiVersion)) {
      const group = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)/iu.exec(path);
      const location = group === null ? undefined : ctx.state.resourceGroups.get(`/subscriptions/${group[1]}/resourceGroups/${group[2]}`)?.location;
      return unsupportedArmApiVersion(path, apiVersion, route.apiVersions, location);
    }

    const params: Record<string, string> = {};
    for (const [key, value] of Object.entries(match.groups ?? {})) params[key] = decodeURIComponent(value);
    const subscriptionId = params["subscriptionId"];
    if (subscriptionId !== undefined && !ctx.state.subscriptions.has(subscriptionId)) {
      return armError(404, "SubscriptionNotFound", `The subscription '${subscriptionId}' could not be found.`);
    }
    const resourceGroupName = params["resourceGroupName"];
    if (route.needsResourceGroup && subscriptionId !== undefined && resourceGroupName !== undefined) {
      if (!ctx.state.resourceGroups.has(`/subscriptions/${subscriptionId}/resourceGroups/${resourceGroupName}`)) {
        return armError(404, "ResourceGroupNotFound", `Resource group '${resourceGroupName}' could not be found.`);
      }
    }

    const call: ArmCall = { ctx, request, url, path, params, apiVersion, caller: check.claims, pageSize: ctx.pageSize };
    try {
      const response = await route.handle(call);
      response.headers.set("x-ms-request-id", ctx.ids.guid());
      response.headers.set("x-ms-correlation-request-id", request.headers.get("x-ms-correlation-request-id") ?? ctx.ids.guid());
      return response;
    } catch (error) {
      if (error instanceof ArmFailure) return armError(error.status, error.code, error.message);
      throw error;
    }
  };
  return [http.all(`${ARM_ENDPOINT}/*`, handle), http.all(MISREAD_ARM_URL, handle)];
}
