import { alertCatalog, type AlertTypeInfo } from "@keywarden/alerts";

const catalog: readonly AlertTypeInfo[] = Object.values(alertCatalog);

/** The documented Defender for Key Vault alert types, from the `@keywarden/alerts` catalog. */
export const KEY_VAULT_ALERT_TYPES: readonly string[] = catalog.map((info) => info.kind);

/** Other ids Microsoft has used for the same alerts (e.g. `KV_DeniedAccountVolumeAnomaly`). */
export const KEY_VAULT_ALERT_TYPE_ALIASES: readonly string[] = catalog.flatMap((info) => info.aliases);

/**
 * Detections whose whole signal is the caller's IP (Tor exit node, threat-intelligence flagged IP). Suppressing them
 * without pinning the IP hides exactly the attacker they exist to catch.
 */
export const HIGH_VALUE_ALERT_TYPES: readonly string[] = catalog.filter((info) => info.subject === "ip").map((info) => info.kind);
