import {
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign as cryptoSign,
  timingSafeEqual,
  verify as cryptoVerify,
  type KeyObject,
} from "node:crypto";
import { readFileSync } from "node:fs";
import { isRestError } from "@azure/core-rest-pipeline";
import { InvalidPlanError, RemediationError } from "../errors/remediation-error.js";
import { RemediationCodes } from "../errors/remediation-codes.js";
import { canonicalJson } from "./plan-id.js";
import type { RemediationPlan } from "./remediation-plan.js";

/** Signs plans. `algorithm` and `keyId` are recorded in the plan's `signature`. */
export interface PlanSigner {
  readonly algorithm: string;
  readonly keyId: string;
  sign(data: Uint8Array): Promise<Uint8Array>;
}

/** Verifies plan signatures. */
export interface PlanVerifier {
  readonly algorithm: string;
  readonly keyId: string;
  verify(data: Uint8Array, signature: Uint8Array): Promise<boolean>;
}

/** A key that can both sign and verify (HMAC, an Ed25519 private key, a Key Vault key). */
export type PlanKey = PlanSigner & PlanVerifier;

/** The part of `@azure/keyvault-keys`' `CryptographyClient` plan signing uses. */
export interface KeyVaultSigningClient {
  readonly keyID?: string | undefined;
  sign(algorithm: string, digest: Uint8Array): Promise<{ result: Uint8Array }>;
  verify(algorithm: string, digest: Uint8Array, signature: Uint8Array): Promise<{ result: boolean }>;
}

const DOMAIN = "keywarden-plan-signature-v1\n";

/** The bytes a signature covers: a domain tag and the plan's canonical JSON without its signature. */
export function planSigningPayload(plan: RemediationPlan): Uint8Array {
  const { signature: _signature, ...content } = plan;
  return Buffer.from(DOMAIN + canonicalJson(content), "utf8");
}

const fingerprint = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex").slice(0, 16);

/** HMAC-SHA256 with a shared secret (at least 32 bytes): signer and verifier hold the same key. */
export function hmacPlanKey(secret: Uint8Array | string): PlanKey {
  const bytes = typeof secret === "string" ? Buffer.from(secret, "utf8") : Buffer.from(secret);
  if (bytes.length < 32) {
    throw new InvalidPlanError(RemediationCodes.planKeyInvalid, "An HMAC plan key needs at least 32 bytes; generate one with `openssl rand -base64 32`.");
  }
  // The key id is a hash of a hash: it names the key without helping anyone guess it.
  const keyId = `hmac-sha256:${fingerprint(createHash("sha256").update("keyid").update(bytes).digest())}`;
  const mac = (data: Uint8Array) => createHmac("sha256", bytes).update(data).digest();
  return {
    algorithm: "hmac-sha256",
    keyId,
    sign: (data) => Promise.resolve(mac(data)),
    verify: (data, signature) => {
      const expected = mac(data);
      return Promise.resolve(expected.length === signature.length && timingSafeEqual(expected, signature));
    },
  };
}

/** Ed25519: sign with the private key (PEM or KeyObject); a public key alone verifies. */
export function ed25519PlanKey(key: { privateKey?: KeyObject | string; publicKey?: KeyObject | string }): PlanKey {
  const privateKey = key.privateKey === undefined ? undefined : typeof key.privateKey === "string" ? createPrivateKey(key.privateKey) : key.privateKey;
  const publicKey =
    key.publicKey !== undefined ? (typeof key.publicKey === "string" ? createPublicKey(key.publicKey) : key.publicKey) : privateKey !== undefined ? createPublicKey(privateKey) : undefined;
  if (publicKey === undefined || publicKey.asymmetricKeyType !== "ed25519") {
    throw new InvalidPlanError(RemediationCodes.planKeyInvalid, "An Ed25519 plan key needs an Ed25519 private or public key (PEM).");
  }
  const keyId = `ed25519:${fingerprint(publicKey.export({ format: "der", type: "spki" }))}`;
  return {
    algorithm: "ed25519",
    keyId,
    sign: (data) => {
      if (privateKey === undefined) {
        return Promise.reject(new InvalidPlanError(RemediationCodes.planKeyInvalid, `Plan key ${keyId} is a public key: it verifies plans but cannot sign them.`));
      }
      return Promise.resolve(cryptoSign(null, data, privateKey));
    },
    verify: (data, signature) => Promise.resolve(cryptoVerify(null, data, publicKey, signature)),
  };
}

