import type { AlertStateAction, DefenderAlertsApi } from "@keywarden/alerts";
import type { AlertStateClient } from "./people-executors.js";

const ACTIONS: Record<"Active" | "InProgress" | "Resolved" | "Dismissed", AlertStateAction> = {
  Active: "activate",
  InProgress: "inProgress",
  Resolved: "resolve",
  Dismissed: "dismiss",
};

/** An HTTP-status-carrying failure, so the engine retries 429 / 5xx from the Alerts API like any Azure call. */
class AlertStateError extends Error {
  readonly statusCode?: number;
  constructor(message: string, statusCode: number | undefined) {
    super(message);
    this.name = "AlertStateError";
    if (statusCode !== undefined) this.statusCode = statusCode;
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
        const status = (error as { status?: unknown; statusCode?: unknown }).status ?? (error as { statusCode?: unknown }).statusCode;
        if (status === 404) return undefined;
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
