import { describe, expect, it } from "vitest";
import { describeCustomRole, roleDefinitionGuid, toRoleAssignmentRef } from "./azure-role-catalog.js";

const vault = "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv1";

describe("role classification", () => {
  it("matches role definitions on the trailing GUID, with or without the subscription prefix", () => {
    expect(roleDefinitionGuid("/subscriptions/s1/providers/Microsoft.Authorization/roleDefinitions/4633458B-17DE-408A-B874-0445C86B69E6")).toBe(
      "4633458b-17de-408a-b874-0445c86b69e6",
    );
  });

  it("marks direct, inherited and object-scope assignments", () => {
    const base = { roleDefinitionId: "/providers/Microsoft.Authorization/roleDefinitions/4633458b-17de-408a-b874-0445c86b69e6", principalId: "p" };
    expect(toRoleAssignmentRef({ ...base, id: "a", scope: vault.toUpperCase() }, vault).inheritance).toBe("direct");
    expect(toRoleAssignmentRef({ ...base, id: "b", scope: "/subscriptions/s1" }, vault).inheritance).toBe("inherited");
    expect(toRoleAssignmentRef({ ...base, id: "c", scope: `${vault}/secrets/db` }, vault).inheritance).toBe("child");
    expect(toRoleAssignmentRef({ ...base, id: "d", scope: vault }, vault)).toMatchObject({ roleName: "Key Vault Secrets User", plane: "data", readsSecrets: true, changesAccess: false });
  });

  it("classifies custom roles from their actions, honouring wildcards and not-actions", () => {
    expect(describeCustomRole({ actions: [], dataActions: ["Microsoft.KeyVault/vaults/secrets/*"] })).toMatchObject({ plane: "data", readsSecrets: true, changesAccess: false });
    expect(
      describeCustomRole({ actions: [], dataActions: ["Microsoft.KeyVault/vaults/secrets/*"], notDataActions: ["Microsoft.KeyVault/vaults/secrets/getSecret/action"] }),
    ).toMatchObject({ readsSecrets: false });
    expect(describeCustomRole({ actions: ["*"], dataActions: [] })).toMatchObject({ plane: "management", changesAccess: true, readsSecrets: false });
    expect(describeCustomRole({ actions: ["Microsoft.KeyVault/vaults/read"], dataActions: [] })).toMatchObject({ changesAccess: false });
  });

  it("treats unknown roles without a definition as reaching everything", () => {
    const ref = toRoleAssignmentRef({ id: "x", scope: vault, roleDefinitionId: "/providers/Microsoft.Authorization/roleDefinitions/00000000-1111-2222-3333-444444444444", principalId: "p" }, vault);
    expect(ref).toMatchObject({ plane: "both", readsSecrets: true, changesAccess: true });
    expect(ref.roleName).toBeUndefined();
  });
});
