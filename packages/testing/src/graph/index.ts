import type { HttpHandler } from "msw";
import type { FakeAzureContext } from "../context.js";

/** Every Microsoft Graph (`https://graph.microsoft.com/v1.0`) handler of the tenant. */
export function createGraphHandlers(_ctx: FakeAzureContext): HttpHandler[] {
  return [];
}
