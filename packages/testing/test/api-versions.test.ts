import { describe, expect, it } from "vitest";
import { createFakeAzure, loadSeed, SeedValidationError } from "../src/index.js";
import { KEY_VAULT_API_VERSIONS } from "../src/data-plane/api-versions.js";
import { KeyVaultManagementClient } from "@azure/arm-keyvault";
import { SecretClient } from "@azure/keyvault-secrets";
import seedSchemaJson from "../schema/seed.schema.json" with { type: "json" };
import { providerResourceType } from "../src/arm/arm-api-version.js";
import { baseSeed, RESOURCE_GROUP, SUBSCRIPTION_ID, VAULT_NAME } from "./fixtures/base-seed.js";
import { fetchWithToken, retryOptions } from "./fixtures/sdk-options.js";

/** Issue 14, item 3 and "Bad input": api-versions the data plane serves, and seeds refused at load with the path. */

describe("Key Vault data-plane api-versions", () => {
  it("serves every version of the data-plane specs, stable and preview (recordings use 7.5-preview.1 and 7.6-preview.2)", async () => {
    expect(KEY_VAULT_API_VERSIONS).toEqual([
      "2015-06-01",
      "2016-10-01",
      "7.0-preview",
      "7.0",
      "7.1-preview",
      "7.1",
      "7.2-preview",
      "7.2",
      "7.3-preview",
      "7.3",
      "7.4-preview.1",
      "7.4",
      "7.5-preview.1",
      "7.5",
      "7.6-preview.1",
      "7.6-preview.2",
      "7.6",
      "2025-06-01-preview",
      "2025-07-01",
      "2026-01-01-preview",
    ]);
    const tenant = createFakeAzure({ seed: baseSeed() });
    tenant.listen();
    try {
      for (const version of KEY_VAULT_API_VERSIONS) {
        const response = await fetchWithToken(tenant.credential, "https://vault.azure.net/.default", `https://${VAULT_NAME}.vault.azure.net/secrets/db-password?api-version=${version}`);
        expect(response.status, version).toBe(200);
      }
    } finally {
      tenant.close();
    }
  });

  // Reported (Azure/azure-sdk-for-python#28595): "(BadParameter) The specified version (7.3) is not recognized.
  // Consider using the latest supported version (7.1)." from a vault that does not know 7.3.
  it("answers an unknown api-version with the service's 400 BadParameter naming the latest version", async () => {
    const tenant = createFakeAzure({ seed: baseSeed() });
    tenant.listen();
    try {
      const response = await fetchWithToken(tenant.credential, "https://vault.azure.net/.default", `https://${VAULT_NAME}.vault.azure.net/secrets/db-password?api-version=7.9`);
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({
        error: { code: "BadParameter", message: "The specified version (7.9) is not recognized. Consider using the latest supported version (2025-07-01)." },
      });
    } finally {
      tenant.close();
    }
  });
});

