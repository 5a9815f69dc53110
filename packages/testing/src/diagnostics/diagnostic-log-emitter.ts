import { decodeFakeToken } from "../auth/fake-token.js";
import { parseArmId } from "../arm/arm-id.js";
import type { FakeAzureContext } from "../context.js";
import type { LogTable } from "../state/log-types.js";
import { azkvAuditLogRow, azureDiagnosticsRow, type AuditLogEvent } from "./audit-log-rows.js";
import { keyVaultOperationName } from "./key-vault-operation-name.js";

function ensureTable(tables: Map<string, LogTable>, name: string): LogTable {
  let table = tables.get(name);
  if (!table) {
    table = { name, rows: [] };
    tables.set(name, table);
  }
  return table;
}

function auditEventsEnabled(logs: ReadonlyArray<{ category?: string | null; categoryGroup?: string | null; enabled: boolean }> | undefined): boolean {
  return (logs ?? []).some(
    (log) => log.enabled && (log.category?.toLowerCase() === "auditevent" || log.categoryGroup?.toLowerCase() === "audit" || log.categoryGroup?.toLowerCase() === "alllogs"),
  );
}

/**
 * Writes Key Vault's diagnostic log for one answered data-plane request, the way a diagnostic setting routes it:
 * for each setting of the vault that sends `AuditEvent` to a workspace the tenant holds, one row in
 * `AZKVAuditLogs` (destination type `Dedicated`) or `AzureDiagnostics` (legacy). Reads the response body only
 * for the object id; never stores a secret value.
 */
export async function emitKeyVaultDiagnosticLog(ctx: FakeAzureContext, request: Request, response: Response): Promise<void> {
  const url = new URL(request.url);
  const vault = ctx.findVaultByHost(url.hostname);
  if (!vault) return;
  const authorization = request.headers.get("authorization");
  const operation = keyVaultOperationName(request.method, url.pathname, authorization !== null);
  if (!operation) return;
  const settings = [...ctx.state.diagnosticSettings.values()].filter(
    (s) => s.id.toLowerCase().startsWith(`${vault.resource.id.toLowerCase()}/providers/microsoft.insights/diagnosticsettings/`) && s.properties.workspaceId && auditEventsEnabled(s.properties.logs),
  );
  if (settings.length === 0) return;

  let objectUri: string | undefined;
  let innerError: string | undefined;
  if (response.headers.get("content-type")?.includes("json")) {
    try {
      const body = (await response.clone().json()) as { id?: unknown; kid?: unknown; error?: { innererror?: { code?: unknown } } };
      const id = typeof body.id === "string" ? body.id : typeof body.kid === "string" ? body.kid : undefined;
      if (id !== undefined && !id.includes("/pending")) objectUri = id;
      if (typeof body.error?.innererror?.code === "string") innerError = body.error.innererror.code;
    } catch {
      // not JSON after all: no object id
    }
  }
  const token = authorization === null ? undefined : decodeFakeToken(authorization.replace(/^Bearer\s+/iu, ""));
  const event: AuditLogEvent = {
    time: ctx.clock.iso(),
    operation,
    caller: {
      ip: ctx.callerIp(request),
      ...(token ? { objectId: token.oid, appId: token.appid, type: token.idtyp } : {}),
      ...(token?.upn ? { upn: token.upn } : {}),
      clientInfo: request.headers.get("user-agent") ?? "",
    },
    ...(objectUri ? { objectUri } : {}),
    requestUri: url.href,
    status: response.status,
    correlationId: request.headers.get("x-ms-client-request-id") ?? ctx.ids.guid(),
    operationVersion: url.searchParams.get("api-version") ?? "7.5",
    ...(innerError === "ForbiddenByFirewall" || innerError === "ForbiddenByConnection" ? { isAddressAuthorized: false } : {}),
    ...(innerError === "ForbiddenByPolicy" || innerError === "ForbiddenByRbac" ? { isAccessPolicyMatch: false } : {}),
  };
  const parsed = parseArmId(vault.resource.id);
  for (const setting of settings) {
    const workspace = [...ctx.state.workspaces.values()].find((w) => w.resource.id.toLowerCase() === setting.properties.workspaceId?.toLowerCase());
    if (!workspace) continue;
    const target = {
      vaultId: vault.resource.id,
      vaultName: vault.resource.name,
      subscriptionId: parsed?.subscriptionId ?? "",
      resourceGroup: parsed?.resourceGroup ?? "",
      workspaceCustomerId: workspace.resource.properties.customerId,
    };
    if (setting.properties.logAnalyticsDestinationType === "Dedicated") ensureTable(workspace.tables, "AZKVAuditLogs").rows.push(azkvAuditLogRow(target, event));
    else ensureTable(workspace.tables, "AzureDiagnostics").rows.push(azureDiagnosticsRow(target, event));
  }
}
