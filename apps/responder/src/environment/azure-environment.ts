import type { ResponderEnvironment } from "./responder-environment.js";

/** Azure: `DefaultAzureCredential` (a managed identity in Azure Container Apps, a developer's login locally). */
export async function openAzureEnvironment(options: { responderAddresses?: readonly string[] } = {}): Promise<ResponderEnvironment> {
  const { DefaultAzureCredential } = await import("@azure/identity");
  return {
    mode: "azure",
    credential: new DefaultAzureCredential(),
    responderAddresses: options.responderAddresses ?? [],
    now: () => new Date(),
    close: () => Promise.resolve(),
  };
}
