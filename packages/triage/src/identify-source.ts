import type { KeyVaultAlert } from "@keywarden/alerts";
import { createLookupCache } from "./lookup-cache.js";
import { classifyAddress, parseAddress, type AddressClassification } from "@keywarden/core";
import type { DirectoryObject } from "./providers/directory-provider.js";
import type { ServiceTagMatch } from "./providers/network-intelligence.js";
import type { TenantPublicIp } from "./providers/public-ip-reader.js";
import type { VaultDescription } from "./providers/vault-inspector.js";
import { compileRanges, matchRanges } from "./source/address-space.js";
import { decideOrigin } from "./source/decide-origin.js";
import { matchFirewall } from "./source/firewall-match.js";
import { isMicrosoftTenant, knownClientAppName, knownFirstPartyAppName } from "./source/first-party.js";
import { accessOutcomeOf } from "./source/kind-profile.js";
import { LookupRunner, type LookupResult } from "./source/lookup-runner.js";
import type {
  DirectoryObjectRef,
  DirectoryRoleAssignment,
  IpReport,
  PrincipalMembership,
  PrincipalReport,
  RoleAssignmentRef,
  SourceReport,
  VaultAccess,
  TenantPublicIpMatch,
  VaultReport,
} from "./source-report.js";
import type { TriageContext } from "./triage-context.js";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Step 1 of Microsoft's guidance: identify the source. Asks the context providers concurrently (through the run's
 * cache) about the IP, the principal and the vault, and decides whether the traffic came from inside the tenant.
 *
 * Never throws for missing or failing evidence (unless `context.strict`): what could not be established is listed
 * in `missingEvidence`, with the provider error attached, and `origin` stays `unknown` rather than guessed.
 */
export async function identifySource(alert: KeyVaultAlert, context: TriageContext = {}): Promise<SourceReport> {
  context.abortSignal?.throwIfAborted();
  const runner = new LookupRunner(context.cache ?? createLookupCache(), context.strict ?? false, context.abortSignal);
  const address = classifyAddress(alert.source.ipAddress);
  const objectId = guidOrUndefined(alert.source.objectId);
  const appId = guidOrUndefined(alert.source.applicationId);
  const tenantAddressSpace = compileRanges(context.tenantAddressSpace, "The tenant address space (context.tenantAddressSpace)");

  noteAlertGaps(alert, address, objectId, appId, runner);

  const [vault, network, publicIp, principal, assignments, application] = await Promise.all([
    lookupVault(alert.vault.resourceId, context, runner),
    lookupNetwork(address, context, runner),
    lookupTenantPublicIp(alert, address, context, runner),
    objectId === undefined ? Promise.resolve(undefined) : lookupPrincipal(objectId, context, runner),
    objectId === undefined ? Promise.resolve(undefined) : lookupAssignments(alert.vault.resourceId, objectId, context, runner),
    appId === undefined ? Promise.resolve(undefined) : lookupApplication(appId, context, runner),
  ]);

  const vaultTenantId = vault?.tenantId;
  const homeTenantId = context.tenantId ?? vaultTenantId;
  const ip = buildIpReport(alert, address, tenantAddressSpace, vault, network);
  if (publicIp !== undefined) ip.tenantPublicIp = publicIp;
  const principalReport = buildPrincipalReport({
    objectId,
    alertAppId: appId,
    lookup: principal,
    homeTenantId,
    alertTenantId: accountTenantId(alert),
    vault,
    assignments,
  });
  if (alert.source.userPrincipalName !== undefined && principalReport.userPrincipalName === undefined) {
    principalReport.userPrincipalName = alert.source.userPrincipalName;
  }

  let applicationReport: PrincipalReport | undefined;
  if (appId !== undefined && principalReport.appId?.toLowerCase() !== appId.toLowerCase()) {
    applicationReport = buildApplicationReport(appId, application, homeTenantId);
  }

  const vaultReport: VaultReport = {
    resourceId: alert.vault.resourceId,
    name: alert.vault.name,
    subscriptionId: alert.vault.subscriptionId,
    resourceGroup: alert.vault.resourceGroup,
  };
  if (vault !== undefined) {
    vaultReport.tenantId = vault.tenantId;
    vaultReport.authorization = vault.authorization;
    vaultReport.firewall = vault.firewall;
  }

  const { origin, evidence, conflicts } = decideOrigin({
    ip,
    principal: principalReport,
    tenantAddressSpaceConfigured: tenantAddressSpace.length > 0,
    alertKind: alert.kind,
    ...(alert.source.userPrincipalName === undefined ? {} : { alertUserPrincipalName: alert.source.userPrincipalName }),
  });

  const report: SourceReport = {
    alertId: alert.id,
    systemAlertId: alert.systemAlertId,
    alertKind: alert.kind,
    simulated: alert.simulated,
    accessOutcome: accessOutcomeOf(alert),
    vault: vaultReport,
    ip,
    principal: principalReport,
    origin,
    originEvidence: evidence,
    missingEvidence: runner.missing,
  };
  if (applicationReport !== undefined) report.application = applicationReport;
  if (conflicts.length > 0) report.originConflicts = conflicts;
  return report;
}

