import { SecretClient } from "@azure/keyvault-secrets";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createDataPlaneHarness } from "./data-plane-harness.js";
import { restErrorOf } from "./rest-error-of.js";

const harness = createDataPlaneHarness();
const retryOptions = { maxRetries: 0 };

beforeAll(() => harness.server.listen({ onUnhandledRequest: "error" }));
afterEach(async () => expect(await harness.schemaCheckResults()).toEqual([]));
afterAll(() => {
  expect(harness.checkedBodies()).toBeGreaterThan(0);
  harness.server.close();
});

let vaultCount = 0;
function newVault(properties: Parameters<typeof harness.addVault>[1] = {}, settings: Parameters<typeof harness.addVault>[2] = {}) {
  vaultCount += 1;
  const name = `kv-secrets-${vaultCount}`;
  const vault = harness.addVault(name, properties, settings);
  const client = new SecretClient(harness.vaultUrl(name), harness.credential, { retryOptions });
  return { name, vault, client };
}

describe("secrets through the real SecretClient", () => {
  it("sets a new version on each set and reads the latest and a given version", async () => {
    const { client } = newVault();
    const first = await client.setSecret("db-password", "one", { contentType: "text/plain", tags: { owner: "app" } });
    harness.clock.advance(1_000);
    const second = await client.setSecret("db-password", "two");
    expect(first.properties.version).toMatch(/^[0-9a-f]{32}$/u);
    expect(second.properties.version).not.toBe(first.properties.version);
    expect((await client.getSecret("db-password")).value).toBe("two");
    const old = await client.getSecret("db-password", { version: first.properties.version! });
    expect(old.value).toBe("one");
    expect(old.properties.contentType).toBe("text/plain");
    expect(old.properties.tags).toEqual({ owner: "app" });
    expect(old.properties.recoveryLevel).toBe("Recoverable+Purgeable");
    expect(old.properties.recoverableDays).toBe(90);
    expect(old.properties.createdOn?.getTime()).toBe(harness.clock.now() - 1_000);
  });

  it("answers 404 SecretNotFound for a missing secret and version", async () => {
    const { client } = newVault();
    const missing = await restErrorOf(client.getSecret("nope"));
    expect(missing.statusCode).toBe(404);
    expect(missing.code).toBe("SecretNotFound");
    expect(missing.message).toContain("A secret with (name/id) nope was not found in this key vault.");
    await client.setSecret("there", "v");
    const wrongVersion = await restErrorOf(client.getSecret("there", { version: "0123456789abcdef0123456789abcdef" }));
    expect(wrongVersion.statusCode).toBe(404);
  });

  it("treats names case-insensitively and keeps the casing they were created with", async () => {
    const { client } = newVault();
    await client.setSecret("Api-Key", "v1");
    const read = await client.getSecret("api-key");
    expect(read.name).toBe("Api-Key");
    expect(read.value).toBe("v1");
  });

  it("lists secrets and versions page by page", async () => {
    const { client } = newVault();
    for (let i = 0; i < 30; i += 1) await client.setSecret(`s${String(i).padStart(2, "0")}`, "v");
    for (let i = 0; i < 3; i += 1) await client.setSecret("rotated", `v${i}`);
    const names: string[] = [];
    for await (const properties of client.listPropertiesOfSecrets()) names.push(properties.name);
    expect(names).toHaveLength(31);
    expect(names[0]).toBe("rotated");
    const pageSizes: number[] = [];
    for await (const page of client.listPropertiesOfSecrets().byPage({ maxPageSize: 25 })) pageSizes.push(page.length);
    expect(pageSizes).toEqual([25, 6]);
    const versions: string[] = [];
    for await (const page of client.listPropertiesOfSecretVersions("rotated").byPage({ maxPageSize: 2 })) {
      versions.push(...page.map((item) => item.version!));
    }
    expect(versions).toHaveLength(3);
    expect(new Set(versions).size).toBe(3);
  });

  it("updates attributes of one version and refuses to read a disabled version with 403 SecretDisabled", async () => {
    const { client } = newVault();
    const first = await client.setSecret("token", "old");
    await client.setSecret("token", "new");
    const updated = await client.updateSecretProperties("token", first.properties.version!, {
      enabled: false,
      contentType: "application/json",
      tags: { state: "revoked" },
      expiresOn: new Date("2027-01-01T00:00:00Z"),
      notBefore: new Date("2026-01-01T00:00:00Z"),
    });
    expect(updated.enabled).toBe(false);
    expect(updated.tags).toEqual({ state: "revoked" });
    expect(updated.expiresOn?.toISOString()).toBe("2027-01-01T00:00:00.000Z");
    const refused = await restErrorOf(client.getSecret("token", { version: first.properties.version! }));
    expect(refused.statusCode).toBe(403);
    expect(refused.code).toBe("Forbidden");
    expect(refused.message).toBe("Operation get is not allowed on a disabled secret.");
    expect((await client.getSecret("token")).value).toBe("new");
    const versions: boolean[] = [];
    for await (const item of client.listPropertiesOfSecretVersions("token")) versions.push(item.enabled!);
    expect(versions.sort()).toEqual([false, true]);
  });

  it("soft deletes: the deleted secret is readable only after the configured delay on the fake clock", async () => {
    const { client } = newVault({ softDeleteRetentionInDays: 7 }, { deletedObjectDelayMs: 5_000 });
    await client.setSecret("gone", "v");
    const poller = await client.beginDeleteSecret("gone", { intervalInMs: 1 });
    await poller.poll();
    await poller.poll();
    expect(poller.isDone()).toBe(false);
    expect((await restErrorOf(client.getDeletedSecret("gone"))).statusCode).toBe(404);
    expect((await restErrorOf(client.getSecret("gone"))).statusCode).toBe(404);
    const beingDeleted = await restErrorOf(client.setSecret("gone", "again"));
    expect(beingDeleted.statusCode).toBe(409);
    harness.clock.advance(5_000);
    const deleted = await harness.untilDone(poller);
    expect(deleted.properties.recoveryId).toBe(`${harness.vaultUrl(client.vaultUrl.split("//")[1]!.split(".")[0]!)}/deletedsecrets/gone`);
    expect(deleted.properties.recoveryLevel).toBe("CustomizedRecoverable+Purgeable");
    expect(deleted.properties.recoverableDays).toBe(7);
    expect(deleted.properties.scheduledPurgeDate!.getTime() - deleted.properties.deletedOn!.getTime()).toBe(7 * 86_400_000);
    const listed: string[] = [];
    for await (const item of client.listDeletedSecrets()) listed.push(item.name);
    expect(listed).toEqual(["gone"]);
  });

  it("answers 409 ObjectIsDeletedButRecoverable on reusing a deleted name, then recovers it after the delay", async () => {
    const { client } = newVault({}, { recoveredObjectDelayMs: 6_000 });
    await client.setSecret("reuse", "v1");
    await harness.untilDone(await client.beginDeleteSecret("reuse", { intervalInMs: 1 }));
    const conflict = await restErrorOf(client.setSecret("reuse", "v2"));
    expect(conflict.statusCode).toBe(409);
    expect(conflict.code).toBe("Conflict");
    expect(conflict.message).toBe(
      "Secret reuse is currently in a deleted but recoverable state, and its name cannot be reused; in this state, the secret can only be recovered or purged."
    );
    const poller = await client.beginRecoverDeletedSecret("reuse", { intervalInMs: 1 });
    await poller.poll();
    expect(poller.isDone()).toBe(false);
    expect((await restErrorOf(client.getSecret("reuse"))).statusCode).toBe(404);
    harness.clock.advance(6_000);
    const recovered = await harness.untilDone(poller);
    expect(recovered.name).toBe("reuse");
    expect((await client.getSecret("reuse")).value).toBe("v1");
  });

  it("purges a deleted secret with 204, and refuses under purge protection with the service's 403", async () => {
    const open = newVault();
    await open.client.setSecret("p", "v");
    await harness.untilDone(await open.client.beginDeleteSecret("p", { intervalInMs: 1 }));
    await open.client.purgeDeletedSecret("p");
    expect((await restErrorOf(open.client.getDeletedSecret("p"))).statusCode).toBe(404);
    // The purge is in progress for the vault's purgeDelayMs (3 s by default): the name is still taken.
    expect((await restErrorOf(open.client.setSecret("p", "fresh"))).statusCode).toBe(409);
    harness.clock.advance(3_000);
    await open.client.setSecret("p", "fresh");

    const locked = newVault({ enablePurgeProtection: true });
    await locked.client.setSecret("p", "v");
    const deleted = await harness.untilDone(await locked.client.beginDeleteSecret("p", { intervalInMs: 1 }));
    expect(deleted.properties.recoveryLevel).toBe("Recoverable");
    const refused = await restErrorOf(locked.client.purgeDeletedSecret("p"));
    expect(refused.statusCode).toBe(403);
    expect(refused.message).toContain('Operation "purge" is not allowed because purge protection is enabled for this vault.');
    expect(refused.message).toContain(`Vault: ${locked.name};location=westeurope`);
  });

  it("purges deleted secrets on its own once scheduledPurgeDate passes", async () => {
    const { client } = newVault({ softDeleteRetentionInDays: 7 });
    await client.setSecret("old", "v");
    await harness.untilDone(await client.beginDeleteSecret("old", { intervalInMs: 1 }));
    harness.clock.advance(7 * 86_400_000);
    expect((await restErrorOf(client.getDeletedSecret("old"))).statusCode).toBe(404);
    await client.setSecret("old", "reused");
  });

  it("deletes for good on a vault without soft delete", async () => {
    const { client } = newVault({ enableSoftDelete: false });
    await client.setSecret("x", "v");
    const deleted = await harness.untilDone(await client.beginDeleteSecret("x", { intervalInMs: 1 }));
    expect(deleted.properties.recoveryId).toBeUndefined();
    expect((await restErrorOf(client.getDeletedSecret("x"))).statusCode).toBe(404);
    await client.setSecret("x", "again");
  });

  it("rejects invalid names and bodies with 400 BadParameter", async () => {
    const { client } = newVault();
    const badName = await restErrorOf(client.setSecret("bad_name", "v"));
    expect(badName.statusCode).toBe(400);
    expect(badName.code).toBe("BadParameter");
  });

  it("backs up every version into an opaque blob and restores it after the name is purged", async () => {
    const { client, vault } = newVault();
    const first = await client.setSecret("backed-up", "v1");
    await client.setSecret("backed-up", "v2");
    const blob = await client.backupSecret("backed-up");
    expect(Buffer.from(blob!).toString("utf8")).not.toContain("v1");
    const taken = await restErrorOf(client.restoreSecretBackup(blob!));
    expect(taken.statusCode).toBe(409);
    await harness.untilDone(await client.beginDeleteSecret("backed-up", { intervalInMs: 1 }));
    expect((await restErrorOf(client.restoreSecretBackup(blob!))).statusCode).toBe(409);
    await client.purgeDeletedSecret("backed-up");
    expect((await restErrorOf(client.restoreSecretBackup(blob!))).statusCode).toBe(409);
    harness.clock.advance(3_000);
    const restored = await client.restoreSecretBackup(blob!);
    expect(restored.name).toBe("backed-up");
    expect((await client.getSecret("backed-up", { version: first.properties.version! })).value).toBe("v1");
    expect(vault.secrets.get("backed-up")?.versions).toHaveLength(2);

    const elsewhere = harness.addVault("kv-other-sub", {});
    elsewhere.resource.id = elsewhere.resource.id.replace(/subscriptions\/[^/]+/u, "subscriptions/11111111-1111-4111-8111-111111111111");
    const other = new SecretClient(harness.vaultUrl("kv-other-sub"), harness.credential, { retryOptions });
    expect((await restErrorOf(other.restoreSecretBackup(blob!))).statusCode).toBe(400);
  });
});
