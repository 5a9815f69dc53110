import type { MonitorClient } from "@azure/arm-monitor";
import type { TokenCredential } from "@azure/core-auth";
import { LogsQueryClient, type LogsQueryClientOptions } from "@azure/monitor-query-logs";
import type { KeyVaultAlert } from "@keywarden/alerts";
import {
  addAlertEvidence,
  assembleReport,
  defaultIngestionLagMinutes,
  ingestionOf,
  vaultHostOf,
} from "./assemble-report.js";
import {
  assessDiagnosticSettings,
  monitorDiagnosticSettingsReader,
  type DiagnosticSettingsReader,
} from "./azure/diagnostic-settings.js";
import { errorText, logsQueryClientQuerier, type ImpactLogsQuerier, type WorkspaceTarget } from "./azure/logs-querier.js";
import { logger } from "./log.js";
import { logImpactDecisions } from "./log-impact-decisions.js";
import { buildCallerCensusQuery, buildTableQuery, hasCallers } from "./build-impact-queries.js";
import { sharedClientAppName } from "@keywarden/core";
import { criteriaFromAlert, type CriteriaFromAlertOptions } from "./criteria-from-alert.js";
import { ImpactError, ImpactErrorCode } from "./errors/impact-error.js";
import { ImpactAccumulator } from "./impact-accumulator.js";
import type { ImpactCriteria } from "./impact-criteria.js";
import type {
  DiagnosticSettingsCoverage,
  ImpactCoverage,
  ImpactGap,
  ImpactReport,
  ImpactTable,
  ImpactTableCoverage,
} from "./impact-report.js";
import { normalizeCriteria, type NormalizedCriteria } from "./normalize-criteria.js";
import { missingCensusColumns, missingSummaryColumns, readCallerCensusTable, readSummaryTable } from "./read-summary-table.js";


export interface MeasureImpactOptions extends CriteriaFromAlertOptions {
  /** A ready `LogsQueryClient` (or any {@link ImpactLogsQuerier}). Otherwise one is built from `credential`. */
  client?: Pick<LogsQueryClient, "queryWorkspace" | "queryResource"> | ImpactLogsQuerier;
  /** Used to build the `LogsQueryClient` (and the `MonitorClient` when `subscriptionId` is given). */
  credential?: TokenCredential;
  /** Options for the `LogsQueryClient` built from `credential` (endpoint, retry options, ...). */
  clientOptions?: LogsQueryClientOptions;
  /**
   * The Log Analytics workspace id (customerId GUID). When given, the diagnostic-settings pre-flight is skipped
   * and the report says the workspace was assumed.
   */
  workspaceId?: string;
  /**
   * How to read the vault's diagnostic settings when no `workspaceId` is given: a `MonitorClient`, any
   * {@link DiagnosticSettingsReader}, or nothing (then `credential` + the vault's subscription build one).
   */
  diagnosticSettings?: Pick<MonitorClient, "diagnosticSettings"> | DiagnosticSettingsReader;
  /**
   * How many times a truncated window may be halved (default 4: up to 16 chunks per table). Truncation is a
   * partial result whose error names the result-size or runaway limits.
   */
  maxSplitDepth?: number;
  /** Ingestion lag allowance in minutes (default 10). */
  maxIngestionLagMinutes?: number;
  /** Sent to the service as `Prefer: wait=`. */
  serverTimeoutInSeconds?: number;
  /** The report time (default: now). */
  now?: Date;
  abortSignal?: AbortSignal;
}

function isQuerier(value: unknown): value is ImpactLogsQuerier {
  return typeof (value as ImpactLogsQuerier | undefined)?.query === "function";
}

function isReader(value: unknown): value is DiagnosticSettingsReader {
  return typeof (value as DiagnosticSettingsReader | undefined)?.list === "function";
}

/**
 * Measures what an alert's caller touched: criteria from the alert (vault, window with margins, IP / object id /
 * UPN / app id), the diagnostic-settings pre-flight, both Key Vault log tables queried and merged, partial results
 * kept and named, truncated windows split, all folded over the alert's own evidence. Failures of the logs never
 * lose the report: it comes back built from the alert with the gap named.
 *
 * @throws ImpactError `KW_IMPACT_E0001..E0004` before any query (bad criteria, no workspace), `E0005` on abort.
 */
