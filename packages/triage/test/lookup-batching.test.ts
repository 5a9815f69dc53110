/**
 * Lookups of a burst: Graph lookups started together go out as JSON batches, concurrent reads of one vault and of
 * its role assignments share one request, and the lookup cache expires on core's clock. Each replaced algorithm is
 * checked against the one it replaced (batched against one-at-a-time, the vault-wide assignment listing against the
 * per-principal `principalId eq` listing).
 */
import { AuthorizationManagementClient } from "@azure/arm-authorization";
import { createManualClock } from "@keywarden/core";
import { useFakeAzure } from "@keywarden/testing/vitest";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ArmVaultInspector, GraphDirectory, createLookupCache, identifySource, type TriageContext } from "../src/index.js";
import { describeRole, toRoleAssignmentRef } from "../src/source/azure-role-catalog.js";
import { buildAlert, SUBSCRIPTION } from "./support/build-alert.js";
import { APP_ID_OBJECT, AP_VAULT, FOREIGN_APP_OBJECT, OWNER_ID, providerSeed, RBAC_VAULT, USER_ID } from "./support/fake-tenant-seed.js";
import { TENANT } from "./support/table-world.js";

const retryOptions = { maxRetries: 3, retryDelayInMs: 1, maxRetryDelayInMs: 10 };
const azure = useFakeAzure({ seed: providerSeed() });
const UNKNOWN = "c0c0c0c0-0000-4000-8000-0000000000aa";

function context(directoryOptions: { maxBatchSize?: number } = {}): TriageContext {
  return {
    tenantId: TENANT,
    tenantAddressSpace: ["203.0.113.0/24"],
    directory: new GraphDirectory(azure.credential, { retryOptions, ...directoryOptions }),
    vaults: new ArmVaultInspector(azure.credential, { retryOptions }),
    now: () => azure.clock.date(),
  };
}

const principals = [USER_ID, APP_ID_OBJECT, FOREIGN_APP_OBJECT, OWNER_ID, UNKNOWN];
const vaultNames = ["kv-payments", "kv-rbac"];
const alertSpec = fc.record({
  principal: fc.constantFrom(...principals),
  vault: fc.constantFrom(...vaultNames),
  ip: fc.constantFrom("203.0.113.4", "101.99.92.179", "198.51.100.7"),
});

/** Requests per path kind in the call log since `from`. */
function callsSince(from: number): { batches: number; graph: number; vaultReads: Map<string, number>; assignmentLists: Map<string, number> } {
  const calls = azure.calls.all().slice(from);
  const vaultReads = new Map<string, number>();
  const assignmentLists = new Map<string, number>();
  let batches = 0;
  let graph = 0;
  for (const call of calls) {
    const url = new URL(call.url);
    if (url.host === "graph.microsoft.com") {
      graph++;
      if (url.pathname.endsWith("/$batch")) batches++;
      continue;
    }
    const vault = /\/vaults\/([^/]+)(\/providers\/Microsoft\.Authorization\/roleAssignments)?$/i.exec(url.pathname);
    if (vault === null) continue;
    const counter = vault[2] === undefined ? vaultReads : assignmentLists;
    counter.set(vault[1]!, (counter.get(vault[1]!) ?? 0) + 1);
  }
  return { batches, graph, vaultReads, assignmentLists };
}

describe("a burst triaged without a shared cache", () => {
  it("gives the same source reports batched as one lookup at a time, with one vault read and one assignment listing per vault", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(alertSpec, { minLength: 2, maxLength: 12 }), async (specs) => {
        const alerts = specs.map((spec) => buildAlert({ kind: "KV_UserAnomaly", vaultName: spec.vault, ipAddress: spec.ip, objectId: spec.principal }));
        // One at a time: nothing is in flight together, so every lookup is a request of its own.
        const alone = context({ maxBatchSize: 1 });
        const expected = [];
        for (const alert of alerts) expected.push(await identifySource(alert, alone));
        const from = azure.calls.count();
        const together = context();
        const actual = await Promise.all(alerts.map((alert) => identifySource(alert, together)));
        expect(actual).toEqual(expected);
        const burst = callsSince(from);
        for (const name of new Set(specs.map((spec) => spec.vault))) {
          expect(burst.vaultReads.get(name)).toBe(1);
          expect(burst.assignmentLists.get(name)).toBe(1);
        }
        // Each alert's object, active and eligible roles, then owners and role definitions: 20 per batch.
        expect(burst.graph).toBeLessThanOrEqual(Math.ceil((alerts.length * 3) / 20) + Math.ceil(alerts.length / 20) + 2);
        expect(burst.batches).toBeGreaterThan(0);
      }),
      { numRuns: 8 },
    );
  });

  it("splits more than 20 concurrent Graph lookups into batches of 20 and answers each lookup alone", async () => {
    const directory = new GraphDirectory(azure.credential, { retryOptions });
    const ids = Array.from({ length: 25 }, (_, i) => (i % 2 === 0 ? USER_ID : `d0d0d0d0-0000-4000-8000-${String(i).padStart(12, "0")}`));
    const from = azure.calls.count();
    const objects = await Promise.all(ids.map((id) => directory.getDirectoryObject(id)));
    expect(callsSince(from).batches).toBe(2);
    expect(objects.map((object) => object?.objectId)).toEqual(ids.map((id) => (id === USER_ID ? USER_ID : undefined)));
  });

  it("fails only the lookup whose batch item failed, and retries a throttled item after its Retry-After", async () => {
    const directory = new GraphDirectory(azure.credential, { retryOptions });
    azure.faults.inject({ url: `https://graph.microsoft.com/v1.0/directoryObjects/${APP_ID_OBJECT}`, status: 403, body: { error: { code: "Authorization_RequestDenied", message: "Insufficient privileges to complete the operation." } } });
    azure.faults.inject({ url: `https://graph.microsoft.com/v1.0/directoryObjects/${USER_ID}`, status: 429, headers: { "retry-after": "0" }, times: 1 });
    const [user, app, roles] = await Promise.allSettled([
      directory.getDirectoryObject(USER_ID),
      directory.getDirectoryObject(APP_ID_OBJECT),
      directory.listDirectoryRoles(USER_ID),
    ]);
    expect(user).toMatchObject({ status: "fulfilled", value: { objectId: USER_ID, type: "user" } });
    expect(app).toMatchObject({ status: "rejected", reason: { statusCode: 403, code: "Authorization_RequestDenied" } });
    expect(roles.status).toBe("fulfilled");
  });

  it("rejects an aborted lookup at once without failing the batch it was queued with", async () => {
    const directory = new GraphDirectory(azure.credential, { retryOptions });
    const controller = new AbortController();
    const aborted = directory.getDirectoryObject(USER_ID, { abortSignal: controller.signal });
    const kept = directory.getDirectoryObject(OWNER_ID);
    controller.abort();
    await expect(aborted).rejects.toMatchObject({ name: "AbortError" });
    expect((await kept)?.objectId).toBe(OWNER_ID);
  });
});

