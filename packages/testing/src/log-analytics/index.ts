import type { HttpHandler } from "msw";
import type { FakeAzureContext } from "../context.js";

/** Placeholder until the Log Analytics query API lands (owned by the impact engineer). */
export function createLogAnalyticsHandlers(_ctx: FakeAzureContext): HttpHandler[] {
  return [];
}
