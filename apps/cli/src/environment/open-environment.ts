import { explainAzureError } from "../live/explain-azure-error.js";
import type { CommandContext } from "../runtime/command-context.js";
import type { AzureEnvironment } from "./azure-environment.js";

export interface EnvironmentOptions {
  /** The command changes the tenant: the sandbox state is saved afterwards (also after a failure or Ctrl-C). */
  persist?: boolean;
  /** Live mode needs at least one subscription. */
  requireSubscription?: boolean;
}

/** The sandbox (with `--sandbox`) or the live tenant. Each mode's modules are loaded only when chosen. */
export async function openEnvironment(context: CommandContext, options: EnvironmentOptions = {}): Promise<AzureEnvironment> {
  if (context.globals.sandbox) {
    const { openSandboxEnvironment } = await import("../sandbox/sandbox-environment.js");
    return openSandboxEnvironment(context, { persist: options.persist === true });
  }
  const { openLiveEnvironment } = await import("./live-environment.js");
  return openLiveEnvironment(context.globals, { requireSubscription: options.requireSubscription === true });
}

/**
 * Opens the environment, runs `work`, and always saves (sandbox changes survive a failed or interrupted command,
 * like changes in Azure do) and closes. A 403 from Azure becomes a one-line error naming the missing permission.
 */
export async function withEnvironment<T>(
  context: CommandContext,
  options: EnvironmentOptions,
  work: (environment: AzureEnvironment) => Promise<T>,
  open: (context: CommandContext, options: EnvironmentOptions) => Promise<AzureEnvironment> = openEnvironment,
): Promise<T> {
  const environment = await open(context, options);
  try {
    return await work(environment);
  } catch (error) {
    throw explainAzureError(error) ?? error;
  } finally {
    try {
      await environment.save();
    } finally {
      await environment.close();
    }
  }
}
