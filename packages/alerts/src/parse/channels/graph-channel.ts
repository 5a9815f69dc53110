import { type AlertDraft, type DraftPaths } from "../alert-draft.js";
import { childPath, isObject, pick, text, type JsonObject } from "../json-value.js";
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

/** Graph evidence `@odata.type` -> Defender entity type, so evidence reads like the other channels' entities. */
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

/**
 * Converts one Graph evidence object to entity shape: original keys kept, `type` set from `@odata.type`, and the
 * keys the other channels use added (`address` for IPs, `aadUserId` / `userPrincipalName` for users, `appId`).
 */
function evidenceToEntity(evidence: JsonObject): JsonObject {
  const odataType = typeof evidence["@odata.type"] === "string" ? evidence["@odata.type"] : "";
  const short = odataType.slice(odataType.lastIndexOf(".") + 1).toLowerCase();
  const type = evidenceTypes[short] ?? (short.endsWith("evidence") ? short.slice(0, -"evidence".length) : short || "unknown");
  const entity: JsonObject = { ...evidence, type };
  if (type === "ip") {
    const address = text(pick(evidence, "ipAddress"));
    if (address !== undefined) entity.address = address;
    const location = pick(evidence, "location");
    const countryCode = text(pick(evidence, "countryLetterCode"));
    if (!isObject(location) && countryCode !== undefined) entity.location = { countryCode };
  } else if (type === "account") {
    const account = pick(evidence, "userAccount");
    if (isObject(account)) {
      const objectId = text(pick(account, "azureAdUserId"));
      const upn = text(pick(account, "userPrincipalName"));
      if (objectId !== undefined) entity.aadUserId = objectId;
      if (upn !== undefined) entity.userPrincipalName = upn;
      const name = text(pick(account, "accountName"));
      if (name !== undefined) entity.name = name;
    }
  } else if (type === "cloud-application") {
    const appId = pick(evidence, "appId");
    if (typeof appId === "string" || typeof appId === "number") entity.appId = String(appId);
  }
  return entity;
}

/** Reads a Graph `alerts_v2` alert (Defender for Cloud alerts arrive with `serviceSource: microsoftDefenderForCloud`). */
export function readGraphAlert(input: JsonObject, ctx: ParseContext): AlertDraft {
  const additionalData = pick(input, "additionalData");
  const extended = isObject(additionalData) ? additionalData : undefined;
  // Graph has no alertType field: Defender for Cloud alerts carry the detection id as `detectorId`; some
  // connectors also copy it into additionalData.
  const alertType = (extended === undefined ? undefined : pick(extended, "AlertType")) ?? pick(input, "detectorId");
  const rawEvidence = pick(input, "evidence");
  let entities: unknown = rawEvidence;
  if (Array.isArray(rawEvidence)) {
    entities = (rawEvidence as unknown[]).map((item, index) => {
      if (isObject(item)) return evidenceToEntity(item);
      ctx.warn(alertWarningCodes.invalidOptionalField, childPath(".evidence", index), "Evidence is not an object; ignored.");
      return item;
    });
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
    entities,
    extendedProperties: additionalData,
    portalUrl: pick(input, "alertWebUrl"),
  };
}
