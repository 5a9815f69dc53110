/**
 * Building blocks for the ready-made scenarios: Azure-shaped vaults, Defender alerts and Key Vault diagnostic log
 * rows (both the resource-specific `AZKVAuditLogs` table and the legacy `AzureDiagnostics` one), consistent with each
 * other. Used by `build-scenarios.ts`; the JSON it writes is what ships.
 */
import { createHash } from "node:crypto";
import { azkvAuditLogRow, azureDiagnosticsRow, type AuditLogEvent, type AuditLogTarget } from "../src/diagnostics/audit-log-rows.js";
import type { ArmAccessPolicyEntry, FakeAzureSeed, SecurityAlert, Vault } from "../src/index.js";

export type { AuditLogCaller as Caller } from "../src/diagnostics/audit-log-rows.js";
import type { AuditLogCaller as Caller } from "../src/diagnostics/audit-log-rows.js";

export interface VaultRef {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
  location: string;
  tenantId: string;
}

export function vaultId(v: VaultRef): string {
  return `/subscriptions/${v.subscriptionId}/resourceGroups/${v.resourceGroup}/providers/Microsoft.KeyVault/vaults/${v.name}`;
}

export function vaultUri(v: VaultRef): string {
  return `https://${v.name}.vault.azure.net`;
}

/** A deterministic 32-hex Key Vault version / GUID from a label. */
export function hex32(label: string): string {
  return createHash("sha256").update(label).digest("hex").slice(0, 32);
}

