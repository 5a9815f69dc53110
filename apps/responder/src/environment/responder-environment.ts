import type { TokenCredential } from "@azure/core-auth";
import type { FakeAzure } from "@keywarden/testing";

/** Where the responder's Azure calls go: the in-process sandbox tenant, or Azure with a managed identity. */
export interface ResponderEnvironment {
  readonly mode: "sandbox" | "azure";
  readonly credential: TokenCredential;
  readonly tenantId?: string;
  /** Small retry delays in the sandbox; the SDK defaults in Azure. */
  readonly retryOptions?: { maxRetries: number; retryDelayInMs: number; maxRetryDelayInMs: number };
  readonly pollIntervalInMs?: number;
  /** The responder's egress addresses, kept allowed when a plan closes a vault firewall. */
  readonly responderAddresses: readonly string[];
  /** The sandbox tenant (tests and `npm start` read and arrange it). */
  readonly tenant?: FakeAzure;
  now(): Date;
  close(): Promise<void>;
}