/** A new Ed25519 key pair as PEM (what the CLI writes, mode 0600, on first use). */
export function generateEd25519PlanKeyPem(): { privateKeyPem: string; publicKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  return {
    privateKeyPem: privateKey.export({ format: "pem", type: "pkcs8" }).toString(),
    publicKeyPem: publicKey.export({ format: "pem", type: "spki" }).toString(),
  };
}

/** The error code Key Vault answered with (`Forbidden/KeyOperationForbidden`), never its message (tenant text). */
function keyVaultErrorCode(error: unknown): string | undefined {
  if (!isRestError(error)) return undefined;
  // The SDK deserialises the body's `innererror` as `innerError`.
  const body = (error.details ?? {}) as { error?: { code?: unknown; innererror?: { code?: unknown }; innerError?: { code?: unknown } } };
  const codes = [error.code ?? body.error?.code, body.error?.innerError?.code ?? body.error?.innererror?.code].filter((code): code is string => typeof code === "string" && /^[A-Za-z0-9_.]{1,64}$/.test(code));
  return codes.length === 0 ? undefined : [...new Set(codes)].join("/");
}

/**
 * A refusal of the key itself (no permission, key_ops without the operation, a disabled or expired key; the SDK's own
 * key_ops and validity checks throw plain errors before any request) becomes `KW_REMEDIATION_E0026`; anything else
 * (a network failure, a 5xx) is left as it is.
 */