function guidOrUndefined(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed !== undefined && GUID.test(trimmed) && !/^0{8}-/.test(trimmed) ? trimmed.toLowerCase() : undefined;
}

function noteAlertGaps(
  alert: KeyVaultAlert,
  address: AddressClassification,
  objectId: string | undefined,
  appId: string | undefined,
  runner: LookupRunner,
): void {
  if (address.status === "missing") {
    runner.note("alert", "ip.address", "The alert carries no source IP address, so the network origin cannot be checked.");
  } else if (address.status === "placeholder") {
    runner.note("alert", "ip.address", `The alert's source IP "${address.text}" is a placeholder (sample alerts carry 00.00.00.00), not an address.`);
  } else if (address.status === "invalid") {
    runner.note("alert", "ip.address", `The alert's source IP "${address.text}" is not a valid IPv4 or IPv6 address.`);
  }
  if (objectId === undefined) {
    const raw = alert.source.objectId;
    runner.note(
      "alert",
      "principal.object-id",
      raw === undefined
        ? "The alert carries no principal object id (Defender omits it for traffic from outside Azure AD), so the principal cannot be looked up."
        : `The alert's principal object id "${raw}" is not a GUID, so it was not looked up.`,
    );
  }
  if (alert.source.applicationId !== undefined && appId === undefined) {
    runner.note("alert", "application.app-id", `The alert's application id "${alert.source.applicationId}" is not a GUID, so it was not looked up.`);
  }
}

async function lookupVault(resourceId: string, context: TriageContext, runner: LookupRunner): Promise<VaultDescription | undefined> {
  const inspector = context.vaults;
  if (inspector === undefined) {
    runner.note("vault", "vault.configuration", "No vault inspector is configured: firewall state and access entries are unknown.");
    return undefined;
  }
  const result = await runner.run("vault", "vault.configuration", `vault:${resourceId.toLowerCase()}`, `Reading vault ${resourceId}`, (options) =>
    inspector.getVault(resourceId, options),
  );
  return result.ok ? result.value : undefined;
}

interface NetworkLookup {
  tags?: ServiceTagMatch[];
  tor?: boolean;
}

async function lookupNetwork(address: AddressClassification, context: TriageContext, runner: LookupRunner): Promise<NetworkLookup> {
  if (address.status !== "valid" || address.private) return {};
  const network = context.network;
  if (network === undefined) {
    runner.note("network", "ip.reputation", "No network intelligence is configured: Azure service tags and Tor exit nodes were not checked.");
    return {};
  }
  const ip = address.address.normalized;
  const [tags, tor] = await Promise.all([
    runner.run("network", "ip.service-tag", `network:tags:${ip}`, `Looking up ${ip} in the Azure service tags`, (options) =>
      network.findServiceTags(ip, options),
    ),
    runner.run("network", "ip.tor-exit-node", `network:tor:${ip}`, `Checking ${ip} against the Tor exit list`, (options) =>
      network.isTorExitNode(ip, options),
    ),
  ]);
  const result: NetworkLookup = {};
  if (tags.ok) result.tags = tags.value;
  if (tor.ok && tor.value !== undefined) result.tor = tor.value;
  if (tor.ok && tor.value === undefined) {
    runner.note("network", "ip.tor-exit-node", "No Tor exit list is configured: Tor exit nodes were not checked (Defender's own Tor detection still counts).");
  }
  return result;
}

