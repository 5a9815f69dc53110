import { InMemoryJournal } from "@keywarden/core";
import { useFakeAzure } from "@keywarden/testing/vitest";
import { describe, expect, it } from "vitest";
import { applyPlan, planRollback, type NetworkAclsSnapshot } from "../src/index.js";
import { KeyedLock } from "../src/index.js";
import { applyFast, buildPlan, common, executorsFor, fastOptions, vaultTarget, writeCalls } from "./support/harness.js";
import { remediationSeed, RESPONDER_IP, SUBNET_ID, VAULT, VAULT_ID } from "./support/seed.js";

const tenant = useFakeAzure({ seed: remediationSeed(), autoAdvanceInMs: 1000 });

const firewallPlan = (addIpRules: string[], observed?: NetworkAclsSnapshot) =>
  buildPlan([
    {
      kind: "enable-firewall",
      target: { vault: vaultTarget(VAULT) },
      parameters: { defaultAction: "Deny", bypass: "AzureServices", addIpRules, addVirtualNetworkRules: [], consolidate: true, cutOffCallers: [] },
      ...common,
      precondition: observed === undefined ? { summary: "" } : { summary: "observed", observed },
    },
  ]);

const acls = () => tenant.state.vaults.get(VAULT_ID)?.resource.properties.networkAcls;

