import { constants, createHash, createPrivateKey, createPublicKey, sign as cryptoSign, verify as cryptoVerify } from "node:crypto";
import { CryptographyClient, KeyClient } from "@azure/keyvault-keys";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_IDENTITY } from "../auth/fake-identity.js";
import { createDataPlaneHarness } from "./data-plane-harness.js";
import { restErrorOf } from "./rest-error-of.js";

const harness = createDataPlaneHarness();
const retryOptions = { maxRetries: 0 };

beforeAll(() => harness.server.listen({ onUnhandledRequest: "error" }));
afterEach(async () => expect(await harness.schemaCheckResults()).toEqual([]));
afterAll(() => harness.server.close());

let vaultCount = 0;
function newVault(settings: Parameters<typeof harness.addVault>[2] = {}) {
  vaultCount += 1;
  const name = `kv-sign-${vaultCount}`;
  const vault = harness.addVault(name, {}, settings);
  return { name, vault, keys: new KeyClient(harness.vaultUrl(name), harness.credential, { retryOptions }) };
}

/** Access policies that let the caller sign and verify with keys, not read them: the SDK then asks the service. */
function signOnly(vault: ReturnType<typeof newVault>["vault"], keys: string[]): void {
  vault.resource.properties.accessPolicies = [{ tenantId: harness.ctx.state.tenantId, objectId: DEFAULT_IDENTITY.objectId, permissions: { keys } }];
}

const digestOf = (text: string, hash = "sha256") => createHash(hash).update(text).digest();

