import type { KeyVaultAlert } from "@keywarden/alerts";
import { parseAddress } from "@keywarden/core";
import type { AlertTarget, PrincipalTarget, VaultTarget } from "../recommended-action.js";
import { compileRanges, matchRanges } from "../source/address-space.js";
import { kindProfile } from "../source/kind-profile.js";
import type { Origin, SourceReport } from "../source-report.js";
import type { ResolvedTriagePolicy } from "../triage-policy.js";
import type { TriageFacts } from "../triage-rule.js";
import { namedObjects } from "./object-targets.js";
import { KEY_USE_OPERATIONS, lowerOperation, METADATA_OPERATIONS, SECRET_READ_OPERATIONS } from "./operations.js";

/** Operations the alert says were suspicious, else the ones its kind implies; empty when nothing says. */
export function alertOperations(alert: KeyVaultAlert): string[] {
  const suspicious = alert.operations.suspicious;
  if (suspicious.length > 0) {
    const listed = new Array<string>(suspicious.length);
    for (let i = 0; i < suspicious.length; i++) listed[i] = suspicious[i]!.operation;
    return listed;
  }
  return [...(kindProfile(alert.kind)?.impliedOperations ?? [])];
}

/** `alertOperations` in lower case, in one pass. */
function lowerCaseOperations(alert: KeyVaultAlert): string[] {
  const suspicious = alert.operations.suspicious;
  const source = suspicious.length > 0 ? undefined : (kindProfile(alert.kind)?.impliedOperations ?? []);
  const length = source === undefined ? suspicious.length : source.length;
  const operations = new Array<string>(length);
  for (let i = 0; i < length; i++) operations[i] = lowerOperation(source === undefined ? suspicious[i]!.operation : source[i]!);
  return operations;
}

/** Derives, once per alert, the conclusions every rule shares. Pure. */
export function deriveFacts(alert: KeyVaultAlert, source: SourceReport, policy: ResolvedTriagePolicy): TriageFacts {
  const { ip, principal } = source;
  const operations = lowerCaseOperations(alert);
  const known = operations.length > 0;

  const principalAllowListed =
    principal.objectId !== undefined && policy.trustedPrincipals.some((id) => id.toLowerCase() === principal.objectId);
  const validIp = ip.status === "valid" && ip.address !== undefined;
  const ipAllowListed = validIp && policy.trustedIpRanges.length > 0 && isAllowListed(ip.address ?? "", policy.trustedIpRanges);
  const firewallGrant = ip.vaultFirewall?.firewallEnabled === true && ip.vaultFirewall.matchedRule !== undefined;
  const ipUnrecognised =
    validIp && ip.private !== true && ip.tenantAddressSpace?.matched !== true && ip.tenantPublicIp === undefined && !firewallGrant && !ipAllowListed;

  const objects = namedObjects(alert.targets);
  // One object literal with every field (no spread, no late additions) keeps a single fast hidden class.
  return {
    origin: effectiveOrigin(source, ipAllowListed),
    accessSucceeded: source.accessOutcome !== "denied",
    accessDenied: source.accessOutcome === "denied",
    principalRecognised: principal.membership === "in-tenant" || principalAllowListed,
    principalForeign: principal.membership === "foreign" && !principalAllowListed,
    principalAllowListed,
    ipUnrecognised,
    ipAllowListed,
    secretsRead: known ? operations.some((operation) => SECRET_READ_OPERATIONS.has(operation)) : "unknown",
    keysUsed: operations.some((operation) => KEY_USE_OPERATIONS.has(operation)),
    metadataOnly: known && operations.every((operation) => METADATA_OPERATIONS.has(operation)),
    secretNames: objects.secretNames,
    secretVersions: objects.secretVersions,
    keyNames: objects.keyNames,
    keyVersions: objects.keyVersions,
    vault: vaultTarget(alert, source),
    principal: toPrincipalTarget(source),
    alert: alertTarget(alert),
  };
}

function isAllowListed(address: string, ranges: readonly string[]): boolean {
  const parsed = parseAddress(address);
  return parsed !== undefined && matchRanges(compileRanges(ranges, "The policy's trustedIpRanges"), parsed).matched;
}

/**
 * Allow-listing is the tenant declaring an address its own: it vouches against "not in the tenant's ranges" and
 * "an Azure address anyone could rent", never against Defender's Tor or Threat Intelligence verdicts.
 */
const VOUCHED_BY_ALLOW_LIST = new Set(["ip.outside-tenant-address-space", "ip.azure-hosted"]);

function effectiveOrigin(source: SourceReport, ipAllowListed: boolean): Origin {
  if (!ipAllowListed) return source.origin;
  const evidence = source.originEvidence.filter((item) => !VOUCHED_BY_ALLOW_LIST.has(item.code));
  if (evidence.some((item) => item.points === "outside-tenant")) return "outside-tenant";
  return "inside-tenant";
}

export function vaultTarget(alert: KeyVaultAlert, source: SourceReport): VaultTarget {
  const target: VaultTarget = {
    resourceId: alert.vault.resourceId,
    name: alert.vault.name,
    subscriptionId: alert.vault.subscriptionId,
    resourceGroup: alert.vault.resourceGroup,
  };
  if (alert.vault.vaultUri !== undefined) target.vaultUri = alert.vault.vaultUri;
  if (source.vault.authorization !== undefined) target.authorization = source.vault.authorization;
  return target;
}

function alertTarget(alert: KeyVaultAlert): AlertTarget {
  return { id: alert.id, systemAlertId: alert.systemAlertId };
}

function toPrincipalTarget(source: SourceReport): PrincipalTarget | undefined {
  const principal = source.principal;
  if (principal.objectId === undefined) return undefined;
  const target: PrincipalTarget = { objectId: principal.objectId, type: principal.type };
  if (principal.tenantId !== undefined) target.tenantId = principal.tenantId;
  if (principal.displayName !== undefined) target.displayName = principal.displayName;
  if (principal.userPrincipalName !== undefined) target.userPrincipalName = principal.userPrincipalName;
  if (principal.appId !== undefined) target.appId = principal.appId;
  return target;
}
