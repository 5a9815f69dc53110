import { p256, p384, p521 } from "@noble/curves/nist";
import { secp256k1 } from "@noble/curves/secp256k1";

/**
 * ECDSA over a digest the caller already computed, as Key Vault's `sign`/`verify` take it. `node:crypto` signs and
 * verifies ECDSA only over data it hashes itself (`sign(null, …)` hashes with SHA-256), so the digest step is done by
 * `@noble/curves` (audited, used by the wider JS crypto ecosystem) with `prehash: false`. Signatures are Key Vault's
 * format: raw `r || s`, each the curve order's byte length (`dsaEncoding: "ieee-p1363"` in `node:crypto`), so
 * `node:crypto` verifies what the fake signs, and the fake verifies what `node:crypto` signs.
 */

type EcdsaCurve = typeof p256;

/** The curves Key Vault offers (`crv` of an EC key), by Key Vault curve name. */
const CURVES: ReadonlyMap<string, EcdsaCurve> = new Map<string, EcdsaCurve>([
  ["P-256", p256],
  ["P-384", p384],
  ["P-521", p521],
  ["P-256K", secp256k1],
]);

function curveOf(name: string): EcdsaCurve {
  const curve = CURVES.get(name);
  if (curve === undefined) throw new RangeError(`ECDSA on curve ${name} is not modelled.`);
  return curve;
}

/** Signs `digest` with the private scalar `d` (JWK `d`, base64url-decoded); the signature is raw `r || s`. */
export function signEcdsaDigest(curveName: string, privateScalar: Uint8Array, digest: Uint8Array): Buffer {
  // Key Vault does not normalise S (neither does node:crypto), and signs with fresh randomness each time.
  const signature = curveOf(curveName).sign(digest, privateScalar, { prehash: false, lowS: false, extraEntropy: true });
  return Buffer.from(signature.toBytes("compact"));
}

/** Verifies a raw `r || s` signature of `digest` with the public point (JWK `x`, `y`). */
export function verifyEcdsaDigest(curveName: string, publicPoint: { x: Uint8Array; y: Uint8Array }, digest: Uint8Array, signature: Uint8Array): boolean {
  const curve = curveOf(curveName);
  if (signature.length !== curve.lengths.signature) return false;
  try {
    const uncompressed = Buffer.concat([Buffer.from([0x04]), publicPoint.x, publicPoint.y]);
    // lowS: false accepts either S, as Key Vault and node:crypto do; a point off the curve throws and verifies nothing.
    return curve.verify(signature, digest, uncompressed, { prehash: false, lowS: false, format: "compact" });
  } catch {
    return false;
  }
}
