import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  consolidateCidrs,
  containsAllRules,
  formatIpv4Cidr,
  ipRuleKey,
  networkAclsEqual,
  parseIpv4Cidr,
  planFirewallChange,
  subnetKey,
  type Ipv4Cidr,
  type NetworkAclsSnapshot,
} from "../src/index.js";

const cidr = fc.record({ base: fc.integer({ min: 0, max: 2 ** 32 - 1 }), prefix: fc.integer({ min: 8, max: 32 }) }).map(({ base, prefix }) => {
  const size = 2 ** (32 - prefix);
  return { base: Math.floor(base / size) * size, prefix };
});
const address = fc.integer({ min: 0, max: 2 ** 32 - 1 });
const contains = (ranges: Ipv4Cidr[], value: number) => ranges.some((range) => value >= range.base && value < range.base + 2 ** (32 - range.prefix));
const request = (addIpRules: string[], consolidate = false) => ({
  defaultAction: "Deny" as const,
  bypass: "AzureServices" as const,
  addIpRules,
  addVirtualNetworkRules: [],
  consolidate,
});

describe("IPv4 CIDR helpers", () => {
  it("parses and formats round-trip, masking host bits", () => {
    fc.assert(
      fc.property(cidr, (range) => {
        expect(parseIpv4Cidr(formatIpv4Cidr(range))).toEqual(range);
      }),
    );
    expect(formatIpv4Cidr(parseIpv4Cidr("10.1.2.3/16")!)).toBe("10.1.0.0/16");
    expect(parseIpv4Cidr("1.2.3.4")).toEqual(parseIpv4Cidr("1.2.3.4/32"));
    for (const bad of ["1.2.3", "256.1.1.1", "1.2.3.4/33", "01.2.3.4", "::1", "1.2.3.4/8/9", ""]) expect(parseIpv4Cidr(bad)).toBeUndefined();
  });

  it("consolidation keeps exactly the same addresses and never grows the list", () => {
    fc.assert(
      fc.property(fc.array(cidr, { maxLength: 40 }), fc.array(address, { maxLength: 50 }), (ranges, probes) => {
        const merged = consolidateCidrs(ranges);
        expect(merged.length).toBeLessThanOrEqual(ranges.length);
        for (const probe of probes) expect(contains(merged, probe)).toBe(contains(ranges, probe));
        for (const range of ranges) {
          expect(contains(merged, range.base)).toBe(true);
          expect(contains(merged, range.base + 2 ** (32 - range.prefix) - 1)).toBe(true);
        }
      }),
    );
    expect(consolidateCidrs([parseIpv4Cidr("10.0.0.0/25")!, parseIpv4Cidr("10.0.0.128/25")!]).map(formatIpv4Cidr)).toEqual(["10.0.0.0/24"]);
  });
});

describe("planFirewallChange", () => {
  const current: NetworkAclsSnapshot = {
    defaultAction: "Allow",
    bypass: "AzureServices",
    ipRules: ["198.51.100.0/24", "192.0.2.10/32"],
    virtualNetworkRules: [{ id: "/subscriptions/s/resourcegroups/rg/providers/microsoft.network/virtualnetworks/v/subnets/app" }],
  };

  it("never drops an existing rule, whatever is requested", () => {
    fc.assert(
      fc.property(fc.array(cidr, { maxLength: 30 }), fc.array(cidr, { maxLength: 30 }), (existing, requested) => {
        const before: NetworkAclsSnapshot = { ...current, ipRules: existing.map(formatIpv4Cidr) };
        const change = planFirewallChange(before, request(requested.map(formatIpv4Cidr)));
        expect(containsAllRules(change.desired, before)).toBe(true);
        expect(change.desired.virtualNetworkRules).toEqual(before.virtualNetworkRules);
        for (const range of requested) expect(contains(change.desired.ipRules.map((rule) => parseIpv4Cidr(rule)!), range.base)).toBe(true);
      }),
    );
  });

  it("treats 1.2.3.4 and 1.2.3.4/32 as one rule and skips ranges already covered", () => {
    const change = planFirewallChange(current, request(["192.0.2.10", "198.51.100.77", "10.1.0.0/16"]));
    expect(change.addedIpRules).toEqual(["10.1.0.0/16"]);
    expect(change.alreadyCoveredIpRules).toEqual(["192.0.2.10/32", "198.51.100.77/32"]);
    expect(ipRuleKey("192.0.2.10")).toBe(ipRuleKey("192.0.2.10/32"));
  });

  it("compares subnet ids case-insensitively", () => {
    const change = planFirewallChange(current, {
      ...request([]),
      addVirtualNetworkRules: ["/subscriptions/s/resourceGroups/RG/providers/Microsoft.Network/virtualNetworks/v/subnets/App"],
    });
    expect(change.addedVirtualNetworkRules).toEqual([]);
    expect(subnetKey("/A/B/")).toBe("/a/b");
  });

  it("refuses IPv6, malformed input and bad subnet ids with clear errors", () => {
    expect(() => planFirewallChange(current, request(["2001:db8::1"]))).toThrow(/IPv6.*IPv4 only/);
    expect(() => planFirewallChange(current, request(["10.0.0.0/40"]))).toThrow(/not an IPv4 address or CIDR/);
    expect(() => planFirewallChange(current, { ...request([]), addVirtualNetworkRules: ["vnet1"] })).toThrow(/not a subnet resource id/);
  });

  it("respects the 1,000-rule cap: consolidates losslessly when allowed, refuses otherwise", () => {
    const many: NetworkAclsSnapshot = { ...current, ipRules: Array.from({ length: 1000 }, (_, i) => `10.${Math.floor(i / 256)}.${i % 256}.0/24`) };
    expect(() => planFirewallChange(many, request(["172.16.0.1"]))).toThrow(/1001 IP rules; Key Vault allows 1000/);
    const change = planFirewallChange(many, request(["172.16.0.1"], true));
    expect(change.consolidated).toEqual({ from: 1001, to: 7 });
    expect(containsAllRules(change.desired, many)).toBe(true);
    const scattered: NetworkAclsSnapshot = { ...current, ipRules: Array.from({ length: 1000 }, (_, i) => `10.${i % 250}.${Math.floor(i / 250) * 2}.1/32`) };
    expect(() => planFirewallChange(scattered, request(["172.16.0.1"], true))).toThrow(/lossless consolidation only reaches/);
  });

  it("reports no change when the vault is already in the requested state", () => {
    const closed = { ...current, defaultAction: "Deny", ipRules: [...current.ipRules, "203.0.113.10/32"] };
    expect(planFirewallChange(closed, request(["203.0.113.10"])).changed).toBe(false);
    expect(networkAclsEqual(closed, { ...closed, ipRules: [...closed.ipRules].reverse() })).toBe(true);
  });
});
