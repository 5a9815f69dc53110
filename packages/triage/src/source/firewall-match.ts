import { parseRange, rangeContains, type ParsedAddress } from "@keywarden/core";
import type { FirewallMatch, FirewallState } from "../source-report.js";

/** Would the vault's current network rules let this address in over the public endpoint? */
export function matchFirewall(firewall: FirewallState, address: ParsedAddress): FirewallMatch {
  if (firewall.publicNetworkAccess === "Disabled") {
    return {
      firewallEnabled: true,
      allowed: false,
      explanation:
        "Public network access is disabled: only private endpoints (and trusted services, if bypassed) reach the vault.",
    };
  }
  if (!firewall.enabled) {
    return {
      firewallEnabled: false,
      allowed: true,
      explanation: "The vault firewall is off (defaultAction Allow): every address can reach it.",
    };
  }
  for (const rule of firewall.ipRules) {
    const range = parseRange(rule);
    if (range !== undefined && rangeContains(range, address)) {
      return {
        firewallEnabled: true,
        allowed: true,
        matchedRule: rule,
        explanation: `The firewall is on and the ip rule ${rule} allows this address: someone granted it.`,
      };
    }
  }
  return {
    firewallEnabled: true,
    allowed: false,
    explanation:
      "The firewall is on and no ip rule allows this address: it can only have come through a virtual network rule, a private endpoint or the trusted-services bypass.",
  };
}
