import { useFakeAzure } from "@keywarden/testing/vitest";
import { describe, expect, it } from "vitest";
import { planRollback, type AccessPolicyEntrySnapshot } from "../src/index.js";
import { applyFast, buildPlan, common, vaultTarget, writeCalls } from "./support/harness.js";
import { ATTACKER, ATTACKER_APP, BYSTANDER, RBAC_VAULT, RBAC_VAULT_ID, remediationSeed, RG, SUB, TENANT, VAULT, VAULT_ID } from "./support/seed.js";

const tenant = useFakeAzure({ seed: remediationSeed(), autoAdvanceMs: 1000 });

const policies = () => structuredClone(tenant.state.vaults.get(VAULT_ID)?.resource.properties.accessPolicies ?? []);
const sortEntries = <T extends { objectId: string; applicationId?: string }>(entries: T[]): T[] =>
  [...entries].sort((a, b) => `${a.objectId}|${a.applicationId ?? ""}`.localeCompare(`${b.objectId}|${b.applicationId ?? ""}`));
const principal = { objectId: ATTACKER, tenantId: TENANT, type: "user" as const };

const removePlan = (vault = VAULT) =>
  buildPlan([
    {
      kind: "remove-access-policy",
      target: { vault: vaultTarget(vault), principal },
      parameters: { allowVaultPutFallback: true },
      ...common,
    },
  ]);

const restrictPlan = () =>
  buildPlan([
    {
      kind: "restrict-permissions",
      target: { vault: vaultTarget(VAULT), principal },
      // Asked in lower case; the vault holds PascalCase: the executor sends the stored casing.
      parameters: { remove: { secrets: ["get"], keys: ["wrapkey"] }, allowVaultPutFallback: true },
      ...common,
    },
  ]);

describe("remove-access-policy through the fake tenant", () => {
  it("removes every PascalCase entry of the principal (compound entry included) and leaves the others untouched", async () => {
    const bystander = policies().find((entry) => entry.objectId === BYSTANDER);
    const { result, entries } = await applyFast(tenant, removePlan());
    expect(result.status).toBe("completed");
    const after = policies();
    expect(after.filter((entry) => entry.objectId === ATTACKER)).toEqual([]);
    expect(after.find((entry) => entry.objectId === BYSTANDER)).toEqual(bystander);
    const before = entries.find((entry) => entry.event === "succeeded")?.before as { entries: AccessPolicyEntrySnapshot[] };
    expect(before.entries.map((entry) => entry.permissions.secrets)).toEqual([["Get", "List"], ["Get"]]);
    expect(before.entries[1]?.applicationId).toBe(ATTACKER_APP);
  });

  it("re-running changes nothing", async () => {
    await applyFast(tenant, removePlan());
    const writes = writeCalls(tenant);
    const again = await applyFast(tenant, removePlan());
    expect(again.result.steps[0]?.status).toBe("already-done");
    expect(writeCalls(tenant)).toBe(writes);
  });

  it("is refused on an RBAC vault, pointing to remove-role-assignments", async () => {
    const { result } = await applyFast(tenant, removePlan(RBAC_VAULT));
    expect(result.status).toBe("failed");
    expect(result.steps[0]?.error?.code).toBe("KW_REMEDIATION_E0006");
    expect(result.steps[0]?.error?.message).toContain("remove-role-assignments");
  });

  it("rolls back to the original entries with their original casing", async () => {
    const original = policies();
    const { journal } = await applyFast(tenant, removePlan());
    const rollback = await planRollback(journal);
    expect(rollback.steps.map((step) => step.kind)).toEqual(["restore-access-policy"]);
    const { result } = await applyFast(tenant, rollback);
    expect(result.status).toBe("completed");
    expect(sortEntries(policies())).toEqual(sortEntries(original));
  });
});

describe("restrict-permissions through the fake tenant", () => {
  it("subtracts the named permissions (stored casing) and keeps the rest", async () => {
    const { result } = await applyFast(tenant, restrictPlan());
    expect(result.status).toBe("completed");
    const attacker = policies().filter((entry) => entry.objectId === ATTACKER);
    // The plain entry keeps List (secrets) and Get (keys); the compound entry only had secrets Get and is gone.
    expect(attacker).toEqual([{ tenantId: TENANT, objectId: ATTACKER, permissions: { secrets: ["List"], keys: ["Get"] } }]);
    expect(policies().find((entry) => entry.objectId === BYSTANDER)?.permissions.secrets).toEqual(["Get", "List", "Set"]);
  });

  it("rolls back the narrowing exactly", async () => {
    const original = policies();
    const { journal } = await applyFast(tenant, restrictPlan());
    const { result } = await applyFast(tenant, await planRollback(journal));
    expect(result.status).toBe("completed");
    const normalise = (entries: typeof original) =>
      sortEntries(entries).map((entry) => ({
        ...entry,
        permissions: Object.fromEntries(Object.entries(entry.permissions).map(([group, values]) => [group, [...(values ?? [])].sort()])),
      }));
    expect(normalise(policies())).toEqual(normalise(original));
  });
});

describe("remove-role-assignments through the fake tenant", () => {
  const plan = (includeInherited: boolean) =>
    buildPlan([
      {
        kind: "remove-role-assignments",
        target: { vault: vaultTarget(RBAC_VAULT), principal },
        parameters: { includeInherited },
        ...common,
      },
    ]);
  const assignmentsOf = (principalId: string) =>
    [...tenant.state.roleAssignments.values()].filter((assignment) => assignment.properties.principalId === principalId).map((assignment) => assignment.name).sort();

  it("deletes the direct vault-scope assignment and reports the inherited one", async () => {
    const { result, entries } = await applyFast(tenant, plan(false));
    expect(result.status).toBe("completed");
    expect(assignmentsOf(ATTACKER)).toEqual(["11111111-0000-4000-8000-000000000002"]);
    expect(assignmentsOf(BYSTANDER)).toEqual(["11111111-0000-4000-8000-000000000003"]);
    const warning = result.steps[0]?.warnings.find((item) => item.code === "KW_REMEDIATION_W0004");
    expect(warning?.message).toContain(`/subscriptions/${SUB}/resourceGroups/${RG}`);
    expect(entries.some((entry) => entry.event === "succeeded")).toBe(true);
  });

  it("rolls back by recreating the assignment under its original name", async () => {
    const { journal } = await applyFast(tenant, plan(false));
    const rollback = await planRollback(journal);
    expect(rollback.steps.map((step) => step.kind)).toEqual(["restore-role-assignments"]);
    const { result } = await applyFast(tenant, rollback);
    expect(result.status).toBe("completed");
    expect(assignmentsOf(ATTACKER)).toEqual(["11111111-0000-4000-8000-000000000001", "11111111-0000-4000-8000-000000000002"]);
    const restored = [...tenant.state.roleAssignments.values()].find((assignment) => assignment.name === "11111111-0000-4000-8000-000000000001");
    expect(restored?.properties.scope?.toLowerCase()).toBe(RBAC_VAULT_ID.toLowerCase());
  });
});
