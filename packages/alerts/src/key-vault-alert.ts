/**
 * The normalized Defender for Key Vault alert: one shape whatever channel the alert came from.
 *
 * Field names are a contract relied on by every other Keywarden package, by samples and by users' SOAR code.
 * Missing data stays missing (`undefined`), never an empty string, a zero GUID or a `00.00.00.00` placeholder.
 */

/** Where an alert payload came from. */
export type AlertChannel =
  /** ARM REST (`Microsoft.Security/alerts`, camelCase `properties`). */
  | "arm"
  /** Continuous export / workflow automation (PascalCase, `ExtendedProperties`, `Entities`). */
  | "export"
  /** A Log Analytics / Sentinel `SecurityAlert` row (JSON inside string columns). */
  | "log-analytics"
  /** Microsoft Graph security `alerts_v2` (evidence instead of entities). */
  | "graph";

export type AlertSeverity = "High" | "Medium" | "Low" | "Informational";

/** Alert workflow status. The export channel's `New` is normalized to `Active`. */
export type AlertStatus = "Active" | "InProgress" | "Resolved" | "Dismissed";

/** One of the 14 documented Defender for Key Vault alert types (aliases folded, `SIMULATED_` removed). */
export type KeyVaultAlertKind =
  | "KV_SuspiciousIPAccess"
  | "KV_TORAccess"
  | "KV_OperationVolumeAnomaly"
  | "KV_PutGetAnomaly"
  | "KV_ListGetAnomaly"
  | "KV_AccountVolumeAccessDeniedAnomaly"
  | "KV_UserAccessDeniedAnomaly"
  | "KV_AppAnomaly"
  | "KV_OperationPatternAnomaly"
  | "KV_UserAnomaly"
  | "KV_UserAppAnomaly"
  | "KV_AccountVolumeAnomaly"
  | "KV_SuspiciousIPAccessDenied"
  | "KV_UnusualAccessSuspiciousIP";

/** The vault an alert is about. */
export interface AlertVault {
  /** The vault's ARM resource id, as the alert spelled it. Compare with `resourceIdEquals`, never `===`. */
  resourceId: string;
  subscriptionId: string;
  resourceGroup: string;
  name: string;
  /** `https://<name>.vault.azure.net/` (or the configured cloud suffix) when it can be derived. */
  vaultUri?: string;
}

/** Who or what made the suspicious requests. Every field is optional: absent evidence stays absent. */
export interface AlertSource {
  ipAddress?: string;
  /** Free-text geolocation as Defender reported it (country, city, ASN / organisation). */
  ipLocation?: string;
  /** Entra object id of the user or service principal. Absent for traffic from outside Azure AD. */
  objectId?: string;
  /** Absent for app-only (service principal) access. */
  userPrincipalName?: string;
  applicationId?: string;
  /** The client (user agent / SDK) string, when the alert carried one. */
  clientInfo?: string;
}

/** `"[SecretGet:3, SecretList:5]"` parsed into entries. */
export interface OperationCount {
  operation: string;
  count: number;
}

export interface AlertOperations {
  /** Operations Defender called suspicious. */
  suspicious: OperationCount[];
  /** Every operation the source performed on the vault in the last 24 hours. */
  last24Hours: OperationCount[];
}

/** A normalized alert entity. `$ref`s are resolved: a referenced entity appears as its full object. */
export interface AlertEntity {
  /** The entity type in lower case (`ip`, `account`, `azure-resource`, `host`, `cloud-application`, ...). */
  type: string;
  /** The raw entity with `$ref`s resolved and original keys kept. */
  properties: Record<string, unknown>;
}

export interface AlertWarning {
  /** Stable warning code (`KW_ALERTS_Wnnnn`). */
  code: string;
  /** JSON path of the field that caused the warning, e.g. `$.properties.startTimeUtc`. */
  path: string;
  message: string;
}

export interface KeyVaultAlert {
  /** The alert's ARM resource id (or the channel's closest equivalent). */
  id: string;
  /** Defender's system alert id (the alert name / GUID), stable across channels. */
  systemAlertId: string;
  /** The alert type exactly as received, e.g. `SIMULATED_KV_TORAccess`. */
  alertType: string;
  /** Catalog id without `SIMULATED_`, aliases folded, or `"unknown"`. */
  kind: KeyVaultAlertKind | "unknown";
  simulated: boolean;
  channel: AlertChannel;
  displayName: string;
  description: string;
  severity: AlertSeverity;
  status: AlertStatus;
  /** ISO 8601 UTC, the service's full precision kept (7-digit fractions included). */
  startTime: string;
  endTime: string;
  generatedTime: string;
  tactics: string[];
  techniques: string[];
  vault: AlertVault;
  source: AlertSource;
  operations: AlertOperations;
  /** Object URIs the alert names (secrets, keys, certificates), e.g. `https://kv.vault.azure.net/secrets/db`. */
  targets: string[];
  reasons: string[];
  resultSignature?: string;
  entities: AlertEntity[];
  /** Extended properties exactly as received (original keys and string values). */
  extendedProperties: Record<string, unknown>;
  portalUrl?: string;
  warnings: AlertWarning[];
}
