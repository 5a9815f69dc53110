import { SecretClient } from "@azure/keyvault-secrets";
import { setupServer } from "msw/node";
import { describe, expect, it } from "vitest";
import { createFakeAzure, loadSeed, SeedValidationError, type FakeAzureSeed } from "../src/index.js";
import { baseSeed, VAULT_ID, VAULT_NAME } from "./fixtures/base-seed.js";
import { retryOptions } from "./fixtures/sdk-options.js";

function issuesOf(seed: unknown): string[] {
  try {
    loadSeed(seed);
  } catch (error) {
    expect(error).toBeInstanceOf(SeedValidationError);
    expect(error).toMatchObject({ code: "KW_TESTING_E0001", name: "SeedValidationError" });
    return (error as SeedValidationError).issues.map((issue) => `${issue.path}: ${issue.message}`);
  }
  throw new Error("expected the seed to be rejected");
}

describe("loadSeed", () => {
  it("accepts the base seed and JSON text", () => {
    expect(loadSeed(baseSeed()).vaults).toHaveLength(1);
    expect(loadSeed(JSON.stringify(baseSeed())).tenantId).toBe(baseSeed().tenantId);
  });

  it("names the JSON path and what was expected", () => {
    // Deliberately break a valid seed in place.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const seed = baseSeed() as Record<string, any>;
    delete seed["vaults"][0].properties.sku;
    seed["alerts"][1].properties.status = "Open";
    seed["vaults"][0].properties.softDeleteRetentionInDays = 3;
    expect(issuesOf(seed)).toEqual(
      expect.arrayContaining([
        "$.vaults[0].properties: is missing the required property 'sku'",
        `$.alerts[1].properties.status: must be one of "Active", "InProgress", "Resolved", "Dismissed"`,
        "$.vaults[0].properties.softDeleteRetentionInDays: must be >= 7",
      ]),
    );
  });

  it("rejects unknown top-level properties, bad versions and bad JSON", () => {
    expect(issuesOf({ vault: [] })).toEqual(["$: has an unknown property 'vault' (not part of the seed format)"]);
    expect(issuesOf({ vaultData: { x: { secrets: [{ name: "s", versions: [{ version: "ABC", value: "v" }] }] } } })[0]).toMatch(
      /^\$\.vaultData\.x\.secrets\[0\]\.versions\[0\]\.version: must match the pattern/u,
    );
    expect(issuesOf("{not json")[0]).toMatch(/^\$: is not valid JSON/u);
  });

  it("rejects suppression rules mixing 'in' and 'contains' or using a bad reason", () => {
    const seed = baseSeed();
    seed.suppressionRules = [
      {
        id: "/subscriptions/0f907ea4-bc8b-4c11-9d7e-805c2fd144fb/providers/Microsoft.Security/alertsSuppressionRules/r1",
        name: "r1",
        type: "Microsoft.Security/alertsSuppressionRules",
        properties: { alertType: "*", reason: "Because", state: "Enabled", suppressionAlertsScope: { allOf: [{ field: "entities.ip.address", in: ["1.2.3.4"], contains: "1.2" }] } },
      },
    ];
    const issues = issuesOf(seed);
    expect(issues.some((i) => i.startsWith("$.suppressionRules[0].properties.reason"))).toBe(true);
    expect(issues.some((i) => i.startsWith("$.suppressionRules[0].properties.suppressionAlertsScope.allOf[0]"))).toBe(true);
  });

  it("reports cross-references a schema cannot check", () => {
    const seed = baseSeed();
    seed.vaultData = { "kv-nowhere": { secrets: [{ name: "s", versions: [{ value: "fake" }] }] } };
    expect(() => createFakeAzure({ seed })).toThrow(/\$\.vaultData\["kv-nowhere"\]: names no vault/u);
  });

  it("applies Key Vault's normalisations to seeded vaults", () => {
    const tenant = createFakeAzure({ seed: baseSeed() });
    expect(tenant.state.vaults.get(VAULT_ID.toUpperCase())?.resource.properties.networkAcls?.ipRules).toEqual([{ value: "198.51.100.7/32" }]);
  });
});

