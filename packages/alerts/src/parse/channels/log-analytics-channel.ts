import { type AlertDraft, type DraftPaths } from "../alert-draft.js";
import { pickKnown, type JsonObject } from "../json-value.js";
import { alertWarningCodes, type ParseContext } from "../parse-context.js";
import { warnNullConfidence } from "./export-channel.js";
import { alertIdFromPortalLink } from "./portal-link.js";

/** Where each field sits in a Log Analytics / Sentinel `SecurityAlert` row (JSON inside string columns). */
export const logAnalyticsPaths: DraftPaths = {
  id: ".AlertLink",
  systemAlertId: ".SystemAlertId",
  alertType: ".AlertType",
  displayName: ".AlertName",
  description: ".Description",
  severity: ".AlertSeverity",
  status: ".Status",
  startTime: ".StartTime",
  endTime: ".EndTime",
  generatedTime: ".TimeGenerated",
  tactics: ".Tactics",
  techniques: ".Techniques",
  subTechniques: ".SubTechniques",
  resourceIdentifiers: ".ResourceIdentifiers",
  resourceId: ".ResourceId",
  compromisedEntity: ".CompromisedEntity",
  entities: ".Entities",
  extendedProperties: ".ExtendedProperties",
  portalUrl: ".AlertLink",
};

/** Reads one `SecurityAlert` row (as an object keyed by column name). */
export function readLogAnalyticsRow(input: JsonObject, ctx: ParseContext): AlertDraft {
  const systemAlertId = pickKnown(input, "SystemAlertId", input["SystemAlertId"]) ?? pickKnown(input, "VendorOriginalId", input["VendorOriginalId"]);
  const portalUrl = pickKnown(input, "AlertLink", input["AlertLink"]);
  const id = alertIdFromPortalLink(portalUrl, systemAlertId);
  if (id !== undefined) ctx.warn(alertWarningCodes.derivedValue, logAnalyticsPaths.id, "SecurityAlert rows carry no ARM alert id; derived it from AlertLink.");
  warnNullConfidence(input, ctx, ["ConfidenceLevel", "ConfidenceScore"]);
  return {
    id,
    systemAlertId,
    alertType: pickKnown(input, "AlertType", input["AlertType"]),
    displayName: pickKnown(input, "AlertName", input["AlertName"]) ?? pickKnown(input, "DisplayName", input["DisplayName"]),
    description: pickKnown(input, "Description", input["Description"]),
    severity: pickKnown(input, "AlertSeverity", input["AlertSeverity"]) ?? pickKnown(input, "Severity", input["Severity"]),
    status: pickKnown(input, "Status", input["Status"]),
    startTime: pickKnown(input, "StartTime", input["StartTime"]) ?? pickKnown(input, "StartTimeUtc", input["StartTimeUtc"]),
    endTime: pickKnown(input, "EndTime", input["EndTime"]) ?? pickKnown(input, "EndTimeUtc", input["EndTimeUtc"]),
    generatedTime: pickKnown(input, "TimeGenerated", input["TimeGenerated"]),
    tactics: pickKnown(input, "Tactics", input["Tactics"]),
    techniques: pickKnown(input, "Techniques", input["Techniques"]),
    subTechniques: pickKnown(input, "SubTechniques", input["SubTechniques"]),
    resourceIdentifiers: pickKnown(input, "ResourceIdentifiers", input["ResourceIdentifiers"]),
    resourceId: pickKnown(input, "ResourceId", input["ResourceId"]),
    compromisedEntity: pickKnown(input, "CompromisedEntity", input["CompromisedEntity"]),
    entities: pickKnown(input, "Entities", input["Entities"]),
    extendedProperties: pickKnown(input, "ExtendedProperties", input["ExtendedProperties"]),
    portalUrl,
  };
}