export async function measureImpact(alert: KeyVaultAlert, options: MeasureImpactOptions): Promise<ImpactReport> {
  return measureImpactForCriteria(criteriaFromAlert(alert, options), { ...options, alert });
}

/** {@link measureImpact} for hand-written criteria (optionally with the alert whose evidence to fold in). */
export async function measureImpactForCriteria(
  criteria: ImpactCriteria,
  options: MeasureImpactOptions & { alert?: KeyVaultAlert },
): Promise<ImpactReport> {
  const normalized = normalizeCriteria(criteria);
  const now = options.now ?? new Date();
  const maxLag = options.maxIngestionLagMinutes ?? defaultIngestionLagMinutes;
  throwIfAborted(options.abortSignal);

  const gaps: ImpactGap[] = [];
  const newAccumulator = (): ImpactAccumulator => {
    const fresh = new ImpactAccumulator(vaultHostOf(options.alert, normalized.vaultName));
    if (options.alert !== undefined) addAlertEvidence(fresh, options.alert);
    return fresh;
  };
  let accumulator = newAccumulator();

  if (normalized.callerAmbiguous) {
    // Measuring "everyone who used the Azure CLI" would blame every colleague: say so and ask for the user.
    const names = normalized.sharedClientAppIds.map((id) => `${sharedClientAppName(id) ?? "a shared client"} (${id})`).join(", ");
    gaps.push({
      code: ImpactErrorCode.CallerAmbiguous,
      message: `The alert names only ${names}, a Microsoft client every user signs in with: no activity is attributed to a caller. Give the user (criteria.callers.objectIds or userPrincipalNames, or the alert's IP) to measure what they touched.`,
    });
  }
  const { targets, diagnostics } = normalized.callerAmbiguous
    ? { targets: [] as WorkspaceTarget[], diagnostics: undefined }
    : await resolveTargets(normalized, options, gaps);
  const freshCoverage = (): Map<ImpactTable, ImpactTableCoverage> =>
    new Map(
      (["AZKVAuditLogs", "AzureDiagnostics"] as const).map((table) => [
        table,
        { table, status: "not-queried", rows: 0, events: 0, queries: 0 } satisfies ImpactTableCoverage,
      ]),
    );
  let tableCoverage = freshCoverage();
  let usedTarget: WorkspaceTarget | undefined;

  // Several diagnostic settings can send the same AuditEvent records to several workspaces: read the first one that
  // answers (counting the same records twice would be wrong), falling back to the next on failure.
  if (targets.length > 0) {
    const querier = resolveQuerier(options);
    for (const target of targets) {
      tableCoverage = freshCoverage();
      usedTarget = target;
      const attempt = newAccumulator();
      for (const table of normalized.tables) {
        const coverage = tableCoverage.get(table)!;
        const run = new TableRun(querier, target, table, normalized, attempt, coverage, gaps, options);
        await run.window(normalized.queryWindow, 0);
        if (hasCallers(normalized) && (coverage.status === "complete" || coverage.status === "partial")) {
          coverage.queries += 1;
          await censusOf(querier, target, table, normalized, attempt, gaps, options);
        }
      }
      if ([...tableCoverage.values()].some((t) => t.status === "complete" || t.status === "partial")) {
        accumulator = attempt;
        break;
      }
    }
  }

  const tables = [...tableCoverage.values()];
  const answered = tables.filter((t) => t.status === "complete" || t.status === "partial");
  const ingestion = ingestionOf(normalized.queryWindow.end, now, maxLag);
  if (targets.length > 0 && answered.length === 0 && tables.some((t) => t.status === "missing")) {
    gaps.push({
      code: ImpactErrorCode.TableMissing,
      message: "Neither AZKVAuditLogs nor AzureDiagnostics exists in the workspace: the vault's AuditEvent logs have never reached it.",
    });
  }
  if (answered.length > 0 && ingestion.windowMayBeIncomplete) {
    gaps.push({
      code: ImpactErrorCode.IngestionLag,
      message: `The window ends less than ${maxLag} minutes before the report: Key Vault logs can arrive up to ${maxLag} minutes late. Re-run after ${ingestion.completeAfter ?? "the lag"} for a complete answer.`,
    });
  }
  const degraded = tables.some((t) => t.status === "partial" || t.status === "failed" || t.status === "forbidden");
  const status: ImpactCoverage["status"] =
    answered.length === 0 ? "none" : degraded || ingestion.windowMayBeIncomplete ? "partial" : "complete";
  const coverage: ImpactCoverage = {
    status,
    queriedWindow: { start: normalized.queryWindow.start.toISOString(), end: normalized.queryWindow.end.toISOString() },
    tables,
    ingestion,
  };
  if (usedTarget?.kind === "workspace") coverage.workspaceId = usedTarget.workspaceId;
  if (usedTarget?.kind === "resource") coverage.workspaceResourceId = usedTarget.resourceId;
  if (diagnostics !== undefined) coverage.diagnosticSettings = diagnostics;

  const vault: ImpactReport["vault"] = { name: options.alert?.vault?.name ?? normalized.vaultName };
  if (normalized.vaultResourceId !== undefined) vault.resourceId = normalized.vaultResourceId;
  if (options.alert?.vault?.vaultUri !== undefined) vault.vaultUri = options.alert.vault.vaultUri;
  logger.info(
    `impact measured for vault ${normalized.vaultName}: coverage ${status}, ${tables.map((t) => `${t.table}=${t.status}/${t.rows} rows`).join(", ")}`,
  );
  const report = assembleReport({
    ...(options.alert === undefined ? {} : { alert: options.alert }),
    vault,
    window: options.alert
      ? { start: options.alert.startTime, end: options.alert.endTime }
      : { start: normalized.window.start.toISOString(), end: normalized.window.end.toISOString() },
    accumulator,
    coverage,
    gaps,
    basis: answered.length > 0 ? "logs" : "alert",
    now,
  });
  logImpactDecisions(report, accumulator.skippedOperations());
  return report;
}

