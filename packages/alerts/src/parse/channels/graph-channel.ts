import { type AlertEntity } from "../../key-vault-alert.js";
import { type AlertDraft, type DraftPaths } from "../alert-draft.js";
import { childPath, isObject, pickKnown, type JsonObject } from "../json-value.js";
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
  return (Object.hasOwn(evidenceTypes, short) ? evidenceTypes[short] : undefined) ?? (short.endsWith("evidence") ? short.slice(0, -"evidence".length) : short || "unknown");
}

/** Reads a Graph `alerts_v2` alert (Defender for Cloud alerts arrive with `serviceSource: microsoftDefenderForCloud`). */
export function readGraphAlert(input: JsonObject, ctx: ParseContext): AlertDraft {
  const additionalData = pickKnown(input, "additionalData", input["additionalData"]);
  const extended = isObject(additionalData) ? additionalData : undefined;
  // Graph has no alertType field: Defender for Cloud alerts carry the detection id as `detectorId`; some
  // connectors also copy it into additionalData.
  const alertType = (extended === undefined ? undefined : pickKnown(extended, "AlertType", extended["AlertType"])) ?? pickKnown(input, "detectorId", input["detectorId"]);
  // Evidence becomes entities as is (original keys kept, no copy); the type comes from `@odata.type`.
  const rawEvidence = pickKnown(input, "evidence", input["evidence"]);
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
  const serviceSource = pickKnown(input, "serviceSource", input["serviceSource"]);
  if (serviceSource === "unknownFutureValue") {
    ctx.warn(
      alertWarningCodes.unknownEnumValue,
      ".serviceSource",
      "serviceSource is unknownFutureValue: request Graph alerts with the header `Prefer: include-unknown-enum-members`.",
    );
  }
  return {
    id: pickKnown(input, "id", input["id"]),
    systemAlertId: pickKnown(input, "providerAlertId", input["providerAlertId"]) ?? pickKnown(input, "id", input["id"]),
    alertType,
    displayName: pickKnown(input, "title", input["title"]),
    description: pickKnown(input, "description", input["description"]),
    severity: pickKnown(input, "severity", input["severity"]),
    status: pickKnown(input, "status", input["status"]),
    startTime: pickKnown(input, "firstActivityDateTime", input["firstActivityDateTime"]),
    endTime: pickKnown(input, "lastActivityDateTime", input["lastActivityDateTime"]),
    generatedTime: pickKnown(input, "createdDateTime", input["createdDateTime"]),
    tactics: pickKnown(input, "category", input["category"]),
    techniques: pickKnown(input, "mitreTechniques", input["mitreTechniques"]),
    entityList,
    extendedProperties: additionalData,
    portalUrl: pickKnown(input, "alertWebUrl", input["alertWebUrl"]),
  };
}