describe("exportSeed", () => {
  it("round-trips a tenant changed through the SDK, including versions and soft-deleted objects", async () => {
    const server = setupServer();
    const tenant = createFakeAzure({ seed: baseSeed(), server, autoAdvanceInMs: 1000 });
    server.listen({ onUnhandledRequest: "error" });
    tenant.listen();
    try {
      const client = new SecretClient(`https://${VAULT_NAME}.vault.azure.net`, tenant.credential, { retryOptions });
      await client.setSecret("db-password", "fake-db-password-2");
      await client.setSecret("api-key", "fake-api-key-1");
      const poller = await client.beginDeleteSecret("api-key", { intervalInMs: 1 });
      await poller.pollUntilDone();
    } finally {
      tenant.close();
      server.close();
    }
    const exported: FakeAzureSeed = tenant.exportSeed();
    expect(() => loadSeed(exported)).not.toThrow();
    const data = exported.vaultData?.[VAULT_NAME];
    expect(data?.secrets?.find((s) => s.name === "db-password")?.versions.map((v) => v.value)).toEqual(["fake-db-password-1", "fake-db-password-2"]);
    expect(data?.deletedSecrets?.map((s) => s.name).sort()).toEqual(["api-key", "old-token"]);

    const copy = createFakeAzure({ seed: exported });
    expect(copy.exportSeed()).toEqual(exported);
    expect(copy.clock.iso()).toBe(tenant.clock.iso());
    const vault = copy.state.vaults.get(VAULT_ID);
    expect(vault?.deletedSecrets.get("API-KEY")?.object.versions[0]?.value).toBe("fake-api-key-1");
    expect(vault?.secrets.get("db-password")?.versions[1]?.attributes).toEqual(tenant.state.vaults.get(VAULT_ID)?.secrets.get("db-password")?.versions[1]?.attributes);
  });

  it("leaves built-in role definitions out", () => {
    const exported = createFakeAzure({ seed: baseSeed() }).exportSeed();
    expect(exported.roleDefinitions).toEqual([]);
    expect(exported.directory?.roleDefinitions).toEqual([]);
  });
});

describe("credential", () => {
  it("issues tokens for the requested resource and tenant, as the identity configured", async () => {
    const tenant = createFakeAzure({ seed: baseSeed(), identity: { objectId: "12121212-0000-4000-8000-000000000000", type: "user", userPrincipalName: "responder@contoso.example" } });
    const token = await tenant.credential.getToken("https://vault.azure.net/.default");
    const claims = JSON.parse(Buffer.from(token!.token.split(".")[1]!, "base64url").toString("utf8"));
    expect(claims).toMatchObject({ aud: "https://vault.azure.net", tid: baseSeed().tenantId, oid: "12121212-0000-4000-8000-000000000000", upn: "responder@contoso.example" });
    expect(token!.expiresOnTimestamp).toBeGreaterThan(Date.now());
  });
});

describe("ids after a restore", () => {
  it("a tenant restored from exportSeed() does not hand out versions it already holds", async () => {
    const first = createFakeAzure({ seed: baseSeed() });
    first.listen();
    const client = () => new SecretClient(`https://${VAULT_NAME}.vault.azure.net`, first.credential, { retryOptions });
    try {
      await client().setSecret("rotating", "fake-v1");
    } finally {
      first.close();
    }
    const second = createFakeAzure({ seed: first.exportSeed() });
    second.listen();
    try {
      await new SecretClient(`https://${VAULT_NAME}.vault.azure.net`, second.credential, { retryOptions }).setSecret("rotating", "fake-v2");
    } finally {
      second.close();
    }
    const versions = second.state.vaults.get(VAULT_ID)!.secrets.get("rotating")!.versions.map((v) => v.version);
    expect(versions).toHaveLength(2);
    expect(new Set(versions).size).toBe(2);
  });

  it("the same seed gives the same ids", () => {
    const a = createFakeAzure({ seed: baseSeed() }).exportSeed();
    const b = createFakeAzure({ seed: baseSeed() }).exportSeed();
    expect(a).toEqual(b);
  });
});
