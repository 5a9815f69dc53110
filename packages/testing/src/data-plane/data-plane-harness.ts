import type { TokenCredential } from "@azure/core-auth";
import { setupServer, type SetupServer } from "msw/node";
import { DEFAULT_IDENTITY } from "../auth/fake-identity.js";
import { createFakeTokenService } from "../auth/fake-token.js";
import { createFakeAzureContext, type FakeAzureContext } from "../context.js";
import type { Vault, VaultProperties } from "../state/arm-types.js";
import type { VaultDataPlaneSettings } from "../state/data-plane-types.js";
import { createFakeClock, type FakeClock } from "../state/fake-clock.js";
import { createIdGenerator } from "../state/id-generator.js";
import { createEmptyTenantState, type VaultState } from "../state/tenant-state.js";
import { createVaultState } from "../state/vault-state.js";
import { createDataPlaneHandlers } from "./index.js";
import { attachDataPlaneSchemaChecks } from "./data-plane-schema-checks.js";

/**
 * A tenant with only the data plane served, for this folder's tests: the same context `createFakeAzure` builds,
 * without ARM, Graph or Log Analytics, so data-plane behaviour is tested on its own.
 */
export interface DataPlaneHarness {
  readonly ctx: FakeAzureContext;
  readonly clock: FakeClock;
  readonly credential: TokenCredential;
  readonly server: SetupServer;
  /** How many response bodies were checked against the spec so far. */
  readonly checkedBodies: () => number;
  /**
   * Waits for the checks of responses already answered, then returns every body that did not match its 7.5 swagger
   * definition. Tests assert it stays empty, so every body the fake produces in this suite is checked against the spec.
   */
  schemaCheckResults(): Promise<string[]>;
  addVault(name: string, properties?: Partial<VaultProperties>, settings?: Partial<VaultDataPlaneSettings>): VaultState;
  /**
   * Runs an SDK poller to the end on the frozen clock: polls, and moves the clock `stepMs` on between polls, as time
   * passes between the polls of a real run (the fake's delays are Azure's: deletes settle after 5 s and so on).
   */
  untilDone<T>(poller: SdkPoller<T>, stepMs?: number): Promise<T>;
  vaultUrl(name: string): string;
}

/** The part of an `@azure/core-lro` poller `untilDone` drives. */
export interface SdkPoller<T> {
  poll(): Promise<unknown>;
  isDone(): boolean;
  pollUntilDone(): Promise<T>;
}

/** Polls `poller`, advancing `clock` by `stepMs` between polls, and fails after `maxPolls` (a poller that never ends). */
export async function pollOnClock<T>(poller: SdkPoller<T>, clock: FakeClock, stepMs = 1_000, maxPolls = 600): Promise<T> {
  for (let polls = 0; !poller.isDone(); polls += 1) {
    if (polls >= maxPolls) throw new Error(`The poller did not finish within ${maxPolls} polls ${stepMs} ms apart on the fake clock.`);
    clock.advance(stepMs);
    await poller.poll();
  }
  return poller.pollUntilDone();
}

export const HARNESS_SUBSCRIPTION = "00000000-0000-4000-8000-0000000005ab";

export function createDataPlaneHarness(): DataPlaneHarness {
  const state = createEmptyTenantState();
  const clock = createFakeClock();
  const ids = createIdGenerator();
  const identity = { current: DEFAULT_IDENTITY };
  const tokens = createFakeTokenService({ tenantId: () => state.tenantId, identity: () => identity.current });
  const ctx = createFakeAzureContext({ state, clock, ids, tokens, identity });
  const server = setupServer(...createDataPlaneHandlers(ctx));
  const checks = attachDataPlaneSchemaChecks(server);
  return {
    checkedBodies: () => checks.checked(),
    schemaCheckResults: () => checks.results(),
    ctx,
    clock,
    credential: tokens.credential,
    server,
    addVault(name, properties = {}, settings = {}) {
      const resource: Vault = {
        id: `/subscriptions/${HARNESS_SUBSCRIPTION}/resourceGroups/rg1/providers/Microsoft.KeyVault/vaults/${name}`,
        name,
        type: "Microsoft.KeyVault/vaults",
        location: "westeurope",
        properties: {
          tenantId: state.tenantId,
          sku: { family: "A", name: "standard" },
          accessPolicies: [],
          enableSoftDelete: true,
          softDeleteRetentionInDays: 90,
          vaultUri: `https://${name}.vault.azure.net/`,
          ...properties,
        },
      };
      const vault = createVaultState(resource, settings);
      state.vaults.set(resource.id, vault);
      return vault;
    },
    vaultUrl: (name) => `https://${name}.vault.azure.net`,
    untilDone: (poller, stepMs) => pollOnClock(poller, clock, stepMs),
  };
}