describe("enable-firewall through the fake tenant", () => {
  it("closes the firewall and keeps every existing IP and VNet rule", async () => {
    const { result, entries } = await applyFast(tenant, firewallPlan([RESPONDER_IP, "192.0.2.10", "10.1.0.0/16"]));
    expect(result.status).toBe("completed");
    const after = acls();
    expect(after?.defaultAction).toBe("Deny");
    expect(after?.bypass).toBe("AzureServices");
    const ips = (after?.ipRules ?? []).map((rule) => rule.value);
    // 192.0.2.10 was stored as 192.0.2.10/32: the /32 normalisation means it is not added twice.
    expect(ips.sort()).toEqual(["10.1.0.0/16", "192.0.2.10/32", "198.51.100.0/24", `${RESPONDER_IP}/32`].sort());
    expect((after?.virtualNetworkRules ?? []).map((rule) => rule.id.toLowerCase())).toEqual([SUBNET_ID.toLowerCase()]);
    const succeeded = entries.find((entry) => entry.event === "succeeded");
    expect((succeeded?.before as NetworkAclsSnapshot).defaultAction).toBe("Allow");
    expect((succeeded?.after as NetworkAclsSnapshot).defaultAction).toBe("Deny");
  });

  it("is idempotent: a second apply of the same plan writes nothing", async () => {
    const plan = firewallPlan([RESPONDER_IP]);
    const journal = new InMemoryJournal();
    await applyFast(tenant, plan, journal);
    const writes = writeCalls(tenant);
    // A fresh journal: the executor itself must see that the vault is already in the planned state.
    const again = await applyFast(tenant, plan, new InMemoryJournal());
    expect(again.result.steps[0]?.status).toBe("already-done");
    expect(writeCalls(tenant)).toBe(writes);
    // The same journal: the step is known to be done and is not even read again.
    const resumed = await applyFast(tenant, plan, journal);
    expect(resumed.result.steps[0]?.status).toBe("completed-earlier");
  });

  it("dry run reads and journals but writes nothing", async () => {
    const { result, entries } = await applyFast(tenant, firewallPlan([RESPONDER_IP]), new InMemoryJournal(), { dryRun: true });
    expect(result.steps[0]?.status).toBe("would-change");
    expect(result.steps[0]?.changes.join("; ")).toContain("defaultAction Allow → Deny");
    expect(entries.every((entry) => entry.dryRun === true)).toBe(true);
    expect(writeCalls(tenant)).toBe(0);
    expect(acls()?.defaultAction).toBe("Allow");
  });

  it("merges onto rules added since planning instead of dropping them", async () => {
    const observed: NetworkAclsSnapshot = {
      defaultAction: "Allow",
      bypass: "AzureServices",
      ipRules: ["198.51.100.0/24", "192.0.2.10/32"],
      virtualNetworkRules: [{ id: SUBNET_ID.toLowerCase() }],
    };
    tenant.state.vaults.get(VAULT_ID)?.resource.properties.networkAcls?.ipRules?.push({ value: "203.0.113.200/32" });
    const { result } = await applyFast(tenant, firewallPlan([RESPONDER_IP], observed));
    expect(result.status).toBe("completed");
    expect(result.steps[0]?.warnings.map((warning) => warning.code)).toContain("KW_REMEDIATION_W0001");
    expect((acls()?.ipRules ?? []).map((rule) => rule.value)).toContain("203.0.113.200/32");
  });

  it("stops when the rules it planned around vanished from the read (public access disabled)", async () => {
    const observed: NetworkAclsSnapshot = {
      defaultAction: "Allow",
      bypass: "AzureServices",
      ipRules: ["198.51.100.0/24", "192.0.2.10/32"],
      virtualNetworkRules: [],
    };
    const vault = tenant.state.vaults.get(VAULT_ID);
    if (vault) vault.resource.properties.networkAcls = { defaultAction: "Allow", bypass: "AzureServices", ipRules: [], virtualNetworkRules: [] };
    const { result } = await applyFast(tenant, firewallPlan([RESPONDER_IP], observed));
    expect(result.status).toBe("failed");
    expect(result.steps[0]?.error?.code).toBe("KW_REMEDIATION_E0003");
    expect(writeCalls(tenant)).toBe(0);
  });

  it("two concurrent applies on one vault lose no rule", async () => {
    const harness = executorsFor(tenant);
    const [first, second] = await Promise.all([
      applyPlan(firewallPlan([RESPONDER_IP, "10.1.0.0/16"]), fastOptions(new InMemoryJournal(), harness.executors)),
      applyPlan(firewallPlan([RESPONDER_IP, "10.2.0.0/16"]), fastOptions(new InMemoryJournal(), harness.executors)),
    ]);
    expect(first.status).toBe("completed");
    expect(second.status).toBe("completed");
    const ips = (acls()?.ipRules ?? []).map((rule) => rule.value);
    for (const rule of ["198.51.100.0/24", "192.0.2.10/32", "10.1.0.0/16", "10.2.0.0/16", `${RESPONDER_IP}/32`]) expect(ips).toContain(rule);
    expect(acls()?.virtualNetworkRules).toHaveLength(1);
  });

  it("two applies with separate lock sets still lose no rule when run one after the other on fresh reads", async () => {
    const harness = executorsFor(tenant);
    await applyPlan(firewallPlan(["10.3.0.0/16"]), fastOptions(new InMemoryJournal(), harness.executors, { vaultLocks: new KeyedLock() }));
    await applyPlan(firewallPlan(["10.4.0.0/16"]), fastOptions(new InMemoryJournal(), harness.executors, { vaultLocks: new KeyedLock() }));
    const ips = (acls()?.ipRules ?? []).map((rule) => rule.value);
    expect(ips).toEqual(expect.arrayContaining(["10.3.0.0/16", "10.4.0.0/16", "198.51.100.0/24", "192.0.2.10/32"]));
  });

  it("rolls back to the exact prior rule set", async () => {
    const before = structuredClone(acls());
    const { journal } = await applyFast(tenant, firewallPlan([RESPONDER_IP, "10.1.0.0/16"]));
    const rollback = await planRollback(journal);
    expect(rollback.steps.map((step) => step.kind)).toEqual(["restore-firewall"]);
    const { result } = await applyFast(tenant, rollback);
    expect(result.status).toBe("completed");
    const after = acls();
    expect(after?.defaultAction).toBe(before?.defaultAction);
    expect(after?.bypass).toBe(before?.bypass);
    expect((after?.ipRules ?? []).map((rule) => rule.value).sort()).toEqual((before?.ipRules ?? []).map((rule) => rule.value).sort());
    expect(after?.virtualNetworkRules).toEqual(before?.virtualNetworkRules);
  });
});
