import { AuthorizationManagementClient } from "@azure/arm-authorization";
import { describe, expect, it } from "vitest";
import { useCheckedFakeAzure } from "./support/checked-fake-azure.js";
import {
  APP_SP_ID,
  baseSeed,
  KEYVAULT_SECRETS_USER,
  RESOURCE_GROUP,
  SUBSCRIPTION_ID,
  USER_ID,
  VAULT_ID,
  VAULT_NAME,
} from "./fixtures/base-seed.js";
import { retryOptions } from "./fixtures/sdk-options.js";

const azure = useCheckedFakeAzure({ seed: baseSeed() });
const client = (): AuthorizationManagementClient => new AuthorizationManagementClient(azure.credential, SUBSCRIPTION_ID, { retryOptions });

async function names(iterator: AsyncIterable<{ name?: string }>): Promise<string[]> {
  const result: string[] = [];
  for await (const item of iterator) result.push(item.name ?? "");
  return result.sort();
}

const ON_VAULT = "dddddddd-0000-4000-8000-000000000001";
const ON_SUBSCRIPTION = "dddddddd-0000-4000-8000-000000000002";
const ON_SECRET = "dddddddd-0000-4000-8000-000000000003";

describe("Microsoft.Authorization role assignments through arm-authorization 9", () => {
  it("lists for a vault scope: inherited (above) and object-scoped (below) assignments", async () => {
    expect(await names(client().roleAssignments.listForScope(VAULT_ID))).toEqual([ON_VAULT, ON_SUBSCRIPTION, ON_SECRET]);
    expect(azure.calls.last()?.url).toContain("api-version=2022-04-01");
  });

  it("atScope() returns assignments at or above the scope only", async () => {
    expect(await names(client().roleAssignments.listForScope(VAULT_ID, { filter: "atScope()" }))).toEqual([ON_VAULT, ON_SUBSCRIPTION]);
  });

  it("principalId eq returns the principal's assignments at, above and below", async () => {
    expect(await names(client().roleAssignments.listForScope(VAULT_ID, { filter: `principalId eq '${USER_ID}'` }))).toEqual([
      ON_SUBSCRIPTION,
      ON_SECRET,
    ]);
    expect(await names(client().roleAssignments.listForScope(VAULT_ID, { filter: `atScope() and principalId eq '${USER_ID}'` }))).toEqual([
      ON_SUBSCRIPTION,
    ]);
    expect(
      await names(
        client().roleAssignments.listForResource(RESOURCE_GROUP, "Microsoft.KeyVault", "vaults", VAULT_NAME, {
          filter: `principalId eq '${APP_SP_ID}'`,
        })
      )
    ).toEqual([ON_VAULT]);
  });

  it("refuses a filter it does not understand instead of returning everything", async () => {
    await expect(names(client().roleAssignments.listForScope(VAULT_ID, { filter: "roleDefinitionId eq 'x'" }))).rejects.toMatchObject({
      statusCode: 400,
    });
  });

  it("gets, creates and deletes assignments at their own scope", async () => {
    const got = await client().roleAssignments.getById(`${VAULT_ID}/providers/Microsoft.Authorization/roleAssignments/${ON_VAULT}`);
    expect(got.principalId).toBe(APP_SP_ID);
    const name = "eeeeeeee-0000-4000-8000-00000000000e";
    const created = await client().roleAssignments.create(VAULT_ID, name, {
      roleDefinitionId: `/subscriptions/${SUBSCRIPTION_ID}/providers/Microsoft.Authorization/roleDefinitions/${KEYVAULT_SECRETS_USER}`,
      principalId: USER_ID,
      principalType: "User",
    });
    expect(created).toMatchObject({ name, scope: VAULT_ID, principalId: USER_ID, principalType: "User" });
    await expect(
      client().roleAssignments.create(VAULT_ID, "eeeeeeee-0000-4000-8000-00000000000f", {
        roleDefinitionId: `/providers/Microsoft.Authorization/roleDefinitions/${KEYVAULT_SECRETS_USER}`,
        principalId: USER_ID,
      })
    ).rejects.toMatchObject({ statusCode: 409, code: "RoleAssignmentExists" });
    const deleted = await client().roleAssignments.delete(VAULT_ID, name);
    expect(deleted.name).toBe(name);
    expect(azure.state.roleAssignments.get(`${VAULT_ID}/providers/Microsoft.Authorization/roleAssignments/${name}`)).toBeUndefined();
  });

  it("rejects unknown roles and principals", async () => {
    await expect(
      client().roleAssignments.create(VAULT_ID, "eeeeeeee-0000-4000-8000-000000000010", {
        roleDefinitionId: "/providers/Microsoft.Authorization/roleDefinitions/00000000-0000-0000-0000-000000000000",
        principalId: USER_ID,
      })
    ).rejects.toMatchObject({ statusCode: 400, code: "RoleDefinitionDoesNotExist" });
    await expect(
      client().roleAssignments.create(VAULT_ID, "eeeeeeee-0000-4000-8000-000000000011", {
        roleDefinitionId: `/providers/Microsoft.Authorization/roleDefinitions/${KEYVAULT_SECRETS_USER}`,
        principalId: "12345678-0000-4000-8000-000000000000",
      })
    ).rejects.toMatchObject({ statusCode: 400, code: "PrincipalNotFound" });
  });

  it("gets built-in role definitions", async () => {
    const definition = await client().roleDefinitions.get(`/subscriptions/${SUBSCRIPTION_ID}`, KEYVAULT_SECRETS_USER);
    expect(definition.roleName).toBe("Key Vault Secrets User");
    expect(definition.id).toBe(
      `/subscriptions/${SUBSCRIPTION_ID}/providers/Microsoft.Authorization/roleDefinitions/${KEYVAULT_SECRETS_USER}`
    );
    const byName: string[] = [];
    for await (const d of client().roleDefinitions.list(`/subscriptions/${SUBSCRIPTION_ID}`, { filter: "roleName eq 'Owner'" }))
      byName.push(d.roleName ?? "");
    expect(byName).toEqual(["Owner"]);
  });
});
