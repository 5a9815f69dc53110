import type { HttpHandler } from "msw";
import type { FakeAzureContext } from "../context.js";

/** Every ARM (`https://management.azure.com`) handler of the tenant. */
export function createArmHandlers(_ctx: FakeAzureContext): HttpHandler[] {
  return [];
}
