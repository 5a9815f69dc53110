import type { KeyVaultAlertKind } from "@keywarden/alerts";

/** The documented Defender for Key Vault alert types (defender-alerts.md section 1.1) plus the release-notes alias. */
export const KEY_VAULT_ALERT_TYPES: readonly string[] = [
  "KV_SuspiciousIPAccess",
  "KV_TORAccess",
  "KV_OperationVolumeAnomaly",
  "KV_PutGetAnomaly",
  "KV_ListGetAnomaly",
  "KV_AccountVolumeAccessDeniedAnomaly",
  "KV_UserAccessDeniedAnomaly",
  "KV_AppAnomaly",
  "KV_OperationPatternAnomaly",
  "KV_UserAnomaly",
  "KV_UserAppAnomaly",
  "KV_AccountVolumeAnomaly",
  "KV_SuspiciousIPAccessDenied",
  "KV_UnusualAccessSuspiciousIP",
] satisfies readonly KeyVaultAlertKind[];

/** Alias announced in the release notes for `KV_AccountVolumeAccessDeniedAnomaly`. */
export const KEY_VAULT_ALERT_TYPE_ALIASES: readonly string[] = ["KV_DeniedAccountVolumeAnomaly"];

/**
 * Detections whose whole signal is the caller's IP (Tor exit node, threat-intelligence flagged IP). Suppressing them
 * without pinning the IP hides exactly the attacker they exist to catch.
 */
export const HIGH_VALUE_ALERT_TYPES: readonly string[] = [
  "KV_TORAccess",
  "KV_SuspiciousIPAccess",
  "KV_SuspiciousIPAccessDenied",
  "KV_UnusualAccessSuspiciousIP",
];
