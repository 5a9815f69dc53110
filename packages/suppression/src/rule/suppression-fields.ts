/**
 * The entity fields a suppression rule's scope may match on.
 *
 * No Defender API lists them (MicrosoftDocs/azure-docs#118890); this is the `entityNameToType` table of the built-in
 * Azure Policy "Deploy - Configure suppression rules for Azure Security Center alerts"
 * (80e94a21-c6cd-4c95-a2c7-beb5704e61c0), which is the only complete, authoritative list. The service expects the
 * paths in lower case.
 */
export const SUPPRESSION_FIELDS = [
  "entities.account.name",
  "entities.account.aaduserid",
  "entities.account.upnsuffix",
  "entities.azureresource.resourceid",
  "entities.file.name",
  "entities.file.directory",
  "entities.filehash.value",
  "entities.host.hostname",
  "entities.host.azureid",
  "entities.host.dnsdomain",
  "entities.host.omsagentid",
  "entities.ip.address",
  "entities.malware.name",
  "entities.malware.category",
  "entities.process.commandline",
] as const;

/** A documented suppression scope field, e.g. `entities.ip.address`. */
export type SuppressionField = (typeof SUPPRESSION_FIELDS)[number];

/** The portal / policy label of each field, for messages and docs. */
export const SUPPRESSION_FIELD_LABELS: Readonly<Record<SuppressionField, string>> = {
  "entities.account.name": "User account - name",
  "entities.account.aaduserid": "User account - AAD user ID",
  "entities.account.upnsuffix": "User account - UPN suffix",
  "entities.azureresource.resourceid": "Azure resource ID",
  "entities.file.name": "File - name",
  "entities.file.directory": "File - directory",
  "entities.filehash.value": "File hash",
  "entities.host.hostname": "Host - name",
  "entities.host.azureid": "Host - Azure ID",
  "entities.host.dnsdomain": "Host - DNS Domain",
  "entities.host.omsagentid": "Host - OMS agent ID",
  "entities.ip.address": "IP address",
  "entities.malware.name": "Malware - name",
  "entities.malware.category": "Malware - category",
  "entities.process.commandline": "Process - command line",
};

/**
 * Fields that Defender for Key Vault alerts actually carry: their entities are `ip`, `account` and `azure-resource`
 * (defender-alerts.md section 1.3). A rule on another field can never match a Key Vault alert that has entities.
 */
export const KEY_VAULT_ALERT_FIELDS: ReadonlySet<SuppressionField> = new Set<SuppressionField>([
  "entities.ip.address",
  "entities.account.name",
  "entities.account.aaduserid",
  "entities.account.upnsuffix",
  "entities.azureresource.resourceid",
]);

const fieldSet: ReadonlySet<string> = new Set(SUPPRESSION_FIELDS);

export function isSuppressionField(value: unknown): value is SuppressionField {
  return typeof value === "string" && fieldSet.has(value);
}

/** Splits a field into the entity type and the property it reads: `entities.ip.address` -> `["ip", "address"]`. */
export function fieldParts(field: SuppressionField): { readonly entityType: string; readonly property: string } {
  let parts = partsCache.get(field);
  if (parts === undefined) {
    const [, entityType = "", property = ""] = field.split(".");
    parts = { entityType, property };
    partsCache.set(field, parts);
  }
  return parts;
}

// Matching asks for the parts of the same few fields once per alert: split each field once.
const partsCache = new Map<SuppressionField, { readonly entityType: string; readonly property: string }>();
