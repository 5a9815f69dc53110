import { type AlertSeverity, type KeyVaultAlertKind } from "../key-vault-alert.js";

/** A MITRE ATT&CK tactic as Defender's REST `intent` enum spells it. */
export type MitreTactic =
  | "InitialAccess"
  | "Discovery"
  | "CredentialAccess"
  | "Persistence"
  | "PrivilegeEscalation"
  | "DefenseEvasion"
  | "LateralMovement"
  | "Execution"
  | "Collection"
  | "Exfiltration"
  | "CommandAndControl"
  | "Impact"
  | "PreAttack"
  | "Probing"
  | "Exploitation";

/** Evidence an alert type carries when Defender has it (any of it may still be absent on a given alert). */
export type AlertEvidence =
  | "ipAddress"
  | "ipLocation"
  | "objectId"
  | "userPrincipalName"
  | "applicationId"
  | "clientInfo"
  | "suspiciousOperations"
  | "operationsLast24Hours"
  | "targets"
  | "reasons"
  | "resultSignature";

/** What the catalog knows about one Defender for Key Vault alert type. */
export interface AlertTypeInfo {
  /** The documented alert type id, e.g. `KV_TORAccess`. */
  kind: KeyVaultAlertKind;
  /** Other ids Microsoft has used for the same alert (folded into `kind` by the parser). */
  aliases: readonly string[];
  /** Display name as Microsoft Learn spells it today (older alerts say "Key Vault"; never match on it). */
  displayName: string;
  /** What the alert means, in one sentence. */
  summary: string;
  severity: AlertSeverity;
  tactics: readonly MitreTactic[];
  /** `"succeeded"` when the suspicious access went through, `"denied"` when the vault refused it. */
  access: "succeeded" | "denied";
  /** Which principal's behaviour the detection models. */
  subject: "ip" | "principal" | "application" | "user" | "user-application" | "vault";
  evidence: readonly AlertEvidence[];
}

const common: readonly AlertEvidence[] = [
  "ipAddress",
  "ipLocation",
  "objectId",
  "userPrincipalName",
  "applicationId",
  "clientInfo",
  "suspiciousOperations",
  "operationsLast24Hours",
  "targets",
  "reasons",
  "resultSignature",
];

function entry(info: Omit<AlertTypeInfo, "aliases" | "evidence"> & Partial<Pick<AlertTypeInfo, "aliases" | "evidence">>): AlertTypeInfo {
  return Object.freeze({
    ...info,
    aliases: Object.freeze([...(info.aliases ?? [])]),
    evidence: Object.freeze([...(info.evidence ?? common)]),
    tactics: Object.freeze([...info.tactics]),
  });
}

/**
 * The 14 documented Defender for Key Vault alert types
 * (https://learn.microsoft.com/azure/defender-for-cloud/alerts-azure-key-vault, ms.date 06/03/2024).
 * Keyed by the alert type id. Match alerts on their type, never on the display name.
 */
