/** An IPv4 network: `base` is the masked network address as an unsigned 32-bit integer. */
export interface Ipv4Cidr {
  base: number;
  prefix: number;
}

const OCTET = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/** Parses `a.b.c.d` or `a.b.c.d/n` (Key Vault accepts IPv4 only). Returns undefined for anything else. */
export function parseIpv4Cidr(text: string): Ipv4Cidr | undefined {
  const trimmed = text.trim();
  const [address, prefixText, extra] = trimmed.split("/");
  if (address === undefined || extra !== undefined) return undefined;
  const octets = address.split(".");
  if (octets.length !== 4 || !octets.every((octet) => OCTET.test(octet))) return undefined;
  let prefix = 32;
  if (prefixText !== undefined) {
    if (!/^(3[0-2]|[12]?\d)$/.test(prefixText)) return undefined;
    prefix = Number(prefixText);
  }
  const value = octets.reduce((acc, octet) => acc * 256 + Number(octet), 0);
  return { base: maskedBase(value, prefix), prefix };
}

function maskedBase(value: number, prefix: number): number {
  if (prefix === 0) return 0;
  const size = 2 ** (32 - prefix);
  return Math.floor(value / size) * size;
}

/** `a.b.c.d/n`, the form Key Vault stores (a single address comes back with `/32`). */
export function formatIpv4Cidr(cidr: Ipv4Cidr): string {
  const octets = [24, 16, 8, 0].map((shift) => Math.floor(cidr.base / 2 ** shift) % 256);
  return `${octets.join(".")}/${cidr.prefix}`;
}

/** Whether `outer` contains every address of `inner`. */
export function cidrContains(outer: Ipv4Cidr, inner: Ipv4Cidr): boolean {
  return outer.prefix <= inner.prefix && maskedBase(inner.base, outer.prefix) === outer.base;
}

export function isIpv6(text: string): boolean {
  return text.includes(":");
}

/**
 * Merges CIDRs without widening them: contained ranges are dropped and sibling halves are joined
 * (10.0.0.0/25 + 10.0.0.128/25 -> 10.0.0.0/24). The union of addresses is exactly the same before and after.
 */
export function consolidateCidrs(cidrs: readonly Ipv4Cidr[]): Ipv4Cidr[] {
  const sorted = [...cidrs].sort((a, b) => a.base - b.base || a.prefix - b.prefix);
  const stack: Ipv4Cidr[] = [];
  for (const cidr of sorted) {
    const last = stack.at(-1);
    if (last !== undefined && cidrContains(last, cidr)) continue;
    stack.push(cidr);
    // Join sibling halves as long as possible.
    for (;;) {
      const top = stack.at(-1);
      const below = stack.at(-2);
      if (top === undefined || below === undefined || top.prefix !== below.prefix || top.prefix === 0) break;
      const parent = { base: maskedBase(below.base, below.prefix - 1), prefix: below.prefix - 1 };
      if (parent.base !== below.base || below.base + 2 ** (32 - below.prefix) !== top.base) break;
      stack.splice(-2, 2, parent);
    }
  }
  return stack;
}
