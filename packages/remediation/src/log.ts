import { createClientLogger } from "@azure/logger";

/** The package's logger (`AZURE_LOG_LEVEL=info` shows it). Never given a secret value. */
export const logger = createClientLogger("keywarden-remediation");
