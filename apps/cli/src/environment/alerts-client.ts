import type { DefenderAlertsClient } from "@keywarden/alerts";

import type { AzureEnvironment } from "./azure-environment.js";

/** The Defender alerts client for this environment (the sandbox's small retry delays, Azure's defaults live). */
export async function createAlertsClient(env: AzureEnvironment): Promise<DefenderAlertsClient> {
  const { DefenderAlertsClient } = await import("@keywarden/alerts");
  return new DefenderAlertsClient(env.credential, env.retryOptions === undefined ? {} : { retryOptions: env.retryOptions });
}
