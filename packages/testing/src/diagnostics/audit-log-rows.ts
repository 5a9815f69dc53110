import type { LogRow } from "../state/log-types.js";

/** Who made a Key Vault request, as its diagnostic log records it. */
export interface AuditLogCaller {
  ip: string;
  objectId?: string;
  upn?: string;
  appId?: string;
  /** `idtyp` claim; inferred from `upn` when absent. */
  type?: "user" | "app";
  clientInfo?: string;
}

/** One Key Vault request to record. */
export interface AuditLogEvent {
  /** ISO 8601. */
  time: string;
  /** ObjectVerb operation name (`SecretGet`, `VaultGet`, `Authentication`, ...). */
  operation: string;
  caller: AuditLogCaller;
  /** Full object URI with version (`https://{vault}.vault.azure.net/secrets/{name}/{version}`), when there is one. */
  objectUri?: string;
  /** The request URI as sent. */
  requestUri: string;
  status: number;
  /** Result signature; derived from the status when absent. */
  signature?: string;
  isAccessPolicyMatch?: boolean;
  isAddressAuthorized?: boolean;
  correlationId: string;
  durationMs?: number;
  operationVersion?: string;
}

/** The vault a row belongs to, and the workspace it lands in. */
export interface AuditLogTarget {
  vaultId: string;
  vaultName: string;
  subscriptionId: string;
  resourceGroup: string;
  /** The workspace's `customerId`: Log Analytics stores it in the `TenantId` column. */
  workspaceCustomerId: string;
}

const SIGNATURES: Record<number, string> = { 200: "OK", 201: "Created", 202: "Accepted", 204: "NoContent", 400: "BadRequest", 401: "Unauthorized", 403: "Forbidden", 404: "NotFound", 409: "Conflict", 429: "TooManyRequests" };
const FIREWALL_MESSAGE = "Client address is not authorized and caller is not a trusted service.";

function idType(caller: AuditLogCaller): string {
  return caller.type ?? (caller.upn ? "user" : "app");
}

/** A row of the resource-specific `AZKVAuditLogs` table. */
export function azkvAuditLogRow(target: AuditLogTarget, event: AuditLogEvent): LogRow {
  const claim: Record<string, string> = {};
  if (event.caller.objectId) claim["oid"] = event.caller.objectId;
  if (event.caller.upn) claim["upn"] = event.caller.upn;
  if (event.caller.appId) claim["appid"] = event.caller.appId;
  if (event.caller.objectId) claim["idtyp"] = idType(event.caller);
  return {
    TenantId: target.workspaceCustomerId,
    TimeGenerated: event.time,
    ResultType: event.status < 400 ? "Success" : "Failure",
    OperationName: event.operation,
    ResultDescription: event.isAddressAuthorized === false ? FIREWALL_MESSAGE : "",
    CorrelationId: event.correlationId,
    CallerIpAddress: event.caller.ip,
    OperationVersion: event.operationVersion ?? "7.5",
    Identity: Object.keys(claim).length > 0 ? { claim } : {},
    Properties: { clientInfo: event.caller.clientInfo ?? "", httpStatusCode: event.status },
    Id: event.objectUri ?? "",
    ClientInfo: event.caller.clientInfo ?? "",
    HttpStatusCode: event.status,
    RequestUri: event.requestUri,
    ResultSignature: event.signature ?? SIGNATURES[event.status] ?? "Unknown",
    IsAddressAuthorized: event.isAddressAuthorized ?? true,
    AddressAuthorizationType: "Public IP",
    IsAccessPolicyMatch: event.isAccessPolicyMatch ?? event.status < 400,
    IsRbacAuthorized: false,
    DurationMs: event.durationMs ?? 14,
    SourceSystem: "Azure",
    Type: "AZKVAuditLogs",
    _ResourceId: target.vaultId.toLowerCase(),
  };
}

/** A row of the legacy `AzureDiagnostics` table (Category `AuditEvent`, typed-suffix columns, upper-case ids). */
export function azureDiagnosticsRow(target: AuditLogTarget, event: AuditLogEvent): LogRow {
  const row: LogRow = {
    TenantId: target.workspaceCustomerId,
    TimeGenerated: event.time,
    ResourceId: target.vaultId.toUpperCase(),
    Category: "AuditEvent",
    ResourceGroup: target.resourceGroup.toUpperCase(),
    SubscriptionId: target.subscriptionId,
    ResourceProvider: "MICROSOFT.KEYVAULT",
    Resource: target.vaultName.toUpperCase(),
    ResourceType: "VAULTS",
    OperationName: event.operation,
    ResultType: event.status < 400 ? "Success" : "Failure",
    CorrelationId: event.correlationId,
    ResultDescription: event.isAddressAuthorized === false ? FIREWALL_MESSAGE : "",
    requestUri_s: event.requestUri,
    DurationMs: event.durationMs ?? 14,
    CallerIPAddress: event.caller.ip,
    OperationVersion: event.operationVersion ?? "7.5",
    ResultSignature: event.signature ?? SIGNATURES[event.status] ?? "Unknown",
    id_s: event.objectUri ?? "",
    clientInfo_s: event.caller.clientInfo ?? "",
    httpStatusCode_d: event.status,
    isAccessPolicyMatch_b: event.isAccessPolicyMatch ?? event.status < 400,
    tlsVersion_s: "TLS1_2",
    Type: "AzureDiagnostics",
    _ResourceId: target.vaultId.toLowerCase(),
  };
  if (event.caller.objectId) row["identity_claim_oid_g"] = event.caller.objectId;
  if (event.caller.appId) row["identity_claim_appid_g"] = event.caller.appId;
  if (event.caller.upn) row["identity_claim_upn_s"] = event.caller.upn;
  if (event.caller.objectId) row["identity_claim_idtyp_s"] = idType(event.caller);
  return row;
}
