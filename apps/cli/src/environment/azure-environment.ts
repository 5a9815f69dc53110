import type { TokenCredential } from "@azure/core-auth";

/** Retry settings handed to every Azure SDK client the CLI creates. */
export interface ClientRetryOptions {
  maxRetries: number;
  retryDelayInMs: number;
  maxRetryDelayInMs: number;
}

/**
 * Where a command's Azure calls go: a real tenant (live mode) or the in-process sandbox tenant. Commands only ever
 * see this interface, so every command runs the same code in both modes.
 */
export interface AzureEnvironment {
  readonly mode: "live" | "sandbox";
  readonly credential: TokenCredential;
  /** The subscriptions the command works on (from `--subscription`, the environment, or the sandbox tenant). */
  readonly subscriptionIds: readonly string[];
  readonly tenantId: string | undefined;
  readonly retryOptions: ClientRetryOptions | undefined;
  /** LRO poll interval for ARM clients (`updateIntervalInMs`) and Key Vault delete pollers (`intervalInMs`). */
  readonly pollIntervalInMs: number | undefined;
  /** The Tor exit list triage checks addresses against (`--tor-exit-list` / `KEYWARDEN_TOR_EXIT_LIST`, or the sandbox's). */
  readonly torExitList: { path: string } | { text: string } | undefined;
  /**
   * Addresses the responder's own calls come from. A plan that closes a vault's firewall keeps them allowed, or the
   * response would lock itself out of the data-plane steps (rotate, disable) that follow.
   */
  readonly responderAddresses: readonly string[];
  /** The current time: the tenant's clock in the sandbox, the system clock in live mode. */
  now(): Date;
  /** Persists changes made during the command (sandbox: writes the state file). No-op in live mode. */
  save(): Promise<void>;
  /** Stops interception (sandbox) and releases resources. */
  close(): Promise<void>;
}
