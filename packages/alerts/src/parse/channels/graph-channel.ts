import { type AlertEntity } from "../../key-vault-alert.js";
import { type AlertDraft, type DraftPaths } from "../alert-draft.js";
import { childPath, isObject, pick, type JsonObject } from "../json-value.js";
import { alertWarningCodes, type ParseContext } from "../parse-context.js";

/** Where each field sits in a Microsoft Graph `security/alerts_v2` alert. */
export const graphPaths: DraftPaths = {
  id: ".id",
  systemAlertId: ".providerAlertId",
  alertType: ".detectorId",
  displayName: ".title",
  description: ".description",
  severity: ".severity",
  status: ".status",
  startTime: ".firstActivityDateTime",
  endTime: ".lastActivityDateTime",
  generatedTime: ".createdDateTime",
  tactics: ".category",
  techniques: ".mitreTechniques",
  subTechniques: ".mitreTechniques",
  resourceIdentifiers: ".evidence",
  resourceId: ".evidence",
  compromisedEntity: ".evidence",
  entities: ".evidence",
  extendedProperties: ".additionalData",
  portalUrl: ".alertWebUrl",
};

/** Graph evidence `@odata.type` -> Defender entity type, so evidence is typed like the other channels' entities. */
const evidenceTypes: Record<string, string> = {
  ipevidence: "ip",
  userevidence: "account",
  azureresourceevidence: "azure-resource",
  cloudapplicationevidence: "cloud-application",
  oauthapplicationevidence: "cloud-application",
  urlevidence: "url",
  deviceevidence: "host",
  fileevidence: "file",
  processevidence: "process",
  securitygroupevidence: "security-group",
  mailboxevidence: "mailbox",
  registrykeyevidence: "registry-key",
  registryvalueevidence: "registry-value",
  blobevidence: "blob",
  blobcontainerevidence: "blob-container",
  cloudlogonrequestevidence: "cloud-logon-request",
  cloudlogonsessionevidence: "cloud-logon-session",
  containerevidence: "container",
  containerimageevidence: "container-image",
  dnsevidence: "dns",
  malwareevidence: "malware",
  mailclusterevidence: "mail-cluster",
};

/** The entity type of a Graph evidence object, from its `@odata.type`. */
function evidenceType(evidence: JsonObject): string {
  const odataType = evidence["@odata.type"];
  if (typeof odataType !== "string") return "unknown";
  const short = odataType.slice(odataType.lastIndexOf(".") + 1).toLowerCase();
  return evidenceTypes[short] ?? (short.endsWith("evidence") ? short.slice(0, -"evidence".length) : short || "unknown");
}

/** Reads a Graph `alerts_v2` alert (Defender for Cloud alerts arrive with `serviceSource: microsoftDefenderForCloud`). */
export function readGraphAlert(input: JsonObject, ctx: ParseContext): AlertDraft {
  const additionalData = pick(input, "additionalData");
  const extended = isObject(additionalData) ? additionalData : undefined;
  // Graph has no alertType field: Defender for Cloud alerts carry the detection id as `detectorId`; some
  // connectors also copy it into additionalData.
  const alertType = (extended === undefined ? undefined : pick(extended, "AlertType")) ?? pick(input, "detectorId");
  // Evidence becomes entities as is (original keys kept, no copy); the type comes from `@odata.type`.
  const rawEvidence = pick(input, "evidence");
  const entityList: AlertEntity[] = [];
  if (Array.isArray(rawEvidence)) {
    const evidence = rawEvidence as unknown[];
    for (let index = 0; index < evidence.length; index++) {
      const item = evidence[index];
      if (isObject(item)) entityList.push({ type: evidenceType(item), properties: item });
      else ctx.warn(alertWarningCodes.invalidOptionalField, childPath(".evidence", index), "Evidence is not an object; ignored.");
    }
  } else if (rawEvidence !== undefined && rawEvidence !== null) {
    ctx.warn(alertWarningCodes.invalidOptionalField, ".evidence", "evidence is not an array; ignored.");
  }
  const serviceSource = pick(input, "serviceSource");
  if (serviceSource === "unknownFutureValue") {
    ctx.warn(
      alertWarningCodes.unknownEnumValue,
      ".serviceSource",
      "serviceSource is unknownFutureValue: request Graph alerts with the header `Prefer: include-unknown-enum-members`.",
    );
  }
  return {
    id: pick(input, "id"),
    systemAlertId: pick(input, "providerAlertId") ?? pick(input, "id"),
    alertType,
    displayName: pick(input, "title"),
    description: pick(input, "description"),
    severity: pick(input, "severity"),
    status: pick(input, "status"),
    startTime: pick(input, "firstActivityDateTime"),
    endTime: pick(input, "lastActivityDateTime"),
    generatedTime: pick(input, "createdDateTime"),
    tactics: pick(input, "category"),
    techniques: pick(input, "mitreTechniques"),
    entityList,
    extendedProperties: additionalData,
    portalUrl: pick(input, "alertWebUrl"),
  };
}
