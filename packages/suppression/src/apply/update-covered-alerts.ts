import { SuppressionError } from "../errors/suppression-error.js";
import type { AlertStatus } from "@keywarden/alerts";
import type { Clock, Journal, JournalError, NewJournalEntry } from "@keywarden/core";
import type { AlertStateStore, ManagedAlert } from "../azure/alert-state-store.js";
import { SuppressionCodes } from "../errors/suppression-error-codes.js";
import { previewSuppression } from "../preview/preview-suppression.js";
import type { SuppressionRule } from "../rule/suppression-rule.js";
import { logger, safe } from "../log.js";
import { toJournalError } from "./to-journal-error.js";
import { retryOnThrottle, systemClock } from "@keywarden/core";
import type { ThrottleOptions } from "./throttle-options.js";

export interface UpdateCoveredAlertsOptions {
  alerts: AlertStateStore;
  /** What to do with covered alerts that are still open: `dismiss` (what the service does to suppressed alerts) or `resolve`. */
  action: "dismiss" | "resolve";
  dryRun?: boolean;
  journal?: Journal;
  /** Journal plan id. Default `suppression-alerts`. */
  planId?: string;
  abortSignal?: AbortSignal;
  /** Time for journal entries, rule expiry and Retry-After dates, and the waits between throttled attempts. Default: the system clock. */
  clock?: Clock;
  throttling?: ThrottleOptions;
}

export type AlertUpdateStatus = "updated" | "already-closed" | "would-update" | "failed";

export interface AlertUpdateResult {
  readonly alertId: string;
  readonly alertType: string;
  /** The active rules that cover the alert. */
  readonly rules: readonly string[];
  readonly status: AlertUpdateStatus;
  readonly from: AlertStatus;
  readonly to?: AlertStatus;
  readonly error?: JournalError;
}

export interface UpdateCoveredAlertsResult {
  readonly ok: boolean;
  readonly dryRun: boolean;
  readonly results: readonly AlertUpdateResult[];
}

/**
 * Dismisses (or resolves) the existing alerts that the rules cover: new alerts are suppressed by the service, old ones
 * are not. Idempotent: alerts already Dismissed or Resolved are left alone, so a re-run (or a resume after throttling
 * gave out) only touches what is still open. Each update is confirmed by reading the alert back; HTTP 429 waits for
 * Retry-After. Rules are evaluated as of `clock.now()` (disabled and expired rules cover nothing).
 */
export async function updateCoveredAlerts(rules: readonly SuppressionRule[], options: UpdateCoveredAlertsOptions): Promise<UpdateCoveredAlertsResult> {
  const dryRun = options.dryRun ?? false;
  const clock = options.clock ?? systemClock;
  const now = (): Date => new Date(clock.now());
  const signal = options.abortSignal;
  const planId = options.planId ?? "suppression-alerts";
  const operationOptions = signal === undefined ? {} : { abortSignal: signal };
  const target: AlertStatus = options.action === "dismiss" ? "Dismissed" : "Resolved";
  const kind = `alert-${options.action}`;
  const record = async (entry: Omit<NewJournalEntry, "time" | "planId" | "kind" | "dryRun">) => {
    if (options.journal !== undefined) await options.journal.append({ time: now().toISOString(), planId, kind, ...(dryRun ? { dryRun: true } : {}), ...entry });
  };
  const retry = <T>(stepId: string, operation: () => Promise<T>) =>
    retryOnThrottle(operation, {
      ...options.throttling,
      clock,
      ...(signal === undefined ? {} : { abortSignal: signal }),
      onThrottle: (attempt, delayInMs) => record({ stepId, event: "started", code: SuppressionCodes.throttled, message: `Throttled (HTTP 429); waiting ${delayInMs} ms before attempt ${attempt + 1}.`, data: { attempt, delayInMs } }),
    });

  const alerts: ManagedAlert[] = [];
  for await (const alert of options.alerts.list(operationOptions)) alerts.push(alert);
  const preview = previewSuppression(rules, alerts, { at: now() });

  const results: AlertUpdateResult[] = [];
  let ok = true;
  for (const alert of alerts) {
    const covering = preview.rulesByAlert.get(alert.id);
    if (covering === undefined) continue;
    const stepId = alert.id;
    const base = { alertId: alert.id, alertType: alert.alertType, rules: covering, from: alert.status };
    const about = `suppression ${safe(planId)} alert ${safe(alert.id)} (${safe(alert.alertType)}), covered by ${covering.map(safe).join(", ")}`;
    if (alert.status === "Dismissed" || alert.status === "Resolved") {
      results.push({ ...base, status: "already-closed" });
      logger.verbose(`${about}: left alone: already ${safe(alert.status)}`);
      await record({ stepId, event: "skipped", code: SuppressionCodes.alertStateSkipped, message: `Alert already ${alert.status}.`, alertIds: [alert.id] });
      continue;
    }
    if (dryRun) {
      results.push({ ...base, status: "would-update", to: target });
      logger.verbose(`${about}: dry run: would set ${safe(alert.status)} -> ${target}`);
      await record({ stepId, event: "skipped", code: SuppressionCodes.alertStateSkipped, message: `Dry run: would set ${alert.status} -> ${target} (rules: ${covering.join(", ")}).`, alertIds: [alert.id], before: { status: alert.status }, after: { status: target } });
      continue;
    }
    try {
      signal?.throwIfAborted();
      logger.verbose(`${about}: sets ${safe(alert.status)} -> ${target}: the service suppresses only new alerts, not this open one`);
      await record({ stepId, event: "started", code: SuppressionCodes.alertStateUpdated, message: `Setting ${alert.status} -> ${target} (rules: ${covering.join(", ")}).`, alertIds: [alert.id], before: { status: alert.status } });
      await retry(stepId, () => options.alerts.setState(alert.id, target, operationOptions));
      const after = await retry(stepId, () => options.alerts.get(alert.id, operationOptions));
      if (after?.status !== target) {
        throw new SuppressionError(SuppressionCodes.verifyFailed, `Alert ${alert.id} reads back as ${after?.status ?? "missing"} after the update, not ${target}. Run the update again later (Defender can accept a change without applying it).`);
      }
      results.push({ ...base, status: "updated", to: target });
      await record({ stepId, event: "succeeded", code: SuppressionCodes.alertStateUpdated, message: `Alert is now ${target}.`, alertIds: [alert.id], before: { status: alert.status }, after: { status: after.status } });
    } catch (error) {
      ok = false;
      const journalError = toJournalError(error);
      results.push({ ...base, status: "failed", error: journalError });
      await record({ stepId, event: "failed", code: SuppressionCodes.alertStateFailed, message: `Could not set ${target}: ${journalError.message}`, alertIds: [alert.id], error: journalError });
      if (signal?.aborted === true) break;
    }
  }
  return { ok, dryRun, results };
}
