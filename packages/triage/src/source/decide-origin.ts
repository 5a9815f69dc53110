import type { KeyVaultAlert } from "@keywarden/alerts";
import type { Evidence, IpReport, Origin, PrincipalReport } from "../source-report.js";

export interface OriginInputs {
  ip: IpReport;
  principal: PrincipalReport;
  tenantAddressSpaceConfigured: boolean;
  alertKind: KeyVaultAlert["kind"];
}

/** Detections whose very definition says the source address is hostile (Tor, Microsoft Threat Intelligence). */
const TOR_DETECTIONS = new Set<string>(["KV_TORAccess"]);
const FLAGGED_IP_DETECTIONS = new Set<string>(["KV_SuspiciousIPAccess", "KV_SuspiciousIPAccessDenied", "KV_UnusualAccessSuspiciousIP"]);

/**
 * Did the traffic come from inside the tenant? Network and identity evidence are weighed separately; any evidence
 * pointing outside wins (a known user calling from a Tor exit is still outside traffic: stolen credentials look
 * like known users), then any evidence pointing inside; otherwise the origin stays unknown.
 */
export function decideOrigin(inputs: OriginInputs): { origin: Origin; evidence: Evidence[] } {
  const network = networkEvidence(inputs);
  const evidence = [...network, ...detectionEvidence(inputs, network), ...principalEvidence(inputs.principal)];
  const order: Record<Origin, number> = { "outside-tenant": 0, "inside-tenant": 1, unknown: 2 };
  evidence.sort((a, b) => order[a.points] - order[b.points]);
  const origin = evidence.some((item) => item.points === "outside-tenant")
    ? "outside-tenant"
    : evidence.some((item) => item.points === "inside-tenant")
      ? "inside-tenant"
      : "unknown";
  return { origin, evidence };
}

function networkEvidence({ ip, tenantAddressSpaceConfigured }: OriginInputs): Evidence[] {
  if (ip.status !== "valid" || ip.address === undefined) return [];
  const address = ip.address;
  const result: Evidence[] = [];
  if (ip.torExitNode === true) {
    result.push({ code: "ip.tor-exit-node", points: "outside-tenant", message: `${address} is a Tor exit node: the caller is hiding where they come from.`, data: { address } });
  }
  if (ip.tenantAddressSpace?.matched === true) {
    const range = ip.tenantAddressSpace.range ?? "";
    const label = ip.tenantAddressSpace.label === undefined ? "" : ` (${ip.tenantAddressSpace.label})`;
    result.push({ code: "ip.tenant-address-space", points: "inside-tenant", message: `${address} is in the tenant's address space ${range}${label}.`, data: { address, range } });
  }
  if (ip.vaultFirewall?.firewallEnabled === true && ip.vaultFirewall.matchedRule !== undefined) {
    const rule = ip.vaultFirewall.matchedRule;
    result.push({ code: "ip.allowed-by-firewall", points: "inside-tenant", message: `${address} is allowed by the vault firewall rule ${rule}: it was granted access on purpose.`, data: { address, rule } });
  }
  if (ip.private === true) {
    result.push({ code: "ip.private-address", points: "inside-tenant", message: `${address} is a private address: the call came over a private endpoint or a connected network.`, data: { address } });
  }
  if (ip.azure !== undefined) {
    result.push({
      code: "ip.azure-hosted",
      points: "unknown",
      message: `${address} is an Azure address (${ip.azure.serviceTag}): Azure-hosted, could be any Azure customer.`,
      data: { address, serviceTag: ip.azure.serviceTag },
    });
  }
  const recognised = result.some((item) => item.points === "inside-tenant");
  if (!recognised && ip.private !== true && ip.torExitNode !== true && ip.azure === undefined) {
    if (tenantAddressSpaceConfigured) {
      result.push({ code: "ip.outside-tenant-address-space", points: "outside-tenant", message: `${address} is a public address outside the tenant's known address space.`, data: { address } });
    } else {
      result.push({ code: "ip.address-space-not-configured", points: "unknown", message: `${address} is public, but no tenant address space is configured to compare it with.`, data: { address } });
    }
  }
  return result;
}

/**
 * Defender's detection is evidence too: a KV_TORAccess alert says the address is a Tor exit even when the local
 * Tor list is stale, and the suspicious-IP alerts carry Microsoft Threat Intelligence's verdict. Not counted when
 * the address is the tenant's own (then it is a compromised inside host, and the network evidence says so).
 */
function detectionEvidence(inputs: OriginInputs, network: readonly Evidence[]): Evidence[] {
  const kind = inputs.alertKind;
  if (network.some((item) => item.points === "inside-tenant")) return [];
  const address = inputs.ip.status === "valid" ? inputs.ip.address : undefined;
  const subject = address ?? "the source address";
  if (TOR_DETECTIONS.has(kind) && inputs.ip.torExitNode !== true) {
    return [{ code: "alert.tor-detection", points: "outside-tenant", message: `Defender detected ${subject} as a Tor exit node (${kind}).`, data: { alertKind: kind } }];
  }
  if (FLAGGED_IP_DETECTIONS.has(kind)) {
    return [{ code: "alert.flagged-ip", points: "outside-tenant", message: `Microsoft Threat Intelligence flags ${subject} as suspicious (${kind}).`, data: { alertKind: kind } }];
  }
  return [];
}

function principalEvidence(principal: PrincipalReport): Evidence[] {
  const id = principal.objectId;
  if (id === undefined) {
    return principal.microsoftFirstParty && principal.appId !== undefined
      ? [{ code: "principal.microsoft-first-party", points: "inside-tenant", message: `Application ${principal.displayName ?? principal.appId} is a Microsoft first-party service acting for the tenant.`, data: { appId: principal.appId } }]
      : [];
  }
  const name = principal.displayName ?? principal.userPrincipalName ?? id;
  if (principal.foundInDirectory === false) {
    return [{ code: "principal.not-in-directory", points: "outside-tenant", message: `Principal ${id} does not exist in the tenant's directory.`, data: { objectId: id } }];
  }
  if (principal.membership === "foreign") {
    if (principal.type === "user") {
      return [{ code: "principal.guest-user", points: "outside-tenant", message: `${name} is a guest user from another organisation.`, data: { objectId: id } }];
    }
    return [{ code: "principal.foreign-application", points: "outside-tenant", message: `${name} is an application owned by another organisation (${principal.appOwnerOrganizationId ?? "unknown tenant"}).`, data: { objectId: id } }];
  }
  if (principal.membership === "in-tenant") {
    if (principal.microsoftFirstParty) {
      return [{ code: "principal.microsoft-first-party", points: "inside-tenant", message: `${name} is a Microsoft first-party application acting in the tenant; not benign by itself.`, data: { objectId: id } }];
    }
    const code = principal.type === "user" ? "principal.member-user" : principal.type === "managed-identity" ? "principal.managed-identity" : principal.type === "group" ? "principal.group" : "principal.tenant-application";
    const what = principal.type === "user" ? "a member user" : principal.type === "managed-identity" ? "a managed identity" : principal.type === "group" ? "a group" : "an application registered in this tenant";
    return [{ code, points: "inside-tenant", message: `${name} is ${what} of this tenant.`, data: { objectId: id } }];
  }
  return [];
}
