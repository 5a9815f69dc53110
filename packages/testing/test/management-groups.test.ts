import { AuthorizationManagementClient } from "@azure/arm-authorization";
import { describe, expect, it } from "vitest";
import { createFakeAzure, loadSeed, SeedValidationError, type FakeAzureSeed } from "../src/index.js";
import { useCheckedFakeAzure } from "./support/checked-fake-azure.js";
import { baseSeed, KEYVAULT_SECRETS_USER, READER, SUBSCRIPTION_ID, TENANT_ID, USER_ID, VAULT_ID } from "./fixtures/base-seed.js";
import { retryOptions } from "./fixtures/sdk-options.js";

const OTHER_SUBSCRIPTION = "0f907ea4-0000-4c11-9d7e-805c2fd144fb";
const PROD = "/providers/Microsoft.Management/managementGroups/contoso-prod";
const PLATFORM = "/providers/Microsoft.Management/managementGroups/contoso-platform";
const SANDBOX = "/providers/Microsoft.Management/managementGroups/contoso-sandbox";
const ROOT = `/providers/Microsoft.Management/managementGroups/${TENANT_ID}`;

const ON_PROD = "ffffffff-0000-4000-8000-000000000001";
const ON_PLATFORM = "ffffffff-0000-4000-8000-000000000002";
const ON_SANDBOX = "ffffffff-0000-4000-8000-000000000003";
const ON_ROOT = "ffffffff-0000-4000-8000-000000000004";
const IN_OTHER_SUBSCRIPTION = "ffffffff-0000-4000-8000-000000000005";

function assignment(scope: string, name: string, role = KEYVAULT_SECRETS_USER) {
  return {
    id: `${scope}/providers/Microsoft.Authorization/roleAssignments/${name}`,
    name,
    type: "Microsoft.Authorization/roleAssignments",
    properties: { roleDefinitionId: `/providers/Microsoft.Authorization/roleDefinitions/${role}`, principalId: USER_ID, principalType: "User" },
  };
}

/** The vault's subscription in contoso-prod, under contoso-platform; another subscription in contoso-sandbox. */
function groupedSeed(): FakeAzureSeed {
  const seed = baseSeed();
  return {
    ...seed,
    subscriptions: [...(seed.subscriptions ?? []), { subscriptionId: OTHER_SUBSCRIPTION }],
    managementGroups: [
      { name: "contoso-platform", displayName: "Platform" },
      { name: "contoso-prod", parent: "contoso-platform", subscriptions: [SUBSCRIPTION_ID] },
      { name: "contoso-sandbox", subscriptions: [OTHER_SUBSCRIPTION] },
    ],
    roleAssignments: [
      ...(seed.roleAssignments ?? []),
      assignment(PROD, ON_PROD),
      assignment(PLATFORM, ON_PLATFORM, READER),
      assignment(SANDBOX, ON_SANDBOX),
      assignment(ROOT, ON_ROOT, READER),
      assignment(`/subscriptions/${OTHER_SUBSCRIPTION}`, IN_OTHER_SUBSCRIPTION),
    ],
  };
}

const azure = useCheckedFakeAzure({ seed: groupedSeed() });
const client = (): AuthorizationManagementClient => new AuthorizationManagementClient(azure.credential, SUBSCRIPTION_ID, { retryOptions });

async function names(iterator: AsyncIterable<{ name?: string }>): Promise<string[]> {
  const result: string[] = [];
  for await (const item of iterator) result.push(item.name ?? "");
  return result.filter((name) => name.startsWith("ffffffff")).sort();
}