describe("sign and verify through the real CryptographyClient", () => {
  it.each([
    ["RS256", "sha256", constants.RSA_PKCS1_PADDING],
    ["RS512", "sha512", constants.RSA_PKCS1_PADDING],
    ["PS256", "sha256", constants.RSA_PKCS1_PSS_PADDING],
    ["PS384", "sha384", constants.RSA_PKCS1_PSS_PADDING],
  ] as const)("%s: the signature verifies with the public key the vault serves, and a changed digest does not", async (algorithm, hash, padding) => {
    const { keys } = newVault();
    const key = await keys.createRsaKey("plan-signing", { keySize: 2048, keyOps: ["sign", "verify"] });
    const crypto = new CryptographyClient(key.id!, harness.credential, { retryOptions });
    const digest = digestOf("the plan", hash);
    const signed = await crypto.sign(algorithm, digest);
    expect(signed.keyID).toBe(key.id);
    // Independent check: node:crypto verifies the signature over the original data with the served public key.
    const publicKey = createPublicKey({ key: { kty: "RSA", n: Buffer.from(key.key!.n!).toString("base64url"), e: Buffer.from(key.key!.e!).toString("base64url") }, format: "jwk" });
    expect(cryptoVerify(hash, Buffer.from("the plan"), { key: publicKey, padding, saltLength: digest.length }, signed.result)).toBe(true);
    expect((await crypto.verify(algorithm, digest, signed.result)).result).toBe(true);
    expect((await crypto.verify(algorithm, digestOf("an edited plan", hash), signed.result)).result).toBe(false);
    // PSS is randomised; PKCS #1 v1.5 is deterministic.
    const again = await crypto.sign(algorithm, digest);
    expect(Buffer.from(again.result).equals(Buffer.from(signed.result))).toBe(algorithm.startsWith("RS"));
  });

  it.each([
    ["ES256", "P-256", "sha256", 64],
    ["ES384", "P-384", "sha384", 96],
    ["ES512", "P-521", "sha512", 132],
    ["ES256K", "P-256K", "sha256", 64],
  ] as const)("%s on an EC %s key: the raw r||s signature verifies with node:crypto and the served public key, and the other way round", async (algorithm, curve, hash, length) => {
    const { vault, keys } = newVault();
    const key = await keys.createEcKey("plan-signing", { curve, keyOps: ["sign", "verify"] });
    expect(key.key?.crv).toBe(curve);
    const crypto = new CryptographyClient(key.id!, harness.credential, { retryOptions });
    const digest = digestOf("the plan", hash);
    const signed = await crypto.sign(algorithm, digest);
    expect(signed.keyID).toBe(key.id);
    // Key Vault's format: r and s, each as long as the curve order, concatenated (not DER).
    expect(signed.result).toHaveLength(length);
    const publicKey = createPublicKey({
      key: { kty: "EC", crv: curve === "P-256K" ? "secp256k1" : curve, x: Buffer.from(key.key!.x!).toString("base64url"), y: Buffer.from(key.key!.y!).toString("base64url") },
      format: "jwk",
    });
    expect(cryptoVerify(hash, Buffer.from("the plan"), { key: publicKey, dsaEncoding: "ieee-p1363" }, signed.result)).toBe(true);
    expect(cryptoVerify(hash, Buffer.from("an edited plan"), { key: publicKey, dsaEncoding: "ieee-p1363" }, signed.result)).toBe(false);
    expect((await crypto.verify(algorithm, digest, signed.result)).result).toBe(true);
    expect((await crypto.verify(algorithm, digestOf("an edited plan", hash), signed.result)).result).toBe(false);
    // ECDSA is randomised: a second signature differs and verifies too.
    const again = await crypto.sign(algorithm, digest);
    expect(Buffer.from(again.result).equals(Buffer.from(signed.result))).toBe(false);
    expect((await crypto.verify(algorithm, digest, again.result)).result).toBe(true);
    // The service verifies a signature node:crypto made with the same private key (the fake's, read from its state).
    const version = vault.keys.get("plan-signing")?.versions.at(-1);
    const nodeSignature = cryptoSign(hash, Buffer.from("the plan"), { key: createPrivateKey(version!.privateKeyPem!), dsaEncoding: "ieee-p1363" });
    expect((await crypto.verify(algorithm, digest, nodeSignature)).result).toBe(true);
    const tampered = Buffer.from(nodeSignature);
    tampered[tampered.length - 1] = (tampered.at(-1) ?? 0) ^ 1;
    expect((await crypto.verify(algorithm, digest, tampered)).result).toBe(false);
    expect((await crypto.verify(algorithm, digest, nodeSignature.subarray(1))).result).toBe(false);
  });

  it("a rotated key signs with its new version", async () => {
    const { keys } = newVault();
    await keys.createRsaKey("rotating", { keyOps: ["sign", "verify"] });
    const rotated = await keys.rotateKey("rotating");
    const crypto = new CryptographyClient(rotated.id!, harness.credential, { retryOptions });
    const signed = await crypto.sign("PS256", digestOf("x"));
    expect((await crypto.verify("PS256", digestOf("x"), signed.result)).result).toBe(true);
  });

  it("refuses sign on a key whose key_ops leave it out (403 KeyOperationForbidden), and on a disabled key (403 KeyDisabled)", async () => {
    // Without keys/get the SDK cannot check key_ops itself (it falls back to the service, as it does in Azure).
    const { keys, vault } = newVault({ enforceDataAccess: true });
    signOnly(vault, ["all"]);
    const wrapOnly = await keys.createRsaKey("wrap-only", { keyOps: ["wrapKey", "unwrapKey"] });
    const signing = await keys.createRsaKey("disabled", { keyOps: ["sign", "verify"] });
    await keys.updateKeyProperties("disabled", signing.properties.version!, { enabled: false });
    signOnly(vault, ["sign", "verify"]);
    const refused = await restErrorOf(new CryptographyClient(wrapOnly.id!, harness.credential, { retryOptions }).sign("PS256", digestOf("x")));
    expect(refused.statusCode).toBe(403);
    expect(refused.code).toBe("Forbidden");
    expect(refused.message).toContain("Operation sign is not permitted on this key.");
    expect(JSON.stringify(refused.details)).toContain("KeyOperationForbidden");

    const disabled = await restErrorOf(new CryptographyClient(signing.id!, harness.credential, { retryOptions }).sign("PS256", digestOf("x")));
    expect(disabled.statusCode).toBe(403);
    expect(JSON.stringify(disabled.details)).toContain("KeyDisabled");
  });

  it("refuses sign without the keys/sign permission (403 ForbiddenByPolicy)", async () => {
    const { keys, vault } = newVault({ enforceDataAccess: true });
    signOnly(vault, ["all"]);
    const key = await keys.createRsaKey("k", { keyOps: ["sign", "verify"] });
    signOnly(vault, ["get", "verify"]);
    const refused = await restErrorOf(new CryptographyClient(key.id!, harness.credential, { retryOptions }).sign("PS256", digestOf("x")));
    expect(refused.statusCode).toBe(403);
    expect(refused.message).toContain("does not have keys sign permission");
  });

  it("refuses a digest of the wrong length and an algorithm that does not fit the key (400 BadParameter)", async () => {
    const { keys } = newVault();
    const key = await keys.createRsaKey("k", { keyOps: ["sign"] });
    const crypto = new CryptographyClient(key.id!, harness.credential, { retryOptions });
    const short = await restErrorOf(crypto.sign("RS256", Buffer.alloc(20)));
    expect([short.statusCode, short.code]).toEqual([400, "BadParameter"]);
    const ec = await restErrorOf(crypto.sign("ES256", digestOf("x")));
    expect([ec.statusCode, ec.code]).toEqual([400, "BadParameter"]);
  });

  it("refuses an ECDSA algorithm for another curve, and an RSA algorithm on an EC key (400 BadParameter)", async () => {
    const { keys } = newVault();
    const key = await keys.createEcKey("ec384", { curve: "P-384", keyOps: ["sign", "verify"] });
    const crypto = new CryptographyClient(key.id!, harness.credential, { retryOptions });
    const wrongCurve = await restErrorOf(crypto.sign("ES256", digestOf("x")));
    expect([wrongCurve.statusCode, wrongCurve.code]).toEqual([400, "BadParameter"]);
    expect(wrongCurve.message).toContain("curve P-384");
    const rsa = await restErrorOf(crypto.sign("PS384", digestOf("x", "sha384")));
    expect([rsa.statusCode, rsa.code]).toEqual([400, "BadParameter"]);
    const short = await restErrorOf(crypto.sign("ES384", digestOf("x", "sha256")));
    expect([short.statusCode, short.code]).toEqual([400, "BadParameter"]);
  });
});
