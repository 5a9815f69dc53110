import type { KeyVaultAlert } from "@keywarden/alerts";
import type { Evidence, IpReport, Origin, PrincipalReport } from "../source-report.js";

export interface OriginInputs {
  ip: IpReport;
  principal: PrincipalReport;
  tenantAddressSpaceConfigured: boolean;
  alertKind: KeyVaultAlert["kind"];
  /** The UPN the alert itself carries, compared with the directory's. */
  alertUserPrincipalName?: string;
}

/** Detections whose very definition says the source address is hostile (Tor, Microsoft Threat Intelligence). */
const TOR_DETECTIONS = new Set<string>(["KV_TORAccess"]);
const FLAGGED_IP_DETECTIONS = new Set<string>(["KV_SuspiciousIPAccess", "KV_SuspiciousIPAccessDenied", "KV_UnusualAccessSuspiciousIP"]);

/**
 * Did the traffic come from inside the tenant? Network and identity evidence are weighed separately; any evidence
 * pointing outside wins (a known user calling from a Tor exit is still outside traffic: stolen credentials look
 * like known users), then any evidence pointing inside; otherwise the origin stays unknown.
 *
 * What counts as inside network evidence is only the tenant's own declared address space (configured ranges, the
 * tenant's public IPs) and private addresses. An Azure address outside that space is outside evidence: Azure VMs
 * carry Microsoft addresses and anyone can rent one. A vault firewall rule that matches proves only that the
 * firewall let the caller in. Defender's Tor and Threat Intelligence verdicts always count, whatever else matches;
 * when they contradict inside evidence the conflict is reported (and the verdict stays strict).
 */
export function decideOrigin(inputs: OriginInputs): { origin: Origin; evidence: Evidence[]; conflicts: Evidence[] } {
  const network = networkEvidence(inputs);
  const evidence = [...network, ...detectionEvidence(inputs), ...principalEvidence(inputs.principal), ...identityConflicts(inputs)];
  const order: Record<Origin, number> = { "outside-tenant": 0, "inside-tenant": 1, unknown: 2 };
  evidence.sort((a, b) => order[a.points] - order[b.points]);
  const outside = evidence.filter((item) => item.points === "outside-tenant");
  const inside = evidence.filter((item) => item.points === "inside-tenant");
  const origin = outside.length > 0 ? "outside-tenant" : inside.length > 0 ? "inside-tenant" : "unknown";
  return { origin, evidence, conflicts: inside.length === 0 ? [] : conflictsOf(outside, inside) };
}

/**
 * Evidence pointing both ways is a conflict a person should see: a Tor exit inside the tenant's ranges, a flagged
 * address on the allow-list, a member object id with a UPN of another tenant. The verdict already follows the
 * outside evidence; this says why it is not lenient.
 */
function conflictsOf(outside: readonly Evidence[], inside: readonly Evidence[]): Evidence[] {
  const result: Evidence[] = [];
  for (const against of outside) {
    const hostileAddress = HOSTILE_ADDRESS_CODES.has(against.code);
    const contradictedIdentity = against.code === "principal.upn-mismatch";
    if (!hostileAddress && !contradictedIdentity) continue;
    for (const forInside of inside) {
      const relevant = hostileAddress ? forInside.code.startsWith("ip.") : forInside.code.startsWith("principal.");
      if (!relevant) continue;
      result.push({
        code: "conflict.evidence",
        points: "outside-tenant",
        message: `Conflicting evidence: ${against.message} Yet ${lowerFirst(forInside.message)} The outside evidence wins: inconsistent evidence never makes the verdict lenient.`,
        data: { outside: against.code, inside: forInside.code },
      });
    }
  }
  return result;
}

/** Evidence that the address itself is hostile, whatever range it sits in. */
const HOSTILE_ADDRESS_CODES = new Set(["ip.tor-exit-node", "alert.tor-detection", "alert.flagged-ip"]);

function lowerFirst(text: string): string {
  return text.length === 0 ? text : text[0]!.toLowerCase() + text.slice(1);
}

function networkEvidence({ ip, tenantAddressSpaceConfigured }: OriginInputs): Evidence[] {
  if (ip.status !== "valid" || ip.address === undefined) return [];
  const address = ip.address;
  const result: Evidence[] = [];
  if (ip.torExitNode === true) {
    result.push({ code: "ip.tor-exit-node", points: "outside-tenant", message: `${address} is a Tor exit node: the caller is hiding where they come from.`, data: { address } });
  }
  const declaredRange = ip.tenantAddressSpace?.matched === true;
  const declared = declaredRange || ip.tenantPublicIp !== undefined;
  if (ip.tenantPublicIp !== undefined) {
    const { name, resourceId } = ip.tenantPublicIp;
    result.push({
      code: "ip.tenant-public-ip",
      points: "inside-tenant",
      message: `${address} is tenant public IP ${name} (${resourceId}).`,
      data: { address, name, resourceId },
    });
  }
  if (declaredRange) {
    const range = ip.tenantAddressSpace?.range ?? "";
    const label = ip.tenantAddressSpace?.label === undefined ? "" : ` (${ip.tenantAddressSpace.label})`;
    result.push({ code: "ip.tenant-address-space", points: "inside-tenant", message: `${address} is in the tenant's address space ${range}${label}.`, data: { address, range } });
  }
  if (ip.vaultFirewall?.firewallEnabled === true && ip.vaultFirewall.matchedRule !== undefined) {
    const rule = ip.vaultFirewall.matchedRule;
    // A firewall rule says someone let this range in, not that the caller is the tenant's: a /8 lets in strangers.
    result.push({ code: "ip.allowed-by-firewall", points: "unknown", message: `${address} is allowed by the vault firewall rule ${rule}: the firewall let it in, which does not show the caller is the tenant's.`, data: { address, rule } });
  }
  if (ip.private === true) {
    result.push({ code: "ip.private-address", points: "inside-tenant", message: `${address} is a private address: the call came over a private endpoint or a connected network.`, data: { address } });
  }
  if (ip.azure !== undefined && !declared) {
    result.push({
      code: "ip.azure-hosted",
      points: "outside-tenant",
      message: `${address} is an Azure address (${ip.azure.serviceTag}) outside the tenant's declared address space: Azure-hosted, could be any Azure customer, as suspicious as any public address.`,
      data: { address, serviceTag: ip.azure.serviceTag },
    });
  }
  if (!declared && ip.private !== true && ip.torExitNode !== true && ip.azure === undefined) {
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
 * Tor list is stale, and the suspicious-IP alerts carry Microsoft Threat Intelligence's verdict. Never overridden by
 * a firewall match or the tenant's ranges (a compromised inside host is still hostile traffic).
 */
function detectionEvidence(inputs: OriginInputs): Evidence[] {
  const kind = inputs.alertKind;
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

/**
 * The alert's own identity claims against the directory: a member object id whose directory UPN differs from the
 * UPN the alert carries (another tenant's domain) is not a recognised caller, it is a contradiction.
 */
function identityConflicts({ principal, alertUserPrincipalName }: OriginInputs): Evidence[] {
  const claimed = alertUserPrincipalName?.trim();
  const known = principal.userPrincipalName;
  if (claimed === undefined || claimed === "" || known === undefined || principal.foundInDirectory !== true) return [];
  if (claimed.toLowerCase() === known.toLowerCase()) return [];
  return [
    {
      code: "principal.upn-mismatch",
      points: "outside-tenant",
      message: `The alert names ${claimed}, but object id ${principal.objectId ?? ""} is ${known} in the tenant's directory.`,
      data: { claimed, directory: known },
    },
  ];
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
