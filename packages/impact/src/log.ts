import { createClientLogger } from "@azure/logger";

/** The package's logger (`AZURE_LOG_LEVEL=info` shows each Azure call, `verbose` each decision). */
export const logger = createClientLogger("keywarden-impact");
