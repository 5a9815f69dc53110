import { readFileSync } from "node:fs";
import type { KeyVaultAlertKind } from "@keywarden/alerts";
import { SUBSCRIPTION } from "./build-alert.js";

interface ArmAlertTemplate {
  id: string;
  name: string;
  type: string;
  properties: Record<string, unknown> & { extendedProperties: Record<string, string>; entities: Array<Record<string, unknown>> };
}

const templates = (
  JSON.parse(readFileSync(new URL("../../src/__fixtures__/kv-simulated-alerts.xsoar-excerpt.json", import.meta.url), "utf8")) as {
    value: ArmAlertTemplate[];
  }
).value;

export interface ArmAlertSpec {
  kind: KeyVaultAlertKind;
  index: number;
  vaultName: string;
  ipAddress?: string;
  objectId?: string;
  suspiciousOperations?: string;
  target?: string;
  resultSignature?: string;
}

/**
 * An Alerts API 2022-01-01 alert with the exact shape Defender sends (taken from a real `Alerts_List` response),
 * turned from a sample into a real alert about the given vault and source.
 */
export function armAlert(spec: ArmAlertSpec): ArmAlertTemplate {
  const template = templates[spec.index % templates.length]!;
  const alert = JSON.parse(JSON.stringify(template)) as ArmAlertTemplate;
  const name = `2517396773228188817_${spec.index.toString(16).padStart(8, "0")}-595b-4efb-ae23-679568966575`;
  const vaultId = `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-payments/providers/Microsoft.KeyVault/vaults/${spec.vaultName}`;
  alert.id = `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-payments/providers/Microsoft.Security/locations/westeurope/alerts/${name}`;
  alert.name = name;
  const p = alert.properties;
  p["systemAlertId"] = name;
  p["alertType"] = spec.kind;
  p["alertDisplayName"] = String(p["alertDisplayName"]).replace("[SAMPLE ALERT] ", "");
  p["description"] = String(p["description"]).replace("THIS IS A SAMPLE ALERT: ", "");
  p["intent"] = "CredentialAccess";
  p["compromisedEntity"] = spec.vaultName;
  p["resourceIdentifiers"] = [{ $id: "westeurope_1", azureResourceId: vaultId, type: "AzureResource" }];
  const ext = p.extendedProperties;
  ext["attacker IP Address"] = spec.ipAddress ?? "00.00.00.00";
  ext["attacker Object ID"] = spec.objectId ?? "00000000-0000-0000-0000-000000000000";
  if (spec.suspiciousOperations !== undefined) ext["suspicious Operations"] = spec.suspiciousOperations;
  if (spec.target !== undefined) ext["target"] = spec.target;
  if (spec.resultSignature !== undefined) ext["result Signature"] = spec.resultSignature;
  for (const entity of p.entities) {
    if (entity["type"] === "azure-resource") entity["resourceId"] = vaultId;
    if (entity["type"] === "account") entity["aadUserId"] = spec.objectId ?? "00000000-0000-0000-0000-000000000000";
    if (entity["type"] === "ip") entity["address"] = spec.ipAddress ?? "00.00.00.00";
  }
  return alert;
}