function resolveQuerier(options: MeasureImpactOptions): ImpactLogsQuerier {
  if (options.client !== undefined) return isQuerier(options.client) ? options.client : logsQueryClientQuerier(options.client);
  if (options.credential === undefined) {
    throw new ImpactError(
      ImpactErrorCode.NoWorkspace,
      "measureImpact needs a Log Analytics client: pass options.client (a LogsQueryClient) or options.credential (a TokenCredential).",
    );
  }
  return logsQueryClientQuerier(new LogsQueryClient(options.credential, options.clientOptions));
}

async function resolveTargets(
  criteria: NormalizedCriteria,
  options: MeasureImpactOptions,
  gaps: ImpactGap[],
): Promise<{ targets: WorkspaceTarget[]; diagnostics?: DiagnosticSettingsCoverage }> {
  if (options.workspaceId !== undefined) {
    if (options.client === undefined && options.credential === undefined) resolveQuerier(options);
    return {
      targets: [{ kind: "workspace", workspaceId: options.workspaceId }],
      diagnostics: { status: "assumed", workspaceResourceIds: [], settingNames: [], otherDestinations: [] },
    };
  }
  if (criteria.vaultResourceId === undefined) {
    throw new ImpactError(
      ImpactErrorCode.NoWorkspace,
      "No Log Analytics workspace to query: pass options.workspaceId, or a vault resource id (criteria.vault.resourceId / the alert's vault) so the vault's diagnostic settings can be read.",
    );
  }
  const reader = await diagnosticSettingsReader(criteria.vaultResourceId, options);
  try {
    const settings = await reader.list(criteria.vaultResourceId, { abortSignal: options.abortSignal });
    const diagnostics = assessDiagnosticSettings(settings);
    if (!diagnostics.auditEventToWorkspace) {
      const elsewhere = diagnostics.otherDestinations.length > 0 ? ` (AuditEvent goes only to ${diagnostics.otherDestinations.join("; ")})` : "";
      gaps.push({
        code: ImpactErrorCode.AuditLogsNotSent,
        message: `The vault does not send its AuditEvent logs to a Log Analytics workspace${elsewhere}: there are no logs to query, so this report rests on the alert alone. Add a diagnostic setting (category AuditEvent or group audit) to a workspace for future incidents.`,
      });
    }
    return { targets: diagnostics.workspaceResourceIds.map((resourceId) => ({ kind: "resource", resourceId })), diagnostics };
  } catch (error) {
    rethrowAbort(error, options.abortSignal);
    const status = (error as { statusCode?: number }).statusCode;
    gaps.push({
      code: ImpactErrorCode.DiagnosticSettingsUnreadable,
      message: `The vault's diagnostic settings could not be read${status === undefined ? "" : ` (HTTP ${status})`}: ${errorText(error)}. Grant Microsoft.Insights/diagnosticSettings/read on the vault or pass options.workspaceId.`,
    });
    return {
      targets: [],
      diagnostics: {
        status: "unknown",
        workspaceResourceIds: [],
        settingNames: [],
        otherDestinations: [],
        error: { message: errorText(error), ...(status === undefined ? {} : { status }) },
      },
    };
  }
}

