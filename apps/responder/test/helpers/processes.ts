import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

import { getScenario, createFakeAzure, type FakeAzure, type FakeAzureSeed, type ScenarioName } from "@keywarden/testing";
import { setupServer } from "msw/node";

import { loopbackPassthrough, serveSharedTenant } from "../../src/sandbox/shared-tenant.js";
import { adminToken, hmacKey } from "./responder.js";

const appDir = fileURLToPath(new URL("../../", import.meta.url));

/** A sandbox tenant in the test process, served to responder processes on loopback. */
export async function startSharedTenant(
  seed: ScenarioName | FakeAzureSeed = "tor-secret-reads",
): Promise<{ tenant: FakeAzure; url: string; maxConcurrentVaultWrites(): Map<string, number>; close(): Promise<void> }> {
  const server = setupServer(loopbackPassthrough);
  const tenant = createFakeAzure({ seed: typeof seed === "string" ? getScenario(seed) : seed, server, clock: { frozen: false } });
  server.listen({ onUnhandledRequest: "error" });
  tenant.listen();
  const served = await serveSharedTenant(tenant);
  return {
    tenant,
    url: served.url,
    maxConcurrentVaultWrites: () => served.maxConcurrentVaultWrites(),
    async close() {
      await served.close();
      tenant.close();
      server.close();
    },
  };
}

export interface ResponderProcess {
  child: ChildProcess;
  url: string;
  output: () => string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export const allKinds = "update-alert-state,contact-owner,escalate-to-admin,enable-firewall,revoke-sessions,restrict-permissions,remove-access-policy,remove-role-assignments,rotate-secrets,rotate-keys,disable-secrets";

/** Starts `src/bin.ts` as its own process (one node process: kill -9 kills the responder itself). */
export async function startResponderProcess(env: Record<string, string>): Promise<ResponderProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/bin.ts"], {
    cwd: appDir,
    env: {
      PATH: process.env["PATH"] ?? "",
      HOME: process.env["HOME"] ?? "/tmp",
      PORT: "0",
      KEYWARDEN_RESPONDER_HMAC_KEY: hmacKey,
      KEYWARDEN_RESPONDER_ADMIN_TOKEN: adminToken,
      KEYWARDEN_RESPONDER_SESSION_SECRET: "test-session-secret-0123456789abcdef-0123456789",
      KEYWARDEN_RESPONDER_SEED_INCIDENT: "false",
      KEYWARDEN_RESPONDER_WORKER_LEASE_MS: "2000",
      KEYWARDEN_RESPONDER_WORKER_POLL_MS: "50",
      KEYWARDEN_RESPONDER_VAULT_LOCK_TTL_MS: "2000",
      KEYWARDEN_RESPONDER_RATE_LIMIT_PER_MINUTE: "100000",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`responder did not start:\n${output}`)), 60_000);
    const onData = () => {
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match !== null) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`responder exited (${code}):\n${output}`));
    });
  });
  return {
    child,
    url,
    output: () => output,
    kill(signal: NodeJS.Signals = "SIGKILL") {
      return new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill(signal);
      });
    },
  };
}
