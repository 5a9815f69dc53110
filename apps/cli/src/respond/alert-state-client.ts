import type { DefenderAlertsClient } from "@keywarden/alerts";
import type { AlertStateClient } from "@keywarden/remediation";

const transitions = {
  Active: "activate",
  InProgress: "inProgress",
  Resolved: "resolve",
  Dismissed: "dismiss",
} as const;

function isNotFound(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === "object" && current !== null; depth += 1) {
    if ((current as { statusCode?: unknown }).statusCode === 404) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** The remediation engine's view of alert state, over the Defender alerts client. */
export function alertStateClient(client: DefenderAlertsClient): AlertStateClient {
  return {
    async getAlertState(alertId, options) {
      try {
        return (await client.getAlert(alertId, options)).status;
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    },
    async setAlertState(alertId, state, options) {
      const result = await client.updateAlertState(alertId, transitions[state], options);
      // The client reports a failed or unverified change in its result; the engine expects a throw.
      if (result.outcome === "failed" || result.outcome === "unverified") {
        throw Object.assign(new Error(result.error?.message ?? `The alert did not move to ${state}.`), {
          code: result.error?.code,
          statusCode: result.error?.status,
        });
      }
    },
  };
}
