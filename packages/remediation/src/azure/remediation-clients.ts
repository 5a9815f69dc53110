import type { TokenCredential } from "@azure/core-auth";
import { withKeywardenUserAgent, type KeywardenClientOptions } from "@keywarden/core";
import { packageVersion } from "../version.js";
import { AuthorizationManagementClient } from "@azure/arm-authorization";
import { KeyVaultManagementClient } from "@azure/arm-keyvault";
import { CertificateClient } from "@azure/keyvault-certificates";
import { KeyClient } from "@azure/keyvault-keys";
import { SecretClient } from "@azure/keyvault-secrets";
import { GraphClient } from "./graph-client.js";

export interface RemediationClientsOptions {
  credential: TokenCredential;
  /**
   * Options passed to every Azure SDK client (proxy, user agent, additional policies...). The engine retries and
   * budgets requests itself, so the SDK's own retries are switched off unless `retryOptions` is set here. Every
   * client sends `keywarden-remediation/<version>` after the caller's `userAgentPrefix`.
   */
  clientOptions?: KeywardenClientOptions;
  /** ARM endpoint. Default `https://management.azure.com`. */
  armEndpoint?: string;
  /** Microsoft Graph base URL. Default `https://graph.microsoft.com/v1.0`. */
  graphEndpoint?: string;
  /** Polling interval of long-running operations (vault PUT, certificate create, delete/recover). Default 2000 ms. */
  pollIntervalInMs?: number;
}

/** The Azure SDK clients the executors use, created lazily and cached per subscription or vault. */
export class RemediationClients {
  readonly credential: TokenCredential;
  readonly pollIntervalInMs: number;
  readonly #options: KeywardenClientOptions;
  /** As the caller gave them: the Graph client adds the user agent and switches retries off itself. */
  readonly #callerOptions: KeywardenClientOptions;
  readonly #armEndpoint: string;
  readonly #graphEndpoint: string;
  readonly #cache = new Map<string, unknown>();

  constructor(options: RemediationClientsOptions) {
    this.credential = options.credential;
    this.pollIntervalInMs = options.pollIntervalInMs ?? 2000;
    const clientOptions = options.clientOptions ?? {};
    this.#callerOptions = clientOptions;
    this.#options = withKeywardenUserAgent({ ...clientOptions, retryOptions: clientOptions.retryOptions ?? { maxRetries: 0 } }, "remediation", packageVersion);
    this.#armEndpoint = (options.armEndpoint ?? "https://management.azure.com").replace(/\/+$/, "");
    this.#graphEndpoint = (options.graphEndpoint ?? "https://graph.microsoft.com/v1.0").replace(/\/+$/, "");
  }

  keyVaultManagement(subscriptionId: string): KeyVaultManagementClient {
    return this.#cached(`kvm:${subscriptionId}`, () =>
      new KeyVaultManagementClient(this.credential, subscriptionId, { ...this.#options, endpoint: this.#armEndpoint }),
    );
  }

  authorization(subscriptionId: string): AuthorizationManagementClient {
    return this.#cached(`auth:${subscriptionId}`, () =>
      new AuthorizationManagementClient(this.credential, subscriptionId, { ...this.#options, endpoint: this.#armEndpoint }),
    );
  }

  secrets(vaultUri: string): SecretClient {
    return this.#cached(`secrets:${vaultUri}`, () => new SecretClient(vaultUri, this.credential, this.#options));
  }

  keys(vaultUri: string): KeyClient {
    return this.#cached(`keys:${vaultUri}`, () => new KeyClient(vaultUri, this.credential, this.#options));
  }

  certificates(vaultUri: string): CertificateClient {
    return this.#cached(`certs:${vaultUri}`, () => new CertificateClient(vaultUri, this.credential, this.#options));
  }

  graph(): GraphClient {
    return this.#cached("graph", () => new GraphClient(this.credential, { ...this.#callerOptions, endpoint: this.#graphEndpoint }));
  }

  #cached<T>(key: string, create: () => T): T {
    const normalized = key.toLowerCase();
    let client = this.#cache.get(normalized) as T | undefined;
    if (client === undefined) {
      client = create();
      this.#cache.set(normalized, client);
    }
    return client;
  }
}