describe("ARM api-versions", () => {
  const ARM = "https://management.azure.com";
  const scope = "https://management.azure.com/.default";

  // Reported: Azure/azure-rest-api-specs#11929 ("No registered resource provider found for location 'uksouth' and API
  // version '2020-04-01-preview' for type 'vaults/secrets'. The supported api-versions are '2014-12-19-preview, ...'")
  // and Azure/azure-cli#27239 ("InvalidApiVersionParameter", "The api-version '2023-02-01' is invalid. The supported
  // versions are '2023-07-01,2023-07-01-preview,...'").
  it("answers a provider type's unknown version with NoRegisteredProviderFound and ARM's own with InvalidApiVersionParameter", async () => {
    const tenant = createFakeAzure({ seed: baseSeed() });
    tenant.listen();
    try {
      const vault = `${ARM}/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/${RESOURCE_GROUP}/providers/Microsoft.KeyVault/vaults/${VAULT_NAME}`;
      const refused = await fetchWithToken(tenant.credential, scope, `${vault}?api-version=2099-01-01`);
      expect(refused.status).toBe(400);
      const body = (await refused.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe("NoRegisteredProviderFound");
      expect(body.error.message).toMatch(
        /^No registered resource provider found for location 'westeurope' and API version '2099-01-01' for type 'vaults'\. The supported api-versions are '2019-09-01, .*2026-02-01'\.$/u
      );
      const policies = await fetchWithToken(tenant.credential, scope, `${vault}/accessPolicies/add?api-version=2099-01-01`, { method: "PUT", body: "{}" });
      expect(((await policies.json()) as { error: { message: string } }).error.message).toContain("for type 'vaults/accessPolicies'");
      const alerts = await fetchWithToken(tenant.credential, scope, `${ARM}/subscriptions/${SUBSCRIPTION_ID}/providers/Microsoft.Security/alerts?api-version=2099-01-01`);
      expect(((await alerts.json()) as { error: { message: string } }).error.message).toContain("for location 'global' and API version '2099-01-01' for type 'alerts'");

      const subscriptions = await fetchWithToken(tenant.credential, scope, `${ARM}/subscriptions?api-version=2099-01-01`);
      expect(subscriptions.status).toBe(400);
      expect(await subscriptions.json()).toEqual({
        error: {
          code: "InvalidApiVersionParameter",
          message: "The api-version '2099-01-01' is invalid. The supported versions are '2016-06-01,2020-01-01,2021-01-01,2022-12-01'.",
        },
      });

      // The SDK client, pinned to a version the fake does not serve, gets the same error as a RestError.
      const pinned = new KeyVaultManagementClient(tenant.credential, SUBSCRIPTION_ID, { apiVersion: "2099-01-01", retryOptions });
      await expect(pinned.vaults.get(RESOURCE_GROUP, VAULT_NAME)).rejects.toMatchObject({ statusCode: 400, code: "NoRegisteredProviderFound" });
      const current = new KeyVaultManagementClient(tenant.credential, SUBSCRIPTION_ID, { retryOptions });
      expect((await current.vaults.get(RESOURCE_GROUP, VAULT_NAME)).name).toBe(VAULT_NAME);
    } finally {
      tenant.close();
    }
  });

  it("reads the resource type ARM names from a path", () => {
    expect(providerResourceType("/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/v")).toBe("vaults");
    expect(providerResourceType("/subscriptions/s/providers/Microsoft.Security/locations/westeurope/alerts/a")).toBe("locations/alerts");
    expect(providerResourceType("/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/v/providers/Microsoft.Insights/diagnosticSettings/d")).toBe(
      "diagnosticSettings"
    );
    expect(providerResourceType("/subscriptions/s/resourcegroups/rg")).toBeUndefined();
    expect(providerResourceType("/subscriptions/s/providers")).toBeUndefined();
  });
});

describe("a vault of a cloud that lags behind (settings.latestApiVersion)", () => {
  // Reported from Azure Stack Hub (Azure/azure-sdk-for-python#28595) and a sovereign cloud (Azure/azure-sdk-for-net#14789):
  // "(BadParameter) The specified version (7.3) is not recognized. Consider using the latest supported version (7.1)."
  it("refuses a newer version with the service's 400 naming the vault's latest, and serves the older ones", async () => {
    const seed = baseSeed();
    seed.vaultData![VAULT_NAME]!.settings = { latestApiVersion: "7.1" };
    const tenant = createFakeAzure({ seed });
    tenant.listen();
    try {
      const url = `https://${VAULT_NAME}.vault.azure.net`;
      const current = new SecretClient(url, tenant.credential, { retryOptions });
      await expect(current.getSecret("db-password")).rejects.toMatchObject({
        statusCode: 400,
        code: "BadParameter",
        message: "The specified version (2025-07-01) is not recognized. Consider using the latest supported version (7.1).",
      });
      const pinned = new SecretClient(url, tenant.credential, { retryOptions, serviceVersion: "7.1" });
      expect((await pinned.getSecret("db-password")).name).toBe("db-password");
      const older = await fetchWithToken(tenant.credential, "https://vault.azure.net/.default", `${url}/secrets/db-password?api-version=7.0`);
      expect(older.status).toBe(200);
    } finally {
      tenant.close();
    }
  });

  it("is one of the served versions: the seed schema lists exactly KEY_VAULT_API_VERSIONS, and another value is refused at load", () => {
    const settings = (seedSchemaJson as { definitions: Record<string, { properties?: Record<string, { properties?: Record<string, { enum?: string[] }> }> }> })
      .definitions;
    const declared = Object.values(settings)
      .map((definition) => definition.properties?.["settings"]?.properties?.["latestApiVersion"]?.enum)
      .find((values) => values !== undefined);
    expect(declared).toEqual([...KEY_VAULT_API_VERSIONS]);
    const seed = baseSeed();
    seed.vaultData![VAULT_NAME]!.settings = { latestApiVersion: "7.9" };
    expect(() => loadSeed(seed)).toThrow(SeedValidationError);
    expect(() => loadSeed(seed)).toThrow(`$.vaultData["${VAULT_NAME}"].settings.latestApiVersion`);
  });
});

describe("seeds refused at load, with the path", () => {
  it("refuses an impossible delay (negative, or more than a day)", () => {
    for (const delay of [-1, 86_400_001]) {
      const seed = baseSeed();
      seed.vaultData![VAULT_NAME]!.settings = { purgeDelayMs: delay };
      const error = (() => {
        try {
          loadSeed(seed);
        } catch (caught) {
          return caught;
        }
        return undefined;
      })();
      expect(error).toBeInstanceOf(SeedValidationError);
      expect((error as SeedValidationError).issues.map((issue) => issue.path)).toContain(`$.vaultData["${VAULT_NAME}"].settings.purgeDelayMs`);
    }
  });

  it("refuses a duplicate object name", () => {
    const seed = baseSeed();
    const data = seed.vaultData![VAULT_NAME]!;
    data.secrets = [...(data.secrets ?? []), { name: "DB-PASSWORD", versions: [{ value: "x" }] }];
    expect(() => createFakeAzure({ seed })).toThrow(SeedValidationError);
    expect(() => createFakeAzure({ seed })).toThrow(`$.vaultData["${VAULT_NAME}"].secrets[1].name`);
  });
});
