import { describe, expect, it } from "vitest";
import { createFakeAzure, loadSeed, SeedValidationError } from "../src/index.js";
import { KEY_VAULT_API_VERSIONS } from "../src/data-plane/api-versions.js";
import { baseSeed, VAULT_NAME } from "./fixtures/base-seed.js";
import { fetchWithToken } from "./fixtures/sdk-options.js";

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
