import { http, type HttpHandler } from "msw";
import type { FakeAzureContext } from "./context.js";
import { ARM_ENDPOINT, GRAPH_ENDPOINT, LOG_ANALYTICS_ENDPOINT } from "./hosts.js";
import { armError, graphError } from "./http/azure-errors.js";
import { canonicalUrl, MISREAD_ARM_URL } from "./http/canonical-url.js";

/**
 * Last handlers: a request to an Azure host that no service handler took is answered 400 with the reason, never
 * with made-up data and never passed to the real network.
 */
export function createFallbackHandlers(_ctx: FakeAzureContext): HttpHandler[] {
  const describe = (request: Request): string => {
    const url = canonicalUrl(new URL(request.url));
    return `${request.method} ${url.pathname}${url.search}`;
  };
  return [
    http.all(`${ARM_ENDPOINT}/*`, ({ request }) =>
      armError(400, "FakeAzureUnsupportedRequest", `The fake Azure tenant does not implement ${describe(request)}.`)
    ),
    http.all(MISREAD_ARM_URL, ({ request }) =>
      armError(400, "FakeAzureUnsupportedRequest", `The fake Azure tenant does not implement ${describe(request)}.`)
    ),
    http.all(`${GRAPH_ENDPOINT}/*`, ({ request }) =>
      graphError(400, "FakeAzureUnsupportedRequest", `The fake Azure tenant does not implement ${describe(request)}.`)
    ),
    http.all(`${LOG_ANALYTICS_ENDPOINT}/*`, ({ request }) =>
      armError(400, "FakeAzureUnsupportedRequest", `The fake Azure tenant does not implement ${describe(request)}.`)
    ),
  ];
}
