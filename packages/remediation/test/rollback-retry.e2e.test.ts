import { InMemoryJournal } from "@keywarden/core";
import { useFakeAzure } from "@keywarden/testing/vitest";
import { http, HttpResponse } from "msw";
import { afterEach, describe, expect, it } from "vitest";
import { applyPlan, planRollback } from "../src/index.js";
import { buildPlan, common, executorsFor, fastOptions, vaultTarget } from "./support/harness.js";
import { ATTACKER, remediationSeed, RESPONDER_IP, TENANT, VAULT, VERSIONS } from "./support/seed.js";
import { responseState } from "./support/snapshot.js";

const tenant = useFakeAzure({ seed: remediationSeed(), autoAdvanceInMs: 1000 });
afterEach(() => tenant.server.resetHandlers());

const plan = buildPlan([
  {
    kind: "enable-firewall",
    target: { vault: vaultTarget(VAULT) },
    parameters: { defaultAction: "Deny", bypass: "AzureServices", addIpRules: [RESPONDER_IP], addVirtualNetworkRules: [], consolidate: true, cutOffCallers: [] },
    ...common,
  },
  { kind: "remove-access-policy", target: { vault: vaultTarget(VAULT), principal: { objectId: ATTACKER, tenantId: TENANT } }, parameters: { allowVaultPutFallback: true }, ...common },
  {
    kind: "disable-secrets",
    target: { vault: vaultTarget(VAULT), objects: [{ type: "secret", name: "db-password", versions: VERSIONS.dbPassword.slice(0, 2) }] },
    parameters: {},
    ...common,
  },
]);

/** Fails every ARM write with a 500 (no retries are configured, so the step fails); data-plane writes go through. */
function failArmWrites(): void {
  tenant.server.use(
    http.all("https://management.azure.com/*", ({ request }) => {
      if (["GET", "HEAD"].includes(request.method)) return undefined;
      return HttpResponse.json({ error: { code: "InternalServerError", message: "injected" } }, { status: 500 });
    }),
  );
}

describe("rollback can be retried", () => {
  it("re-derives the same rollback plan from the journal after a failed rollback and completes it, restoring the prior state exactly", async () => {
    tenant.reset();
    const before = responseState(tenant);
    const executors = executorsFor(tenant).executors;
    const journal = new InMemoryJournal();
    expect((await applyPlan(plan, fastOptions(journal, executors))).status).toBe("completed");
    expect(responseState(tenant)).not.toEqual(before);

    const rollback = await planRollback(journal);
    expect(rollback.steps.length).toBeGreaterThan(1);
    failArmWrites();
    const failed = await applyPlan(rollback, fastOptions(journal, executors, { retry: { maxAttempts: 1, retryDelayInMs: 1, maxRetryDelayInMs: 1 } }));
    expect(failed.status).toBe("failed");
    // The rollback re-enabled the versions (data plane) before the ARM write failed: its journal now records changes too.
    expect(failed.steps[0]).toMatchObject({ kind: "enable-versions", status: "succeeded" });
    tenant.server.resetHandlers();

    // The journal now also holds the rollback's own entries; planning again must ignore them.
    const again = await planRollback(journal);
    expect(again).toEqual(rollback);
    const resumed = await applyPlan(again, fastOptions(journal, executors));
    expect(resumed.status).toBe("completed");
    expect(resumed.steps[0]?.status).toBe("completed-earlier");
    expect(responseState(tenant)).toEqual(before);

    // Once more after completion: still the same plan, and applying it changes nothing.
    const third = await planRollback(journal);
    expect(third.id).toBe(rollback.id);
    const idle = await applyPlan(third, fastOptions(journal, executors));
    expect(idle.status).toBe("completed");
    expect(responseState(tenant)).toEqual(before);
  }, 60_000);
});
