import type { KeyVaultAlert } from "@keywarden/alerts";
import type { FakeAzureSeed, LogRow } from "@keywarden/testing";

export const subscriptionId = "00000000-1111-2222-3333-444444444444";
export const resourceGroup = "rg-prod";
export const vaultName = "kv-payments";
export const vaultId = `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.KeyVault/vaults/${vaultName}`;
export const workspaceCustomerId = "6f1d2c3b-0000-4000-8000-00000000beef";
export const workspaceId = `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.OperationalInsights/workspaces/la-security`;
export const attackerIp = "185.220.101.7";
export const attackerOid = "9a1b2c3d-0000-4000-8000-00000000a77a";
export const tenantId = "72f988bf-0000-4000-8000-00000000c0de";
export const host = `https://${vaultName}.vault.azure.net`;
export const v1 = "0123456789abcdef0123456789abcdef";
export const v2 = "fedcba9876543210fedcba9876543210";

/** A Defender alert as `parseAlert` normalises it (TOR access, secret reads). */
export function torAlert(overrides: Partial<KeyVaultAlert> = {}): KeyVaultAlert {
  return {
    id: `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.Security/locations/westeurope/alerts/2517-tor`,
    systemAlertId: "2517-tor",
    alertType: "KV_TORAccess",
    kind: "KV_TORAccess",
    simulated: false,
    channel: "arm",
    displayName: "Access from a TOR exit node to a key vault",
    description: "A TOR exit node accessed the vault.",
    severity: "High",
    status: "Active",
    startTime: "2026-01-15T10:00:00.1234567Z",
    endTime: "2026-01-15T10:30:00Z",
    generatedTime: "2026-01-15T10:45:00Z",
    tactics: ["CredentialAccess"],
    techniques: [],
    vault: { resourceId: vaultId, subscriptionId, resourceGroup, name: vaultName, vaultUri: `${host}/` },
    source: { ipAddress: attackerIp, objectId: attackerOid },
    operations: {
      suspicious: [{ operation: "SecretGet", count: 3 }],
      last24Hours: [
        { operation: "SecretGet", count: 3 },
        { operation: "SecretList", count: 2 },
      ],
    },
    targets: [`${host}/secrets/db-password`],
    reasons: ["TOR exit node"],
    resultSignature: "OK",
    entities: [],
    extendedProperties: {},
    warnings: [],
    ...overrides,
  };
}

const resourceIdLower = vaultId.toLowerCase();

/** An AZKVAuditLogs row (current identity claim names unless `legacy`). */
export function auditRow(fields: {
  time: string;
  op: string;
  uri?: string;
  ip?: string;
  oid?: string;
  upn?: string;
  appId?: string;
  status?: number;
  legacy?: boolean;
  vault?: string;
}): LogRow {
  const claim: Record<string, string> = {};
  if (fields.appId !== undefined) claim["appid"] = fields.appId;
  if (fields.oid !== undefined) claim[fields.legacy ? "http://schemas.microsoft.com/identity/claims/objectidentifier" : "oid"] = fields.oid;
  if (fields.upn !== undefined) claim[fields.legacy ? "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn" : "upn"] = fields.upn;
  const status = fields.status ?? 200;
  return {
    TimeGenerated: fields.time,
    OperationName: fields.op,
    CallerIpAddress: fields.ip ?? attackerIp,
    Identity: { claim },
    HttpStatusCode: status,
    ResultType: status < 300 ? "Success" : status === 401 ? "Unauthorized" : "Forbidden",
    ResultSignature: status < 300 ? "OK" : status === 401 ? "Unauthorized" : "Forbidden",
    Id: fields.uri ?? "",
    RequestUri: `${fields.uri ?? `${host}/secrets`}?api-version=7.5`,
    _ResourceId: fields.vault === undefined ? resourceIdLower : resourceIdLower.replace(vaultName, fields.vault),
    Type: "AZKVAuditLogs",
  };
}

/** An AzureDiagnostics row (legacy claim column names when `legacy`). */
export function diagnosticsRow(fields: {
  time: string;
  op: string;
  uri?: string;
  ip?: string;
  oid?: string;
  upn?: string;
  status?: number;
  legacy?: boolean;
}): LogRow {
  const status = fields.status ?? 200;
  const row: LogRow = {
    TimeGenerated: fields.time,
    ResourceProvider: "MICROSOFT.KEYVAULT",
    ResourceType: "VAULTS",
    Resource: vaultName.toUpperCase(),
    ResourceId: vaultId.toUpperCase(),
    _ResourceId: resourceIdLower,
    Category: "AuditEvent",
    OperationName: fields.op,
    CallerIPAddress: fields.ip ?? attackerIp,
    ResultType: status < 300 ? "Success" : "Forbidden",
    ResultSignature: status < 300 ? "OK" : status === 401 ? "Unauthorized" : "Forbidden",
    httpStatusCode_d: status,
    requestUri_s: `${fields.uri ?? `${host}/secrets`}?api-version=7.3`,
    Type: "AzureDiagnostics",
  };
  if (fields.uri !== undefined) row["id_s"] = fields.uri;
  if (fields.oid !== undefined) {
    row[fields.legacy ? "identity_claim_http_schemas_microsoft_com_identity_claims_objectidentifier_g" : "identity_claim_oid_g"] = fields.oid;
  }
  if (fields.upn !== undefined) {
    row[fields.legacy ? "identity_claim_http_schemas_xmlsoap_org_ws_2005_05_identity_claims_upn_s" : "identity_claim_upn_s"] = fields.upn;
  }
  return row;
}

export function seed(options: { audit?: LogRow[]; diagnostics?: LogRow[]; diagnosticSetting?: "workspace" | "storage" | "none" } = {}): FakeAzureSeed {
  const tables: Record<string, { rows: LogRow[] }> = {};
  if (options.audit !== undefined) tables["AZKVAuditLogs"] = { rows: options.audit };
  if (options.diagnostics !== undefined) tables["AzureDiagnostics"] = { rows: options.diagnostics };
  const setting = options.diagnosticSetting ?? "workspace";
  return {
    tenantId,
    time: "2026-01-15T12:00:00Z",
    subscriptions: [{ subscriptionId, displayName: "prod" }],
    resourceGroups: [{ id: `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}`, location: "westeurope" }],
    vaults: [
      {
        id: vaultId,
        name: vaultName,
        type: "Microsoft.KeyVault/vaults",
        location: "westeurope",
        properties: { tenantId, sku: { family: "A", name: "standard" }, accessPolicies: [], vaultUri: `${host}/` },
      },
    ],
    workspaces: [{ id: workspaceId, name: "la-security", location: "westeurope", properties: { customerId: workspaceCustomerId }, tables }],
    diagnosticSettings:
      setting === "none"
        ? []
        : [
            {
              id: `${vaultId}/providers/microsoft.insights/diagnosticSettings/to-sentinel`,
              name: "to-sentinel",
              properties:
                setting === "workspace"
                  ? { workspaceId, logs: [{ category: "AuditEvent", enabled: true }] }
                  : {
                      storageAccountId: `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.Storage/storageAccounts/archive`,
                      logs: [{ category: "AuditEvent", enabled: true }],
                    },
            },
          ],
  };
}
