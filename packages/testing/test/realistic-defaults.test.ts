import { KeyVaultManagementClient } from "@azure/arm-keyvault";
import { CertificateClient, DefaultCertificatePolicy } from "@azure/keyvault-certificates";
import { SecretClient } from "@azure/keyvault-secrets";
import { afterEach, describe, expect, it } from "vitest";
import { restErrorOf } from "../src/data-plane/rest-error-of.js";
import {
  createFakeAzure,
  DEFAULT_RESOURCE_GROUP,
  DEFAULT_SUBSCRIPTION_ID,
  DEFAULT_VAULT_DATA_PLANE_SETTINGS,
  type FakeAzure,
} from "../src/index.js";
import { APP_SP_ID, baseSeed, USER_ID, VAULT_NAME } from "./fixtures/base-seed.js";

/**
 * Issue 14, item 2: the fake is as slow to settle as Azure by default (on its own clock, so tests stay instant and
 * deterministic), a `strict` profile adds data-plane access checks, and an unseeded tenant has somewhere to put
 * resources.
 */

const retryOptions = { maxRetries: 0 };
const VAULT_URL = `https://${VAULT_NAME}.vault.azure.net`;
let tenant: FakeAzure | undefined;
afterEach(() => tenant?.close());

function start(options: Parameters<typeof createFakeAzure>[0] = {}): FakeAzure {
  tenant = createFakeAzure({ seed: baseSeed(), ...options });
  tenant.listen();
  return tenant;
}

async function deletedNames(client: SecretClient): Promise<string[]> {
  const names: string[] = [];
  for await (const item of client.listDeletedSecrets()) names.push(item.name);
  return names;
}

describe("eventual consistency, on by default", () => {
  it("has Azure's observed delays as the default vault settings", () => {
    expect(DEFAULT_VAULT_DATA_PLANE_SETTINGS).toEqual({
      deletedObjectDelayMs: 5_000,
      recoveredObjectDelayMs: 6_000,
      certificateIssueDelayMs: 10_000,
      purgeDelayMs: 3_000,
    });
    const fake = start();
    expect([...fake.state.vaults.values()][0]?.settings).toMatchObject(DEFAULT_VAULT_DATA_PLANE_SETTINGS);
  });

  it("delete -> not yet listed as deleted -> listed after the delay; purge -> 409 on set until it completes", async () => {
    const fake = start();
    const secrets = new SecretClient(VAULT_URL, fake.credential, { retryOptions });
    await secrets.setSecret("timeline", "v1");

    await secrets.beginDeleteSecret("timeline", { intervalInMs: 1 }).catch(() => undefined);
    expect((await restErrorOf(secrets.getSecret("timeline"))).statusCode).toBe(404);
    expect(await deletedNames(secrets)).not.toContain("timeline");
    expect((await restErrorOf(secrets.getDeletedSecret("timeline"))).statusCode).toBe(404);
    const beingDeleted = await restErrorOf(secrets.setSecret("timeline", "v2"));
    expect(beingDeleted.statusCode).toBe(409);

    fake.clock.advance(4_999);
    expect(await deletedNames(secrets)).not.toContain("timeline");
    fake.clock.advance(1);
    expect(await deletedNames(secrets)).toContain("timeline");
    expect((await secrets.getDeletedSecret("timeline")).name).toBe("timeline");

    await secrets.purgeDeletedSecret("timeline");
    expect(await deletedNames(secrets)).not.toContain("timeline");
    fake.clock.advance(2_999);
    expect((await restErrorOf(secrets.setSecret("timeline", "v2"))).statusCode).toBe(409);
    fake.clock.advance(1);
    expect((await secrets.setSecret("timeline", "v2")).value).toBe("v2");
  });

  it("recovers after recoveredObjectDelayMs and issues certificates after certificateIssueDelayMs", async () => {
    const fake = start();
    const secrets = new SecretClient(VAULT_URL, fake.credential, { retryOptions });
    await secrets.setSecret("back", "v1");
    await secrets.beginDeleteSecret("back").catch(() => undefined);
    fake.clock.advance(5_000);
    await secrets.beginRecoverDeletedSecret("back").catch(() => undefined);
    expect((await restErrorOf(secrets.getSecret("back"))).statusCode).toBe(404);
    fake.clock.advance(6_000);
    expect((await secrets.getSecret("back")).value).toBe("v1");

    const certificates = new CertificateClient(VAULT_URL, fake.credential, { retryOptions });
    const poller = await certificates.beginCreateCertificate("tls", DefaultCertificatePolicy, { intervalInMs: 1 });
    await poller.poll();
    expect(poller.isDone()).toBe(false);
    fake.clock.advance(10_000);
    await poller.poll();
    expect(poller.isDone()).toBe(true);
  });

  it("keeps a seed's own settings, zero included", async () => {
    const seed = baseSeed();
    seed.vaultData![VAULT_NAME]!.settings = { deletedObjectDelayMs: 0 };
    const fake = start({ seed });
    const secrets = new SecretClient(VAULT_URL, fake.credential, { retryOptions });
    await secrets.setSecret("instant", "v");
    await secrets.beginDeleteSecret("instant").catch(() => undefined);
    expect((await secrets.getDeletedSecret("instant")).name).toBe("instant");
    expect([...fake.state.vaults.values()][0]?.settings.recoveredObjectDelayMs).toBe(6_000);
  });
});

describe("the strict profile", () => {
  it("checks data-plane access on every vault: the access policy decides", async () => {
    const realistic = start({ identity: { objectId: USER_ID } });
    const read = new SecretClient(VAULT_URL, realistic.credential, { retryOptions });
    expect((await read.setSecret("unlisted", "v")).value).toBe("v"); // realistic: no access checks
    realistic.close();

    const strict = start({ profile: "strict", identity: { objectId: USER_ID } });
    const secrets = new SecretClient(VAULT_URL, strict.credential, { retryOptions });
    expect((await secrets.getSecret("db-password")).value).toBe("fake-db-password-1"); // Get is granted
    const refused = await restErrorOf(secrets.setSecret("db-password", "overwritten")); // Set is not
    expect(refused.statusCode).toBe(403);
    expect(refused.message).toContain("does not have secrets set permission");
    strict.setIdentity({ objectId: APP_SP_ID }); // applies to tokens issued from now on: a new client
    const app = new SecretClient(VAULT_URL, strict.credential, { retryOptions });
    expect((await app.setSecret("db-password", "rotated")).value).toBe("rotated");
  });

  it("keeps the documented throttling: turning it off is refused with the option to change", () => {
    expect(() => createFakeAzure({ profile: "strict", throttling: false })).toThrow(expect.objectContaining({ code: "KW_TESTING_E0005" }));
    expect(() => createFakeAzure({ profile: "lenient" as never })).toThrow(expect.objectContaining({ code: "KW_TESTING_E0005" }));
  });
});

describe("an unseeded tenant", () => {
  it("has a default subscription and resource group, so a first ARM call works", async () => {
    tenant = createFakeAzure();
    tenant.listen();
    expect(tenant.state.subscriptions.has(DEFAULT_SUBSCRIPTION_ID)).toBe(true);
    const keyVault = new KeyVaultManagementClient(tenant.credential, DEFAULT_SUBSCRIPTION_ID, { retryOptions });
    const vaults: unknown[] = [];
    for await (const vault of keyVault.vaults.listBySubscription()) vaults.push(vault);
    expect(vaults).toEqual([]);
    for await (const vault of keyVault.vaults.listByResourceGroup(DEFAULT_RESOURCE_GROUP)) vaults.push(vault);
    expect(vaults).toEqual([]);
  });
});