describe("role assignments at management-group scope", () => {
  it("apply to a vault through its subscription's groups up to the tenant root group, as RoleAssignments_ListForScope lists them", async () => {
    expect(await names(client().roleAssignments.listForScope(VAULT_ID))).toEqual([ON_PROD, ON_PLATFORM, ON_ROOT]);
    expect(await names(client().roleAssignments.listForScope(VAULT_ID, { filter: `atScope() and principalId eq '${USER_ID}'` }))).toEqual([
      ON_PROD,
      ON_PLATFORM,
      ON_ROOT,
    ]);
    // A group the subscription is not in, and another subscription, do not apply.
    expect(await names(client().roleAssignments.listForScope(`/subscriptions/${OTHER_SUBSCRIPTION}`))).toEqual([ON_SANDBOX, ON_ROOT, IN_OTHER_SUBSCRIPTION]);
  });

  it("a group's own listing shows its parents' assignments, and those below it unless atScope()", async () => {
    expect(await names(client().roleAssignments.listForScope(PROD, { filter: "atScope()" }))).toEqual([ON_PROD, ON_PLATFORM, ON_ROOT]);
    expect(await names(client().roleAssignments.listForScope(PLATFORM))).toEqual([ON_PROD, ON_PLATFORM, ON_ROOT]);
    expect(await names(client().roleAssignments.listForScope(SANDBOX))).toEqual([ON_SANDBOX, ON_ROOT, IN_OTHER_SUBSCRIPTION]);
  });

  it("gets, deletes and recreates an assignment at a group's scope", async () => {
    expect((await client().roleAssignments.get(PROD, ON_PROD)).scope).toBe(PROD);
    await client().roleAssignments.delete(PROD, ON_PROD);
    expect(await names(client().roleAssignments.listForScope(VAULT_ID))).toEqual([ON_PLATFORM, ON_ROOT]);
    const created = await client().roleAssignments.create(PROD, ON_PROD, {
      roleDefinitionId: `/providers/Microsoft.Authorization/roleDefinitions/${KEYVAULT_SECRETS_USER}`,
      principalId: USER_ID,
      principalType: "User",
    });
    expect(created).toMatchObject({ name: ON_PROD, scope: PROD });
    expect(await names(client().roleAssignments.listForScope(VAULT_ID))).toEqual([ON_PROD, ON_PLATFORM, ON_ROOT]);
  });

  it("keeps the groups through exportSeed", () => {
    const exported = azure.exportSeed();
    expect(exported.managementGroups).toEqual([
      { name: "contoso-platform", displayName: "Platform", subscriptions: [] },
      { name: "contoso-prod", displayName: "contoso-prod", parent: "contoso-platform", subscriptions: [SUBSCRIPTION_ID] },
      { name: "contoso-sandbox", displayName: "contoso-sandbox", subscriptions: [OTHER_SUBSCRIPTION] },
    ]);
    expect(loadSeed(exported).managementGroups).toEqual(exported.managementGroups);
  });
});

describe("management groups in a seed", () => {
  function issuesOf(seed: FakeAzureSeed): string[] {
    try {
      createFakeAzure({ seed });
    } catch (error) {
      expect(error).toBeInstanceOf(SeedValidationError);
      return (error as SeedValidationError).issues.map((issue) => `${issue.path}: ${issue.message}`);
    }
    throw new Error("expected the seed to be rejected");
  }

  it("refuses an unknown parent, a cycle and a subscription in two groups", () => {
    const seed = baseSeed();
    expect(issuesOf({ ...seed, managementGroups: [{ name: "a", parent: "missing" }] })).toEqual(["$.managementGroups[0].parent: names no management group of the seed ('missing')"]);
    expect(issuesOf({ ...seed, managementGroups: [{ name: "a", parent: "b" }, { name: "b", parent: "a" }] })).toEqual([
      "$.managementGroups[0].parent: makes a cycle through 'a'",
      "$.managementGroups[1].parent: makes a cycle through 'b'",
    ]);
    expect(issuesOf({ ...seed, managementGroups: [{ name: "a", subscriptions: [SUBSCRIPTION_ID] }, { name: "b", subscriptions: [SUBSCRIPTION_ID] }] })).toEqual([
      `$.managementGroups[1].subscriptions: subscription ${SUBSCRIPTION_ID} is already in management group 'a'`,
    ]);
  });
});
