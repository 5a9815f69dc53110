import { SuppressionError } from "../errors/suppression-error.js";
import { SuppressionCodes } from "../errors/suppression-error-codes.js";
import type { TokenCredential } from "@azure/core-auth";
import { DefenderAlertsClient, type DefenderAlertsApi } from "@keywarden/alerts";
import type { AlertStateStore, ManagedAlert } from "./alert-state-store.js";
import { statusOf, type KeywardenClientOptions } from "@keywarden/core";
import type { StoreOperationOptions } from "./suppression-rules-store.js";

export type ArmAlertStateStoreOptions =
  | { credential: TokenCredential; subscriptionId: string; clientOptions?: KeywardenClientOptions }
  | {
      /** A `DefenderAlertsClient` (or `InMemoryDefenderAlerts`) from `@keywarden/alerts`. */
      alertsClient: DefenderAlertsApi;
      subscriptionIds: readonly string[];
    };

/**
 * The Defender for Key Vault alerts of a subscription, for bulk dismiss / resolve, over `@keywarden/alerts`'
 * `DefenderAlertsClient` (`@azure/arm-security` underneath): alerts are parsed from the raw responses, addressed by
 * their own ids, and state changes are idempotent and patient with HTTP 429. `SIMULATED_` sample alerts are included:
 * rules may target them explicitly.
 */
export function createArmAlertStateStore(options: ArmAlertStateStoreOptions): AlertStateStore {
  const client = "alertsClient" in options ? options.alertsClient : new DefenderAlertsClient(options.credential, options.clientOptions ?? {});
  const subscriptionIds = "alertsClient" in options ? [...options.subscriptionIds] : [options.subscriptionId];
  const operation = (options: StoreOperationOptions) => (options.abortSignal === undefined ? {} : { abortSignal: options.abortSignal });
  return {
    async *list(listOptions: StoreOperationOptions = {}): AsyncIterable<ManagedAlert> {
      yield* client.listAlerts({ subscriptionIds, includeSimulated: true }, operation(listOptions));
    },
    async get(alertId: string, getOptions: StoreOperationOptions = {}) {
      try {
        return await client.getAlert(alertId, operation(getOptions));
      } catch (error) {
        if (statusOf(error) === 404) return undefined;
        throw error;
      }
    },
    async setState(alertId: string, state: "Dismissed" | "Resolved", setOptions: StoreOperationOptions = {}) {
      // Verification is the caller's (updateCoveredAlerts reads every alert back); failures throw.
      const result = await client.updateAlertState(alertId, state === "Dismissed" ? "dismiss" : "resolve", operation(setOptions));
      if (result.outcome === "failed") {
        throw new SuppressionError(SuppressionCodes.alertStateFailed, result.error?.message ?? `Changing alert ${alertId} failed; run the update again.`, { status: result.error?.status });
      }
    },
  };
}