export const alertCatalog: Readonly<Record<KeyVaultAlertKind, AlertTypeInfo>> = Object.freeze({
  KV_SuspiciousIPAccess: entry({
    kind: "KV_SuspiciousIPAccess",
    displayName: "Access from a suspicious IP address to a key vault",
    summary: "A successful access came from an IP address Microsoft Threat Intelligence flags as suspicious.",
    severity: "Medium",
    tactics: ["CredentialAccess"],
    access: "succeeded",
    subject: "ip",
  }),
  KV_TORAccess: entry({
    kind: "KV_TORAccess",
    displayName: "Access from a TOR exit node to a key vault",
    summary: "The vault was accessed from a known TOR exit node; the caller may be hiding where they come from.",
    severity: "Medium",
    tactics: ["CredentialAccess"],
    access: "succeeded",
    subject: "ip",
  }),
  KV_OperationVolumeAnomaly: entry({
    kind: "KV_OperationVolumeAnomaly",
    displayName: "High volume of operations in a key vault",
    summary: "A user, service principal or the vault shows an anomalously high number of operations.",
    severity: "Medium",
    tactics: ["CredentialAccess"],
    access: "succeeded",
    subject: "principal",
  }),
  KV_PutGetAnomaly: entry({
    kind: "KV_PutGetAnomaly",
    displayName: "Suspicious policy change and secret query in a key vault",
    summary: "An anomalous access-policy change (Vault Put) was followed by secret reads, as if to widen access to secrets.",
    severity: "Medium",
    tactics: ["CredentialAccess"],
    access: "succeeded",
    subject: "principal",
  }),
  KV_ListGetAnomaly: entry({
    kind: "KV_ListGetAnomaly",
    displayName: "Suspicious secret listing and query in a key vault",
    summary: "An anomalous secret listing was followed by secret reads, typical of secret dumping.",
    severity: "Medium",
    tactics: ["CredentialAccess"],
    access: "succeeded",
    subject: "principal",
  }),
  KV_AccountVolumeAccessDeniedAnomaly: entry({
    kind: "KV_AccountVolumeAccessDeniedAnomaly",
    aliases: ["KV_DeniedAccountVolumeAnomaly"],
    displayName: "Unusual access denied - User accessing high volume of key vaults denied",
    summary: "A user or service principal tried an anomalously high number of vaults within 24 hours and was denied.",
    severity: "Low",
    tactics: ["Discovery"],
    access: "denied",
    subject: "principal",
  }),
  KV_UserAccessDeniedAnomaly: entry({
    kind: "KV_UserAccessDeniedAnomaly",
    displayName: "Unusual access denied - Unusual user accessing key vault denied",
    summary: "A user who does not normally access the vault tried to and was denied.",
    severity: "Low",
    tactics: ["InitialAccess", "Discovery"],
    access: "denied",
    subject: "user",
  }),
  KV_AppAnomaly: entry({
    kind: "KV_AppAnomaly",
    displayName: "Unusual application accessed a key vault",
    summary: "A service principal that does not normally access the vault accessed it.",
    severity: "Medium",
    tactics: ["CredentialAccess"],
    access: "succeeded",
    subject: "application",
  }),
  KV_OperationPatternAnomaly: entry({
    kind: "KV_OperationPatternAnomaly",
    displayName: "Unusual operation pattern in a key vault",
    summary: "A user, service principal or the vault shows an anomalous pattern of operations.",
    severity: "Medium",
    tactics: ["CredentialAccess"],
    access: "succeeded",
    subject: "principal",
  }),
  KV_UserAnomaly: entry({
    kind: "KV_UserAnomaly",
    displayName: "Unusual user accessed a key vault",
    summary: "A user who does not normally access the vault accessed it.",
    severity: "Medium",
    tactics: ["CredentialAccess"],
    access: "succeeded",
    subject: "user",
  }),
  KV_UserAppAnomaly: entry({
    kind: "KV_UserAppAnomaly",
    displayName: "Unusual user-application pair accessed a key vault",
    summary: "An unusual pairing of user and service principal accessed the vault.",
    severity: "Medium",
    tactics: ["CredentialAccess"],
    access: "succeeded",
    subject: "user-application",
  }),
  KV_AccountVolumeAnomaly: entry({
    kind: "KV_AccountVolumeAnomaly",
    displayName: "User accessed high volume of key vaults",
    summary: "One user or service principal accessed an anomalously high number of vaults.",
    severity: "Medium",
    tactics: ["CredentialAccess"],
    access: "succeeded",
    subject: "principal",
  }),
  KV_SuspiciousIPAccessDenied: entry({
    kind: "KV_SuspiciousIPAccessDenied",
    displayName: "Denied access from a suspicious IP to a key vault",
    summary: "An unsuccessful access came from an IP address Microsoft Threat Intelligence flags as suspicious.",
    severity: "Low",
    tactics: ["CredentialAccess"],
    access: "denied",
    subject: "ip",
  }),
  KV_UnusualAccessSuspiciousIP: entry({
    kind: "KV_UnusualAccessSuspiciousIP",
    displayName: "Unusual access to the key vault from a suspicious IP (Non-Microsoft or external)",
    summary: "Anomalous access attempts came from a non-Microsoft (external) IP address in the last 24 hours.",
    severity: "Medium",
    tactics: ["CredentialAccess"],
    access: "succeeded",
    subject: "ip",
  }),
});

/** The prefix of sample alerts created by Defender's "Create sample alerts" / Alerts_Simulate. */
export const simulatedAlertPrefix = "SIMULATED_";

const byLowerId = new Map<string, AlertTypeInfo>();
for (const info of Object.values(alertCatalog)) {
  byLowerId.set(info.kind.toLowerCase(), info);
  for (const alias of info.aliases) byLowerId.set(alias.toLowerCase(), info);
}

/** The result of classifying a raw alert type. */
export interface AlertTypeClassification {
  kind: KeyVaultAlertKind | "unknown";
  simulated: boolean;
  /** `true` for `KV_*` types (documented or not), i.e. Defender for Key Vault detections. */
  keyVault: boolean;
}

/**
 * Classifies a raw alert type: strips `SIMULATED_`, folds aliases, ignores case. Unknown `KV_*` types (Microsoft
 * warns some are undocumented) give `kind: "unknown"` with `keyVault: true`.
 */
export function classifyAlertType(alertType: string): AlertTypeClassification {
  let type = alertType.trim();
  let simulated = false;
  if (type.length > simulatedAlertPrefix.length && type.slice(0, simulatedAlertPrefix.length).toUpperCase() === simulatedAlertPrefix) {
    simulated = true;
    type = type.slice(simulatedAlertPrefix.length);
  }
  const info = byLowerId.get(type.toLowerCase());
  if (info !== undefined) return { kind: info.kind, simulated, keyVault: true };
  return { kind: "unknown", simulated, keyVault: type.slice(0, 3).toUpperCase() === "KV_" };
}

/**
 * Looks up a catalog entry by kind, raw alert type (`SIMULATED_KV_TORAccess`) or alias
 * (`KV_DeniedAccountVolumeAnomaly`), ignoring case. `undefined` for anything not in the catalog.
 */
export function getAlertTypeInfo(kindOrAlertType: string): AlertTypeInfo | undefined {
  if (typeof kindOrAlertType !== "string") return undefined;
  const { kind } = classifyAlertType(kindOrAlertType);
  return kind === "unknown" ? undefined : alertCatalog[kind];
}