async function diagnosticSettingsReader(vaultResourceId: string, options: MeasureImpactOptions): Promise<DiagnosticSettingsReader> {
  if (options.diagnosticSettings !== undefined) {
    return isReader(options.diagnosticSettings)
      ? options.diagnosticSettings
      : monitorDiagnosticSettingsReader(options.diagnosticSettings);
  }
  const subscriptionId = /\/subscriptions\/([^/]+)/i.exec(vaultResourceId)?.[1];
  if (options.credential === undefined || subscriptionId === undefined) {
    throw new ImpactError(
      ImpactErrorCode.NoWorkspace,
      "Cannot read the vault's diagnostic settings: pass options.workspaceId, options.diagnosticSettings (a MonitorClient), or options.credential with a vault resource id.",
    );
  }
  const { MonitorClient } = await import("@azure/arm-monitor");
  // The retry settings given for the query client apply to the ARM read too (tests and sandboxes keep them short).
  const retryOptions = options.clientOptions?.retryOptions;
  return monitorDiagnosticSettingsReader(
    new MonitorClient(options.credential, subscriptionId, retryOptions === undefined ? {} : { retryOptions }),
  );
}

/**
 * The vault's other callers in the window (one summarised query per table). A failure costs only that list, so it
 * is a gap, never a failed measurement.
 */
async function censusOf(
  querier: ImpactLogsQuerier,
  target: WorkspaceTarget,
  table: ImpactTable,
  criteria: NormalizedCriteria,
  accumulator: ImpactAccumulator,
  gaps: ImpactGap[],
  options: MeasureImpactOptions,
): Promise<void> {
  throwIfAborted(options.abortSignal);
  const { query, window } = buildCallerCensusQuery(table, criteria, criteria.censusWindow);
  const gap = (why: string): void => {
    gaps.push({
      code: ImpactErrorCode.CallerCensusFailed,
      table,
      message: `${table}: the vault's other callers in the window could not be listed (${why}); 'callers' may miss who else a firewall or access change would affect.`,
    });
  };
  try {
    const outcome = await querier.query(target, query, window, {
      ...(options.abortSignal === undefined ? {} : { abortSignal: options.abortSignal }),
      ...(options.serverTimeoutInSeconds === undefined ? {} : { serverTimeoutInSeconds: options.serverTimeoutInSeconds }),
    });
    if (outcome.table !== undefined && missingCensusColumns(outcome.table).length === 0) {
      readCallerCensusTable(outcome.table, accumulator);
    } else if (outcome.table !== undefined) {
      gap("the result lacks the expected columns");
    }
    if (outcome.status === "partial") gap(`partial result: ${outcome.error.text}`);
  } catch (error) {
    rethrowAbort(error, options.abortSignal);
    gap(errorText(error));
  }
}

/** Truncation and resource limits: splitting the window is the cure. */
const truncation = /E_QUERY_RESULT_SET_TOO_LARGE|E_RUNAWAY_QUERY|E_LOW_MEMORY|result set has exceeded|exceeded the (internal )?(record count|allowed) limit|timeout|timed out|truncat/i;
const missingTable = /Failed to resolve table|SEM0100.*table|does not refer to any known table/i;

/** Queries one table for one target, halving truncated windows. */
class TableRun {
  constructor(
    private readonly querier: ImpactLogsQuerier,
    private readonly target: WorkspaceTarget,
    private readonly table: ImpactTable,
    private readonly criteria: NormalizedCriteria,
    private readonly accumulator: ImpactAccumulator,
    private readonly coverage: ImpactTableCoverage,
    private readonly gaps: ImpactGap[],
    private readonly options: MeasureImpactOptions,
  ) {}

