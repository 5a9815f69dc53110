import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ipv4InCidr, parseIpv4, parseIpv4Cidr } from "./ipv4-cidr.js";

const octets = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255));
const dotted = (parts: readonly number[]): string => parts.join(".");
const toNumber = (parts: readonly number[]): number => parts.reduce((acc, part) => acc * 256 + part, 0);

describe("IPv4 CIDR matching for the vault firewall", () => {
  it("parses dotted quads and rejects everything else", () => {
    expect(parseIpv4("124.56.78.91")).toBe(0x7c384e5b);
    for (const bad of ["", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.-4", "2001:db8::1", "1.2.3.4/24", "a.b.c.d"]) {
      expect(parseIpv4(bad)).toBeUndefined();
    }
    expect(parseIpv4Cidr("124.56.78.0/24")).toEqual({ network: 0x7c384e00, prefixLength: 24 });
    expect(parseIpv4Cidr("1.2.3.4/33")).toBeUndefined();
  });

  it("matches an address against its own /32, any /0 and a plain address rule", () => {
    fc.assert(
      fc.property(octets, (parts) => {
        const ip = dotted(parts);
        expect(ipv4InCidr(ip, `${ip}/32`)).toBe(true);
        expect(ipv4InCidr(ip, ip)).toBe(true);
        expect(ipv4InCidr(ip, "0.0.0.0/0")).toBe(true);
      })
    );
  });

  it("matches exactly when the first prefixLength bits agree", () => {
    fc.assert(
      fc.property(octets, octets, fc.integer({ min: 0, max: 32 }), (a, b, prefix) => {
        const shift = 2 ** (32 - prefix);
        const same = Math.floor(toNumber(a) / shift) === Math.floor(toNumber(b) / shift);
        expect(ipv4InCidr(dotted(a), `${dotted(b)}/${prefix}`)).toBe(same);
      })
    );
  });

  it("never matches IPv6 callers (Key Vault ipRules are IPv4 only)", () => {
    expect(ipv4InCidr("2001:db8::1", "0.0.0.0/0")).toBe(false);
    expect(ipv4InCidr("::ffff:1.2.3.4", "1.2.3.4/32")).toBe(false);
  });
});
