import { constants, createHash, createPrivateKey, createPublicKey, privateDecrypt, privateEncrypt, publicDecrypt, publicEncrypt, randomBytes, timingSafeEqual, type KeyObject as CryptoKey } from "node:crypto";
import type { KeyObject, KeyVersion } from "../state/data-plane-types.js";
import { badParameter, objectDisabled, objectNotFound } from "./key-vault-errors.js";
import { fail, ok, readJsonObject, type DataPlaneCall } from "./data-plane-call.js";
import { signEcdsaDigest, verifyEcdsaDigest } from "./ecdsa-digest.js";
import { isEc, isRsa } from "./key-material.js";
import { keyId, keyStore } from "./key-operations.js";
import { requireLive } from "./soft-delete-operations.js";
import type { KeyVaultErrorSpec } from "./key-vault-response.js";

/**
 * `POST /keys/{name}/{version}/sign` and `/verify` (7.5 keys.json): the caller sends a digest (base64url) and an
 * algorithm; the service signs the digest with the version's private key, which never leaves the vault. The fake keeps
 * the private key of every key it created or rotated (and of a seeded version that carries `privateKeyPem`), so a
 * signature verifies with the public JWK it serves, as the service's does.
 *
 * RSA algorithms are served (RS256/384/512: RSASSA-PKCS1-v1_5; PS256/384/512: RSASSA-PSS, MGF1 with the same hash,
 * salt as long as the hash), and ECDSA on EC keys of the algorithm's curve (ES256: P-256, ES384: P-384, ES512: P-521,
 * ES256K: P-256K), with the signature as Key Vault returns it: raw `r || s` (what `node:crypto` calls
 * `dsaEncoding: "ieee-p1363"`), not DER.
 */

type Hash = "sha256" | "sha384" | "sha512";
type Algorithm = { type: "rsa"; hash: Hash; pss: boolean } | { type: "ec"; hash: Hash; curve: string };

const ALGORITHMS: ReadonlyMap<string, Algorithm> = new Map<string, Algorithm>([
  ["RS256", { type: "rsa", hash: "sha256", pss: false }],
  ["RS384", { type: "rsa", hash: "sha384", pss: false }],
  ["RS512", { type: "rsa", hash: "sha512", pss: false }],
  ["PS256", { type: "rsa", hash: "sha256", pss: true }],
  ["PS384", { type: "rsa", hash: "sha384", pss: true }],
  ["PS512", { type: "rsa", hash: "sha512", pss: true }],
  ["ES256", { type: "ec", hash: "sha256", curve: "P-256" }],
  ["ES384", { type: "ec", hash: "sha384", curve: "P-384" }],
  ["ES512", { type: "ec", hash: "sha512", curve: "P-521" }],
  ["ES256K", { type: "ec", hash: "sha256", curve: "P-256K" }],
]);
const SPEC_ALGORITHMS = new Set(["PS256", "PS384", "PS512", "RS256", "RS384", "RS512", "RSNULL", "ES256", "ES384", "ES512", "ES256K"]);
const HASH_LENGTH = { sha256: 32, sha384: 48, sha512: 64 } as const;
/** DER DigestInfo prefixes (RFC 8017 section 9.2, note 1). */
const DIGEST_INFO = {
  sha256: Buffer.from("3031300d060960864801650304020105000420", "hex"),
  sha384: Buffer.from("3041300d060960864801650304020205000430", "hex"),
  sha512: Buffer.from("3051300d060960864801650304020305000440", "hex"),
} as const;

/** 403 `KeyOperationForbidden`, as the service answers an operation the key's `key_ops` leave out (azure-sdk-for-net Key Vault TROUBLESHOOTING.md). */
function operationForbidden(operation: string): KeyVaultErrorSpec {
  return { status: 403, code: "Forbidden", message: `Operation ${operation} is not permitted on this key.`, innerCode: "KeyOperationForbidden" };
}

/** The fake's 501 for what it does not model (never a made-up 200). */
function unsupported(request: string, why: string): KeyVaultErrorSpec {
  return {
    status: 501,
    code: "FakeAzureUnsupportedRequest",
    message: `The fake Key Vault does not model ${request}: ${why}. See the "Key Vault data plane" section of the @keywarden/testing README.`,
  };
}

