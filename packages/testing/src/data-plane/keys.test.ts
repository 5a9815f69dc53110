import { createPublicKey } from "node:crypto";
import { KeyClient } from "@azure/keyvault-keys";
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
  const name = `kv-keys-${vaultCount}`;
  const vault = harness.addVault(name, properties, settings);
  return { name, vault, client: new KeyClient(harness.vaultUrl(name), harness.credential, { retryOptions }) };
}

describe("keys through the real KeyClient", () => {
  it("creates RSA and EC keys with real public material and reads them by version", async () => {
    const { client } = newVault();
    const rsa = await client.createRsaKey("signing", { keySize: 2048, tags: { app: "api" } });
    expect(rsa.keyType).toBe("RSA");
    expect(rsa.key?.n).toHaveLength(256);
    expect(rsa.keyOperations).toEqual(["encrypt", "decrypt", "sign", "verify", "wrapKey", "unwrapKey"]);
    const ec = await client.createEcKey("ec", { curve: "P-384", keyOps: ["sign", "verify"] });
    expect(ec.key?.crv).toBe("P-384");
    expect(ec.key?.x).toHaveLength(48);
    const publicKey = createPublicKey({
      key: { kty: "EC", crv: "P-384", x: Buffer.from(ec.key!.x!).toString("base64url"), y: Buffer.from(ec.key!.y!).toString("base64url") },
      format: "jwk",
    });
    expect(publicKey.asymmetricKeyDetails?.namedCurve).toBe("secp384r1");
    const byVersion = await client.getKey("signing", { version: rsa.properties.version! });
    expect(byVersion.id).toBe(rsa.id);
    expect(byVersion.properties.tags).toEqual({ app: "api" });
  });

  it("refuses HSM keys on a standard vault and accepts them on a premium one", async () => {
    const standard = newVault();
    const refused = await restErrorOf(standard.client.createKey("hsm", "RSA-HSM"));
    expect(refused.statusCode).toBe(400);
    expect(refused.code).toBe("BadParameter");
    const premium = newVault({ sku: { family: "A", name: "premium" } });
    expect((await premium.client.createKey("hsm", "RSA-HSM")).keyType).toBe("RSA-HSM");
  });

  it("lists keys and versions, updates a version and refuses to read a disabled version", async () => {
    const { client } = newVault();
    const first = await client.createEcKey("k1");
    await client.createEcKey("k1");
    await client.createEcKey("k2");
    const names: string[] = [];
    for await (const key of client.listPropertiesOfKeys()) names.push(key.name);
    expect(names).toEqual(["k1", "k2"]);
    const versions: string[] = [];
    for await (const page of client.listPropertiesOfKeyVersions("k1").byPage({ maxPageSize: 1 }))
      versions.push(...page.map((p) => p.version!));
    expect(versions).toHaveLength(2);
    const updated = await client.updateKeyProperties("k1", first.properties.version!, { enabled: false, tags: { state: "revoked" } });
    expect(updated.properties.enabled).toBe(false);
    const refused = await restErrorOf(client.getKey("k1", { version: first.properties.version! }));
    expect(refused.statusCode).toBe(403);
    expect(refused.message).toBe("Operation get is not allowed on a disabled key.");
  });

  it("rotates a key into a new version with exp from the rotation policy, and keeps the policy with its Notify action", async () => {
    const { client } = newVault();
    const original = await client.createEcKey("rotating", { curve: "P-256" });
    const defaultPolicy = await client.getKeyRotationPolicy("rotating");
    expect(defaultPolicy.lifetimeActions).toEqual([{ action: "Notify", timeBeforeExpiry: "P30D" }]);
    const policy = await client.updateKeyRotationPolicy("rotating", {
      lifetimeActions: [{ action: "Rotate", timeAfterCreate: "P30D" }],
      expiresIn: "P90D",
    });
    expect(policy.lifetimeActions).toEqual([
      { action: "Rotate", timeAfterCreate: "P30D" },
      { action: "Notify", timeBeforeExpiry: "P30D" },
    ]);
    expect(policy.expiresIn).toBe("P90D");
    expect((await client.getKeyRotationPolicy("rotating")).expiresIn).toBe("P90D");
    const rotated = await client.rotateKey("rotating");
    expect(rotated.properties.version).not.toBe(original.properties.version);
    expect(rotated.key?.crv).toBe("P-256");
    expect(rotated.properties.expiresOn!.getTime() - harness.clock.now()).toBe(90 * 86_400_000);
    expect((await client.getKey("rotating")).id).toBe(rotated.id);
    const tooShort = await restErrorOf(client.updateKeyRotationPolicy("rotating", { expiresIn: "P7D" }));
    expect(tooShort.statusCode).toBe(400);
  });

  it("soft deletes, recovers and purges keys with the vault's delays and purge protection", async () => {
    const { client } = newVault({ softDeleteRetentionInDays: 30 }, { deletedObjectDelayMs: 2_000, recoveredObjectDelayMs: 3_000 });
    await client.createEcKey("doomed");
    const deleting = await client.beginDeleteKey("doomed", { intervalInMs: 1 });
    await deleting.poll();
    expect(deleting.isDone()).toBe(false);
    harness.clock.advance(2_000);
    const deleted = await harness.untilDone(deleting);
    expect(deleted.properties.recoveryLevel).toBe("CustomizedRecoverable+Purgeable");
    expect(deleted.properties.recoveryId).toContain("/deletedkeys/doomed");
    const conflict = await restErrorOf(client.createEcKey("doomed"));
    expect(conflict.statusCode).toBe(409);
    const listed: string[] = [];
    for await (const key of client.listDeletedKeys()) listed.push(key.name);
    expect(listed).toEqual(["doomed"]);
    const recovering = await client.beginRecoverDeletedKey("doomed", { intervalInMs: 1 });
    harness.clock.advance(3_000);
    expect((await harness.untilDone(recovering)).name).toBe("doomed");
    await (await client.beginDeleteKey("doomed", { intervalInMs: 1 })).poll();
    harness.clock.advance(2_000);
    await client.purgeDeletedKey("doomed");
    expect((await restErrorOf(client.getDeletedKey("doomed"))).statusCode).toBe(404);

    const locked = newVault({ enablePurgeProtection: true });
    await locked.client.createEcKey("kept");
    await harness.untilDone(await locked.client.beginDeleteKey("kept", { intervalInMs: 1 }));
    expect((await restErrorOf(locked.client.purgeDeletedKey("kept"))).statusCode).toBe(403);
  });

  it("backs up and restores a key with all its versions", async () => {
    const { client } = newVault({ enableSoftDelete: false });
    const original = await client.createEcKey("kb");
    await client.rotateKey("kb");
    const blob = await client.backupKey("kb");
    await harness.untilDone(await client.beginDeleteKey("kb", { intervalInMs: 1 }));
    const restored = await client.restoreKeyBackup(blob!);
    expect(restored.name).toBe("kb");
    expect((await client.getKey("kb", { version: original.properties.version! })).key?.x).toEqual(original.key?.x);
  });
});
