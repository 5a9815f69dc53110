import type { MonitorClient } from "@azure/arm-monitor";
import type { DiagnosticSettingsCoverage } from "../impact-report.js";

/** The parts of a `Microsoft.Insights/diagnosticSettings` resource the pre-flight reads. */
export interface DiagnosticSettingLike {
  name?: string;
  workspaceId?: string;
  storageAccountId?: string;
  eventHubAuthorizationRuleId?: string;
  logs?: readonly { category?: string; categoryGroup?: string; enabled: boolean }[];
}

/** Lists a resource's diagnostic settings. Azure: {@link monitorDiagnosticSettingsReader}; tests: any function. */
export interface DiagnosticSettingsReader {
  list(resourceId: string, options?: { abortSignal?: AbortSignal }): Promise<DiagnosticSettingLike[]>;
}

/** Reads diagnostic settings through `@azure/arm-monitor`'s `MonitorClient`. */
export function monitorDiagnosticSettingsReader(client: Pick<MonitorClient, "diagnosticSettings">): DiagnosticSettingsReader {
  return {
    async list(resourceId, options = {}) {
      // arm-monitor puts resourceUri into the path unencoded after a "/": pass the id without its leading slash.
      const response = await client.diagnosticSettings.list(resourceId.replace(/^\/+/, ""), { abortSignal: options.abortSignal });
      return (response.value ?? []).map((s) => {
        const setting: DiagnosticSettingLike = {};
        if (s.name !== undefined) setting.name = s.name;
        if (s.workspaceId) setting.workspaceId = s.workspaceId;
        if (s.storageAccountId) setting.storageAccountId = s.storageAccountId;
        if (s.eventHubAuthorizationRuleId) setting.eventHubAuthorizationRuleId = s.eventHubAuthorizationRuleId;
        if (s.logs !== undefined) setting.logs = s.logs;
        return setting;
      });
    },
  };
}

/**
 * Whether a setting sends Key Vault's `AuditEvent` category: directly, or through the `audit` / `allLogs` category
 * groups. arm-monitor 7 (api-version 2017-05-01-preview) drops `categoryGroup`, so an enabled entry with no
 * category at all is taken to be a group: the queries then tell whether rows really arrive.
 */
function sendsAuditEvent(setting: DiagnosticSettingLike): boolean {
  return (setting.logs ?? []).some(
    (log) =>
      log.enabled &&
      ((log.category ?? "").toLowerCase() === "auditevent" ||
        ["audit", "alllogs"].includes((log.categoryGroup ?? "").toLowerCase()) ||
        (log.category === undefined && log.categoryGroup === undefined)),
  );
}

/** Pure: what the diagnostic settings say about AuditEvent logs reaching a Log Analytics workspace. */
export function assessDiagnosticSettings(settings: readonly DiagnosticSettingLike[]): DiagnosticSettingsCoverage {
  const coverage: DiagnosticSettingsCoverage = {
    status: "checked",
    auditEventToWorkspace: false,
    workspaceResourceIds: [],
    settingNames: [],
    otherDestinations: [],
  };
  for (const setting of settings) {
    if (!sendsAuditEvent(setting)) continue;
    if (setting.workspaceId) {
      coverage.auditEventToWorkspace = true;
      if (!coverage.workspaceResourceIds.some((id) => id.toLowerCase() === setting.workspaceId!.toLowerCase())) {
        coverage.workspaceResourceIds.push(setting.workspaceId);
      }
      coverage.settingNames.push(setting.name ?? "(unnamed)");
    } else {
      const where = setting.storageAccountId ? "storage account" : setting.eventHubAuthorizationRuleId ? "Event Hubs" : "another destination";
      coverage.otherDestinations.push(`${setting.name ?? "(unnamed)"}: ${where}`);
    }
  }
  return coverage;
}