function findVersion(call: DataPlaneCall, key: KeyObject, version: string): KeyVersion {
  const found = key.versions.find((candidate) => candidate.version.toLowerCase() === version.toLowerCase());
  if (found === undefined) fail(objectNotFound("key", `${key.name}/${version}`));
  if (call.nowSeconds < (found.attributes.nbf ?? -Infinity) || call.nowSeconds > (found.attributes.exp ?? Infinity)) {
    fail({ status: 403, code: "Forbidden", message: `Operation is not allowed on an expired or not yet valid key.`, innerCode: "KeyNotYetValidOrExpired" });
  }
  return found;
}

function readBase64Url(value: unknown, field: string): Buffer {
  if (typeof value !== "string" || !/^[A-Za-z0-9_-]*={0,2}$/.test(value)) fail(badParameter(`Property ${field} must be a base64url string.`));
  return Buffer.from(value, "base64url");
}

interface Prepared {
  key: KeyObject;
  version: KeyVersion;
  algorithm: Algorithm;
  body: Record<string, unknown>;
}

async function prepare(call: DataPlaneCall, name: string, versionName: string, operation: "sign" | "verify"): Promise<Prepared> {
  const key = requireLive(call, keyStore(call), name);
  const version = findVersion(call, key, versionName);
  if (!version.attributes.enabled) fail(objectDisabled("key", operation));
  const body = await readJsonObject(call);
  const alg = body["alg"];
  if (typeof alg !== "string" || !SPEC_ALGORITHMS.has(alg)) {
    fail(badParameter(`Property alg must be one of ${[...SPEC_ALGORITHMS].join(", ")}.`));
  }
  const ops = version.key.key_ops;
  if (ops !== undefined && !ops.some((op) => op.toLowerCase() === operation)) fail(operationForbidden(operation));
  const algorithm = ALGORITHMS.get(alg);
  const fits =
    algorithm !== undefined &&
    (algorithm.type === "rsa" ? isRsa(version.key.kty) : isEc(version.key.kty) && version.key.crv === algorithm.curve);
  if (!fits) {
    const curve = typeof version.key.crv === "string" ? ` (curve ${version.key.crv})` : "";
    fail(badParameter(`Algorithm ${alg} does not match the key type ${version.key.kty}${curve}.`));
  }
  return { key, version, algorithm, body };
}

function digestOf(body: Record<string, unknown>, field: string, hash: Hash): Buffer {
  const digest = readBase64Url(body[field], field);
  if (digest.length !== HASH_LENGTH[hash]) fail(badParameter(`The digest must be ${HASH_LENGTH[hash]} bytes for this algorithm; got ${digest.length}.`));
  return digest;
}

/** MGF1 (RFC 8017 appendix B.2.1). */
function mgf1(seed: Buffer, length: number, hash: string): Buffer {
  const blocks: Buffer[] = [];
  for (let counter = 0; blocks.length * HASH_LENGTH[hash as keyof typeof HASH_LENGTH] < length; counter += 1) {
    const c = Buffer.alloc(4);
    c.writeUInt32BE(counter);
    blocks.push(createHash(hash).update(seed).update(c).digest());
  }
  return Buffer.concat(blocks).subarray(0, length);
}

const modulusBytes = (publicKey: CryptoKey): number => Buffer.from(publicKey.export({ format: "jwk" }).n ?? "", "base64url").length;
const modulusBits = (publicKey: CryptoKey): number => {
  const n = Buffer.from(publicKey.export({ format: "jwk" }).n ?? "", "base64url");
  return (n.length - 1) * 8 + (n[0] ?? 0).toString(2).length;
};

/** EMSA-PSS-ENCODE (RFC 8017 section 9.1.1) of a digest, salt as long as the hash. */
function pssEncode(digest: Buffer, hash: keyof typeof HASH_LENGTH, emBits: number): Buffer {
  const hLen = HASH_LENGTH[hash];
  const emLen = Math.ceil(emBits / 8);
  const salt = randomBytes(hLen);
  const h = createHash(hash).update(Buffer.alloc(8)).update(digest).update(salt).digest();
  const db = Buffer.concat([Buffer.alloc(emLen - 2 * hLen - 2), Buffer.from([1]), salt]);
  const masked = mgf1(h, db.length, hash).map((byte, index) => byte ^ (db[index] ?? 0));
  masked[0] = (masked[0] ?? 0) & (0xff >> (8 * emLen - emBits));
  return Buffer.concat([masked, h, Buffer.from([0xbc])]);
}

