import { type AlertChannel } from "../key-vault-alert.js";
import { isObject, pickKnown, type JsonObject } from "./json-value.js";

/**
 * Guesses which channel an alert object came from by its shape:
 * - `arm`: `properties` object holding `alertType` or the legacy `alertName` (or `type` ending in `/alerts`);
 * - `graph`: `@odata.type` of a security alert, or Graph-only fields (`providerAlertId`, `evidence`, `serviceSource`);
 * - `log-analytics`: SecurityAlert columns (`AlertName`, `AlertSeverity`, `Type: "SecurityAlert"`);
 * - `export`: flat PascalCase alert (`AlertType` / `SystemAlertId` / `AlertDisplayName`).
 */
// Compiled once at load, not per alert.
const alertsResourceType = /\/alerts$/i;
const graphAlertType = /security\.alert$/i;

export function detectChannel(input: JsonObject): AlertChannel | undefined {
  const properties = pickKnown(input, "properties", input["properties"]);
  if (isObject(properties)) {
    const type = pickKnown(input, "type", input["type"]);
    // The legacy shape (2015-06-01-preview / 2019-01-01) names the alert type `alertName`.
    const legacy = pickKnown(properties, "alertName", properties["alertName"]) !== undefined;
    if (legacy || pickKnown(properties, "alertType", properties["alertType"]) !== undefined || (typeof type === "string" && alertsResourceType.test(type))) return "arm";
  }
  const odataType = input["@odata.type"];
  if (typeof odataType === "string" && graphAlertType.test(odataType)) return "graph";
  if (input.providerAlertId !== undefined || input.serviceSource !== undefined || input.detectionSource !== undefined || Array.isArray(input.evidence)) {
    return "graph";
  }
  const tableType = pickKnown(input, "Type", input["Type"]);
  if (
    tableType === "SecurityAlert" ||
    pickKnown(input, "AlertSeverity", input["AlertSeverity"]) !== undefined ||
    pickKnown(input, "AlertName", input["AlertName"]) !== undefined ||
    (pickKnown(input, "AlertLink", input["AlertLink"]) !== undefined && pickKnown(input, "SystemAlertId", input["SystemAlertId"]) !== undefined)
  ) {
    return "log-analytics";
  }
  if (pickKnown(input, "AlertType", input["AlertType"]) !== undefined || pickKnown(input, "SystemAlertId", input["SystemAlertId"]) !== undefined || pickKnown(input, "AlertDisplayName", input["AlertDisplayName"]) !== undefined) {
    return "export";
  }
  return undefined;
}
