import type { AlertStatus } from "@keywarden/alerts";
import type { SuppressionAlert } from "../match/suppression-alert.js";
import type { StoreOperationOptions } from "./suppression-rules-store.js";

/** An alert with what a state update needs: its id (which encodes location and resource group) and status. */
export type ManagedAlert = SuppressionAlert & { readonly status: AlertStatus };

/** The alerts of a subscription and their workflow state. Azure: `createArmAlertStateStore`; memory: `InMemoryAlertStateStore`. */
export interface AlertStateStore {
  list(options?: StoreOperationOptions): AsyncIterable<ManagedAlert>;
  get(alertId: string, options?: StoreOperationOptions): Promise<ManagedAlert | undefined>;
  setState(alertId: string, state: "Dismissed" | "Resolved", options?: StoreOperationOptions): Promise<void>;
}
