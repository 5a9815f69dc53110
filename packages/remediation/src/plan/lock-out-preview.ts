import { classifyAddress } from "@keywarden/core";
import { isAllowedByRules } from "../firewall/network-rules.js";
import type { NetworkAclsSnapshot } from "./remediation-plan.js";
import type { ImpactInput } from "./impact-input.js";

/** How a caller's requests reached the vault, when the logs say (AZKVAuditLogs `AddressAuthorizationType`). */
export type CallerPath = "public" | "virtual-network" | "private-endpoint" | "trusted-service";

/** What the new firewall does to one caller. */
export type LockOutVerdict =
  | { affected: false; because: "ip-rule" | "virtual-network" | "private-endpoint" | "trusted-services-bypass" | "private-network" | "firewall-open" }
  | { affected: true };

export interface LockOutContext {
  /** The firewall the plan would leave in place. */
  desired: NetworkAclsSnapshot;
  /** The vault has at least one approved private-endpoint connection. */
  privateEndpoints?: boolean;
}

/**
 * Models the firewall the plan leaves: ip rules only ever filter public traffic. A request through a kept virtual
 * network rule, over a private endpoint, or from a trusted Microsoft service while the bypass is `AzureServices`
 * is not affected; a private address can only arrive over a virtual network or a private endpoint (Key Vault ip
 * rules cannot even list one), so it is never "cut off" and never advised into the ip rules. Only a public address
 * the new rules do not cover is cut off.
 */
export function lockOutVerdict(caller: ImpactInput["callers"][number] & { via?: CallerPath }, context: LockOutContext): LockOutVerdict {
  const { desired } = context;
  if (desired.defaultAction.toLowerCase() === "allow") return { affected: false, because: "firewall-open" };
  if (caller.via === "trusted-service" && desired.bypass === "AzureServices") return { affected: false, because: "trusted-services-bypass" };
  if (caller.via === "private-endpoint") return { affected: false, because: "private-endpoint" };
  if (caller.via === "virtual-network" && desired.virtualNetworkRules.length > 0) return { affected: false, because: "virtual-network" };
  const address = caller.ipAddress === undefined ? undefined : classifyAddress(caller.ipAddress);
  if (address?.status === "valid" && address.private) {
    if (context.privateEndpoints === true) return { affected: false, because: "private-endpoint" };
    if (desired.virtualNetworkRules.length > 0) return { affected: false, because: "virtual-network" };
    return { affected: false, because: "private-network" };
  }
  if (caller.ipAddress !== undefined && isAllowedByRules(desired, caller.ipAddress)) return { affected: false, because: "ip-rule" };
  return { affected: true };
}
