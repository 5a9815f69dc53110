import { createTracingClient } from "@azure/core-tracing";
import { packageVersion } from "./version.js";

/** Spans for impact's Azure calls (`ImpactLogsQuerier.query`, ...), under the Keywarden namespace. */
export const tracingClient = createTracingClient({ namespace: "Keywarden", packageName: "@keywarden/impact", packageVersion });
