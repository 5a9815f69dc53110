/**
 * Deterministic identifiers (GUIDs, Key Vault 32-hex versions, request ids), so two runs of the same test produce
 * the same ids and snapshots stay stable. A small splitmix32 stream: not for cryptography, only for uniqueness.
 */
export interface IdGenerator {
  /** A lower-case RFC 4122 version 4 shaped GUID. */
  guid(): string;
  /** 32 lower-case hex characters (Key Vault object versions, rbac assignment ids). */
  hex32(): string;
  /** `count` lower-case hex characters. */
  hex(count: number): string;
}

const BYTE_HEX: readonly string[] = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, "0"));

export function createIdGenerator(seed = 0x6b657977): IdGenerator {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  // Every request gets an id: a byte table keeps this out of the fast path's profile (toString + padStart per word).
  const hex = (count: number): string => {
    let out = "";
    while (out.length < count) {
      const word = next();
      out += BYTE_HEX[word >>> 24]! + BYTE_HEX[(word >>> 16) & 0xff]! + BYTE_HEX[(word >>> 8) & 0xff]! + BYTE_HEX[word & 0xff]!;
    }
    return out.length === count ? out : out.slice(0, count);
  };
  return {
    hex,
    hex32: () => hex(32),
    guid() {
      const h = hex(32);
      const variant = ((parseInt(h[16] ?? "0", 16) & 0x3) | 0x8).toString(16);
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
    },
  };
}
