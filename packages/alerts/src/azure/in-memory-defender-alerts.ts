import { resourceIdEquals } from "../helpers/resource-id.js";
import { type KeyVaultAlert } from "../key-vault-alert.js";
import { alertFilter } from "./alert-filter.js";
import { parseAlertId } from "./alert-id.js";
import {
  statusAfterAction,
  type AlertReference,
  type AlertStateAction,
  type AlertStateChangeResult,
  type DefenderAlertsApi,
  type ListAlertsQuery,
  type SimulateAlertsRequest,
  type UpdateAlertStateOptions,
} from "./defender-alerts-api.js";
import { DefenderAlertsError, defenderAlertsErrorCodes } from "./defender-alerts-error.js";
import { pagedIterator, throwIfAborted, type KeywardenPagedIterator, type OperationOptions } from "@keywarden/core";
import { decodeListToken, encodeListToken } from "./list-token.js";

function subscriptionOf(alert: KeyVaultAlert): string | undefined {
  return parseAlertId(alert.id)?.subscriptionId ?? alert.vault.subscriptionId;
}

/**
 * `DefenderAlertsApi` over an in-memory list of alerts, with the same filtering, idempotency and results as
 * `DefenderAlertsClient`. For dry runs and for tests of code that takes a `DefenderAlertsApi`.
 */
export class InMemoryDefenderAlerts implements DefenderAlertsApi {
  /** Every state change posted (skipped ones are not), in order. */
  readonly posted: { id: string; action: AlertStateAction }[] = [];
  /** Every `simulateAlerts` request, in order. */
  readonly simulations: SimulateAlertsRequest[] = [];
  private readonly alerts: KeyVaultAlert[];

  constructor(alerts: readonly KeyVaultAlert[] = [], private readonly pageSize = 50) {
    this.alerts = alerts.map((alert) => ({ ...alert }));
  }

  /** The alerts as they are now (copies). */
  snapshot(): KeyVaultAlert[] {
    return this.alerts.map((alert) => ({ ...alert }));
  }

  listAlerts(query: ListAlertsQuery, options: OperationOptions = {}): KeywardenPagedIterator<KeyVaultAlert> {
    const keep = alertFilter(query);
    const alerts = this.alerts;
    const pageSize = this.pageSize;
    const subscriptionIds = [...query.subscriptionIds];
    return pagedIterator<KeyVaultAlert>(async (token, maxPageSize) => {
      throwIfAborted(options.abortSignal);
      // Yield to the event loop between pages, as a real client would.
      await Promise.resolve();
      const position = token === undefined ? { subscription: 0, link: undefined } : decodeListToken(token, subscriptionIds.length);
      const subscriptionId = subscriptionIds[position.subscription];
      if (subscriptionId === undefined) return { items: [] };
      const start = position.link === undefined ? 0 : Number(position.link);
      const size = maxPageSize ?? pageSize;
      const matching = alerts.filter((alert) => subscriptionOf(alert)?.toLowerCase() === subscriptionId.toLowerCase() && keep(alert));
      const end = Math.min(matching.length, start + size);
      const following =
        end < matching.length
          ? encodeListToken(position.subscription, String(end))
          : position.subscription + 1 < subscriptionIds.length
            ? encodeListToken(position.subscription + 1, undefined)
            : undefined;
      return { items: matching.slice(start, end).map((alert) => ({ ...alert })), continuationToken: following };
    });
  }

  private find(id: string): KeyVaultAlert {
    if (parseAlertId(id) === undefined) {
      throw new DefenderAlertsError(defenderAlertsErrorCodes.invalidAlertId, `"${String(id).slice(0, 200)}" is not a Defender alert id.`);
    }
    const alert = this.alerts.find((candidate) => resourceIdEquals(candidate.id, id));
    if (alert === undefined) throw new DefenderAlertsError(defenderAlertsErrorCodes.requestFailed, `Reading alert ${id} failed with HTTP 404.`, { status: 404 });
    return alert;
  }

  getAlert(id: string, options: OperationOptions = {}): Promise<KeyVaultAlert> {
    // Throwing inside the executor rejects, like the Azure client.
    return new Promise((resolve) => {
      throwIfAborted(options.abortSignal);
      resolve({ ...this.find(id) });
    });
  }

  updateAlertState(alert: AlertReference, action: AlertStateAction, options?: UpdateAlertStateOptions): Promise<AlertStateChangeResult>;
  updateAlertState(alerts: readonly AlertReference[], action: AlertStateAction, options?: UpdateAlertStateOptions): Promise<AlertStateChangeResult[]>;
  updateAlertState(
    alertOrAlerts: AlertReference | readonly AlertReference[],
    action: AlertStateAction,
    options: UpdateAlertStateOptions = {},
  ): Promise<AlertStateChangeResult | AlertStateChangeResult[]> {
    // Rejects rather than throws, like the Azure client's async method.
    if (options.abortSignal?.aborted === true) return new Promise(() => throwIfAborted(options.abortSignal));
    const change = (reference: AlertReference): AlertStateChangeResult => {
      const id = typeof reference === "string" ? reference : reference.id;
      const alert = this.find(id);
      const target = statusAfterAction[action];
      const previousStatus = alert.status;
      if (previousStatus === target) return { id, action, outcome: "skipped", previousStatus, status: target };
      alert.status = target;
      this.posted.push({ id, action });
      return { id, action, outcome: "updated", previousStatus, status: target };
    };
    if (!Array.isArray(alertOrAlerts)) {
      const reference = alertOrAlerts as AlertReference;
      return new Promise((resolve) => resolve(change(reference)));
    }
    const results = (alertOrAlerts as readonly AlertReference[]).map((reference): AlertStateChangeResult => {
      try {
        return change(reference);
      } catch (error) {
        const failure = error as DefenderAlertsError;
        return { id: typeof reference === "string" ? reference : reference.id, action, outcome: "failed", error: { code: failure.code, message: failure.message } };
      }
    });
    return Promise.resolve(results);
  }

  simulateAlerts(request: SimulateAlertsRequest, options: OperationOptions = {}): Promise<void> {
    throwIfAborted(options.abortSignal);
    this.simulations.push({ ...request });
    return Promise.resolve();
  }
}
