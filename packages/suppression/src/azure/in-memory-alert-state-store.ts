import { SuppressionError } from "../errors/suppression-error.js";
import { SuppressionCodes } from "../errors/suppression-error-codes.js";
import type { AlertStateStore, ManagedAlert } from "./alert-state-store.js";

/** Alerts held in memory, for tests and what-if runs. `writes` counts state updates. */
export class InMemoryAlertStateStore implements AlertStateStore {
  readonly #alerts = new Map<string, ManagedAlert>();
  writes = 0;

  constructor(alerts: readonly ManagedAlert[] = []) {
    for (const alert of alerts) this.#alerts.set(alert.id.toLowerCase(), structuredClone(alert));
  }

  async *list(): AsyncIterable<ManagedAlert> {
    for (const alert of [...this.#alerts.values()]) {
      await Promise.resolve();
      yield structuredClone(alert);
    }
  }

  get(alertId: string): Promise<ManagedAlert | undefined> {
    const alert = this.#alerts.get(alertId.toLowerCase());
    return Promise.resolve(alert === undefined ? undefined : structuredClone(alert));
  }

  setState(alertId: string, state: "Dismissed" | "Resolved"): Promise<void> {
    const alert = this.#alerts.get(alertId.toLowerCase());
    if (alert === undefined) return Promise.reject(new SuppressionError(SuppressionCodes.alertNotFound, `Alert ${alertId} not found: pass the id of an alert in this store.`, { status: 404 }));
    this.writes += 1;
    this.#alerts.set(alertId.toLowerCase(), { ...alert, status: state });
    return Promise.resolve();
  }
}
