import type { ImpactCriteria } from "./impact-criteria.js";
import type { ImpactTable } from "./impact-report.js";
import { kqlDatetime, kqlString, kqlStringList } from "./kql/kql-literals.js";
import { normalizeCriteria, type NormalizedCriteria } from "./normalize-criteria.js";

/**
 * One query to run: the table it reads, what it measures and its KQL text. `activity`: what the suspicious
 * callers did, per object, operation, caller and result. `callers`: every caller of the vault in the window,
 * per caller (emitted only when the criteria name callers; without them `activity` already covers everyone).
 */
export interface ImpactQuery {
  table: ImpactTable;
  kind: "activity" | "callers";
  query: string;
  /** The time window the query covers (also pass it as the query API's `timespan`). */
  window: { start: Date; end: Date };
}

/**
 * The columns every impact query returns, in order: one row per object, operation, caller and result, with the
 * number of log rows it stands for and their first and last time.
 */
export const impactSummaryColumns = [
  "OperationName",
  "ObjectUri",
  "CallerIp",
  "CallerObjectId",
  "CallerUpn",
  "CallerAppId",
  "ResultType",
  "StatusCode",
  "EventCount",
  "FirstTime",
  "LastTime",
] as const;

/** The columns of a `callers` (census) query, in order. */
export const callerCensusColumns = [
  "CallerIp",
  "CallerObjectId",
  "CallerUpn",
  "CallerAppId",
  "EventCount",
  "FailedCount",
  "FirstTime",
  "LastTime",
  "PublicCount",
  "VirtualNetworkCount",
  "PrivateEndpointCount",
  "TrustedServiceCount",
] as const;

const legacyOidClaim = "http://schemas.microsoft.com/identity/claims/objectidentifier";
const legacyUpnClaim = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn";

/** The identity and request columns of each table, projected to one shape. */
const projections: Record<ImpactTable, string> = {
  AZKVAuditLogs: [
    "| extend CallerIp = CallerIpAddress,",
    `    CallerObjectId = coalesce(tostring(Identity.claim.oid), tostring(Identity.claim[${kqlString(legacyOidClaim)}])),`,
    `    CallerUpn = coalesce(tostring(Identity.claim.upn), tostring(Identity.claim[${kqlString(legacyUpnClaim)}])),`,
    "    CallerAppId = tostring(Identity.claim.appid),",
    "    StatusCode = toint(HttpStatusCode),",
    "    ObjectUri = coalesce(Id, RequestUri)",
  ].join("\n"),
  // AzureDiagnostics columns are created on demand per workspace: read each one through column_ifexists so a
  // workspace that never saw a column (e.g. the legacy claim names) does not fail the query.
  AzureDiagnostics: [
    "| extend CallerIp = CallerIPAddress,",
    `    CallerObjectId = coalesce(tostring(column_ifexists("identity_claim_oid_g", "")), tostring(column_ifexists("identity_claim_http_schemas_microsoft_com_identity_claims_objectidentifier_g", ""))),`,
    `    CallerUpn = coalesce(tostring(column_ifexists("identity_claim_upn_s", "")), tostring(column_ifexists("identity_claim_http_schemas_xmlsoap_org_ws_2005_05_identity_claims_upn_s", ""))),`,
    `    CallerAppId = tostring(column_ifexists("identity_claim_appid_g", "")),`,
    `    StatusCode = toint(column_ifexists("httpStatusCode_d", 0)),`,
    `    ObjectUri = coalesce(tostring(column_ifexists("id_s", "")), tostring(column_ifexists("requestUri_s", "")))`,
  ].join("\n"),
};

/**
 * How each request reached the vault, projected to one shape: the authorization type (`Public IP` / `PublicIP`,
 * `subnet`, `private connection`, `TrustedService`, spellings vary by table and age), the subnet, the private
 * endpoint and the trusted service. AzureDiagnostics columns exist only once a workspace has seen them.
 */
const pathProjections: Record<ImpactTable, string> = {
  AZKVAuditLogs: [
    "| extend CallerAuthType = tostring(AddressAuthorizationType), CallerSubnet = tostring(SubnetId),",
    `    CallerPrivateEndpoint = "", CallerTrusted = tostring(TrustedService)`,
  ].join("\n"),
  AzureDiagnostics: [
    `| extend CallerAuthType = tostring(column_ifexists("addrAuthType_s", "")), CallerSubnet = tostring(column_ifexists("subnetId_s", "")),`,
    `    CallerPrivateEndpoint = tostring(column_ifexists("privateEndpointId_s", "")), CallerTrusted = tostring(column_ifexists("trustedService_s", ""))`,
  ].join("\n"),
};

/**
 * One path per request, first match wins: a trusted service (the bypass), a private endpoint, a virtual network
 * (service endpoint), a public address. A row that says none of them (older logs, control-plane rows) is counted in
 * no path, so the caller's path stays unknown rather than guessed.
 */
const pathLines = [
  `| extend ViaTrusted = isnotempty(CallerTrusted) or CallerAuthType in~ ("TrustedService", "Trusted Service")`,
  `| extend ViaPrivateEndpoint = not(ViaTrusted) and (isnotempty(CallerPrivateEndpoint) or CallerAuthType in~ ("private connection", "PrivateConnection", "PrivateLink", "PrivateEndpoint"))`,
  `| extend ViaSubnet = not(ViaTrusted) and not(ViaPrivateEndpoint) and (isnotempty(CallerSubnet) or CallerAuthType in~ ("subnet", "VirtualNetwork"))`,
  `| extend ViaPublic = not(ViaTrusted) and not(ViaPrivateEndpoint) and not(ViaSubnet) and CallerAuthType in~ ("Public IP", "PublicIP")`,
];

