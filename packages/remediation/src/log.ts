import { createClientLogger } from "@azure/logger";
import type { JsonClientIdentity } from "@keywarden/core";
import { packageVersion } from "./version.js";

/**
 * The package's logger (`AZURE_LOG_LEVEL=info` shows each Azure call, `verbose` each decision). Never given a
 * secret value.
 */
export const logger = createClientLogger("keywarden-remediation");

/** Who remediation's clients say they are: user agent `keywarden-remediation/<version>`, logs and spans. */
export const remediationIdentity: JsonClientIdentity = { packageName: "remediation", packageVersion, logger };
