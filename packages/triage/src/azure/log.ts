import { createClientLogger } from "@azure/logger";

/** The package's logger (`AZURE_LOG_LEVEL=info` shows it). Never logs secret values: triage reads none. */
export const logger = createClientLogger("keywarden-triage");
