import { type KeyVaultAlert, type KeyVaultAlertKind } from "../key-vault-alert.js";
import type { KeywardenPagedIterator, OperationOptions } from "@keywarden/core";

/** The state-change actions of the Alerts API (`POST .../alerts/{name}/{action}`). */
export type AlertStateAction = "dismiss" | "resolve" | "activate" | "inProgress";

/** The status an alert has after each action. */
export const statusAfterAction = {
  dismiss: "Dismissed",
  resolve: "Resolved",
  activate: "Active",
  inProgress: "InProgress",
} as const satisfies Record<AlertStateAction, KeyVaultAlert["status"]>;

export interface ListAlertsQuery {
  /** Subscriptions to list, in order. */
  subscriptionIds: readonly string[];
  /** Only alerts Defender generated at or after this time (ISO string or Date). */
  since?: string | Date;
  /** Only these kinds (`"unknown"` selects undocumented `KV_*` types). */
  kinds?: readonly (KeyVaultAlertKind | "unknown")[];
  /** Include `SIMULATED_` sample alerts. Default `false`. */
  includeSimulated?: boolean;
}

export type AlertReference = string | { id: string };

export type AlertStateChangeOutcome =
  /** The alert was posted and (if verification is on) re-read in the new state. */
  | "updated"
  /** The alert already had that status; nothing was posted. */
  | "skipped"
  /** The POST succeeded but the re-read alert still has another status (azure-cli #20487). */
  | "unverified"
  | "failed";

export interface AlertStateChangeResult {
  id: string;
  action: AlertStateAction;
  outcome: AlertStateChangeOutcome;
  /** Status before the change (absent when the alert could not be read). */
  previousStatus?: KeyVaultAlert["status"];
  /** Status after the change as last read (absent when not re-read). */
  status?: KeyVaultAlert["status"];
  /** Set when `outcome` is `failed` or `unverified`. */
  error?: { code: string; message: string; status?: number };
}

export interface UpdateAlertStateOptions extends OperationOptions {
  /** Re-read each alert after posting to confirm the new status. Default `true`. */
  verify?: boolean;
  /** How many alerts are changed at once. Default 4. */
  concurrency?: number;
}

export interface SimulateAlertsRequest {
  subscriptionId: string;
  /** The ASC location (e.g. `centralus`). */
  location: string;
}

/**
 * What Keywarden needs from Defender for Cloud's Alerts API. `DefenderAlertsClient` implements it over
 * `@azure/arm-security`; `InMemoryDefenderAlerts` implements it over an array, for tests and dry runs.
 */
export interface DefenderAlertsApi {
  listAlerts(query: ListAlertsQuery, options?: OperationOptions): KeywardenPagedIterator<KeyVaultAlert>;
  getAlert(id: string, options?: OperationOptions): Promise<KeyVaultAlert>;
  updateAlertState(alert: AlertReference, action: AlertStateAction, options?: UpdateAlertStateOptions): Promise<AlertStateChangeResult>;
  updateAlertState(alerts: readonly AlertReference[], action: AlertStateAction, options?: UpdateAlertStateOptions): Promise<AlertStateChangeResult[]>;
  simulateAlerts(request: SimulateAlertsRequest, options?: OperationOptions): Promise<void>;
}
