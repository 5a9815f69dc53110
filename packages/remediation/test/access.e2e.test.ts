import { useFakeAzure } from "@keywarden/testing/vitest";
import { describe, expect, it } from "vitest";
import { AuthorizationManagementClient } from "@azure/arm-authorization";
import { planRollback, type AccessPolicyEntrySnapshot } from "../src/index.js";
import { classifyScope } from "../src/azure/role-assignment-executors.js";
import { applyFast, buildPlan, common, vaultTarget, writeCalls } from "./support/harness.js";
import { ATTACKER, ATTACKER_APP, BYSTANDER, KEY_VAULT_SECRETS_USER, RBAC_VAULT, RBAC_VAULT_ID, READER, remediationSeed, RG, SUB, TENANT, VAULT, VAULT_ID } from "./support/seed.js";

const KEY_VAULT_CONTRIBUTOR = "f25e0fa2-a7c8-4377-a976-54943a77a395";

const tenant = useFakeAzure({ seed: remediationSeed(), autoAdvanceInMs: 1000 });

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

const DIRECT_ASSIGNMENT = {
  id: `${RBAC_VAULT_ID}/providers/Microsoft.Authorization/roleAssignments/11111111-0000-4000-8000-000000000001`,
  scope: RBAC_VAULT_ID,
  roleDefinitionId: `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/${KEY_VAULT_SECRETS_USER}`,
  roleName: "Key Vault Secrets User",
};
const INHERITED_ASSIGNMENT = {
  id: `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.Authorization/roleAssignments/11111111-0000-4000-8000-000000000002`,
  scope: `/subscriptions/${SUB}/resourceGroups/${RG}`,
  roleDefinitionId: `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/${READER}`,
  roleName: "Reader",
};

describe("remove-role-assignments through the fake tenant", () => {
  const plan = (includeInherited: boolean, assignments = [DIRECT_ASSIGNMENT, INHERITED_ASSIGNMENT]) =>
    buildPlan([
      {
        kind: "remove-role-assignments",
        target: { vault: vaultTarget(RBAC_VAULT), principal },
        parameters: { includeInherited, assignments },
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

  it("deletes only the listed assignment when the principal holds two roles on the vault (Key Vault Contributor stays)", async () => {
    const contributor = "22222222-0000-4000-8000-00000000c0c0";
    await new AuthorizationManagementClient(tenant.credential, SUB).roleAssignments.create(RBAC_VAULT_ID, contributor, {
      roleDefinitionId: `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/${KEY_VAULT_CONTRIBUTOR}`,
      principalId: ATTACKER,
      principalType: "User",
    });
    const { result } = await applyFast(tenant, plan(false, [DIRECT_ASSIGNMENT]));
    expect(result.status).toBe("completed");
    expect(assignmentsOf(ATTACKER)).toEqual(["11111111-0000-4000-8000-000000000002", contributor]);
    expect(result.steps[0]?.warnings.some((warning) => warning.message.includes("not in the plan") && warning.message.includes(KEY_VAULT_CONTRIBUTOR))).toBe(true);
  });

  it("deletes nothing when the plan lists no assignment, and an id whose role changed since planning is not deleted", async () => {
    const before = assignmentsOf(ATTACKER);
    const { result } = await applyFast(tenant, plan(false, []));
    expect(result.steps[0]?.status).toBe("already-done");
    const swapped = await applyFast(tenant, plan(false, [{ ...DIRECT_ASSIGNMENT, roleDefinitionId: INHERITED_ASSIGNMENT.roleDefinitionId }]));
    expect(swapped.result.steps[0]?.status).toBe("already-done");
    expect(assignmentsOf(ATTACKER)).toEqual(before);
    expect(writeCalls(tenant)).toBe(0);
  });

  it("understands management-group scope as inherited", () => {
    expect(classifyScope("/providers/Microsoft.Management/managementGroups/contoso-root", RBAC_VAULT_ID)).toBe("inherited");
    expect(classifyScope("/providers/Microsoft.Management/managementGroups/contoso-root/", RBAC_VAULT_ID)).toBe("inherited");
    expect(classifyScope(`/subscriptions/${SUB}/resourceGroups/other`, RBAC_VAULT_ID)).toBe("unrelated");
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
