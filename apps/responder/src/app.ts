import { hkdfSync } from "node:crypto";
import type { FastifyInstance } from "fastify";

import type { ResponderConfig } from "./config/config.js";
import { createResponseEngine, type ResponseEngine } from "./engine/response-engine.js";
import { storeVaultLocks } from "./engine/store-vault-locks.js";
import { openAzureEnvironment } from "./environment/azure-environment.js";
import type { ResponderEnvironment } from "./environment/responder-environment.js";
import { openSandboxEnvironment } from "./environment/sandbox-environment.js";
import { buildServer } from "./http/server.js";
import { openSharedTenantEnvironment } from "./sandbox/shared-tenant.js";
import { ResponderMetrics } from "./metrics/metrics.js";
import { openStore } from "./store/open-store.js";
import type { ResponderStore } from "./store/store-types.js";
import { Worker } from "./worker/worker.js";

export interface Responder {
  config: ResponderConfig;
  app: FastifyInstance;
  store: ResponderStore;
  env: ResponderEnvironment;
  engine: ResponseEngine;
  worker: Worker;
  metrics: ResponderMetrics;
  /** Listens on the configured host and port; the URL it listens on. */
  listen(): Promise<string>;
  close(): Promise<void>;
}

export interface CreateResponderOptions {
  config: ResponderConfig;
  /** An environment of the caller's (tests share one sandbox tenant); default: from `config.mode`. */
  env?: ResponderEnvironment;
  cwd?: string;
  logger?: boolean;
  loginHint?: string;
  /** Vault lock lease (tests shorten it). */
  vaultLockTtlInMs?: number;
}

/** Wires store, environment, engine, metrics, HTTP server and worker together. */
export async function createResponder(options: CreateResponderOptions): Promise<Responder> {
  const { config } = options;
  const store = await openStore(config.store, options.cwd === undefined ? {} : { cwd: options.cwd });
  const env =
    options.env ??
    (config.mode === "sandbox" && config.sandbox.tenantUrl !== undefined
      ? await openSharedTenantEnvironment(config.sandbox.tenantUrl, { responderAddresses: config.responderAddresses })
      : config.mode === "sandbox"
      ? await openSandboxEnvironment({ seed: config.sandbox.scenario, responderAddresses: config.responderAddresses })
      : await openAzureEnvironment({ responderAddresses: config.responderAddresses }));
  const engine = await createResponseEngine({
    env,
    autoApprove: config.autoApprove,
    vaultLocks: storeVaultLocks(store, { ttlInMs: options.vaultLockTtlInMs ?? config.worker.vaultLockTtlInMs }),
    journalKey: journalKeyFrom(config.sessionSecret),
  });
  const metrics = new ResponderMetrics(store, Date.now, { defaultMetrics: true });
  const worker = new Worker({
    store,
    engine,
    metrics,
    concurrency: config.worker.concurrency,
    leaseInMs: config.worker.leaseInMs,
    pollIntervalInMs: config.worker.pollIntervalInMs,
    maxAttempts: config.worker.maxAttempts,
    log: (message) => process.stderr.write(`keywarden-responder: ${message}\n`),
  });
  const app = await buildServer({
    config,
    store,
    engine,
    metrics,
    ready: () => (config.worker.enabled && !worker.running ? "worker not running" : undefined),
    ...(options.logger === undefined ? {} : { logger: options.logger }),
    ...(options.loginHint === undefined ? {} : { loginHint: options.loginHint }),
  });
  if (config.worker.enabled) worker.start();
  let closed = false;
  return {
    config,
    app,
    store,
    env,
    engine,
    worker,
    metrics,
    async listen() {
      const address = await app.listen({ host: config.host, port: config.port });
      return address.replace("[::1]", "localhost");
    },
    async close() {
      if (closed) return;
      closed = true;
      await app.close();
      await worker.stop();
      await store.close();
      if (options.env === undefined) await env.close();
    },
  };
}

/**
 * The incident journals' sealing key, derived from the session secret (HKDF, its own label), so every replica
 * configured with the same secret seals and verifies alike and the secret itself is never used for two jobs.
 */
function journalKeyFrom(sessionSecret: string): Uint8Array {
  return new Uint8Array(hkdfSync("sha256", sessionSecret, "", "keywarden-responder-journal-v1", 32));
}
