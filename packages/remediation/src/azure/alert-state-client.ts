import { isNotFound } from "@keywarden/core";
import { RemediationCodes } from "../errors/remediation-codes.js";
import { RemediationError } from "../errors/remediation-error.js";
import type { AlertStateAction, DefenderAlertsApi } from "@keywarden/alerts";
import type { AlertStateClient } from "./people-executors.js";

const ACTIONS: Record<"Active" | "InProgress" | "Resolved" | "Dismissed", AlertStateAction> = {
  Active: "activate",
  InProgress: "inProgress",
  Resolved: "resolve",
  Dismissed: "dismiss",
};

/**
 * The Alerts API refused a state change (`KW_REMEDIATION_E0012`, category from the status). It carries the HTTP
 * status, so the engine retries 429 / 5xx from the Alerts API like any Azure call.
 */
export class AlertStateError extends RemediationError {
  static override readonly marker: string = "keywarden.remediation.alert-state";
  constructor(message: string, status: number | undefined) {
    super(RemediationCodes.azureRequestFailed, message, status === undefined ? {} : { status });
  }
}

/**
 * Adapts `DefenderAlertsClient` (or `InMemoryDefenderAlerts`) from `@keywarden/alerts` to the alert-state port the
 * `update-alert-state` executor uses.
 */
export function alertStateClientFrom(alerts: Pick<DefenderAlertsApi, "getAlert" | "updateAlertState">): AlertStateClient {
  return {
    async getAlertState(alertId, options = {}) {
      try {
        return (await alerts.getAlert(alertId, options)).status;
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    },
    async setAlertState(alertId, state, options = {}) {
      const result = await alerts.updateAlertState(alertId, ACTIONS[state], { ...options, verify: false });
      if (result.outcome === "failed") {
        throw new AlertStateError(result.error?.message ?? `The alert could not be set to ${state}.`, result.error?.status);
      }
    },
  };
}
