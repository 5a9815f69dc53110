/** The options every command accepts, resolved once from the command line and the environment. */
export interface GlobalOptions {
  format: "text" | "json";
  verbose: boolean;
  quiet: boolean;
  color: boolean | undefined;
  tenant: string | undefined;
  subscription: string[];
  sandbox: boolean;
  /**
   * The sandbox state file named by `--sandbox-state` or `KEYWARDEN_SANDBOX_STATE`; when neither is set it is found
   * (see `locateSandboxState`): the nearest `.keywarden/` up from the working directory, else the user's state directory.
   */
  sandboxState: string | undefined;
  /** The `--sandbox-state` given on the command line (hints repeat it; an environment variable the shell keeps). */
  sandboxStateOption: string | undefined;
  /** `--tenant` and `--subscription` as given on the command line, for hints. */
  tenantOption: string | undefined;
  subscriptionOption: string[];
  /** A Tor exit-node list file for triage (either public format). */
  torExitList: string | undefined;
  /** Addresses (IPv4 or CIDR) a closed firewall must keep allowed: the responders' own egress. */
  allowIp: string[];
  /** A Key Vault key (its identifier URL) that signs and verifies plans: `--plan-key-id` or `KEYWARDEN_PLAN_KEY_ID`. */
  planKeyId: string | undefined;
  /** The `--plan-key-id` given on the command line, for hints. */
  planKeyIdOption: string | undefined;
}

/** How the default sandbox state location is described in `--help`. */
export const defaultSandboxStateDescription = "the nearest .keywarden/sandbox.json up from the working directory, else $XDG_STATE_HOME/keywarden/sandbox.json";

/** Commander's raw option bag (from `optsWithGlobals()`), narrowed to {@link GlobalOptions}. */
export function resolveGlobalOptions(raw: Record<string, unknown>, env: NodeJS.ProcessEnv = process.env): GlobalOptions {
  const subscriptions = Array.isArray(raw["subscription"]) ? (raw["subscription"] as string[]) : [];
  const fromEnv = env["AZURE_SUBSCRIPTION_ID"];
  return {
    format: raw["format"] === "json" ? "json" : "text",
    verbose: raw["verbose"] === true,
    quiet: raw["quiet"] === true,
    // commander sets `color: false` for --no-color and leaves the default `true` otherwise; only an explicit
    // --no-color (or NO_COLOR) turns colours off, the TTY check decides the rest.
    color: raw["color"] === false ? false : undefined,
    tenant: typeof raw["tenant"] === "string" ? raw["tenant"] : env["AZURE_TENANT_ID"],
    subscription: subscriptions.length > 0 ? subscriptions : fromEnv ? [fromEnv] : [],
    sandbox: raw["sandbox"] === true || env["KEYWARDEN_SANDBOX"] === "1",
    sandboxState: typeof raw["sandboxState"] === "string" ? raw["sandboxState"] : env["KEYWARDEN_SANDBOX_STATE"] || undefined,
    sandboxStateOption: typeof raw["sandboxState"] === "string" ? raw["sandboxState"] : undefined,
    tenantOption: typeof raw["tenant"] === "string" ? raw["tenant"] : undefined,
    subscriptionOption: subscriptions,
    torExitList: typeof raw["torExitList"] === "string" ? raw["torExitList"] : env["KEYWARDEN_TOR_EXIT_LIST"],
    allowIp: Array.isArray(raw["allowIp"]) ? (raw["allowIp"] as string[]) : [],
    planKeyId: typeof raw["planKeyId"] === "string" ? raw["planKeyId"] : env["KEYWARDEN_PLAN_KEY_ID"] || undefined,
    planKeyIdOption: typeof raw["planKeyId"] === "string" ? raw["planKeyId"] : undefined,
  };
}