function refusal(error: unknown, operation: "sign" | "verify", keyId: string): unknown {
  const status = isRestError(error) ? error.statusCode : undefined;
  const local = !isRestError(error) && error instanceof Error && /^(Operation \w+ is not supported on key|Key .* (can't be used before|expired at))/.test(error.message);
  if (status !== 401 && status !== 403 && !local) return error;
  const answered = status === undefined ? "the SDK refused before sending: the key's key_ops or validity leave it out" : `Key Vault answered ${status} ${keyVaultErrorCode(error) ?? ""}`.trimEnd();
  return new RemediationError(
    RemediationCodes.planKeyRefused,
    `Key Vault key ${keyId} cannot ${operation} plans (${answered}). Use an enabled key whose key_ops include ${operation}, and give this identity keys/${operation} on it (an access policy, or the Key Vault Crypto User role).`,
    { cause: error, ...(status === undefined ? {} : { status }) },
  );
}

/**
 * A key in Key Vault (`CryptographyClient` from `@azure/keyvault-keys`): the private key never leaves the vault. The
 * client signs the SHA-256 digest of the payload with `algorithm` (`RS256` or `PS256` on an RSA key, `ES256` on an
 * EC P-256 key). A key that refuses (permission, key_ops, disabled) is `KW_REMEDIATION_E0026`, never "does not verify".
 */
export function keyVaultPlanKey(client: KeyVaultSigningClient, algorithm: "RS256" | "PS256" | "ES256" = "PS256"): PlanKey {
  const digest = (data: Uint8Array) => createHash("sha256").update(data).digest();
  const keyId = client.keyID ?? "keyvault";
  return {
    algorithm,
    keyId,
    sign: async (data) => {
      try {
        return (await client.sign(algorithm, digest(data))).result;
      } catch (error) {
        throw refusal(error, "sign", keyId);
      }
    },
    verify: async (data, signature) => {
      try {
        return (await client.verify(algorithm, digest(data), signature)).result;
      } catch (error) {
        throw refusal(error, "verify", keyId);
      }
    },
  };
}

/**
 * Reads a plan key from text: a PEM Ed25519 private key (signs and verifies), a PEM public key (verifies), or
 * `hmac-sha256:<base64>` (a shared secret).
 */
export function parsePlanKey(text: string): PlanKey {
  const trimmed = text.trim();
  if (trimmed.startsWith("hmac-sha256:")) return hmacPlanKey(Buffer.from(trimmed.slice("hmac-sha256:".length), "base64"));
  try {
    if (trimmed.includes("PRIVATE KEY")) return ed25519PlanKey({ privateKey: trimmed });
    if (trimmed.includes("PUBLIC KEY")) return ed25519PlanKey({ publicKey: trimmed });
  } catch (error) {
    if (InvalidPlanError.isInstance(error)) throw error;
    throw new InvalidPlanError(RemediationCodes.planKeyInvalid, "The plan key is not a valid PEM key. Give an Ed25519 key in PEM, or hmac-sha256:<base64>.");
  }
  throw new InvalidPlanError(RemediationCodes.planKeyInvalid, "The plan key is neither a PEM Ed25519 key nor hmac-sha256:<base64>.");
}

/** The environment variable holding a plan key (text as `parsePlanKey` reads it). */
export const PLAN_KEY_VARIABLE = "KEYWARDEN_PLAN_KEY";
/** The environment variable naming a file that holds a plan key. */
export const PLAN_KEY_FILE_VARIABLE = "KEYWARDEN_PLAN_KEY_FILE";

/** A plan key from `KEYWARDEN_PLAN_KEY`, else the file `KEYWARDEN_PLAN_KEY_FILE` (or `file`), else undefined. */
export function loadPlanKey(options: { env?: Readonly<Record<string, string | undefined>>; file?: string } = {}): PlanKey | undefined {
  const env = options.env ?? process.env;
  const inline = env[PLAN_KEY_VARIABLE];
  if (inline !== undefined && inline.trim() !== "") return parsePlanKey(inline);
  const file = env[PLAN_KEY_FILE_VARIABLE] ?? options.file;
  if (file === undefined) return undefined;
  return parsePlanKey(readFileSync(file, "utf8"));
}

/** Returns the plan with its `signature` set (any earlier signature replaced). */
export async function signPlan(plan: RemediationPlan, signer: PlanSigner): Promise<RemediationPlan> {
  const { signature: _old, ...unsigned } = plan;
  const value = Buffer.from(await signer.sign(planSigningPayload(unsigned))).toString("base64url");
  return { ...unsigned, signature: { algorithm: signer.algorithm, keyId: signer.keyId, value } };
}

/**
 * Refuses a plan whose signature is missing (`KW_REMEDIATION_E0022`) or does not verify with `verifier`
 * (`KW_REMEDIATION_E0023`). Never says what a valid signature or id would be.
 */
export async function verifyPlanSignature(plan: RemediationPlan, verifier: PlanVerifier): Promise<void> {
  const signature = plan.signature;
  if (signature === undefined) {
    throw new InvalidPlanError(
      RemediationCodes.planUnsigned,
      `Plan ${plan.id} is not signed, and a plan verification key (${verifier.keyId}) is configured: only signed plans are applied. Re-create the plan with the signing key (keywarden respond / planResponse + signPlan).`,
    );
  }
  let valid = false;
  if (signature.algorithm === verifier.algorithm && signature.keyId === verifier.keyId) {
    try {
      valid = await verifier.verify(planSigningPayload(plan), Buffer.from(signature.value, "base64url"));
    } catch (error) {
      // A key that cannot verify at all says so; it is not evidence that the plan was edited.
      if (RemediationError.isInstance(error) && error.code === RemediationCodes.planKeyRefused) throw error;
      valid = false;
    }
  }
  if (!valid) {
    throw new InvalidPlanError(
      RemediationCodes.planSignatureInvalid,
      `Plan ${plan.id}'s signature does not verify with key ${verifier.keyId}: the plan was changed after it was signed, or signed with another key. Review and re-create the plan; an edited plan is never applied.`,
    );
  }
}
