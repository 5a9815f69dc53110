import { SecretClient } from "@azure/keyvault-secrets";
import { KeyClient } from "@azure/keyvault-keys";
import fc from "fast-check";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { builtInRoleDefinitions } from "../arm/built-in-role-definitions.js";
import { DEFAULT_IDENTITY } from "../auth/fake-identity.js";
import type { RoleAssignment } from "../state/arm-types.js";
import { actionMatches } from "./data-access.js";
import { createDataPlaneHarness } from "./data-plane-harness.js";
import { restErrorOf } from "./rest-error-of.js";

const harness = createDataPlaneHarness();
const state = harness.ctx.state;
const retryOptions = { maxRetries: 0 };
for (const definition of builtInRoleDefinitions()) state.roleDefinitions.set(definition.name, definition);

beforeAll(() => harness.server.listen({ onUnhandledRequest: "error" }));
afterEach(async () => {
  expect(await harness.schemaCheckResults()).toEqual([]);
  state.roleAssignments.clear();
});
afterAll(() => harness.server.close());

function assign(scope: string, roleGuid: string, principalId = DEFAULT_IDENTITY.objectId): void {
  const name = `${roleGuid.slice(0, 8)}-0000-4000-8000-${String(state.roleAssignments.size).padStart(12, "0")}`;
  const assignment: RoleAssignment = {
    id: `${scope}/providers/Microsoft.Authorization/roleAssignments/${name}`,
    name,
    type: "Microsoft.Authorization/roleAssignments",
    properties: {
      scope,
      roleDefinitionId: `/providers/Microsoft.Authorization/roleDefinitions/${roleGuid}`,
      principalId,
      principalType: "ServicePrincipal",
    },
  };
  state.roleAssignments.set(assignment.id, assignment);
}

const SECRETS_USER = "4633458b-17de-408a-b874-0445c86b69e6";
const SECRETS_OFFICER = "b86a8fe4-44ce-4948-aee5-eccb2c155cd7";
const KEY_VAULT_CONTRIBUTOR = "f25e0fa2-a7c8-4377-a976-54943a77a395";