export function guid(label: string): string {
  const h = hex32(label);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** A unique, obviously fake secret value (so tests can prove a value never leaks). */
export function fakeSecretValue(scenario: string, name: string, version: number): string {
  return `fake-${scenario}-${name}-v${version}-${hex32(`${scenario}/${name}/${version}`).slice(0, 12)}`;
}

export function vault(v: VaultRef, options: { rbac: boolean; accessPolicies?: ArmAccessPolicyEntry[]; networkAcls?: Vault["properties"]["networkAcls"]; purgeProtection?: boolean; tags?: Record<string, string> }): Vault {
  return {
    id: vaultId(v),
    name: v.name,
    type: "Microsoft.KeyVault/vaults",
    location: v.location,
    ...(options.tags ? { tags: options.tags } : {}),
    properties: {
      tenantId: v.tenantId,
      sku: { family: "A", name: "standard" },
      accessPolicies: options.accessPolicies ?? [],
      enabledForDeployment: false,
      enabledForDiskEncryption: false,
      enabledForTemplateDeployment: false,
      enableSoftDelete: true,
      softDeleteRetentionInDays: 90,
      enableRbacAuthorization: options.rbac,
      ...(options.purgeProtection ? { enablePurgeProtection: true } : {}),
      networkAcls: options.networkAcls ?? { bypass: "AzureServices", defaultAction: "Allow", ipRules: [], virtualNetworkRules: [] },
      publicNetworkAccess: "Enabled",
      vaultUri: `${vaultUri(v)}/`,
      provisioningState: "Succeeded",
    },
  };
}

function defenderTime(iso: string): string {
  return iso.replace(/\.(\d{3})Z$/u, ".$10000Z").replace(/:(\d\d)Z$/u, ":$1.0000000Z");
}

function usTime(iso: string): string {
  return `${iso.slice(5, 7)}/${iso.slice(8, 10)}/${iso.slice(0, 4)} ${iso.slice(11, 19)}`;
}

export interface AlertSpec {
  name: string;
  alertType: string;
  displayName: string;
  description: string;
  severity: "Low" | "Medium" | "High";
  intent: string;
  start: string;
  end: string;
  caller: Caller;
  ipLocation?: { countryCode: string; countryName: string; city?: string; state?: string; asn?: number };
  operations24h: string;
  suspiciousOperations: string;
  resultSignature: string;
  alertReasons: string;
  target?: string;
  techniques?: string[];
}

/** A Key Vault alert as the Alerts API returns it (camelCase, lower-first extended-property keys, `$id` entities). */
export function keyVaultAlert(v: VaultRef, spec: AlertSpec): SecurityAlert {
  const loc = v.location;
  const resourceId = `/SUBSCRIPTIONS/${v.subscriptionId.toUpperCase()}/RESOURCEGROUPS/${v.resourceGroup.toUpperCase()}/providers/microsoft.keyvault/vaults/${v.name}`;
  const entities: Record<string, unknown>[] = [{ $id: `${loc}_1`, resourceId, type: "azure-resource" }];
  if (spec.caller.objectId) {
    entities.push({
      $id: `${loc}_2`,
      aadUserId: spec.caller.objectId,
      ...(spec.caller.upn ? { name: spec.caller.upn.split("@")[0], upnSuffix: spec.caller.upn.split("@")[1] } : {}),
      isValid: true,
      type: "account",
    });
  }
  entities.push({ $id: `${loc}_3`, address: spec.caller.ip, ...(spec.ipLocation ? { location: spec.ipLocation } : {}), type: "ip" });
  const extendedProperties: Record<string, string> = {
    resourceType: "Key Vault",
    "start Time UTC": usTime(spec.start),
    "end Time UTC": usTime(spec.end),
    "all vault operations in last 24 hours": spec.operations24h,
    "suspicious Operations": spec.suspiciousOperations,
    "attacker IP Address": spec.caller.ip,
    ...(spec.caller.objectId ? { "attacker Object ID": spec.caller.objectId } : {}),
    ...(spec.caller.appId ? { "application ID": spec.caller.appId } : {}),
    ...(spec.caller.upn ? { "user Principal Name": spec.caller.upn } : {}),
    "result Signature": spec.resultSignature,
    "client Information": spec.caller.clientInfo ?? "",
    "alert Reasons": spec.alertReasons,
    ...(spec.target ? { target: spec.target } : {}),
  };
  const id = `/subscriptions/${v.subscriptionId}/resourceGroups/${v.resourceGroup}/providers/Microsoft.Security/locations/${loc}/alerts/${spec.name}`;
  return {
    id,
    name: spec.name,
    type: "Microsoft.Security/Locations/alerts",
    properties: {
      version: "2022-01-01.0",
      alertType: spec.alertType,
      systemAlertId: spec.name,
      productComponentName: "KeyVault",
      alertDisplayName: spec.displayName,
      description: spec.description,
      severity: spec.severity,
      intent: spec.intent,
      startTimeUtc: defenderTime(spec.start),
      endTimeUtc: defenderTime(spec.end),
      resourceIdentifiers: [{ $id: `${loc}_4`, azureResourceId: resourceId, type: "AzureResource", azureResourceTenantId: v.tenantId }],
      remediationSteps: [
        "Review the vault's diagnostic logs to determine whether the access was legitimate.",
        "If it was not, remove the caller's access, restrict the vault firewall and rotate the secrets that were read.",
      ],
      vendorName: "Microsoft",
      status: "Active",
      extendedLinks: [],
      alertUri: `https://portal.azure.com/#blade/Microsoft_Azure_Security_AzureDefenderForData/AlertBlade/alertId/${spec.name}/subscriptionId/${v.subscriptionId}/resourceGroup/${v.resourceGroup}/referencedFrom/alertDeepLink/location/${loc}`,
      timeGeneratedUtc: defenderTime(spec.end.replace(/:\d\dZ$/u, ":59Z")),
      productName: "Microsoft Defender for Cloud",
      processingEndTimeUtc: defenderTime(spec.end.replace(/:\d\dZ$/u, ":58Z")),
      entities,
      isIncident: false,
      correlationKey: hex32(`correlation/${spec.name}`),
      extendedProperties,
      compromisedEntity: v.name,
      techniques: spec.techniques ?? ["T1555"],
      subTechniques: [],
    },
  };
}

export interface LogEvent {
  time: string;
  operation: string;
  caller: Caller;
  /** Object path under the vault, e.g. `secrets/db-password/<version>`; absent for vault operations. */
  object?: string;
  status: number;
  /** Result signature; derived from the status when absent. */
  signature?: string;
  isAccessPolicyMatch?: boolean;
  isAddressAuthorized?: boolean;
}

function requestPath(event: LogEvent): string {
  if (!event.object) return event.operation.startsWith("Vault") ? "" : "/";
  return `/${event.object.split("/").slice(0, 2).join("/")}/`;
}

function auditEvent(v: VaultRef, event: LogEvent): AuditLogEvent {
  return {
    time: event.time,
    operation: event.operation,
    caller: event.caller,
    ...(event.object ? { objectUri: `${vaultUri(v)}/${event.object}` } : {}),
    requestUri: `${vaultUri(v)}${requestPath(event)}?api-version=7.5`,
    status: event.status,
    ...(event.signature ? { signature: event.signature } : {}),
    ...(event.isAccessPolicyMatch === undefined ? {} : { isAccessPolicyMatch: event.isAccessPolicyMatch }),
    ...(event.isAddressAuthorized === undefined ? {} : { isAddressAuthorized: event.isAddressAuthorized }),
    correlationId: guid(`correlation/${v.name}/${event.time}/${event.operation}`),
  };
}

function auditTarget(v: VaultRef, workspaceCustomerId: string): AuditLogTarget {
  return { vaultId: vaultId(v), vaultName: v.name, subscriptionId: v.subscriptionId, resourceGroup: v.resourceGroup, workspaceCustomerId };
}

/** A workspace plus the vault's diagnostic setting that sends AuditEvent logs to it. */
export function workspaceFor(
  v: VaultRef,
  options: { name: string; customerId: string; destination: "Dedicated" | "AzureDiagnostics"; events: LogEvent[] },
): Pick<FakeAzureSeed, "workspaces" | "diagnosticSettings"> {
  const workspaceId = `/subscriptions/${v.subscriptionId}/resourceGroups/${v.resourceGroup}/providers/Microsoft.OperationalInsights/workspaces/${options.name}`;
  const sorted = [...options.events].sort((a, b) => a.time.localeCompare(b.time));
  const tables: Record<string, { rows: Record<string, unknown>[] }> =
    options.destination === "Dedicated"
      ? { AZKVAuditLogs: { rows: sorted.map((e) => azkvAuditLogRow(auditTarget(v, options.customerId), auditEvent(v, e))) } }
      : { AzureDiagnostics: { rows: sorted.map((e) => azureDiagnosticsRow(auditTarget(v, options.customerId), auditEvent(v, e))) } };
  return {
    workspaces: [{ id: workspaceId, name: options.name, location: v.location, properties: { customerId: options.customerId, retentionInDays: 90 }, tables }],
    diagnosticSettings: [
      {
        id: `${vaultId(v)}/providers/microsoft.insights/diagnosticSettings/send-to-${options.name}`,
        name: `send-to-${options.name}`,
        type: "Microsoft.Insights/diagnosticSettings",
        properties: {
          workspaceId,
          logAnalyticsDestinationType: options.destination === "Dedicated" ? "Dedicated" : null,
          logs: [{ category: null, categoryGroup: "audit", enabled: true }],
          metrics: [{ category: "AllMetrics", enabled: false }],
        },
      },
    ],
  };
}

/** Times `minutes` after `start` (ISO, whole seconds). */
export function at(start: string, minutes: number): string {
  return new Date(Date.parse(start) + minutes * 60_000).toISOString().replace(".000Z", "Z");
}
