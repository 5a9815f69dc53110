import { type AlertDraft, type DraftPaths } from "../alert-draft.js";
import { hasNull, pickKnown, type JsonObject } from "../json-value.js";
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
  const systemAlertId = pickKnown(input, "SystemAlertId", input["SystemAlertId"]);
  const portalUrl = pickKnown(input, "AlertUri", input["AlertUri"]);
  // The export has no ARM alert id; rebuild it from the portal link (subscription, resource group, location).
  let id: unknown = pickKnown(input, "Id", input["Id"]);
  if (typeof id !== "string" || !id.startsWith("/")) {
    id = alertIdFromPortalLink(portalUrl, systemAlertId);
    if (id !== undefined) ctx.warn(alertWarningCodes.derivedValue, exportPaths.id, "The export carries no ARM alert id; derived it from AlertUri.");
  }
  warnNullConfidence(input, ctx, ["ConfidenceLevel", "ConfidenceScore"]);
  return {
    id,
    systemAlertId,
    alertType: pickKnown(input, "AlertType", input["AlertType"]),
    displayName: pickKnown(input, "AlertDisplayName", input["AlertDisplayName"]) ?? pickKnown(input, "DisplayName", input["DisplayName"]),
    description: pickKnown(input, "Description", input["Description"]),
    severity: pickKnown(input, "Severity", input["Severity"]) ?? pickKnown(input, "ReportedSeverity", input["ReportedSeverity"]),
    status: pickKnown(input, "Status", input["Status"]),
    startTime: pickKnown(input, "StartTimeUtc", input["StartTimeUtc"]) ?? pickKnown(input, "StartTime", input["StartTime"]),
    endTime: pickKnown(input, "EndTimeUtc", input["EndTimeUtc"]) ?? pickKnown(input, "EndTime", input["EndTime"]),
    generatedTime: pickKnown(input, "TimeGenerated", input["TimeGenerated"]) ?? pickKnown(input, "TimeGeneratedUtc", input["TimeGeneratedUtc"]),
    tactics: pickKnown(input, "Intent", input["Intent"]) ?? pickKnown(input, "Tactics", input["Tactics"]),
    techniques: pickKnown(input, "Techniques", input["Techniques"]),
    subTechniques: pickKnown(input, "SubTechniques", input["SubTechniques"]),
    resourceIdentifiers: pickKnown(input, "ResourceIdentifiers", input["ResourceIdentifiers"]),
    resourceId: pickKnown(input, "AzureResourceId", input["AzureResourceId"]),
    compromisedEntity: pickKnown(input, "CompromisedEntity", input["CompromisedEntity"]),
    entities: pickKnown(input, "Entities", input["Entities"]),
    extendedProperties: pickKnown(input, "ExtendedProperties", input["ExtendedProperties"]),
    portalUrl,
  };
}
