import { appendFileSync } from "node:fs";
import { resolve } from "node:path";

import type { FakeAzure, FakeAzureSeed } from "@keywarden/testing";

import type { AzureEnvironment } from "../environment/azure-environment.js";
import type { CommandContext } from "../runtime/command-context.js";
import { parseSandboxFaults, sandboxCallLogVariable, sandboxFaultsVariable } from "./sandbox-faults.js";
import { writeJsonFileAtomic } from "./seed-file.js";
import { sandboxTorExitListPath } from "./sandbox-tor-list.js";
import { readSandboxSeed, sandboxStatePath } from "./sandbox-seed.js";

/** A sandbox environment: an {@link AzureEnvironment} plus the fake tenant behind it. */
export interface SandboxEnvironment extends AzureEnvironment {
  readonly mode: "sandbox";
  readonly tenant: FakeAzure;
}

export interface OpenSandboxOptions {
  /** The tenant to start from; default: the state file (or the default scenario when there is none). */
  seed?: FakeAzureSeed;
  /** Write the tenant back to the state file on `save()` (commands that change the tenant). */
  persist?: boolean;
}

/**
 * Runs the command's Azure calls against `@keywarden/testing` in this process: the real Azure SDK clients talk to
 * msw, which serves the fake tenant's handlers; any request the fake does not know fails loudly
 * (`onUnhandledRequest: "error-except-loopback"`), never reaching the network: only a notify target on this machine
 * (a local webhook receiver) is reached as named.
 */
export async function openSandboxEnvironment(context: CommandContext, options: OpenSandboxOptions = {}): Promise<SandboxEnvironment> {
  const seed = options.seed ?? (await readSandboxSeed(context));
  const faults = parseSandboxFaults(context.env[sandboxFaultsVariable]);
  const { createFakeAzure } = await import("@keywarden/testing");
  // A running clock, started at the seed's time: soft-delete delays and pollers progress as in Azure, and the
  // saved state carries the time forward to the next command. Requests no handler knows fail loudly, but for
  // loopback ones (a local webhook receiver for --notify).
  const tenant = createFakeAzure({ seed, clock: { frozen: false }, onUnhandledRequest: "error-except-loopback" });
  for (const fault of faults) tenant.faults.inject(fault);
  tenant.listen();
  const subscriptionIds = context.globals.subscription.length > 0 ? context.globals.subscription : [...tenant.state.subscriptions.keys()];
  const statePath = sandboxStatePath(context);
  const torExitList = context.globals.torExitList === undefined ? sandboxTorExitListPath() : resolve(context.cwd, context.globals.torExitList);
  let closed = false;
  return {
    mode: "sandbox",
    tenant,
    credential: tenant.credential,
    subscriptionIds,
    tenantId: tenant.state.tenantId,
    retryOptions: { maxRetries: 3, retryDelayInMs: 1, maxRetryDelayInMs: 10 },
    pollIntervalInMs: 1,
    // Every sandbox request comes from the tenant's default caller address (the fake's notion of "this machine").
    responderAddresses: [...new Set([tenant.state.network.defaultCallerIp, ...context.globals.allowIp])],
    torExitList: torExitList === undefined ? undefined : { path: torExitList },
    now: () => tenant.clock.date(),
    async save() {
      if (options.persist === true) await writeJsonFileAtomic(statePath, tenant.exportSeed(), context.cwd);
    },
    close() {
      if (!closed) {
        closed = true;
        tenant.close();
        writeCallLog(context, tenant);
      }
      return Promise.resolve();
    },
  };
}

/**
 * `KEYWARDEN_SANDBOX_CALL_LOG=<file>`: appends every request this command made to the sandbox, one JSON line each
 * (`method`, `url`, `status`, `intercepted`), to see exactly what a command read and wrote. Never a token or a body.
 */
function writeCallLog(context: CommandContext, tenant: FakeAzure): void {
  const file = context.env[sandboxCallLogVariable];
  if (file === undefined || file.trim() === "") return;
  const lines = tenant.calls
    .all()
    .map((call) => JSON.stringify({ method: call.method, url: call.url, status: call.status ?? null, ...(call.intercepted === undefined ? {} : { intercepted: call.intercepted }) }));
  if (lines.length > 0) appendFileSync(resolve(context.cwd, file), `${lines.join("\n")}\n`, "utf8");
}
