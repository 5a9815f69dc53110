import ipaddr from "ipaddr.js";

/** A parsed address: family, numeric value (for prefix matching) and canonical text. */
export interface ParsedAddress {
  family: 4 | 6;
  value: bigint;
  /** Canonical form: dotted quad for IPv4 (also for IPv4-mapped IPv6), RFC 5952 compressed form for IPv6. */
  normalized: string;
  /** ipaddr.js range name: `unicast`, `private`, `loopback`, `linkLocal`, `uniqueLocal`, ... */
  range: string;
}

/** Values Defender and other tools put where an address should be (the sample alerts carry `00.00.00.00`). */
const PLACEHOLDERS = new Set(["00.00.00.00", "0.0.0.0", "::", "-", "n/a", "na", "none", "null", "unknown", "000.000.000.000"]);

const PRIVATE_RANGES = new Set(["private", "loopback", "linkLocal", "uniqueLocal", "carrierGradeNat"]);

export type AddressClassification =
  | { status: "missing" }
  | { status: "placeholder"; text: string }
  | { status: "invalid"; text: string }
  | { status: "valid"; text: string; address: ParsedAddress; private: boolean };

export function classifyAddress(text: string | undefined): AddressClassification {
  if (text === undefined) return { status: "missing" };
  const trimmed = text.trim();
  if (trimmed === "") return { status: "missing" };
  if (PLACEHOLDERS.has(trimmed.toLowerCase())) return { status: "placeholder", text: trimmed };
  const address = parseAddress(trimmed);
  if (address === undefined) return { status: "invalid", text: trimmed };
  if (address.value === 0n) return { status: "placeholder", text: trimmed };
  return { status: "valid", text: trimmed, address, private: PRIVATE_RANGES.has(address.range) };
}

/**
 * Parses a single address strictly: IPv4 only in four-part decimal form (no `0x7f.1` tricks), IPv6 in any valid
 * form; IPv4-mapped IPv6 is folded to IPv4. Returns `undefined` for anything else.
 */
export function parseAddress(text: string): ParsedAddress | undefined {
  const trimmed = text.trim();
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  if (ipaddr.IPv4.isValidFourPartDecimal(trimmed)) {
    parsed = ipaddr.IPv4.parse(trimmed);
  } else if (trimmed.includes(":") && ipaddr.IPv6.isValid(trimmed)) {
    const v6 = ipaddr.IPv6.parse(trimmed);
    parsed = v6.isIPv4MappedAddress() ? v6.toIPv4Address() : v6;
  } else {
    return undefined;
  }
  return toParsed(parsed);
}

function toParsed(parsed: ipaddr.IPv4 | ipaddr.IPv6): ParsedAddress {
  let value = 0n;
  for (const byte of parsed.toByteArray()) value = (value << 8n) | BigInt(byte);
  const family = parsed.kind() === "ipv4" ? 4 : 6;
  return { family, value, normalized: parsed.toString(), range: parsed.range() };
}

/** A CIDR range (a single address is a /32 or /128). */
export interface ParsedRange {
  family: 4 | 6;
  /** The network address (host bits cleared). */
  network: bigint;
  bits: number;
  /** The range as written. */
  text: string;
}

export function parseRange(text: string): ParsedRange | undefined {
  const trimmed = text.trim();
  const slash = trimmed.indexOf("/");
  const addressText = slash === -1 ? trimmed : trimmed.slice(0, slash);
  const address = parseAddress(addressText);
  if (address === undefined) return undefined;
  const maxBits = address.family === 4 ? 32 : 128;
  let bits = maxBits;
  if (slash !== -1) {
    const bitsText = trimmed.slice(slash + 1);
    if (!/^\d{1,3}$/.test(bitsText)) return undefined;
    bits = Number(bitsText);
    // An IPv4-mapped IPv6 prefix (::ffff:1.2.3.0/120) keeps its meaning on the folded IPv4 address.
    if (address.family === 4 && addressText.includes(":")) bits -= 96;
    if (bits < 0 || bits > maxBits) return undefined;
  }
  return { family: address.family, network: maskNetwork(address.value, bits, maxBits), bits, text: trimmed };
}

export function rangeContains(range: ParsedRange, address: ParsedAddress): boolean {
  if (range.family !== address.family) return false;
  const maxBits = range.family === 4 ? 32 : 128;
  return maskNetwork(address.value, range.bits, maxBits) === range.network;
}

export function maskNetwork(value: bigint, bits: number, maxBits: number): bigint {
  const hostBits = BigInt(maxBits - bits);
  return (value >> hostBits) << hostBits;
}
