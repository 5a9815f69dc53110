import { alertParseErrorCodes } from "../../errors/alert-parse-error.js";
import { parseResourceId } from "../../helpers/resource-id.js";
import { type AlertDraft, type DraftPaths } from "../alert-draft.js";
import { isObject, pickKnown, text, type JsonObject } from "../json-value.js";
import { alertWarningCodes, type ParseContext } from "../parse-context.js";

/**
 * Where each field sits in the legacy `Microsoft.Security/alerts` resource, as the 2015-06-01-preview and
 * 2019-01-01 Alerts API versions return it (and SOAR collectors still store it). Fields the legacy shape does not
 * have point at the closest legacy field, so warnings name a path that exists in the input.
 */
export const legacyArmPaths: DraftPaths = {
  id: ".id",
  systemAlertId: ".name",
  alertType: ".properties.alertName",
  displayName: ".properties.alertDisplayName",
  description: ".properties.description",
  severity: ".properties.reportedSeverity",
  status: ".properties.state",
  startTime: ".properties.detectedTimeUtc",
  endTime: ".properties.detectedTimeUtc",
  generatedTime: ".properties.reportedTimeUtc",
  tactics: ".properties.intent",
  techniques: ".properties.techniques",
  subTechniques: ".properties.subTechniques",
  resourceIdentifiers: ".properties.associatedResource",
  resourceId: ".properties.associatedResource",
  compromisedEntity: ".properties.compromisedEntity",
  entities: ".properties.entities",
  extendedProperties: ".properties.extendedProperties",
  portalUrl: ".properties.alertUri",
};

/**
 * A `properties` object in the legacy shape: it names the alert type `alertName` and has no `alertType`
 * (2020-01-01 and later renamed `alertName` to `alertType`, `reportedSeverity` to `severity`, `state` to `status`,
 * `detectedTimeUtc` to `startTimeUtc`/`endTimeUtc` and `associatedResource` to `resourceIdentifiers`).
 */
export function isLegacyArmProperties(properties: unknown): properties is JsonObject {
  if (!isObject(properties)) return false;
  if (pickKnown(properties, "alertType", properties["alertType"]) !== undefined) return false;
  return pickKnown(properties, "alertName", properties["alertName"]) !== undefined;
}

/** The legacy alert resource's `properties` when `input` is one. */
export function legacyArmProperties(input: JsonObject): JsonObject | undefined {
  const properties = pickKnown(input, "properties", input["properties"]);
  return isLegacyArmProperties(properties) ? properties : undefined;
}

/** 2015-06-01-preview's severity enum is `Silent | Information | Low | High`; the model has no `Silent`. */
function legacySeverity(value: unknown, ctx: ParseContext): unknown {
  if (typeof value === "string" && value.trim().toLowerCase() === "silent") {
    ctx.warn(
      alertWarningCodes.unknownEnumValue,
      legacyArmPaths.severity,
      'Legacy severity "Silent" (2015-06-01-preview) has no counterpart in the current API; treated as "Informational".',
    );
    return "Informational";
  }
  return value;
}

/** The subscription the legacy alert names must be the associated resource's; a mismatch is reported, not guessed. */
function checkSubscription(properties: JsonObject, associatedResource: unknown, ctx: ParseContext): void {
  const subscriptionId = text(pickKnown(properties, "subscriptionId", properties["subscriptionId"]));
  const resourceId = text(associatedResource);
  if (subscriptionId === undefined || resourceId === undefined) return;
  const parsed = parseResourceId(resourceId);
  if (parsed?.subscriptionId === undefined) return;
  if (parsed.subscriptionId.toLowerCase() !== subscriptionId.trim().toLowerCase()) {
    ctx.warn(
      alertWarningCodes.invalidOptionalField,
      ".properties.subscriptionId",
      "The legacy alert's subscriptionId differs from its associatedResource's subscription (the workspace's subscription?); the vault is taken from associatedResource.",
    );
  }
}

/**
 * Reads a legacy alert resource (`{ id, name, type, properties: { alertName, reportedSeverity, state, ... } }`) into
 * the same draft as the current ARM shape, with a `KW_ALERTS_W0016` warning naming the legacy shape.
 * The mapping is documented in the package README ("Older alert shapes").
 */
export function readLegacyArmAlert(input: JsonObject, ctx: ParseContext): AlertDraft {
  const properties = legacyArmProperties(input);
  if (properties === undefined) {
    ctx.fail(
      alertParseErrorCodes.missingField,
      ".properties.alertName",
      "A legacy ARM alert keeps its alert type in `properties.alertName`; pass the alert resource as the Alerts API returned it.",
    );
  }
  ctx.warn(
    alertWarningCodes.legacyShape,
    ".properties.alertName",
    "This alert is in the legacy Alerts API shape (api-version 2015-06-01-preview / 2019-01-01: alertName, reportedSeverity, state, detectedTimeUtc, associatedResource); it was mapped to the current model. Collect alerts with api-version 2022-01-01 to get resourceIdentifiers, endTimeUtc and tactics.",
  );
  const associatedResource = pickKnown(properties, "associatedResource", properties["associatedResource"]);
  checkSubscription(properties, associatedResource, ctx);
  const detected = pickKnown(properties, "detectedTimeUtc", properties["detectedTimeUtc"]);
  return {
    id: pickKnown(input, "id", input["id"]),
    // The resource name is `<ticks>_<instanceId>`, the same value the current shape calls systemAlertId.
    systemAlertId: pickKnown(input, "name", input["name"]) ?? pickKnown(properties, "instanceId", properties["instanceId"]),
    alertType: pickKnown(properties, "alertName", properties["alertName"]),
    displayName: pickKnown(properties, "alertDisplayName", properties["alertDisplayName"]),
    description: pickKnown(properties, "description", properties["description"]),
    severity: legacySeverity(pickKnown(properties, "reportedSeverity", properties["reportedSeverity"]), ctx),
    status: pickKnown(properties, "state", properties["state"]),
    // The legacy shape has a single detection time: the activity window collapses to it.
    startTime: detected,
    endTime: detected,
    generatedTime: pickKnown(properties, "reportedTimeUtc", properties["reportedTimeUtc"]),
    resourceId: associatedResource,
    compromisedEntity: pickKnown(properties, "compromisedEntity", properties["compromisedEntity"]),
    entities: pickKnown(properties, "entities", properties["entities"]),
    extendedProperties: pickKnown(properties, "extendedProperties", properties["extendedProperties"]),
  };
}
