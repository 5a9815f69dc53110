import { createTracingClient } from "@azure/core-tracing";
import { packageVersion } from "./version.js";

/** Spans for remediation's client operations (`GraphClient.revokeSignInSessions`, ...), under the Keywarden namespace. */
export const tracingClient = createTracingClient({ namespace: "Keywarden", packageName: "@keywarden/remediation", packageVersion });