describe("role assignments listed once per vault", () => {
  /** The per-principal listing this replaced: `principalId eq` at the vault's scope. */
  async function reference(vault: string, principalId: string) {
    const client = new AuthorizationManagementClient(azure.credential, SUBSCRIPTION, { retryOptions });
    const refs = [];
    for await (const assignment of client.roleAssignments.listForScope(vault, { filter: `principalId eq '${principalId}'` })) {
      const raw = {
        id: assignment.id!,
        scope: assignment.scope ?? "/",
        roleDefinitionId: assignment.roleDefinitionId!,
        principalId: assignment.principalId!,
        ...(assignment.name === undefined ? {} : { name: assignment.name }),
        ...(assignment.principalType === undefined ? {} : { principalType: assignment.principalType }),
      };
      expect(describeRole(raw.roleDefinitionId)).toBeDefined();
      refs.push(toRoleAssignmentRef(raw, vault, undefined));
    }
    return refs;
  }

  it("finds for every principal exactly what the per-principal filter found", async () => {
    const inspector = new ArmVaultInspector(azure.credential, { retryOptions });
    for (const vault of [AP_VAULT, RBAC_VAULT]) {
      for (const principal of principals) {
        expect(await inspector.listRoleAssignments(vault, principal.toUpperCase())).toEqual(await reference(vault, principal));
      }
    }
  });
});

describe("the lookup cache's TTL on core's clock", () => {
  it("reuses an answer until its TTL passes, a failure for its shorter TTL, and keeps at most maxEntries", async () => {
    const clock = createManualClock("2026-11-28T09:00:00Z");
    const cache = createLookupCache({ ttlInMs: 60_000, failureTtlInMs: 5_000, clock, maxEntries: 2 });
    let reads = 0;
    const read = (): Promise<number> => Promise.resolve(++reads);
    expect(await cache.getOrCreate("vault:a", read)).toBe(1);
    await clock.advance(59_999);
    expect(await cache.getOrCreate("vault:a", read)).toBe(1);
    await clock.advance(1);
    expect(await cache.getOrCreate("vault:a", read)).toBe(2);

    let failures = 0;
    const fail = (): Promise<never> => Promise.reject(new Error(`403 #${++failures}`));
    await expect(cache.getOrCreate("directory:x", fail)).rejects.toThrow("403 #1");
    await clock.advance(4_999);
    await expect(cache.getOrCreate("directory:x", fail)).rejects.toThrow("403 #1");
    await clock.advance(1);
    await expect(cache.getOrCreate("directory:x", fail)).rejects.toThrow("403 #2");

    expect(await cache.getOrCreate("network:y", read)).toBe(3);
    expect(cache.size).toBe(2);
    // The oldest entry ("vault:a", set before "directory:x" was set again) went first.
    expect(await cache.getOrCreate("vault:a", read)).toBe(4);
    expect(await cache.getOrCreate("network:y", read)).toBe(3);
  });

  it("refuses a TTL that is not positive", () => {
    expect(() => createLookupCache({ ttlInMs: 0 })).toThrow(expect.objectContaining({ code: "KW_TRIAGE_E0007", category: "invalid-input" }));
    expect(() => createLookupCache({ maxEntries: -1 })).toThrow(expect.objectContaining({ code: "KW_TRIAGE_E0007", category: "invalid-input" }));
  });
});
