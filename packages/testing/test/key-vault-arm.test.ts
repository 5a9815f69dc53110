import { KeyVaultManagementClient } from "@azure/arm-keyvault";
import { describe, expect, it } from "vitest";
import { useCheckedFakeAzure } from "./support/checked-fake-azure.js";
import { APP_SP_ID, baseSeed, RESOURCE_GROUP, SUBSCRIPTION_ID, TENANT_ID, USER_ID, VAULT_ID, VAULT_NAME } from "./fixtures/base-seed.js";
import { collect } from "./fixtures/collect.js";
import { retryOptions } from "./fixtures/sdk-options.js";

const azure = useCheckedFakeAzure({ seed: baseSeed() });
const client = (): KeyVaultManagementClient => new KeyVaultManagementClient(azure.credential, SUBSCRIPTION_ID, { retryOptions });

const all = collect;

describe("Microsoft.KeyVault vaults through arm-keyvault 5", () => {
  it("gets a vault with api-version 2026-02-01, normalised network rules and no etag", async () => {
    const vault = await client().vaults.get(RESOURCE_GROUP, VAULT_NAME);
    expect(azure.calls.last()?.url).toContain("api-version=2026-02-01");
    expect(vault.properties.vaultUri).toBe(`https://${VAULT_NAME}.vault.azure.net/`);
    expect(vault.properties.networkAcls?.ipRules).toEqual([{ value: "198.51.100.7/32" }]);
    expect(vault).not.toHaveProperty("etag");
  });

  it("lists vaults by subscription, by resource group and through the generic resources list", async () => {
    expect((await all(client().vaults.listBySubscription())).map((v) => v.name)).toEqual([VAULT_NAME]);
    expect((await all(client().vaults.listByResourceGroup(RESOURCE_GROUP))).map((v) => v.name)).toEqual([VAULT_NAME]);
    expect((await all(client().vaults.list())).map((v) => v.id)).toEqual([VAULT_ID]);
  });

  it("PATCH replaces the arrays it sends and keeps what it does not send", async () => {
    const updated = await client().vaults.update(RESOURCE_GROUP, VAULT_NAME, {
      properties: {
        accessPolicies: [{ tenantId: TENANT_ID, objectId: "99999999-0000-4000-8000-000000000009", permissions: { secrets: ["get"] } }],
        networkAcls: {
          defaultAction: "Deny",
          ipRules: [{ value: "203.0.113.5" }],
          virtualNetworkRules: [
            { id: "/subscriptions/X/resourceGroups/RG/providers/Microsoft.Network/virtualNetworks/VNet/subnets/Default" },
          ],
        },
      },
    });
    expect(updated.properties.accessPolicies?.map((p) => p.objectId)).toEqual(["99999999-0000-4000-8000-000000000009"]);
    expect(updated.properties.networkAcls).toMatchObject({
      defaultAction: "Deny",
      bypass: "AzureServices",
      ipRules: [{ value: "203.0.113.5/32" }],
      virtualNetworkRules: [{ id: "/subscriptions/x/resourcegroups/rg/providers/microsoft.network/virtualnetworks/vnet/subnets/default" }],
    });
    expect(updated.tags).toEqual({ env: "prod" });
    expect(updated.properties.enableSoftDelete).toBe(true);
  });

  it("refuses to turn soft delete or purge protection off", async () => {
    await client().vaults.update(RESOURCE_GROUP, VAULT_NAME, { properties: { enablePurgeProtection: true } });
    await expect(
      client().vaults.update(RESOURCE_GROUP, VAULT_NAME, { properties: { enablePurgeProtection: false } })
    ).rejects.toMatchObject({ statusCode: 400 });
    await expect(client().vaults.update(RESOURCE_GROUP, VAULT_NAME, { properties: { enableSoftDelete: false } })).rejects.toMatchObject({
      statusCode: 400,
    });
  });

  it("creates a vault as a long-running operation, RBAC by default under 2026-02-01", async () => {
    const poller = client().vaults.createOrUpdate(
      RESOURCE_GROUP,
      "kv-new-01",
      {
        location: "westeurope",
        properties: {
          tenantId: TENANT_ID,
          sku: { family: "A", name: "standard" },
          networkAcls: { defaultAction: "Deny", bypass: "None", ipRules: [{ value: "192.0.2.1" }] },
        },
      },
      { updateIntervalInMs: 1 }
    );
    const vault = await poller.pollUntilDone();
    expect(vault.properties.provisioningState).toBe("Succeeded");
    expect(vault.properties.enableRbacAuthorization).toBe(true);
    expect(vault.properties.networkAcls?.ipRules).toEqual([{ value: "192.0.2.1/32" }]);
    expect(azure.calls.filter({ url: "/operationResults/" }).map((c) => c.status)).toEqual([200, 200]);
    expect(
      azure.state.vaults.get(
        `/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/${RESOURCE_GROUP}/providers/Microsoft.KeyVault/vaults/kv-new-01`
      )
    ).toBeDefined();
  });

  it("refuses a vault name that is taken elsewhere", async () => {
    azure.state.resourceGroups.set(`/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/other`, {
      id: `/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/other`,
      name: "other",
      location: "westeurope",
    });
    const poller = client().vaults.createOrUpdate(
      "other",
      VAULT_NAME,
      { location: "westeurope", properties: { tenantId: TENANT_ID, sku: { family: "A", name: "standard" } } },
      { updateIntervalInMs: 1 }
    );
    await expect(poller.pollUntilDone()).rejects.toMatchObject({ statusCode: 409, code: "VaultAlreadyExists" });
  });

  describe("accessPolicies/{add|replace|remove}", () => {
    const policies = async () => (await client().vaults.get(RESOURCE_GROUP, VAULT_NAME)).properties.accessPolicies ?? [];

    it("add merges permissions case-insensitively and creates missing entries", async () => {
      await client().vaults.updateAccessPolicy(RESOURCE_GROUP, VAULT_NAME, "add", {
        properties: { accessPolicies: [{ tenantId: TENANT_ID, objectId: USER_ID, permissions: { secrets: ["get", "set"] } }] },
      });
      expect((await policies()).find((p) => p.objectId === USER_ID)?.permissions.secrets).toEqual(["Get", "List", "set"]);
    });

    it("remove matches permission names case-sensitively: a casing mismatch answers 200 and changes nothing", async () => {
      const result = await client().vaults.updateAccessPolicy(RESOURCE_GROUP, VAULT_NAME, "remove", {
        properties: {
          accessPolicies: [{ tenantId: TENANT_ID, objectId: USER_ID, permissions: { secrets: ["get", "list"], keys: ["get"] } }],
        },
      });
      expect(azure.calls.last()?.status).toBe(200);
      expect(result.properties.accessPolicies).toHaveLength(1);
      expect((await policies()).find((p) => p.objectId === USER_ID)?.permissions).toEqual({ secrets: ["Get", "List"], keys: ["Get"] });
    });

    it("remove with the exact entry takes the permissions away and an empty entry disappears", async () => {
      await client().vaults.updateAccessPolicy(RESOURCE_GROUP, VAULT_NAME, "remove", {
        properties: { accessPolicies: [{ tenantId: TENANT_ID, objectId: USER_ID, permissions: { secrets: ["List"] } }] },
      });
      expect((await policies()).find((p) => p.objectId === USER_ID)?.permissions.secrets).toEqual(["Get"]);
      await client().vaults.updateAccessPolicy(RESOURCE_GROUP, VAULT_NAME, "remove", {
        properties: { accessPolicies: [{ tenantId: TENANT_ID, objectId: USER_ID, permissions: { secrets: ["Get"], keys: ["Get"] } }] },
      });
      expect((await policies()).map((p) => p.objectId)).toEqual([APP_SP_ID]);
    });

    it("replace sets exactly the permissions sent", async () => {
      await client().vaults.updateAccessPolicy(RESOURCE_GROUP, VAULT_NAME, "replace", {
        properties: { accessPolicies: [{ tenantId: TENANT_ID, objectId: APP_SP_ID, permissions: { secrets: ["get"] } }] },
      });
      expect((await policies()).find((p) => p.objectId === APP_SP_ID)?.permissions).toEqual({ secrets: ["get"] });
    });

    it("rejects unknown permission values", async () => {
      await expect(
        client().vaults.updateAccessPolicy(RESOURCE_GROUP, VAULT_NAME, "add", {
          properties: { accessPolicies: [{ tenantId: TENANT_ID, objectId: USER_ID, permissions: { secrets: ["steal"] } }] },
        })
      ).rejects.toMatchObject({ statusCode: 400 });
    });
  });

  it("answers 404 for an unknown vault and for an unknown resource group", async () => {
    await expect(client().vaults.get(RESOURCE_GROUP, "kv-missing")).rejects.toMatchObject({ statusCode: 404, code: "ResourceNotFound" });
    await expect(client().vaults.get("rg-missing", VAULT_NAME)).rejects.toMatchObject({ statusCode: 404, code: "ResourceGroupNotFound" });
  });

  describe("soft-deleted vaults", () => {
    const create = (name: string, createMode?: "recover") =>
      client()
        .vaults.createOrUpdate(RESOURCE_GROUP, name, { location: "westeurope", properties: { tenantId: TENANT_ID, sku: { family: "A", name: "standard" }, ...(createMode ? { createMode } : {}) } }, { updateIntervalInMs: 1 })
        .pollUntilDone();

    it("DELETE keeps the vault and its data recoverable and reserves the name", async () => {
      await client().vaults.delete(RESOURCE_GROUP, VAULT_NAME);
      await expect(client().vaults.get(RESOURCE_GROUP, VAULT_NAME)).rejects.toMatchObject({ statusCode: 404 });
      const deleted = await client().vaults.getDeleted(VAULT_NAME, "westeurope");
      expect(deleted.properties).toMatchObject({ vaultId: VAULT_ID, location: "westeurope", purgeProtectionEnabled: false });
      expect(deleted.properties?.scheduledPurgeDate?.toISOString()).toBe("2026-04-15T12:00:00.000Z");
      expect((await all(client().vaults.listDeleted())).map((d) => d.name)).toEqual([VAULT_NAME]);
      await expect(create(VAULT_NAME)).rejects.toMatchObject({ statusCode: 409, code: "ConflictError" });

      const recovered = await create(VAULT_NAME, "recover");
      expect(recovered.properties.accessPolicies).toHaveLength(2);
      expect(azure.state.vaults.get(VAULT_ID)?.secrets.get("db-password")?.versions[0]?.value).toBe("fake-db-password-1");
    });

    it("purges a deleted vault, unless purge protection is on", async () => {
      await client().vaults.delete(RESOURCE_GROUP, VAULT_NAME);
      const exported = azure.exportSeed();
      expect(exported.deletedVaults?.[0]?.vaultData?.secrets?.[0]?.name).toBe("db-password");
      await client().vaults.purgeDeleted(VAULT_NAME, "westeurope", { updateIntervalInMs: 1 }).pollUntilDone();
      expect(azure.state.deletedVaults.size).toBe(0);

      azure.reset(exported);
      azure.state.deletedVaults.get(VAULT_NAME)!.vault.resource.properties.enablePurgeProtection = true;
      await expect(client().vaults.purgeDeleted(VAULT_NAME, "westeurope", { updateIntervalInMs: 1 }).pollUntilDone()).rejects.toMatchObject({ statusCode: 409 });
      azure.reset(baseSeed());
    });
  });
});