  async window(window: { start: Date; end: Date }, depth: number): Promise<void> {
    throwIfAborted(this.options.abortSignal);
    const { query } = buildTableQuery(this.table, this.criteria, window);
    this.coverage.queries += 1;
    let outcome;
    try {
      outcome = await this.querier.query(this.target, query, window, {
        ...(this.options.abortSignal === undefined ? {} : { abortSignal: this.options.abortSignal }),
        ...(this.options.serverTimeoutInSeconds === undefined ? {} : { serverTimeoutInSeconds: this.options.serverTimeoutInSeconds }),
      });
    } catch (error) {
      rethrowAbort(error, this.options.abortSignal);
      this.failed(error);
      return;
    }
    if (outcome.status === "partial" && truncation.test(outcome.error.text) && this.canSplit(window, depth)) {
      // The halves replace this chunk entirely: its truncated rows are not folded in, so nothing counts twice.
      logger.info(`${this.table}: result truncated for ${window.start.toISOString()}..${window.end.toISOString()}, splitting`);
      const middle = new Date(window.start.getTime() + Math.floor((window.end.getTime() - window.start.getTime()) / 2));
      await this.window({ start: window.start, end: middle }, depth + 1);
      await this.window({ start: middle, end: window.end }, depth + 1);
      return;
    }
    if (outcome.table !== undefined) {
      const missing = missingSummaryColumns(outcome.table);
      if (missing.length > 0) {
        this.failed(new Error(`the result lacks the columns ${missing.join(", ")}`));
        return;
      }
      this.coverage.rows += readSummaryTable(outcome.table, this.table, this.accumulator);
      this.coverage.events = this.accumulator.eventCount(this.table);
    }
    if (outcome.status === "partial") {
      const isTruncation = truncation.test(outcome.error.text);
      this.mark("partial", { message: outcome.error.message, ...(outcome.error.code === undefined ? {} : { code: outcome.error.code }) });
      this.gaps.push({
        code: isTruncation ? ImpactErrorCode.Truncated : ImpactErrorCode.PartialResult,
        table: this.table,
        message: isTruncation
          ? `${this.table}: the result for ${window.start.toISOString()}..${window.end.toISOString()} stayed truncated after splitting the window ${depth} time(s); the rows returned are counted, more exist. (${outcome.error.text})`
          : `${this.table}: the service returned a partial result for ${window.start.toISOString()}..${window.end.toISOString()}; the rows returned are counted, some may be missing. (${outcome.error.text})`,
      });
    } else if (this.coverage.status === "not-queried" || this.coverage.status === "missing") {
      this.coverage.status = "complete";
    }
  }

  private canSplit(window: { start: Date; end: Date }, depth: number): boolean {
    return depth < (this.options.maxSplitDepth ?? 4) && window.end.getTime() - window.start.getTime() >= 2 * 60_000;
  }

  /** Worst status wins: failed/forbidden > partial > complete > missing. */
  private mark(status: ImpactTableCoverage["status"], error?: ImpactTableCoverage["error"]): void {
    const rank: Record<ImpactTableCoverage["status"], number> = {
      "not-queried": 0,
      missing: 1,
      complete: 2,
      partial: 3,
      failed: 4,
      forbidden: 5,
    };
    if (rank[status] >= rank[this.coverage.status]) {
      this.coverage.status = status;
      if (error !== undefined) this.coverage.error = error;
    }
  }

  private failed(error: unknown): void {
    const status = (error as { statusCode?: number }).statusCode;
    const text = errorText(error);
    const code = (error as { code?: unknown }).code;
    const detail = { message: text, ...(status === undefined ? {} : { status }), ...(typeof code === "string" ? { code } : {}) };
    if (status === 401 || status === 403) {
      this.mark("forbidden", detail);
      this.gaps.push({
        code: ImpactErrorCode.WorkspaceForbidden,
        table: this.table,
        message: `${this.table}: the workspace refused the query (HTTP ${status}). Grant the identity Log Analytics Reader on the workspace. (${text})`,
      });
    } else if (status === 400 && missingTable.test(text)) {
      this.mark("missing", detail);
      logger.info(`${this.table}: not in the workspace`);
    } else {
      this.mark("failed", detail);
      this.gaps.push({
        code: ImpactErrorCode.QueryFailed,
        table: this.table,
        message: `${this.table}: the query failed${status === undefined ? "" : ` (HTTP ${status})`}: ${text}`,
      });
    }
  }
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    throw new ImpactError(ImpactErrorCode.Aborted, "The impact measurement was aborted.", { cause: signal.reason });
  }
}

function rethrowAbort(error: unknown, signal: AbortSignal | undefined): void {
  if (signal?.aborted || (error as { name?: string } | null)?.name === "AbortError") {
    throw new ImpactError(ImpactErrorCode.Aborted, "The impact measurement was aborted.", { cause: error });
  }
}
