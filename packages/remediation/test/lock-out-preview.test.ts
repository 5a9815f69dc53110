import { describe, expect, it } from "vitest";
import { lockOutVerdict } from "../src/plan/lock-out-preview.js";

const SUBNET = "/subscriptions/s/resourcegroups/rg/providers/microsoft.network/virtualnetworks/vnet/subnets/app";
const desired = { defaultAction: "Deny", bypass: "AzureServices", ipRules: ["203.0.113.0/24"], virtualNetworkRules: [{ id: SUBNET }] } as const;
const closedNoVnet = { defaultAction: "Deny", bypass: "None", ipRules: [], virtualNetworkRules: [] } as const;

describe("the lock-out preview models the firewall (issue 13)", () => {
  it("callers through a kept VNet rule, a private endpoint or the trusted-services bypass are not affected", () => {
    const copy = (acls: typeof desired) => ({ ...acls, ipRules: [...acls.ipRules], virtualNetworkRules: [...acls.virtualNetworkRules] });
    expect(lockOutVerdict({ ipAddress: "10.20.0.5", count: 12, via: "virtual-network" }, { desired: copy(desired) })).toEqual({ affected: false, because: "virtual-network" });
    expect(lockOutVerdict({ ipAddress: "10.30.0.9", count: 3, via: "private-endpoint" }, { desired: copy(desired) })).toEqual({ affected: false, because: "private-endpoint" });
    expect(lockOutVerdict({ ipAddress: "52.100.1.1", count: 2, via: "trusted-service" }, { desired: copy(desired) })).toEqual({ affected: false, because: "trusted-services-bypass" });
    // A private address with a private-endpoint connection on the vault, path not logged.
    expect(lockOutVerdict({ ipAddress: "10.20.0.5", count: 1 }, { desired: copy(desired), privateEndpoints: true })).toEqual({ affected: false, because: "private-endpoint" });
  });

  it("a private address is never cut off (ip rules cannot list it), even without VNet rules", () => {
    expect(lockOutVerdict({ ipAddress: "10.20.0.5", count: 1 }, { desired: { ...closedNoVnet, ipRules: [], virtualNetworkRules: [] } }).affected).toBe(false);
  });

  it("only public addresses outside the new rules are cut off; the bypass does not cover ordinary public callers", () => {
    const acls = { ...desired, ipRules: [...desired.ipRules], virtualNetworkRules: [...desired.virtualNetworkRules] };
    expect(lockOutVerdict({ ipAddress: "198.51.100.7", count: 4 }, { desired: acls })).toEqual({ affected: true });
    expect(lockOutVerdict({ ipAddress: "203.0.113.40", count: 4 }, { desired: acls })).toEqual({ affected: false, because: "ip-rule" });
    expect(lockOutVerdict({ ipAddress: "52.100.1.1", count: 2, via: "trusted-service" }, { desired: { ...closedNoVnet, ipRules: [], virtualNetworkRules: [] } })).toEqual({ affected: true });
    expect(lockOutVerdict({ ipAddress: "198.51.100.7", count: 1, via: "virtual-network" }, { desired: { ...closedNoVnet, ipRules: [], virtualNetworkRules: [] } })).toEqual({ affected: true });
  });
});
