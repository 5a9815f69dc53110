import { type AlertChannel } from "../key-vault-alert.js";
import { isObject, pick, type JsonObject } from "./json-value.js";

/**
 * Guesses which channel an alert object came from by its shape:
 * - `arm`: `properties` object holding `alertType` (or `type` ending in `/alerts`);
 * - `graph`: `@odata.type` of a security alert, or Graph-only fields (`providerAlertId`, `evidence`, `serviceSource`);
 * - `log-analytics`: SecurityAlert columns (`AlertName`, `AlertSeverity`, `Type: "SecurityAlert"`);
 * - `export`: flat PascalCase alert (`AlertType` / `SystemAlertId` / `AlertDisplayName`).
 */
export function detectChannel(input: JsonObject): AlertChannel | undefined {
  const properties = pick(input, "properties");
  if (isObject(properties)) {
    const type = pick(input, "type");
    if (pick(properties, "alertType") !== undefined || (typeof type === "string" && /\/alerts$/i.test(type))) return "arm";
  }
  const odataType = input["@odata.type"];
  if (typeof odataType === "string" && /security\.alert$/i.test(odataType)) return "graph";
  if (input.providerAlertId !== undefined || input.serviceSource !== undefined || input.detectionSource !== undefined || Array.isArray(input.evidence)) {
    return "graph";
  }
  const tableType = pick(input, "Type");
  if (
    tableType === "SecurityAlert" ||
    pick(input, "AlertSeverity") !== undefined ||
    pick(input, "AlertName") !== undefined ||
    (pick(input, "AlertLink") !== undefined && pick(input, "SystemAlertId") !== undefined)
  ) {
    return "log-analytics";
  }
  if (pick(input, "AlertType") !== undefined || pick(input, "SystemAlertId") !== undefined || pick(input, "AlertDisplayName") !== undefined) {
    return "export";
  }
  return undefined;
}
