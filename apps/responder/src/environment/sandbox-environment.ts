import { http, passthrough } from "msw";
import { setupServer } from "msw/node";

import type { FakeAzureSeed } from "@keywarden/testing";

import type { ResponderEnvironment } from "./responder-environment.js";

export interface SandboxEnvironmentOptions {
  /** A built-in scenario name or a seed. Default: `tor-secret-reads`. */
  seed?: FakeAzureSeed | string;
  /** A frozen clock for deterministic tests (default: running from the seed's time). */
  frozenClock?: boolean;
  responderAddresses?: readonly string[];
}

/** Loopback traffic (the responder's own HTTP server, a local JWKS or OIDC issuer in tests) is never intercepted. */
function isLoopback(url: URL): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  return host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * The sandbox tenant in this process: the real Azure SDK clients talk to msw, which serves `@keywarden/testing`'s
 * fake tenant; a request to any other non-loopback host fails loudly, never reaching the network.
 */
export async function openSandboxEnvironment(options: SandboxEnvironmentOptions = {}): Promise<ResponderEnvironment> {
  const { createFakeAzure, getScenario } = await import("@keywarden/testing");
  const seed = typeof options.seed === "string" || options.seed === undefined ? getScenario((options.seed ?? "tor-secret-reads")) : options.seed;
  const server = setupServer(http.all(({ request }) => isLoopback(new URL(request.url)), () => passthrough()));
  const tenant = createFakeAzure({ seed, server, clock: { frozen: options.frozenClock ?? false } });
  server.listen({ onUnhandledRequest: "error" });
  tenant.listen();
  let closed = false;
  return {
    mode: "sandbox",
    tenant,
    credential: tenant.credential,
    tenantId: tenant.state.tenantId,
    retryOptions: { maxRetries: 3, retryDelayInMs: 1, maxRetryDelayInMs: 10 },
    pollIntervalInMs: 1,
    responderAddresses: [...new Set([tenant.state.network.defaultCallerIp, ...(options.responderAddresses ?? [])])],
    now: () => tenant.clock.date(),
    close() {
      if (!closed) {
        closed = true;
        tenant.close();
        server.close();
      }
      return Promise.resolve();
    },
  };
}
