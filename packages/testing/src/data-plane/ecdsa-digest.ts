import { randomBytes } from "node:crypto";

/**
 * ECDSA over a digest the caller already computed, as Key Vault's `sign`/`verify` take it. `node:crypto` signs and
 * verifies ECDSA only over data it hashes itself (`sign(null, …)` hashes with SHA-256), so the one step it cannot do —
 * using the given digest as `e` (SEC 1 section 4.1.3/4.1.4) — is done here with BigInt arithmetic. Signatures are
 * Key Vault's format: raw `r || s`, each the curve order's byte length (`dsaEncoding: "ieee-p1363"` in `node:crypto`),
 * so `node:crypto` verifies what the fake signs, and the fake verifies what `node:crypto` signs. Not constant-time: it
 * is a test double, never a place for real keys.
 */

interface Curve {
  p: bigint;
  a: bigint;
  b: bigint;
  gx: bigint;
  gy: bigint;
  n: bigint;
}

const hex = (value: string): bigint => BigInt(`0x${value}`);

/** Domain parameters (SEC 2 v2 / FIPS 186-4 D.1.2), by Key Vault curve name. */
const CURVES: ReadonlyMap<string, Curve> = new Map([
  [
    "P-256",
    {
      p: hex("ffffffff00000001000000000000000000000000ffffffffffffffffffffffff"),
      a: hex("ffffffff00000001000000000000000000000000fffffffffffffffffffffffc"),
      b: hex("5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b"),
      gx: hex("6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296"),
      gy: hex("4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5"),
      n: hex("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551"),
    },
  ],
  [
    "P-384",
    {
      p: hex("fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffff"),
      a: hex("fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000fffffffc"),
      b: hex("b3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875ac656398d8a2ed19d2a85c8edd3ec2aef"),
      gx: hex("aa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a385502f25dbf55296c3a545e3872760ab7"),
      gy: hex("3617de4a96262c6f5d9e98bf9292dc29f8f41dbd289a147ce9da3113b5f0b8c00a60b1ce1d7e819d7a431d7c90ea0e5f"),
      n: hex("ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973"),
    },
  ],
  [
    "P-521",
    {
      p: (1n << 521n) - 1n,
      a: (1n << 521n) - 4n,
      b: hex("0051953eb9618e1c9a1f929a21a0b68540eea2da725b99b315f3b8b489918ef109e156193951ec7e937b1652c0bd3bb1bf073573df883d2c34f1ef451fd46b503f00"),
      gx: hex("00c6858e06b70404e9cd9e3ecb662395b4429c648139053fb521f828af606b4d3dbaa14b5e77efe75928fe1dc127a2ffa8de3348b3c1856a429bf97e7e31c2e5bd66"),
      gy: hex("011839296a789a3bc0045c8a5fb42c7d1bd998f54449579b446817afbd17273e662c97ee72995ef42640c550b9013fad0761353c7086a272c24088be94769fd16650"),
      n: hex("01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409"),
    },
  ],
  [
    "P-256K",
    {
      p: hex("fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f"),
      a: 0n,
      b: 7n,
      gx: hex("79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"),
      gy: hex("483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8"),
      n: hex("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141"),
    },
  ],
]);

/** Whether the fake can sign and verify on this curve. */
export const isSupportedCurve = (curve: string): boolean => CURVES.has(curve);

const mod = (value: bigint, modulus: bigint): bigint => ((value % modulus) + modulus) % modulus;

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = mod(base, modulus);
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
  }
  return result;
}

/** Inverse modulo a prime (Fermat): both the field size and the group order are prime. */
const invert = (value: bigint, prime: bigint): bigint => modPow(value, prime - 2n, prime);

/** A point in Jacobian coordinates (x = X/Z², y = Y/Z³); Z = 0 is the point at infinity. */
interface Jacobian {
  x: bigint;
  y: bigint;
  z: bigint;
}

const INFINITY: Jacobian = { x: 1n, y: 1n, z: 0n };

function double(curve: Curve, point: Jacobian): Jacobian {
  const { p } = curve;
  if (point.z === 0n || point.y === 0n) return INFINITY;
  const yy = (point.y * point.y) % p;
  const s = (4n * point.x * yy) % p;
  const zz = (point.z * point.z) % p;
  const m = mod(3n * point.x * point.x + curve.a * zz * zz, p);
  const x = mod(m * m - 2n * s, p);
  const y = mod(m * (s - x) - 8n * yy * yy, p);
  return { x, y, z: (2n * point.y * point.z) % p };
}

