import { classifyAlertType } from "../catalog/alert-catalog.js";
import { type KeyVaultAlert } from "../key-vault-alert.js";
import { type ListAlertsQuery } from "./defender-alerts-api.js";
import { DefenderAlertsError, defenderAlertsErrorCodes } from "./defender-alerts-error.js";

/** The `listAlerts` filter as a predicate: Key Vault alerts only, then `kinds`, `includeSimulated`, `since`. */
export function alertFilter(query: ListAlertsQuery): (alert: KeyVaultAlert) => boolean {
  let sinceMs: number | undefined;
  if (query.since !== undefined) {
    sinceMs = query.since instanceof Date ? query.since.getTime() : Date.parse(query.since);
    if (Number.isNaN(sinceMs)) {
      throw new DefenderAlertsError(defenderAlertsErrorCodes.invalidArgument, `"since" (${String(query.since)}) is not a valid date; pass an ISO 8601 string or a Date.`);
    }
  }
  const kinds = query.kinds === undefined ? undefined : new Set<string>(query.kinds);
  const includeSimulated = query.includeSimulated ?? false;
  return (alert) => {
    if (!classifyAlertType(alert.alertType).keyVault) return false;
    if (!includeSimulated && alert.simulated) return false;
    if (kinds !== undefined && !kinds.has(alert.kind)) return false;
    if (sinceMs !== undefined && Date.parse(alert.generatedTime) < sinceMs) return false;
    return true;
  };
}
