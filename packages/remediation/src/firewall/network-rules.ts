import type { NetworkAclsSnapshot } from "../plan/remediation-plan.js";
import { RemediationError } from "../errors/remediation-error.js";
import { RemediationCodes } from "../errors/remediation-codes.js";
import { cidrContains, consolidateCidrs, formatIpv4Cidr, isIpv6, parseIpv4Cidr, type Ipv4Cidr } from "@keywarden/core";

/** Key Vault firewall limits: at most 1,000 IPv4 rules and 200 virtual-network rules per vault. */
export const MAX_IP_RULES = 1000;
export const MAX_VIRTUAL_NETWORK_RULES = 200;

/** The comparison key of an IP rule: the masked network, so `1.2.3.4` and `1.2.3.4/32` are the same rule. */
export function ipRuleKey(value: string): string {
  const cidr = parseIpv4Cidr(value);
  return cidr === undefined ? value.trim().toLowerCase() : formatIpv4Cidr(cidr);
}

/** The comparison key of a subnet rule: Key Vault lower-cases subnet ids, so compare case-insensitively. */
export function subnetKey(id: string): string {
  return id.trim().replace(/\/+$/, "").toLowerCase();
}

const SUBNET_ID = /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/virtualNetworks\/[^/]+\/subnets\/[^/]+$/i;

export function isSubnetId(id: string): boolean {
  return SUBNET_ID.test(id.trim());
}

export interface FirewallChange {
  /** The complete NetworkRuleSet to write (existing rules kept verbatim, in their order). */
  desired: NetworkAclsSnapshot;
  /** IP rules added (normalised form). */
  addedIpRules: string[];
  addedVirtualNetworkRules: string[];
  /** Requested rules already covered by an existing rule. */
  alreadyCoveredIpRules: string[];
  /** Set when the IP rules were consolidated losslessly to fit the cap. */
  consolidated?: { from: number; to: number };
  /** Whether `desired` differs from `current` at all. */
  changed: boolean;
}

export interface FirewallRequest {
  defaultAction: "Deny";
  bypass: "AzureServices" | "None";
  addIpRules: readonly string[];
  addVirtualNetworkRules: readonly string[];
  consolidate: boolean;
}

/** Reads the Azure shape (any optional fields) into a complete snapshot with Azure's documented defaults. */
export function snapshotNetworkAcls(acls: {
  defaultAction?: string;
  bypass?: string;
  ipRules?: { value: string }[];
  virtualNetworkRules?: { id: string; ignoreMissingVnetServiceEndpoint?: boolean }[];
} | undefined): NetworkAclsSnapshot {
  return {
    defaultAction: acls?.defaultAction ?? "Allow",
    bypass: acls?.bypass ?? "AzureServices",
    ipRules: (acls?.ipRules ?? []).map((rule) => rule.value),
    virtualNetworkRules: (acls?.virtualNetworkRules ?? []).map((rule) =>
      rule.ignoreMissingVnetServiceEndpoint === undefined
        ? { id: rule.id }
        : { id: rule.id, ignoreMissingVnetServiceEndpoint: rule.ignoreMissingVnetServiceEndpoint },
    ),
  };
}

/**
 * Computes the whole NetworkRuleSet to write: current rules all kept, requested rules added unless an existing rule
 * already covers them, defaultAction and bypass set. Pure. Throws a clear error for IPv6 or malformed input and
 * when the cap cannot be met.
 */
