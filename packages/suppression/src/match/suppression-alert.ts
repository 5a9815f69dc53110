import type { KeyVaultAlert } from "@keywarden/alerts";

/**
 * What matching needs from an alert. A `KeyVaultAlert` from `@keywarden/alerts` (`parseAlert`, `DefenderAlertsClient`)
 * is one; so is any alert shaped like it.
 */
export type SuppressionAlert = Pick<KeyVaultAlert, "id" | "alertType" | "entities"> &
  Partial<Pick<KeyVaultAlert, "systemAlertId" | "status" | "generatedTime">>;