/**
 * Is the address one of the tenant's own public IPs? Asked of each subscription once per run (the cache key is the
 * subscription, so a burst of alerts reads each subscription's list once). Private addresses are not asked about.
 */
async function lookupTenantPublicIp(
  alert: KeyVaultAlert,
  address: AddressClassification,
  context: TriageContext,
  runner: LookupRunner,
): Promise<TenantPublicIpMatch | undefined> {
  if (address.status !== "valid" || address.private) return undefined;
  const reader = context.publicIps;
  if (reader === undefined) return undefined;
  const subscriptions = [...new Set((context.publicIpSubscriptions ?? [alert.vault.subscriptionId]).map((id) => id.toLowerCase()))];
  const lists = await Promise.all(
    subscriptions.map((subscriptionId) =>
      runner.run("network", "ip.tenant-public-ip", `network:public-ips:${subscriptionId}`, `Listing the public IP addresses of subscription ${subscriptionId}`, (options) =>
        reader.listPublicIps(subscriptionId, options),
      ),
    ),
  );
  const wanted = address.address.normalized;
  for (const list of lists) {
    if (!list.ok) continue;
    const match = list.value.find((candidate: TenantPublicIp) => parseAddress(candidate.ipAddress)?.normalized === wanted);
    if (match !== undefined) return { name: match.name, resourceId: match.resourceId };
  }
  return undefined;
}

interface PrincipalLookup {
  object: LookupResult<DirectoryObject | undefined>;
  roles: LookupResult<DirectoryRoleAssignment[]>;
  owners: LookupResult<DirectoryObjectRef[]>;
}

async function lookupPrincipal(objectId: string, context: TriageContext, runner: LookupRunner): Promise<PrincipalLookup | undefined> {
  const directory = context.directory;
  if (directory === undefined) {
    runner.note("directory", "principal.directory-entry", "No directory provider is configured: the principal's type, tenant and roles are unknown.");
    return undefined;
  }
  const [object, roles] = await Promise.all([
    runner.run("directory", "principal.directory-entry", `directory:object:${objectId}`, `Looking up principal ${objectId} in the directory`, (options) =>
      directory.getDirectoryObject(objectId, options),
    ),
    runner.run("directory", "principal.directory-roles", `directory:roles:${objectId}`, `Listing directory roles of ${objectId}`, (options) =>
      directory.listDirectoryRoles(objectId, options),
    ),
  ]);
  const owners = object.ok && object.value?.type === "service-principal" ? await lookupOwners(object.value, context, runner) : { ok: true as const, value: [] };
  return { object, roles, owners };
}

function lookupOwners(object: DirectoryObject, context: TriageContext, runner: LookupRunner): Promise<LookupResult<DirectoryObjectRef[]>> {
  const directory = context.directory;
  if (directory === undefined) return Promise.resolve({ ok: false });
  return runner.run("directory", "principal.owners", `directory:owners:${object.objectId}`, `Listing owners of ${object.objectId}`, (options) =>
    directory.listOwners(object.objectId, object.type, options),
  );
}

async function lookupAssignments(
  vaultResourceId: string,
  objectId: string,
  context: TriageContext,
  runner: LookupRunner,
): Promise<RoleAssignmentRef[] | undefined> {
  const inspector = context.vaults;
  if (inspector === undefined) return undefined;
  const result = await runner.run(
    "vault",
    "principal.role-assignments",
    `vault:assignments:${vaultResourceId.toLowerCase()}:${objectId}`,
    `Listing role assignments of ${objectId} on ${vaultResourceId}`,
    (options) => inspector.listRoleAssignments(vaultResourceId, objectId, options),
  );
  return result.ok ? result.value : undefined;
}

interface ApplicationLookup {
  object: LookupResult<DirectoryObject | undefined>;
  owners: LookupResult<DirectoryObjectRef[]>;
}