describe("data-plane access control (settings.enforceDataAccess)", () => {
  it("checks access policies, permission names case-insensitively, and refuses with 403 ForbiddenByPolicy", async () => {
    const vault = harness.addVault("kv-policies", {}, { enforceDataAccess: true });
    vault.secrets.set("db", {
      name: "db",
      versions: [{ version: "0123456789abcdef0123456789abcdef", value: "v", attributes: { enabled: true, created: 1, updated: 1 } }],
    });
    const client = new SecretClient("https://kv-policies.vault.azure.net", harness.credential, { retryOptions });
    const refused = await restErrorOf(client.getSecret("db"));
    expect(refused.statusCode).toBe(403);
    expect(refused.message).toBe(
      `The user, group or application 'appid=${DEFAULT_IDENTITY.applicationId};oid=${DEFAULT_IDENTITY.objectId};iss=https://sts.windows.net/${state.tenantId}/' does not have secrets get permission on key vault 'kv-policies;location=westeurope'. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125287`
    );
    vault.resource.properties.accessPolicies = [
      { tenantId: state.tenantId, objectId: DEFAULT_IDENTITY.objectId.toUpperCase(), permissions: { secrets: ["Get"] } },
    ];
    expect((await client.getSecret("db")).value).toBe("v");
    expect((await restErrorOf(client.setSecret("db", "w"))).statusCode).toBe(403);
    vault.resource.properties.accessPolicies = [
      { tenantId: state.tenantId, objectId: DEFAULT_IDENTITY.objectId, permissions: { secrets: ["all"] } },
    ];
    await client.setSecret("db", "w");
    vault.resource.properties.accessPolicies = [];
    expect((await restErrorOf(client.getSecret("db"))).statusCode).toBe(403);
  });

  it("ignores access policies on an RBAC vault and checks role assignments at, above and on the object", async () => {
    const vault = harness.addVault("kv-rbac", { enableRbacAuthorization: true }, { enforceDataAccess: true });
    vault.resource.properties.accessPolicies = [
      { tenantId: state.tenantId, objectId: DEFAULT_IDENTITY.objectId, permissions: { secrets: ["all"] } },
    ];
    for (const name of ["a", "b"]) {
      vault.secrets.set(name, {
        name,
        versions: [{ version: "0123456789abcdef0123456789abcdef", value: name, attributes: { enabled: true, created: 1, updated: 1 } }],
      });
    }
    const client = new SecretClient("https://kv-rbac.vault.azure.net", harness.credential, { retryOptions });
    const refused = await restErrorOf(client.getSecret("a"));
    expect(refused.statusCode).toBe(403);
    expect(refused.message).toContain("Caller is not authorized to perform action on resource.");
    expect(refused.message).toContain("Action: 'Microsoft.KeyVault/vaults/secrets/getSecret/action'");
    expect(refused.message).toContain(`Resource: '${vault.resource.id.toLowerCase()}/secrets/a'`);

    assign(`${vault.resource.id}/secrets/a`, SECRETS_USER);
    expect((await client.getSecret("a")).value).toBe("a");
    expect((await restErrorOf(client.getSecret("b"))).statusCode).toBe(403);
    expect((await restErrorOf(client.setSecret("a", "x"))).statusCode).toBe(403);

    // Key Vault Contributor manages the vault but grants no data access.
    const subscriptionScope = vault.resource.id.split("/resourceGroups/")[0]!;
    assign(subscriptionScope, KEY_VAULT_CONTRIBUTOR);
    expect((await restErrorOf(client.getSecret("b"))).statusCode).toBe(403);

    assign(subscriptionScope, SECRETS_OFFICER);
    await client.setSecret("b", "changed");
    expect((await client.getSecret("b")).value).toBe("changed");
    const keys = new KeyClient("https://kv-rbac.vault.azure.net", harness.credential, { retryOptions });
    expect((await restErrorOf(keys.createEcKey("k"))).statusCode).toBe(403);
  });

  it("counts role assignments at the management groups above the vault's subscription, and only those", async () => {
    const vault = harness.addVault("kv-rbac-grouped", { enableRbacAuthorization: true }, { enforceDataAccess: true });
    vault.secrets.set("a", {
      name: "a",
      versions: [{ version: "0123456789abcdef0123456789abcdef", value: "a", attributes: { enabled: true, created: 1, updated: 1 } }],
    });
    const subscription = vault.resource.id.split("/")[2] ?? "";
    state.managementGroups.set("platform", { name: "platform", displayName: "Platform", subscriptions: [] });
    state.managementGroups.set("prod", { name: "prod", displayName: "Prod", parent: "platform", subscriptions: [subscription] });
    state.managementGroups.set("sandbox", { name: "sandbox", displayName: "Sandbox", subscriptions: [] });
    try {
      const client = new SecretClient("https://kv-rbac-grouped.vault.azure.net", harness.credential, { retryOptions });
      assign("/providers/Microsoft.Management/managementGroups/sandbox", SECRETS_USER);
      expect((await restErrorOf(client.getSecret("a"))).statusCode).toBe(403);
      // The parent of the subscription's group: inherited through two levels.
      assign("/providers/Microsoft.Management/managementGroups/platform", SECRETS_USER);
      expect((await client.getSecret("a")).value).toBe("a");
    } finally {
      state.managementGroups.clear();
    }
  });

  it("leaves vaults without enforceDataAccess open to the tenant's credential", async () => {
    harness.addVault("kv-open");
    const client = new SecretClient("https://kv-open.vault.azure.net", harness.credential, { retryOptions });
    await client.setSecret("s", "v");
    expect((await client.getSecret("s")).value).toBe("v");
  });

  it("matches Azure action patterns with * wildcards, ignoring case", () => {
    expect(actionMatches("Microsoft.KeyVault/vaults/secrets/*", "Microsoft.KeyVault/vaults/secrets/getSecret/action")).toBe(true);
    expect(actionMatches("Microsoft.KeyVault/vaults/*/read", "microsoft.keyvault/vaults/keys/read")).toBe(true);
    expect(
      actionMatches("Microsoft.KeyVault/vaults/secrets/readMetadata/action", "Microsoft.KeyVault/vaults/secrets/getSecret/action")
    ).toBe(false);
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z./]{1,30}$/u), (action) => {
        expect(actionMatches("*", action)).toBe(true);
        expect(actionMatches(action, action)).toBe(true);
      })
    );
  });
});
