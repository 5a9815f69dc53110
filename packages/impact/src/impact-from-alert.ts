import type { KeyVaultAlert } from "@keywarden/alerts";
import { addAlertEvidence, assembleReport, defaultIngestionLagMinutes, ingestionOf, vaultHostOf } from "./assemble-report.js";
import { ImpactAccumulator } from "./impact-accumulator.js";
import type { ImpactReport } from "./impact-report.js";
import { ImpactErrorCode } from "./errors/impact-error.js";

export interface ImpactFromAlertOptions {
  /** The report time (ISO 8601 or Date). Sets `generatedAt` and the ingestion-lag assessment. */
  now?: Date | string;
  /** Ingestion lag allowance in minutes (default 10). */
  maxIngestionLagMinutes?: number;
}

/**
 * An impact report from the alert alone: the objects it names (target URIs), its suspicious operations and
 * 24-hour operation list, its caller and window. Used when no logs exist and as the base the logs refine. Pure:
 * no I/O, no clock (pass `now`).
 */
export function impactFromAlert(alert: KeyVaultAlert, options: ImpactFromAlertOptions = {}): ImpactReport {
  const now = options.now === undefined ? undefined : new Date(options.now);
  const maxLag = options.maxIngestionLagMinutes ?? defaultIngestionLagMinutes;
  const accumulator = new ImpactAccumulator(vaultHostOf(alert, alert.vault?.name ?? ""));
  addAlertEvidence(accumulator, alert);
  const vault: ImpactReport["vault"] = { name: alert.vault?.name ?? "" };
  if (alert.vault?.resourceId !== undefined) vault.resourceId = alert.vault.resourceId;
  if (alert.vault?.vaultUri !== undefined) vault.vaultUri = alert.vault.vaultUri;
  return assembleReport({
    alert,
    vault,
    window: { start: alert.startTime, end: alert.endTime },
    accumulator,
    basis: "alert",
    now,
    coverage: {
      status: "none",
      tables: [
        { table: "AZKVAuditLogs", status: "not-queried", rows: 0, events: 0, queries: 0 },
        { table: "AzureDiagnostics", status: "not-queried", rows: 0, events: 0, queries: 0 },
      ],
      ingestion: ingestionOf(validDate(alert.endTime), now, maxLag),
    },
    gaps: [
      {
        code: ImpactErrorCode.AlertOnly,
        message:
          "Built from the alert alone: no diagnostic logs were queried. Run measureImpact with the vault's Log Analytics workspace for per-object evidence.",
      },
    ],
  });
}

function validDate(text: string): Date | undefined {
  const d = new Date(text);
  return Number.isNaN(d.getTime()) ? undefined : d;
}
