import { type AlertDraft, type DraftPaths } from "../alert-draft.js";
import { hasNull, pick, type JsonObject } from "../json-value.js";
import { alertWarningCodes, type ParseContext } from "../parse-context.js";
import { alertIdFromPortalLink } from "./portal-link.js";

/** Where each field sits in a continuous-export / workflow-automation alert (flat PascalCase). */
export const exportPaths: DraftPaths = {
  id: ".AlertUri",
  systemAlertId: ".SystemAlertId",
  alertType: ".AlertType",
  displayName: ".AlertDisplayName",
  description: ".Description",
  severity: ".Severity",
  status: ".Status",
  startTime: ".StartTimeUtc",
  endTime: ".EndTimeUtc",
  generatedTime: ".TimeGenerated",
  tactics: ".Intent",
  techniques: ".Techniques",
  subTechniques: ".SubTechniques",
  resourceIdentifiers: ".ResourceIdentifiers",
  resourceId: ".AzureResourceId",
  compromisedEntity: ".CompromisedEntity",
  entities: ".Entities",
  extendedProperties: ".ExtendedProperties",
  portalUrl: ".AlertUri",
};

/** Warns about confidence fields present but `null` (real export and Log Analytics data has them). */
export function warnNullConfidence(input: JsonObject, ctx: ParseContext, keys: readonly string[]): void {
  for (const key of keys) {
    if (hasNull(input, key)) ctx.warn(alertWarningCodes.nullConfidence, `.${key}`, `${key} is null; Defender did not score this alert.`);
  }
}

/** Reads an exported alert (Event Hubs / workflow automation payload, flat PascalCase, `Status: "New"`). */
export function readExportAlert(input: JsonObject, ctx: ParseContext): AlertDraft {
  const systemAlertId = pick(input, "SystemAlertId");
  const portalUrl = pick(input, "AlertUri");
  // The export has no ARM alert id; rebuild it from the portal link (subscription, resource group, location).
  let id: unknown = pick(input, "Id");
  if (typeof id !== "string" || !id.startsWith("/")) {
    id = alertIdFromPortalLink(portalUrl, systemAlertId);
    if (id !== undefined) ctx.warn(alertWarningCodes.derivedValue, exportPaths.id, "The export carries no ARM alert id; derived it from AlertUri.");
  }
  warnNullConfidence(input, ctx, ["ConfidenceLevel", "ConfidenceScore"]);
  return {
    id,
    systemAlertId,
    alertType: pick(input, "AlertType"),
    displayName: pick(input, "AlertDisplayName") ?? pick(input, "DisplayName"),
    description: pick(input, "Description"),
    severity: pick(input, "Severity") ?? pick(input, "ReportedSeverity"),
    status: pick(input, "Status"),
    startTime: pick(input, "StartTimeUtc") ?? pick(input, "StartTime"),
    endTime: pick(input, "EndTimeUtc") ?? pick(input, "EndTime"),
    generatedTime: pick(input, "TimeGenerated") ?? pick(input, "TimeGeneratedUtc"),
    tactics: pick(input, "Intent") ?? pick(input, "Tactics"),
    techniques: pick(input, "Techniques"),
    subTechniques: pick(input, "SubTechniques"),
    resourceIdentifiers: pick(input, "ResourceIdentifiers"),
    resourceId: pick(input, "AzureResourceId"),
    compromisedEntity: pick(input, "CompromisedEntity"),
    entities: pick(input, "Entities"),
    extendedProperties: pick(input, "ExtendedProperties"),
    portalUrl,
  };
}
