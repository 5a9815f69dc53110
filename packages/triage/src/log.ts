import { createClientLogger } from "@azure/logger";
import type { JsonClientIdentity } from "@keywarden/core";
import { packageVersion } from "./version.js";

/**
 * The package's logger (`AZURE_LOG_LEVEL=info` shows each Azure call, `verbose` each decision). Never logs secret
 * values: triage reads none.
 */
export const logger = createClientLogger("keywarden-triage");

/** Who triage's clients say they are: user agent `keywarden-triage/<version>`, logs and spans. */
export const triageIdentity: JsonClientIdentity = { packageName: "triage", packageVersion, logger };