/** EMSA-PSS-VERIFY (RFC 8017 section 9.1.2), salt as long as the hash. */
function pssVerify(digest: Buffer, em: Buffer, hash: keyof typeof HASH_LENGTH, emBits: number): boolean {
  const hLen = HASH_LENGTH[hash];
  const emLen = Math.ceil(emBits / 8);
  if (em.length !== emLen || em[emLen - 1] !== 0xbc || emLen < 2 * hLen + 2) return false;
  const masked = em.subarray(0, emLen - hLen - 1);
  const h = em.subarray(emLen - hLen - 1, emLen - 1);
  if (((masked[0] ?? 0) & ~(0xff >> (8 * emLen - emBits)) & 0xff) !== 0) return false;
  const db = mgf1(h, masked.length, hash).map((byte, index) => byte ^ (masked[index] ?? 0));
  db[0] = (db[0] ?? 0) & (0xff >> (8 * emLen - emBits));
  const separator = emLen - 2 * hLen - 2;
  if (!db.subarray(0, separator).every((byte) => byte === 0) || db[separator] !== 1) return false;
  const salt = db.subarray(db.length - hLen);
  const expected = createHash(hash).update(Buffer.alloc(8)).update(digest).update(salt).digest();
  return timingSafeEqual(expected, h);
}

/** Raw RSA with the private key (m^d mod n) on an encoded message of the modulus' length. */
function rsaPrivate(privateKey: CryptoKey, message: Buffer, size: number): Buffer {
  const padded = Buffer.concat([Buffer.alloc(size - message.length), message]);
  return privateDecrypt({ key: privateKey, padding: constants.RSA_NO_PADDING }, padded);
}

/** POST `/keys/{name}/{version}/sign`: `{ alg, value: digest }` → `{ kid, value: signature }`. */
export async function signDigest(call: DataPlaneCall, name: string, versionName: string): Promise<Response> {
  const { key, version, algorithm, body } = await prepare(call, name, versionName, "sign");
  const digest = digestOf(body, "value", algorithm.hash);
  if (version.privateKeyPem === undefined) {
    fail(
      unsupported(
        `POST /keys/${name}/${versionName}/sign`,
        "this seeded key version has no private key: seed it with privateKeyPem, or create or rotate the key through the fake",
      ),
    );
  }
  const privateKey = createPrivateKey(version.privateKeyPem);
  if (algorithm.type === "ec") {
    const scalar = Buffer.from(privateKey.export({ format: "jwk" }).d ?? "", "base64url");
    const signature = signEcdsaDigest(algorithm.curve, scalar, digest);
    return ok(call, { kid: keyId(call, key.name, version.version), value: signature.toString("base64url") });
  }
  const publicKey = createPublicKey(privateKey);
  const signature = algorithm.pss
    ? rsaPrivate(privateKey, pssEncode(digest, algorithm.hash, modulusBits(publicKey) - 1), modulusBytes(publicKey))
    : privateEncrypt({ key: privateKey, padding: constants.RSA_PKCS1_PADDING }, Buffer.concat([DIGEST_INFO[algorithm.hash], digest]));
  return ok(call, { kid: keyId(call, key.name, version.version), value: signature.toString("base64url") });
}

/** POST `/keys/{name}/{version}/verify`: `{ alg, digest, value: signature }` → `{ value: boolean }`. */
export async function verifyDigest(call: DataPlaneCall, name: string, versionName: string): Promise<Response> {
  const { version, algorithm, body } = await prepare(call, name, versionName, "verify");
  const digest = digestOf(body, "digest", algorithm.hash);
  const signature = readBase64Url(body["value"], "value");
  if (algorithm.type === "ec") {
    const point = { x: Buffer.from(String(version.key.x ?? ""), "base64url"), y: Buffer.from(String(version.key.y ?? ""), "base64url") };
    return ok(call, { value: verifyEcdsaDigest(algorithm.curve, point, digest, signature) });
  }
  const publicKey = createPublicKey({ key: { kty: "RSA", n: String(version.key.n ?? ""), e: String(version.key.e ?? "") }, format: "jwk" });
  const size = modulusBytes(publicKey);
  let valid = false;
  if (signature.length === size) {
    try {
      if (algorithm.pss) {
        const em = publicEncrypt({ key: publicKey, padding: constants.RSA_NO_PADDING }, signature);
        const emBits = modulusBits(publicKey) - 1;
        valid = pssVerify(digest, em.subarray(em.length - Math.ceil(emBits / 8)), algorithm.hash, emBits);
      } else {
        const recovered = publicDecrypt({ key: publicKey, padding: constants.RSA_PKCS1_PADDING }, signature);
        const expected = Buffer.concat([DIGEST_INFO[algorithm.hash], digest]);
        valid = recovered.length === expected.length && timingSafeEqual(recovered, expected);
      }
    } catch {
      valid = false;
    }
  }
  return ok(call, { value: valid });
}
