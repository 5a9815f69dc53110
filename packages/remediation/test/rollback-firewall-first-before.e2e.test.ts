import { KeyVaultManagementClient } from "@azure/arm-keyvault";
import { InMemoryJournal } from "@keywarden/core";
import { useFakeAzure } from "@keywarden/testing/vitest";
import { http, HttpResponse } from "msw";
import { afterEach, describe, expect, it } from "vitest";
import { applyPlan, planRollback } from "../src/index.js";
import { buildPlan, common, executorsFor, fastOptions, vaultTarget } from "./support/harness.js";
import { remediationSeed, RESPONDER_IP, RG, SUB, VAULT, VAULT_ID } from "./support/seed.js";

/**
 * A firewall step writes one whole rule set, so each of its landed sub-writes carries the whole rule set it replaced.
 * When the step lands more than once without ever finishing (two runs, each failing after its write), rollback must
 * restore the first of them — the vault as it was before the plan touched it — never a later, intermediate one that
 * already holds the rules the step added.
 */
const tenant = useFakeAzure({ seed: remediationSeed(), autoAdvanceInMs: 1000 });
afterEach(() => tenant.server.resetHandlers());

const noRetry = { retry: { maxAttempts: 1, retryDelayInMs: 1, maxRetryDelayInMs: 1 } };
const aclsOf = () => structuredClone(tenant.state.vaults.get(VAULT_ID)?.resource.properties.networkAcls);
/** Addresses without a `/32` suffix (the service stores a single address as `/32`). */
const addresses = (values: readonly string[] | undefined) => (values ?? []).map((value) => value.replace(/\/32$/, ""));
const vaultUrl = new RegExp(`/vaults/${VAULT}(\\?|$)`);

/** Lets the step's PATCH land, then refuses every later read of the vault, so the step fails after its write. */
function refuseReadsAfterPatch(): void {
  let patched = false;
  tenant.server.use(
    http.all("*", ({ request }) => {
      if (!vaultUrl.test(request.url)) return undefined;
      if (request.method === "PATCH") patched = true;
      if (request.method !== "GET" || !patched) return undefined;
      return HttpResponse.json({ error: { code: "AuthorizationFailed", message: "injected" } }, { status: 403 });
    }),
  );
}

describe("planRollback keeps a firewall step's first before", () => {
  it("restores the rule set from before the first landed write, not the one a resumed run replaced", async () => {
    tenant.reset();
    const original = aclsOf();
    const { executors } = executorsFor(tenant);
    const journal = new InMemoryJournal();
    const plan = buildPlan([
      {
        kind: "enable-firewall",
        target: { vault: vaultTarget(VAULT) },
        parameters: { defaultAction: "Deny", bypass: "AzureServices", addIpRules: [RESPONDER_IP], addVirtualNetworkRules: [], consolidate: true, cutOffCallers: [] },
        ...common,
      },
    ]);

    refuseReadsAfterPatch();
    expect((await applyPlan(plan, fastOptions(journal, executors, noRetry))).status).toBe("failed");
    tenant.server.resetHandlers();
    expect(addresses(aclsOf()?.ipRules?.map((rule) => rule.value))).toContain(RESPONDER_IP);

    // Someone opens the vault again before the plan is resumed: the resumed run's write replaces a rule set that already
    // holds the responder's address the first run added.
    await new KeyVaultManagementClient(tenant.credential, SUB).vaults.update(RG, VAULT, { properties: { networkAcls: { ...aclsOf(), defaultAction: "Allow" } } });
    const intermediate = aclsOf();

    refuseReadsAfterPatch();
    expect((await applyPlan(plan, fastOptions(journal, executors, noRetry))).status).toBe("failed");
    tenant.server.resetHandlers();
    const landed = (await journal.entries()).filter((entry) => entry.event === "landed");
    expect(landed).toHaveLength(2);
    const ipsOf = (before: unknown) => addresses((before as { ipRules: string[] }).ipRules);
    expect(ipsOf(landed[0]?.before)).not.toContain(RESPONDER_IP);
    expect(ipsOf(landed[1]?.before)).toContain(RESPONDER_IP);
    expect((landed[1]?.before as { defaultAction: string }).defaultAction).toBe(intermediate?.defaultAction);

    const rollback = await planRollback(journal);
    expect(rollback.steps).toHaveLength(1);
    expect(rollback.steps[0]).toMatchObject({ kind: "restore-firewall", parameters: { networkAcls: landed[0]?.before } });
    expect((await applyPlan(rollback, fastOptions(journal, executors))).status).toBe("completed");
    expect(aclsOf()).toEqual(original);
  });
});