function add(curve: Curve, first: Jacobian, second: Jacobian): Jacobian {
  const { p } = curve;
  if (first.z === 0n) return second;
  if (second.z === 0n) return first;
  const z1z1 = (first.z * first.z) % p;
  const z2z2 = (second.z * second.z) % p;
  const u1 = (first.x * z2z2) % p;
  const u2 = (second.x * z1z1) % p;
  const s1 = (first.y * z2z2 * second.z) % p;
  const s2 = (second.y * z1z1 * first.z) % p;
  if (u1 === u2) return s1 === s2 ? double(curve, first) : INFINITY;
  const h = mod(u2 - u1, p);
  const r = mod(s2 - s1, p);
  const hh = (h * h) % p;
  const hhh = (hh * h) % p;
  const x = mod(r * r - hhh - 2n * u1 * hh, p);
  const y = mod(r * (u1 * hh - x) - s1 * hhh, p);
  return { x, y, z: (h * first.z * second.z) % p };
}

function multiply(curve: Curve, point: Jacobian, scalar: bigint): Jacobian {
  let result = INFINITY;
  for (let bit = BigInt(scalar.toString(2).length - 1); bit >= 0n; bit -= 1n) {
    result = double(curve, result);
    if ((scalar >> bit) & 1n) result = add(curve, result, point);
  }
  return result;
}

/** The affine x coordinate, or `undefined` for the point at infinity. */
function affineX(curve: Curve, point: Jacobian): bigint | undefined {
  if (point.z === 0n) return undefined;
  const zInverse = invert(point.z, curve.p);
  return (point.x * zInverse * zInverse) % curve.p;
}

const bitLength = (value: bigint): number => value.toString(2).length;
const byteLength = (curve: Curve): number => Math.ceil(bitLength(curve.n) / 8);
const toInt = (bytes: Uint8Array): bigint => (bytes.length === 0 ? 0n : BigInt(`0x${Buffer.from(bytes).toString("hex")}`));
const toBytes = (value: bigint, length: number): Buffer => Buffer.from(value.toString(16).padStart(length * 2, "0"), "hex");

/** The digest as the integer `e`: its leftmost bits, as many as the group order has (SEC 1 section 4.1.3 step 5). */
function digestInt(curve: Curve, digest: Uint8Array): bigint {
  const excess = digest.length * 8 - bitLength(curve.n);
  const value = toInt(digest);
  return excess > 0 ? value >> BigInt(excess) : value;
}

function curveOf(name: string): Curve {
  const curve = CURVES.get(name);
  if (curve === undefined) throw new RangeError(`ECDSA on curve ${name} is not modelled.`);
  return curve;
}

/** A uniformly random scalar in [1, n - 1] (rejection sampling). */
function randomScalar(curve: Curve): bigint {
  const bits = bitLength(curve.n);
  const mask = (1n << BigInt(bits)) - 1n;
  for (;;) {
    const candidate = toInt(randomBytes(Math.ceil(bits / 8))) & mask;
    if (candidate > 0n && candidate < curve.n) return candidate;
  }
}

/** Signs `digest` with the private scalar `d` (JWK `d`, base64url); the signature is raw `r || s`. */
export function signEcdsaDigest(curveName: string, privateScalar: Uint8Array, digest: Uint8Array): Buffer {
  const curve = curveOf(curveName);
  const d = toInt(privateScalar);
  const e = digestInt(curve, digest);
  const generator: Jacobian = { x: curve.gx, y: curve.gy, z: 1n };
  for (;;) {
    const k = randomScalar(curve);
    const r = mod(affineX(curve, multiply(curve, generator, k)) ?? 0n, curve.n);
    if (r === 0n) continue;
    const s = mod(invert(k, curve.n) * (e + r * d), curve.n);
    if (s === 0n) continue;
    const size = byteLength(curve);
    return Buffer.concat([toBytes(r, size), toBytes(s, size)]);
  }
}

/** Verifies a raw `r || s` signature of `digest` with the public point (JWK `x`, `y`). */
export function verifyEcdsaDigest(curveName: string, publicPoint: { x: Uint8Array; y: Uint8Array }, digest: Uint8Array, signature: Uint8Array): boolean {
  const curve = curveOf(curveName);
  const size = byteLength(curve);
  if (signature.length !== 2 * size) return false;
  const r = toInt(signature.subarray(0, size));
  const s = toInt(signature.subarray(size));
  if (r <= 0n || r >= curve.n || s <= 0n || s >= curve.n) return false;
  const qx = toInt(publicPoint.x);
  const qy = toInt(publicPoint.y);
  // A point off the curve (a corrupted JWK) verifies nothing.
  if (mod(qy * qy - (qx * qx * qx + curve.a * qx + curve.b), curve.p) !== 0n) return false;
  const w = invert(s, curve.n);
  const u1 = mod(digestInt(curve, digest) * w, curve.n);
  const u2 = mod(r * w, curve.n);
  const point = add(curve, multiply(curve, { x: curve.gx, y: curve.gy, z: 1n }, u1), multiply(curve, { x: qx, y: qy, z: 1n }, u2));
  const x = affineX(curve, point);
  return x !== undefined && mod(x, curve.n) === r;
}
