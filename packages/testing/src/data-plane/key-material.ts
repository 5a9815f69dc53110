import { generateKeyPair as generateKeyPairCallback, type KeyObject } from "node:crypto";
import { promisify } from "node:util";
import type { JsonWebKeyMaterial } from "../state/data-plane-types.js";

const generateKeyPair = promisify(generateKeyPairCallback);

/** Key Vault curve names and their OpenSSL names. */
const CURVES: Readonly<Record<string, string>> = {
  "P-256": "prime256v1",
  "P-384": "secp384r1",
  "P-521": "secp521r1",
  "P-256K": "secp256k1",
};

export const RSA_KEY_SIZES = [2048, 3072, 4096] as const;
export const RSA_OPERATIONS = ["encrypt", "decrypt", "sign", "verify", "wrapKey", "unwrapKey"];
export const EC_OPERATIONS = ["sign", "verify"];

export interface KeySpec {
  /** `RSA`, `RSA-HSM`, `EC` or `EC-HSM`. */
  readonly kty: string;
  readonly keySize?: number | undefined;
  readonly curve?: string | undefined;
  readonly publicExponent?: number | undefined;
}

export interface GeneratedKey {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** Public JWK as Key Vault serves it (no `kid`, `key_ops` yet). */
  readonly jwk: JsonWebKeyMaterial;
}

export const isRsa = (kty: string): boolean => kty === "RSA" || kty === "RSA-HSM";
export const isEc = (kty: string): boolean => kty === "EC" || kty === "EC-HSM";

/** Problems with a key spec in the service's words, or `undefined` when it can be generated. */
export function keySpecProblem(spec: KeySpec): string | undefined {
  if (isRsa(spec.kty)) {
    if (spec.keySize !== undefined && !(RSA_KEY_SIZES as readonly number[]).includes(spec.keySize)) {
      return `The key size ${spec.keySize} is not supported: use 2048, 3072 or 4096.`;
    }
    return undefined;
  }
  if (isEc(spec.kty)) {
    if (spec.curve !== undefined && CURVES[spec.curve] === undefined) {
      return `The curve ${spec.curve} is not supported: use P-256, P-384, P-521 or P-256K.`;
    }
    return undefined;
  }
  if (spec.kty === "oct" || spec.kty === "oct-HSM") return `The key type ${spec.kty} is only supported by Managed HSM.`;
  return `The key type ${spec.kty} is not valid: use RSA, RSA-HSM, EC or EC-HSM.`;
}

/** Real key material (software-generated whatever the `-HSM` suffix says), so public keys verify signatures. */
export async function generateKeyMaterial(spec: KeySpec): Promise<GeneratedKey> {
  if (isRsa(spec.kty)) {
    const { privateKey, publicKey } = await generateKeyPair("rsa", {
      modulusLength: spec.keySize ?? 2048,
      publicExponent: spec.publicExponent ?? 65537,
    });
    const jwk = publicKey.export({ format: "jwk" });
    return { privateKey, publicKey, jwk: { kty: spec.kty, n: jwk.n, e: jwk.e } };
  }
  const curve = spec.curve ?? "P-256";
  const { privateKey, publicKey } = await generateKeyPair("ec", { namedCurve: CURVES[curve] ?? "prime256v1" });
  const jwk = publicKey.export({ format: "jwk" });
  return { privateKey, publicKey, jwk: { kty: spec.kty, crv: curve, x: jwk.x, y: jwk.y } };
}

/** The private key as `KeyVersion.privateKeyPem` keeps it. */
export const privateKeyPemOf = (generated: GeneratedKey): string => generated.privateKey.export({ format: "pem", type: "pkcs8" }).toString();

/** The spec of an existing key's material, for rotation (same type, size and curve). */
export function keySpecOf(jwk: JsonWebKeyMaterial): KeySpec {
  if (isRsa(jwk.kty)) {
    const modulusBytes = typeof jwk.n === "string" ? Buffer.from(jwk.n, "base64url").length : 256;
    return { kty: jwk.kty, keySize: modulusBytes * 8 };
  }
  return { kty: jwk.kty, curve: typeof jwk.crv === "string" ? jwk.crv : "P-256" };
}
