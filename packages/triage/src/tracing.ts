import { createTracingClient } from "@azure/core-tracing";
import { packageVersion } from "./version.js";

/** Spans for triage's client operations (`GraphDirectory.getDirectoryObject`, ...), under the Keywarden namespace. */
export const tracingClient = createTracingClient({ namespace: "Keywarden", packageName: "@keywarden/triage", packageVersion });
