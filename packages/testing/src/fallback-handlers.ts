import { http, HttpResponse, type HttpHandler } from "msw";
import type { FakeAzureContext } from "./context.js";
import { AZURE_URL } from "./dispatch/azure-hosts.js";
import { ARM_ENDPOINT, GRAPH_ENDPOINT } from "./hosts.js";
import { armError, graphError } from "./http/azure-errors.js";
import { canonicalUrl, MISREAD_ARM_URL } from "./http/canonical-url.js";

const README = "the \"What it serves\" section of the @keywarden/testing README";

function describe(request: Request): string {
  const url = canonicalUrl(new URL(request.url));
  return `${request.method} ${url.origin}${url.pathname}${url.search}`;
}

/** What the tenant says about a request it does not model (also inside a Graph batch). */
export function notModelledMessage(request: Request): string {
  return `The fake Azure tenant does not model ${describe(request)}. See ${README} for what it serves; to answer this request yourself, add an msw handler ahead of the tenant's (server.use(...)).`;
}

/** A request the tenant cannot answer: 501, naming the request and the fix (never made-up data, never the network). */
export function notServedResponse(request: Request): Response {
  return HttpResponse.json({ error: { code: "FakeAzureUnsupportedRequest", message: notModelledMessage(request) } }, { status: 501 });
}

const LOGIN_HOST = /^https:\/\/login\.(microsoftonline\.com|windows\.net|microsoft\.com)\//iu;

/**
 * Last handlers: a request to an Azure host that no service handler took is answered 501 with the reason, in the
 * error shape of the service addressed, never with made-up data and never passed to the real network.
 */
export function createFallbackHandlers(_ctx: FakeAzureContext): HttpHandler[] {
  return [
    http.all(`${ARM_ENDPOINT}/*`, ({ request }) => armError(501, "FakeAzureUnsupportedRequest", notModelledMessage(request))),
    http.all(MISREAD_ARM_URL, ({ request }) => armError(501, "FakeAzureUnsupportedRequest", notModelledMessage(request))),
    http.all(`${GRAPH_ENDPOINT}/*`, ({ request }) => graphError(501, "FakeAzureUnsupportedRequest", notModelledMessage(request))),
    http.all(LOGIN_HOST, ({ request }) =>
      HttpResponse.json(
        {
          error: "invalid_request",
          error_description: `The fake Azure tenant issues tokens itself: pass tenant.credential to the SDK client instead of a credential that calls ${describe(
            request,
          )}.`,
        },
        { status: 501 },
      ),
    ),
    http.all(AZURE_URL, ({ request }) => notServedResponse(request)),
  ];
}
