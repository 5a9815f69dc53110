import { type AlertDraft, type DraftPaths } from "../alert-draft.js";
import { pick, type JsonObject } from "../json-value.js";
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
  const systemAlertId = pick(input, "SystemAlertId") ?? pick(input, "VendorOriginalId");
  const portalUrl = pick(input, "AlertLink");
  const id = alertIdFromPortalLink(portalUrl, systemAlertId);
  if (id !== undefined) ctx.warn(alertWarningCodes.derivedValue, logAnalyticsPaths.id, "SecurityAlert rows carry no ARM alert id; derived it from AlertLink.");
  warnNullConfidence(input, ctx, ["ConfidenceLevel", "ConfidenceScore"]);
  return {
    id,
    systemAlertId,
    alertType: pick(input, "AlertType"),
    displayName: pick(input, "AlertName") ?? pick(input, "DisplayName"),
    description: pick(input, "Description"),
    severity: pick(input, "AlertSeverity") ?? pick(input, "Severity"),
    status: pick(input, "Status"),
    startTime: pick(input, "StartTime") ?? pick(input, "StartTimeUtc"),
    endTime: pick(input, "EndTime") ?? pick(input, "EndTimeUtc"),
    generatedTime: pick(input, "TimeGenerated"),
    tactics: pick(input, "Tactics"),
    techniques: pick(input, "Techniques"),
    subTechniques: pick(input, "SubTechniques"),
    resourceIdentifiers: pick(input, "ResourceIdentifiers"),
    resourceId: pick(input, "ResourceId"),
    compromisedEntity: pick(input, "CompromisedEntity"),
    entities: pick(input, "Entities"),
    extendedProperties: pick(input, "ExtendedProperties"),
    portalUrl,
  };
}
