import { alertParseErrorCodes } from "../../errors/alert-parse-error.js";
import { type AlertDraft, type DraftPaths } from "../alert-draft.js";
import { isObject, pickKnown, type JsonObject } from "../json-value.js";
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
  const properties = pickKnown(input, "properties", input["properties"]);
  if (!isObject(properties)) {
    ctx.fail(
      properties === undefined ? alertParseErrorCodes.missingField : alertParseErrorCodes.invalidField,
      ".properties",
      "An ARM alert keeps its fields under an object named `properties`; pass the alert resource as returned by the Alerts API.",
    );
  }
  return {
    id: pickKnown(input, "id", input["id"]),
    systemAlertId: pickKnown(properties, "systemAlertId", properties["systemAlertId"]) ?? pickKnown(input, "name", input["name"]),
    alertType: pickKnown(properties, "alertType", properties["alertType"]),
    displayName: pickKnown(properties, "alertDisplayName", properties["alertDisplayName"]),
    description: pickKnown(properties, "description", properties["description"]),
    severity: pickKnown(properties, "severity", properties["severity"]),
    status: pickKnown(properties, "status", properties["status"]),
    startTime: pickKnown(properties, "startTimeUtc", properties["startTimeUtc"]),
    endTime: pickKnown(properties, "endTimeUtc", properties["endTimeUtc"]),
    generatedTime: pickKnown(properties, "timeGeneratedUtc", properties["timeGeneratedUtc"]),
    tactics: pickKnown(properties, "intent", properties["intent"]),
    techniques: pickKnown(properties, "techniques", properties["techniques"]),
    subTechniques: pickKnown(properties, "subTechniques", properties["subTechniques"]),
    resourceIdentifiers: pickKnown(properties, "resourceIdentifiers", properties["resourceIdentifiers"]),
    compromisedEntity: pickKnown(properties, "compromisedEntity", properties["compromisedEntity"]),
    entities: pickKnown(properties, "entities", properties["entities"]),
    extendedProperties: pickKnown(properties, "extendedProperties", properties["extendedProperties"]),
    portalUrl: pickKnown(properties, "alertUri", properties["alertUri"]),
  };
}
