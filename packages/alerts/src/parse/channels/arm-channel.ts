import { alertParseErrorCodes } from "../../errors/alert-parse-error.js";
import { type AlertDraft, type DraftPaths } from "../alert-draft.js";
import { isObject, pick, type JsonObject } from "../json-value.js";
import { type ParseContext } from "../parse-context.js";

/** Where each field sits in an ARM `Microsoft.Security/alerts` resource (api-version 2022-01-01 and earlier). */
export const armPaths: DraftPaths = {
  id: ".id",
  systemAlertId: ".properties.systemAlertId",
  alertType: ".properties.alertType",
  displayName: ".properties.alertDisplayName",
  description: ".properties.description",
  severity: ".properties.severity",
  status: ".properties.status",
  startTime: ".properties.startTimeUtc",
  endTime: ".properties.endTimeUtc",
  generatedTime: ".properties.timeGeneratedUtc",
  tactics: ".properties.intent",
  techniques: ".properties.techniques",
  subTechniques: ".properties.subTechniques",
  resourceIdentifiers: ".properties.resourceIdentifiers",
  resourceId: ".properties.resourceIdentifiers",
  compromisedEntity: ".properties.compromisedEntity",
  entities: ".properties.entities",
  extendedProperties: ".properties.extendedProperties",
  portalUrl: ".properties.alertUri",
};

/** Reads an ARM alert resource (`{ id, name, type, properties: { alertType, ... } }`, camelCase). */
export function readArmAlert(input: JsonObject, ctx: ParseContext): AlertDraft {
  const properties = pick(input, "properties");
  if (!isObject(properties)) {
    ctx.fail(
      properties === undefined ? alertParseErrorCodes.missingField : alertParseErrorCodes.invalidField,
      ".properties",
      "An ARM alert keeps its fields under an object named `properties`; pass the alert resource as returned by the Alerts API.",
    );
  }
  return {
    id: pick(input, "id"),
    systemAlertId: pick(properties, "systemAlertId") ?? pick(input, "name"),
    alertType: pick(properties, "alertType"),
    displayName: pick(properties, "alertDisplayName"),
    description: pick(properties, "description"),
    severity: pick(properties, "severity"),
    status: pick(properties, "status"),
    startTime: pick(properties, "startTimeUtc"),
    endTime: pick(properties, "endTimeUtc"),
    generatedTime: pick(properties, "timeGeneratedUtc"),
    tactics: pick(properties, "intent"),
    techniques: pick(properties, "techniques"),
    subTechniques: pick(properties, "subTechniques"),
    resourceIdentifiers: pick(properties, "resourceIdentifiers"),
    compromisedEntity: pick(properties, "compromisedEntity"),
    entities: pick(properties, "entities"),
    extendedProperties: pick(properties, "extendedProperties"),
    portalUrl: pick(properties, "alertUri"),
  };
}
