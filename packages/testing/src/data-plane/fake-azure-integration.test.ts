import { SecretClient } from "@azure/keyvault-secrets";
import { CertificateClient, DefaultCertificatePolicy } from "@azure/keyvault-certificates";
import { afterEach, describe, expect, it } from "vitest";
import { pollOnClock } from "./data-plane-harness.js";
import { createFakeAzure, type FakeAzure, type FakeAzureSeed } from "../index.js";
import { attachDataPlaneSchemaChecks, type DataPlaneSchemaChecks } from "./data-plane-schema-checks.js";

/** The data plane as users get it: composed by `createFakeAzure`, behind the gate (calls, faults), from a seed. */

const SUBSCRIPTION = "00000000-0000-4000-8000-0000000000a1";
const seed: FakeAzureSeed = {
  vaults: [
    {
      id: `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-app/providers/Microsoft.KeyVault/vaults/kv-app`,
      name: "kv-app",
      type: "Microsoft.KeyVault/vaults",
      location: "westeurope",
      properties: {
        tenantId: "72f988bf-0000-4000-8000-00000000c0de",
        sku: { family: "A", name: "standard" },
        softDeleteRetentionInDays: 7,
        networkAcls: { defaultAction: "Deny", bypass: "AzureServices", ipRules: [{ value: "203.0.113.0/24" }] },
      },
    },
  ],
  vaultData: {
    "kv-app": {
      secrets: [{ name: "db-password", versions: [{ value: "old", attributes: { enabled: false } }, { value: "current" }] }],
      settings: { deletedObjectDelayMs: 5_000, certificateIssueDelayMs: 20_000 },
    },
  },
};

let tenant: FakeAzure | undefined;
let checks: DataPlaneSchemaChecks | undefined;
afterEach(async () => {
  expect(await checks?.results()).toEqual([]);
  expect(checks?.checked()).toBeGreaterThan(0);
  tenant?.close();
});

function start(options: Parameters<typeof createFakeAzure>[0] = {}): FakeAzure {
  tenant = createFakeAzure({ seed, ...options });
  checks = attachDataPlaneSchemaChecks(tenant.server);
  tenant.listen();
  return tenant;
}

describe("the data plane inside createFakeAzure", () => {
  it("serves seeded secrets, with the challenge visible in the call log", async () => {
    const fake = start();
    const client = new SecretClient("https://kv-app.vault.azure.net", fake.credential, { retryOptions: { maxRetries: 0 } });
    expect((await client.getSecret("db-password")).value).toBe("current");
    const versions: boolean[] = [];
    for await (const version of client.listPropertiesOfSecretVersions("db-password")) versions.push(version.enabled!);
    expect(versions).toEqual([false, true]);
    expect(fake.calls.all().map((call) => call.status)).toEqual([401, 200, 200]);
  });

  it("applies the firewall to the tenant's default caller IP", async () => {
    const fake = start();
    fake.state.network.defaultCallerIp = "192.0.2.1";
    const client = new SecretClient("https://kv-app.vault.azure.net", fake.credential, { retryOptions: { maxRetries: 0 } });
    await expect(client.getSecret("db-password")).rejects.toMatchObject({ statusCode: 403 });
  });

  it("lets SDK pollers finish on a frozen clock with autoAdvanceInMs, honouring the seeded delays", async () => {
    const fake = start({ autoAdvanceInMs: 1_000 });
    const client = new SecretClient("https://kv-app.vault.azure.net", fake.credential, { retryOptions: { maxRetries: 0 } });
    const deleted = await (await client.beginDeleteSecret("db-password", { intervalInMs: 1 })).pollUntilDone();
    expect(deleted.properties.recoveryLevel).toBe("CustomizedRecoverable+Purgeable");
    expect(fake.calls.count({ method: "GET", url: "/deletedsecrets/db-password", status: 404 })).toBeGreaterThanOrEqual(3);
    const certificates = new CertificateClient("https://kv-app.vault.azure.net", fake.credential, { retryOptions: { maxRetries: 0 } });
    const certificate = await (
      await certificates.beginCreateCertificate("tls", DefaultCertificatePolicy, { intervalInMs: 1 })
    ).pollUntilDone();
    expect(certificate.cer?.length).toBeGreaterThan(100);
  });

  it("lets faults from the gate hit data-plane requests", async () => {
    const fake = start();
    fake.faults.inject({
      method: "GET",
      url: "https://kv-app.vault.azure.net/secrets/*",
      status: 503,
      headers: { "retry-after-ms": "1" },
      times: 1,
    });
    const client = new SecretClient("https://kv-app.vault.azure.net", fake.credential, {
      retryOptions: { maxRetries: 3, retryDelayInMs: 1, maxRetryDelayInMs: 10 },
    });
    expect((await client.getSecret("db-password")).value).toBe("current");
    expect(fake.calls.all().map((call) => call.status)).toContain(503);
  });

  it("exports what the data plane wrote back to the seed format", async () => {
    const fake = start();
    const client = new SecretClient("https://kv-app.vault.azure.net", fake.credential, { retryOptions: { maxRetries: 0 } });
    await client.setSecret("db-password", "rotated");
    const exported = fake.exportSeed();
    const secret = exported.vaultData?.["kv-app"]?.secrets?.find((candidate) => candidate.name === "db-password");
    expect(secret?.versions.map((version) => version.value)).toEqual(["old", "current", "rotated"]);
  });

  it("enforces access policies from a seed that turns enforceDataAccess on", async () => {
    const vault = seed.vaults![0]!;
    const fake = start({
      seed: {
        ...seed,
        vaults: [{ ...vault, properties: { ...vault.properties, networkAcls: undefined, accessPolicies: [] } }],
        vaultData: { "kv-app": { ...seed.vaultData!["kv-app"], settings: { enforceDataAccess: true } } },
      },
    });
    const client = new SecretClient("https://kv-app.vault.azure.net", fake.credential, { retryOptions: { maxRetries: 0 } });
    await expect(client.getSecret("db-password")).rejects.toMatchObject({ statusCode: 403 });
    fake.state.vaults.get(vault.id)!.resource.properties.accessPolicies = [
      { tenantId: fake.state.tenantId, objectId: fake.context.identity().objectId, permissions: { secrets: ["get"] } },
    ];
    expect((await client.getSecret("db-password")).value).toBe("current");
  });

  it("gives a seeded certificate without a policy a self-signed policy, so it can be renewed from it", async () => {
    const fake = start({
      seed: {
        ...seed,
        vaultData: { "kv-app": { ...seed.vaultData!["kv-app"], settings: {}, certificates: [{ name: "legacy", versions: [{}] }] } },
      },
    });
    const certificates = new CertificateClient("https://kv-app.vault.azure.net", fake.credential, { retryOptions: { maxRetries: 0 } });
    const policy = await certificates.getCertificatePolicy("legacy");
    expect(policy.subject).toBe("CN=legacy");
    expect(policy.issuerName).toBe("Self");
    const renewed = await pollOnClock(await certificates.beginCreateCertificate("legacy", policy, { intervalInMs: 1 }), fake.clock);
    const versions: string[] = [];
    for await (const item of certificates.listPropertiesOfCertificateVersions("legacy")) versions.push(item.version!);
    expect(versions).toHaveLength(2);
    expect(versions).toContain(renewed.properties.version);
  });
});
