import { createClientLogger } from "@azure/logger";
import { packageVersion } from "./version.js";

/** The package's logger (`AZURE_LOG_LEVEL=info` shows each Azure call, `verbose` each decision). */
export const logger = createClientLogger("keywarden-suppression");

/** The user agent suppression's clients send (`keywarden-suppression/<version>`), after the caller's own prefix. */
export const userAgent = { packageName: "suppression", packageVersion } as const;
