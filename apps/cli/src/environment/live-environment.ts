import { CliError, CliErrorCode } from "../errors/cli-error.js";
import type { GlobalOptions } from "../runtime/global-options.js";
import type { AzureEnvironment } from "./azure-environment.js";

export interface LiveEnvironmentOptions {
  /** Fail early when the command needs a subscription and none was given. */
  requireSubscription?: boolean;
}

/**
 * Live mode: `DefaultAzureCredential` (environment variables, workload identity, managed identity, Azure CLI, ...).
 * `@azure/identity` is imported here, on first use, so commands that never reach Azure do not pay for it.
 */
export async function openLiveEnvironment(globals: GlobalOptions, options: LiveEnvironmentOptions = {}): Promise<AzureEnvironment> {
  if (options.requireSubscription === true && globals.subscription.length === 0) {
    throw new CliError(
      CliErrorCode.NoSubscription,
      "No subscription given: pass --subscription <id> (repeatable) or set AZURE_SUBSCRIPTION_ID, or use --sandbox.",
    );
  }
  const { DefaultAzureCredential } = await import("@azure/identity");
  const credential = new DefaultAzureCredential(globals.tenant === undefined ? {} : { tenantId: globals.tenant });
  return {
    mode: "live",
    credential,
    subscriptionIds: globals.subscription,
    tenantId: globals.tenant,
    retryOptions: undefined,
    pollIntervalInMs: undefined,
    responderAddresses: globals.allowIp,
    torExitList: globals.torExitList === undefined ? undefined : { path: globals.torExitList },
    now: () => new Date(),
    save: () => Promise.resolve(),
    close: () => Promise.resolve(),
  };
}
