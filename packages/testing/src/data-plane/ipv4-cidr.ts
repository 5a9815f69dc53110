/**
 * IPv4 parsing and CIDR matching for the vault firewall. Key Vault `ipRules` accept IPv4 only ("124.56.78.91" or
 * "124.56.78.0/24"), so an IPv6 caller never matches a rule.
 */

/** Parses dotted-quad IPv4 into an unsigned 32-bit number, or `undefined` when `text` is not IPv4. */
export function parseIpv4(text: string): number | undefined {
  const parts = text.trim().split(".");
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = value * 256 + octet;
  }
  return value;
}

export interface Ipv4Range {
  readonly network: number;
  readonly prefixLength: number;
}

/** Parses `a.b.c.d` (a /32) or `a.b.c.d/n`; `undefined` when it is not an IPv4 rule. */
export function parseIpv4Cidr(text: string): Ipv4Range | undefined {
  const [address, prefix, ...rest] = text.trim().split("/");
  if (address === undefined || rest.length > 0) return undefined;
  const ip = parseIpv4(address);
  if (ip === undefined) return undefined;
  let prefixLength = 32;
  if (prefix !== undefined) {
    if (!/^\d{1,2}$/.test(prefix)) return undefined;
    prefixLength = Number(prefix);
    if (prefixLength > 32) return undefined;
  }
  return { network: maskOf(ip, prefixLength), prefixLength };
}

function maskOf(ip: number, prefixLength: number): number {
  if (prefixLength === 0) return 0;
  const hostBits = 32 - prefixLength;
  // Division keeps the arithmetic unsigned; bit operators would turn 32-bit values negative.
  return Math.floor(ip / 2 ** hostBits) * 2 ** hostBits;
}

/** Whether `ip` (any text) lies inside `cidr` (a Key Vault ipRule value). Non-IPv4 input never matches. */
export function ipv4InCidr(ip: string, cidr: string): boolean {
  const address = parseIpv4(ip);
  const range = parseIpv4Cidr(cidr);
  if (address === undefined || range === undefined) return false;
  return maskOf(address, range.prefixLength) === range.network;
}