async function lookupApplication(appId: string, context: TriageContext, runner: LookupRunner): Promise<ApplicationLookup | undefined> {
  const directory = context.directory;
  if (directory === undefined) return undefined;
  const object = await runner.run("directory", "application.directory-entry", `directory:app:${appId}`, `Looking up application ${appId}`, (options) =>
    directory.getServicePrincipalByAppId(appId, options),
  );
  const owners = object.ok && object.value !== undefined ? await lookupOwners(object.value, context, runner) : { ok: true as const, value: [] };
  return { object, owners };
}

function buildIpReport(
  alert: KeyVaultAlert,
  address: AddressClassification,
  tenantAddressSpace: ReturnType<typeof compileRanges>,
  vault: VaultDescription | undefined,
  network: NetworkLookup,
): IpReport {
  const report: IpReport = { status: address.status };
  if (address.status !== "missing") report.address = address.text;
  if (alert.source.ipLocation !== undefined) report.location = alert.source.ipLocation;
  if (address.status !== "valid") return report;
  const parsed = address.address;
  report.version = parsed.family;
  report.private = address.private;
  if (tenantAddressSpace.length > 0) report.tenantAddressSpace = matchRanges(tenantAddressSpace, parsed);
  if (vault !== undefined) report.vaultFirewall = matchFirewall(vault.firewall, parsed);
  const tags = network.tags;
  const top = tags?.[0];
  if (tags !== undefined && top !== undefined) {
    report.azure = {
      serviceTag: top.name,
      prefix: top.prefix,
      allTags: [...new Set(tags.map((tag) => tag.name))],
    };
    const region = tags.find((tag) => tag.region !== undefined)?.region;
    if (region !== undefined) report.azure.region = region;
    if (top.systemService !== undefined) report.azure.systemService = top.systemService;
  }
  if (network.tor !== undefined) report.torExitNode = network.tor;
  return report;
}

interface PrincipalInputs {
  objectId: string | undefined;
  alertAppId: string | undefined;
  lookup: PrincipalLookup | undefined;
  homeTenantId: string | undefined;
  alertTenantId: string | undefined;
  vault: VaultDescription | undefined;
  assignments: RoleAssignmentRef[] | undefined;
}

function buildPrincipalReport(inputs: PrincipalInputs): PrincipalReport {
  const { objectId, lookup, homeTenantId } = inputs;
  const report: PrincipalReport = { type: "unknown", membership: "unknown", microsoftFirstParty: false, owners: [], directoryRoles: [] };
  if (objectId === undefined) {
    // No principal: an app id alone may still identify a Microsoft service reading metadata.
    if (knownFirstPartyAppName(inputs.alertAppId) !== undefined && inputs.alertAppId !== undefined) {
      report.appId = inputs.alertAppId;
      report.displayName = knownFirstPartyAppName(inputs.alertAppId);
      report.microsoftFirstParty = true;
    }
    return report;
  }
  report.objectId = objectId;
  const tenantId = inputs.alertTenantId ?? homeTenantId;
  if (tenantId !== undefined) report.tenantId = tenantId;

  if (lookup?.object.ok === true) {
    const object = lookup.object.value;
    report.foundInDirectory = object !== undefined;
    if (object !== undefined) applyDirectoryObject(report, object, homeTenantId);
    else report.membership = "foreign";
  } else if (knownFirstPartyAppName(inputs.alertAppId) !== undefined) {
    report.microsoftFirstParty = true;
  }
  if (lookup?.roles.ok === true) report.directoryRoles = lookup.roles.value;
  if (lookup?.owners.ok === true) report.owners = lookup.owners.value;

  if (inputs.vault !== undefined) report.vaultAccess = buildVaultAccess(inputs.vault, objectId, inputs.assignments);
  return report;
}

function applyDirectoryObject(report: PrincipalReport, object: DirectoryObject, homeTenantId: string | undefined): void {
  report.type = object.type;
  copyDefined(report, object);
  report.membership = membershipOf(object, homeTenantId);
  report.microsoftFirstParty =
    (object.type === "service-principal" && isMicrosoftTenant(object.appOwnerOrganizationId)) ||
    (object.appOwnerOrganizationId === undefined && knownFirstPartyAppName(object.appId) !== undefined);
}