export function planFirewallChange(current: NetworkAclsSnapshot, request: FirewallRequest): FirewallChange {
  const existing: { cidr: Ipv4Cidr | undefined; value: string }[] = current.ipRules.map((value) => ({
    cidr: parseIpv4Cidr(value),
    value,
  }));
  const ipRules = [...current.ipRules];
  const addedIpRules: string[] = [];
  const alreadyCoveredIpRules: string[] = [];
  for (const requested of request.addIpRules) {
    if (isIpv6(requested)) {
      throw new RemediationError(
        RemediationCodes.invalidNetworkRule,
        `"${requested}" is an IPv6 address; Key Vault firewall rules accept IPv4 only. Remove it from addIpRules ` +
          "(IPv6 callers are blocked by defaultAction Deny, or reach the vault through a private endpoint).",
      );
    }
    const cidr = parseIpv4Cidr(requested);
    if (cidr === undefined) {
      throw new RemediationError(
        RemediationCodes.invalidNetworkRule,
        `"${requested}" is not an IPv4 address or CIDR (expected a.b.c.d or a.b.c.d/n).`,
      );
    }
    if (existing.some((rule) => rule.cidr !== undefined && cidrContains(rule.cidr, cidr))) {
      alreadyCoveredIpRules.push(formatIpv4Cidr(cidr));
      continue;
    }
    const value = formatIpv4Cidr(cidr);
    existing.push({ cidr, value });
    ipRules.push(value);
    addedIpRules.push(value);
  }

  const virtualNetworkRules = current.virtualNetworkRules.map((rule) => ({ ...rule }));
  const subnetKeys = new Set(virtualNetworkRules.map((rule) => subnetKey(rule.id)));
  const addedVirtualNetworkRules: string[] = [];
  for (const requested of request.addVirtualNetworkRules) {
    if (!isSubnetId(requested)) {
      throw new RemediationError(
        RemediationCodes.invalidNetworkRule,
        `"${requested}" is not a subnet resource id (/subscriptions/<sub>/resourceGroups/<rg>/providers/` +
          "Microsoft.Network/virtualNetworks/<vnet>/subnets/<subnet>).",
      );
    }
    const key = subnetKey(requested);
    if (subnetKeys.has(key)) continue;
    subnetKeys.add(key);
    virtualNetworkRules.push({ id: requested.trim() });
    addedVirtualNetworkRules.push(requested.trim());
  }
  if (virtualNetworkRules.length > MAX_VIRTUAL_NETWORK_RULES) {
    throw new RemediationError(
      RemediationCodes.ruleCapExceeded,
      `The firewall would hold ${virtualNetworkRules.length} virtual-network rules; Key Vault allows ${MAX_VIRTUAL_NETWORK_RULES}. ` +
        "Remove unused subnet rules or use a private endpoint.",
    );
  }

  let finalIpRules = ipRules;
  let consolidated: FirewallChange["consolidated"];
  if (ipRules.length > MAX_IP_RULES) {
    const parsed = ipRules.map(parseIpv4Cidr);
    const merged = request.consolidate && parsed.every((cidr) => cidr !== undefined)
      ? consolidateCidrs(parsed).map(formatIpv4Cidr)
      : undefined;
    if (merged === undefined || merged.length > MAX_IP_RULES) {
      throw new RemediationError(
        RemediationCodes.ruleCapExceeded,
        `The firewall would hold ${ipRules.length} IP rules; Key Vault allows ${MAX_IP_RULES}` +
          (merged === undefined
            ? request.consolidate
              ? " and some existing rules are not IPv4 CIDRs, so they cannot be consolidated."
              : ". Allow consolidation (policy.firewall.consolidate) or remove rules first."
            : ` and lossless consolidation only reaches ${merged.length}. Remove rules or allow wider ranges yourself.`),
      );
    }
    consolidated = { from: ipRules.length, to: merged.length };
    finalIpRules = merged;
  }

  const desired: NetworkAclsSnapshot = {
    defaultAction: request.defaultAction,
    bypass: request.bypass,
    ipRules: finalIpRules,
    virtualNetworkRules,
  };
  const change: FirewallChange = {
    desired,
    addedIpRules,
    addedVirtualNetworkRules,
    alreadyCoveredIpRules,
    changed: !networkAclsEqual(current, desired),
  };
  if (consolidated !== undefined) change.consolidated = consolidated;
  return change;
}

/** Semantic equality of two rule sets (order-insensitive, `/32` and subnet-id case normalised). */
export function networkAclsEqual(a: NetworkAclsSnapshot, b: NetworkAclsSnapshot): boolean {
  return (
    a.defaultAction.toLowerCase() === b.defaultAction.toLowerCase() &&
    a.bypass.toLowerCase() === b.bypass.toLowerCase() &&
    sameSet(a.ipRules.map(ipRuleKey), b.ipRules.map(ipRuleKey)) &&
    sameSet(a.virtualNetworkRules.map((rule) => subnetKey(rule.id)), b.virtualNetworkRules.map((rule) => subnetKey(rule.id)))
  );
}

/** Whether every rule of `required` is still present in `actual` (normalised). */
export function containsAllRules(actual: NetworkAclsSnapshot, required: NetworkAclsSnapshot): boolean {
  const ips = new Set(actual.ipRules.map(ipRuleKey));
  const cidrs = actual.ipRules.map(parseIpv4Cidr).filter((cidr) => cidr !== undefined);
  const subnets = new Set(actual.virtualNetworkRules.map((rule) => subnetKey(rule.id)));
  return (
    required.ipRules.every((rule) => {
      if (ips.has(ipRuleKey(rule))) return true;
      const cidr = parseIpv4Cidr(rule);
      return cidr !== undefined && cidrs.some((outer) => cidrContains(outer, cidr));
    }) && required.virtualNetworkRules.every((rule) => subnets.has(subnetKey(rule.id)))
  );
}

function sameSet(a: string[], b: string[]): boolean {
  const left = new Set(a);
  const right = new Set(b);
  return left.size === right.size && [...left].every((item) => right.has(item));
}

/** Whether an IPv4 caller would still be allowed by the rule set (bypass and trusted services aside). */
export function isAllowedByRules(acls: NetworkAclsSnapshot, ipAddress: string): boolean {
  if (acls.defaultAction.toLowerCase() === "allow") return true;
  const cidr = parseIpv4Cidr(ipAddress);
  if (cidr === undefined) return false;
  return acls.ipRules.some((rule) => {
    const outer = parseIpv4Cidr(rule);
    return outer !== undefined && cidrContains(outer, cidr);
  });
}

/** One line: "Deny, bypass AzureServices, 5 IP rules, 1 VNet rule". */
export function describeNetworkAcls(acls: NetworkAclsSnapshot): string {
  const ip = acls.ipRules.length;
  const vnet = acls.virtualNetworkRules.length;
  return `${acls.defaultAction}, bypass ${acls.bypass}, ${ip} IP rule${ip === 1 ? "" : "s"}, ${vnet} VNet rule${vnet === 1 ? "" : "s"}`;
}
