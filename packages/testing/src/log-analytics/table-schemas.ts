import type { LogColumnType, LogTable } from "../state/log-types.js";

/**
 * Column schemas of the two Key Vault log tables, so a seeded workspace behaves like a real one: AZKVAuditLogs has
 * a fixed schema (Azure/Azure-Sentinel's KQL validation schema of the table, as in
 * shared/azure-specs/monitor/keyvault-logs/AZKVAuditLogs.schema.json); AzureDiagnostics has standard columns plus
 * columns created on demand from the records it received (`<name>_s` string, `_d` real, `_g` guid, `_b` bool,
 * `_t` datetime), so a workspace only "has" the dynamic columns its rows carry.
 */
export const azkvAuditLogsColumns: Readonly<Record<string, LogColumnType>> = {
  TenantId: "string",
  TimeGenerated: "datetime",
  ResultType: "string",
  OperationName: "string",
  ResultDescription: "string",
  CorrelationId: "string",
  CallerIpAddress: "string",
  OperationVersion: "string",
  Identity: "dynamic",
  Properties: "dynamic",
  Nsp: "dynamic",
  KeyProperties: "dynamic",
  SecretProperties: "dynamic",
  CertificateProperties: "dynamic",
  CertificatePolicyProperties: "dynamic",
  CertificateIssuerProperties: "dynamic",
  CertificateRequestProperties: "dynamic",
  StorageAccountProperties: "dynamic",
  StorageSasDefinitionProperties: "dynamic",
  Id: "string",
  Algorithm: "string",
  ClientInfo: "string",
  SubnetId: "string",
  HttpStatusCode: "int",
  RequestUri: "string",
  IsAddressAuthorized: "bool",
  AddressAuthorizationType: "string",
  IsAccessPolicyMatch: "bool",
  IsRbacAuthorized: "bool",
  AppliedAssignmentId: "string",
  TrustedService: "string",
  Tlsversion: "string",
  VaultProperties: "dynamic",
  Sku: "dynamic",
  NetworkAcls: "dynamic",
  EnabledForDeployment: "bool",
  EnabledForDiskEncryption: "bool",
  EnabledForTemplateDeployment: "bool",
  EnableSoftDelete: "bool",
  SoftDeleteRetentionInDays: "int",
  EnableRbacAuthorization: "bool",
  EnablePurgeProtection: "bool",
  HsmPoolResourceId: "string",
  ResultSignature: "string",
  DurationMs: "int",
  SourceSystem: "string",
  Type: "string",
  _ResourceId: "string",
};

export const azureDiagnosticsStandardColumns: Readonly<Record<string, LogColumnType>> = {
  TenantId: "string",
  TimeGenerated: "datetime",
  SourceSystem: "string",
  SubscriptionId: "string",
  ResourceGroup: "string",
  Resource: "string",
  ResourceId: "string",
  _ResourceId: "string",
  ResourceType: "string",
  ResourceProvider: "string",
  Category: "string",
  OperationName: "string",
  OperationVersion: "string",
  CorrelationId: "string",
  DurationMs: "long",
  CallerIPAddress: "string",
  ResultType: "string",
  ResultSignature: "string",
  ResultDescription: "string",
  Type: "string",
};

const knownSchemas: Readonly<Record<string, Readonly<Record<string, LogColumnType>>>> = {
  AZKVAuditLogs: azkvAuditLogsColumns,
  AzureDiagnostics: azureDiagnosticsStandardColumns,
};

const suffixTypes: Readonly<Record<string, LogColumnType>> = { s: "string", d: "real", g: "guid", b: "bool", t: "datetime" };

function inferType(column: string, value: unknown): LogColumnType {
  const suffix = /_([sdgbt])$/.exec(column)?.[1];
  if (suffix !== undefined) return suffixTypes[suffix]!;
  if (column === "TimeGenerated") return "datetime";
  if (typeof value === "boolean") return "bool";
  if (typeof value === "number") return Number.isInteger(value) ? "long" : "real";
  if (typeof value === "object" && value !== null) return "dynamic";
  return "string";
}

/** The columns a table has: its declared schema, the known schema of its name, then any column its rows carry. */
export function tableSchema(table: LogTable): Map<string, LogColumnType> {
  const schema = new Map<string, LogColumnType>();
  for (const column of table.columns ?? []) schema.set(column.name, column.type);
  for (const [column, type] of Object.entries(knownSchemas[table.name] ?? {})) {
    if (!schema.has(column)) schema.set(column, type);
  }
  for (const row of table.rows) {
    for (const [column, value] of Object.entries(row)) {
      if (!schema.has(column) && value !== undefined && value !== null) schema.set(column, inferType(column, value));
    }
  }
  return schema;
}