function copyDefined(report: PrincipalReport, object: DirectoryObject): void {
  if (object.displayName !== undefined) report.displayName = object.displayName;
  if (object.userPrincipalName !== undefined) report.userPrincipalName = object.userPrincipalName;
  if (object.mail !== undefined) report.mail = object.mail;
  if (object.userType !== undefined) report.userType = object.userType;
  if (object.accountEnabled !== undefined) report.accountEnabled = object.accountEnabled;
  if (object.appId !== undefined) report.appId = object.appId;
  if (object.appOwnerOrganizationId !== undefined) report.appOwnerOrganizationId = object.appOwnerOrganizationId;
}

/** In-tenant or foreign, from what the directory says about the object. */
function membershipOf(object: DirectoryObject, homeTenantId: string | undefined): PrincipalMembership {
  switch (object.type) {
    case "user":
      return object.userType?.toLowerCase() === "guest" || object.userPrincipalName?.includes("#EXT#") === true ? "foreign" : "in-tenant";
    case "managed-identity":
    case "group":
      return "in-tenant";
    case "service-principal": {
      const owner = object.appOwnerOrganizationId?.toLowerCase();
      if (owner === undefined) return knownFirstPartyAppName(object.appId) !== undefined ? "in-tenant" : "unknown";
      if (isMicrosoftTenant(owner)) return "in-tenant";
      if (homeTenantId === undefined) return "unknown";
      return owner === homeTenantId.toLowerCase() ? "in-tenant" : "foreign";
    }
    case "unknown":
      return "unknown";
  }
}

function buildApplicationReport(appId: string, lookup: ApplicationLookup | undefined, homeTenantId: string | undefined): PrincipalReport {
  const report: PrincipalReport = {
    type: "service-principal",
    membership: "unknown",
    microsoftFirstParty: knownFirstPartyAppName(appId) !== undefined,
    appId,
    owners: [],
    directoryRoles: [],
  };
  const name = knownFirstPartyAppName(appId) ?? knownClientAppName(appId);
  if (name !== undefined) report.displayName = name;
  if (lookup?.object.ok === true) {
    const object = lookup.object.value;
    report.foundInDirectory = object !== undefined;
    if (object !== undefined) {
      report.objectId = object.objectId;
      applyDirectoryObject(report, object, homeTenantId);
    }
    // No service principal here: a public client (Azure CLI, the portal) or an app never consented in this tenant.
    // Either way the directory cannot say whose it is, so membership stays unknown.
  }
  if (lookup?.owners.ok === true) report.owners = lookup.owners.value;
  return report;
}

function buildVaultAccess(vault: VaultDescription, objectId: string, assignments: RoleAssignmentRef[] | undefined): VaultAccess {
  const accessPolicies = vault.accessPolicies.filter((entry) => entry.objectId.toLowerCase() === objectId);
  const roleAssignments = assignments ?? [];
  const dataAssignments = roleAssignments.filter((ref) => ref.plane !== "management");
  const canReadSecrets =
    vault.authorization === "rbac"
      ? dataAssignments.some((ref) => ref.readsSecrets)
      : accessPolicies.some((entry) => (entry.permissions.secrets ?? []).some((p) => ["get", "all"].includes(p.toLowerCase())));
  return {
    vaultResourceId: vault.resourceId,
    authorization: vault.authorization,
    accessPolicies,
    roleAssignments,
    canReadSecrets,
    canChangeAccess: roleAssignments.some((ref) => ref.changesAccess),
  };
}

/** The tenant id on the alert's account entity (`aadTenantId`), when Defender included it. */
function accountTenantId(alert: KeyVaultAlert): string | undefined {
  for (const entity of alert.entities) {
    if (entity.type !== "account") continue;
    for (const [key, value] of Object.entries(entity.properties)) {
      if (key.toLowerCase() === "aadtenantid" && typeof value === "string" && GUID.test(value)) return value.toLowerCase();
    }
  }
  return undefined;
}