/**
 * Builds the KQL for both Key Vault log tables (or the ones `criteria.tables` selects).
 *
 * Each query: the window (with margins), the vault, the identity columns of both claim generations coalesced,
 * the challenge-auth 401 noise dropped, any of the callers (IP exact, ids and UPN case-insensitive), then a
 * server-side `summarize` to the {@link impactSummaryColumns}. Every criteria value is a KQL string literal built by
 * `kqlString`, so alert content cannot change what a query does.
 *
 * @throws ImpactError `KW_IMPACT_E0001` (no vault) / `E0002` (no or bad window) / `E0003` before building anything.
 */
export function buildImpactQueries(criteria: ImpactCriteria): ImpactQuery[] {
  const normalized = normalizeCriteria(criteria);
  const queries = normalized.tables.map((table) => buildTableQuery(table, normalized, normalized.queryWindow));
  if (hasCallers(normalized)) {
    for (const table of normalized.tables) queries.push(buildCallerCensusQuery(table, normalized, normalized.censusWindow));
  }
  return queries;
}

export function hasCallers(criteria: NormalizedCriteria): boolean {
  return (
    criteria.ipAddresses.length + criteria.objectIds.length + criteria.userPrincipalNames.length + criteria.applicationIds.length >
    0
  );
}

/** The vault, window, identity projection and noise filter every query starts with. */
function commonLines(table: ImpactTable, criteria: NormalizedCriteria, window: { start: Date; end: Date }): string[] {
  const lines: string[] = [table, `| where TimeGenerated between (${kqlDatetime(window.start)} .. ${kqlDatetime(window.end)})`];
  if (table === "AzureDiagnostics") {
    lines.push(`| where ResourceProvider == "MICROSOFT.KEYVAULT" and ResourceType == "VAULTS" and Category == "AuditEvent"`);
    lines.push(`| where Resource =~ ${kqlString(criteria.vaultName)}`);
  } else {
    lines.push(`| where _ResourceId endswith ${kqlString(`/providers/microsoft.keyvault/vaults/${criteria.vaultName.toLowerCase()}`)}`);
  }
  lines.push(projections[table]);
  lines.push(`| where not(OperationName == "Authentication" and (StatusCode == 401 or ResultSignature =~ "Unauthorized"))`);
  return lines;
}

/** Every caller of the vault in the window, one row each: who else a firewall or access change would affect. */
export function buildCallerCensusQuery(
  table: ImpactTable,
  criteria: NormalizedCriteria,
  window: { start: Date; end: Date },
): ImpactQuery {
  const lines = commonLines(table, criteria, window);
  lines.push(pathProjections[table], ...pathLines);
  lines.push(
    "| summarize EventCount = count(), FailedCount = countif(StatusCode >= 400), FirstTime = min(TimeGenerated), LastTime = max(TimeGenerated),",
    "    PublicCount = countif(ViaPublic), VirtualNetworkCount = countif(ViaSubnet), PrivateEndpointCount = countif(ViaPrivateEndpoint), TrustedServiceCount = countif(ViaTrusted)",
    "    by CallerIp, CallerObjectId, CallerUpn, CallerAppId",
    `| project ${callerCensusColumns.join(", ")}`,
  );
  return { table, kind: "callers", query: lines.join("\n"), window: { start: new Date(window.start), end: new Date(window.end) } };
}

/** One table's query for one window (the runner calls it per chunk when a window is split). */
export function buildTableQuery(
  table: ImpactTable,
  criteria: NormalizedCriteria,
  window: { start: Date; end: Date },
): ImpactQuery {
  const lines = commonLines(table, criteria, window);
  const callerFilter = callerCondition(criteria);
  if (callerFilter !== undefined) lines.push(`| where ${callerFilter}`);
  lines.push(
    "| summarize EventCount = count(), FirstTime = min(TimeGenerated), LastTime = max(TimeGenerated)",
    "    by OperationName, ObjectUri, CallerIp, CallerObjectId, CallerUpn, CallerAppId, ResultType, StatusCode",
    `| project ${impactSummaryColumns.join(", ")}`,
  );
  return { table, kind: "activity", query: lines.join("\n"), window: { start: new Date(window.start), end: new Date(window.end) } };
}

/**
 * Attribution by caller: a row belongs to the alert's caller when it carries the caller's identity (object id,
 * UPN, or an application's own app id) or the caller's address; each matching row is then attributed to its own
 * identity and address together (the report's callers). A shared Microsoft client app id (Azure CLI, PowerShell,
 * the portal) is never a match: every user signs in with it, so matching it would make colleagues on other
 * addresses with other identities "suspicious".
 */
function callerCondition(criteria: NormalizedCriteria): string | undefined {
  const terms: string[] = [];
  // IPs compare exactly; Entra ids (GUIDs) and UPNs compare case-insensitively, as Entra treats them.
  if (criteria.ipAddresses.length > 0) terms.push(`CallerIp in ${kqlStringList(criteria.ipAddresses)}`);
  if (criteria.objectIds.length > 0) terms.push(`CallerObjectId in~ ${kqlStringList(criteria.objectIds)}`);
  if (criteria.userPrincipalNames.length > 0) terms.push(`CallerUpn in~ ${kqlStringList(criteria.userPrincipalNames)}`);
  if (criteria.applicationIds.length > 0) terms.push(`CallerAppId in~ ${kqlStringList(criteria.applicationIds)}`);
  return terms.length === 0 ? undefined : terms.join(" or ");
}
