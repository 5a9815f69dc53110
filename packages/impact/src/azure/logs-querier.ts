import { LogsQueryResultStatus, type LogsQueryClient, type LogsQueryResult } from "@azure/monitor-query-logs";
import { logger } from "../log.js";
import type { SummaryTableLike } from "../read-summary-table.js";
import { tracingClient } from "../tracing.js";

/** A workspace to query: by its customerId (query API workspace id) or by its ARM resource id. */
export type WorkspaceTarget = { kind: "workspace"; workspaceId: string } | { kind: "resource"; resourceId: string };

/** The outcome of one query; a full failure is thrown (as the Azure client does). */
export type LogsQueryOutcome =
  | { status: "success"; table: SummaryTableLike | undefined }
  | { status: "partial"; table: SummaryTableLike | undefined; error: { code?: string; message: string; text: string } };

/** Runs one KQL query over a window. Azure: {@link logsQueryClientQuerier}. */
export interface ImpactLogsQuerier {
  query(
    target: WorkspaceTarget,
    query: string,
    window: { start: Date; end: Date },
    options: { abortSignal?: AbortSignal; serverTimeoutInSeconds?: number },
  ): Promise<LogsQueryOutcome>;
}

/** Every code and message in a (nested) Log Analytics error, for classification. */
export function errorText(error: unknown): string {
  const seen = new Set<unknown>();
  const parts: string[] = [];
  const walk = (value: unknown, depth: number): void => {
    if (depth > 6 || value === null || typeof value !== "object" || seen.has(value)) return;
    seen.add(value);
    for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
      if ((key === "code" || key === "message") && typeof inner === "string") parts.push(inner);
      else walk(inner, depth + 1);
    }
  };
  if (error instanceof Error) parts.push(error.message);
  walk(error, 0);
  return parts.join(" | ");
}

function outcome(result: LogsQueryResult): LogsQueryOutcome {
  if (result.status === LogsQueryResultStatus.PartialFailure) {
    return {
      status: "partial",
      table: result.partialTables[0],
      error: { code: result.partialError.code, message: result.partialError.message, text: errorText(result.partialError) },
    };
  }
  return { status: "success", table: result.tables[0] };
}

/** Queries through `@azure/monitor-query-logs`' `LogsQueryClient` (workspace id or workspace resource id). */
export function logsQueryClientQuerier(client: Pick<LogsQueryClient, "queryWorkspace" | "queryResource">): ImpactLogsQuerier {
  return {
    async query(target, query, window, options) {
      const timespan = { startTime: window.start, endTime: window.end };
      const where = target.kind === "workspace" ? `workspace ${target.workspaceId}` : `resource ${target.resourceId}`;
      // Only the target and the window are logged: the query text carries alert values (object URIs, addresses).
      logger.info(`Log Analytics query on ${where}, ${window.start.toISOString()}..${window.end.toISOString()}`);
      return tracingClient.withSpan("ImpactLogsQuerier.query", {}, async () => {
        const queryOptions = {
          abortSignal: options.abortSignal,
          ...(options.serverTimeoutInSeconds === undefined ? {} : { serverTimeoutInSeconds: options.serverTimeoutInSeconds }),
        };
        const result =
          target.kind === "workspace"
            ? await client.queryWorkspace(target.workspaceId, query, timespan, queryOptions)
            : await client.queryResource(target.resourceId.replace(/^\/+/, ""), query, timespan, queryOptions);
        const answer = outcome(result);
        if (answer.status === "partial") logger.verbose(`Log Analytics answered a partial result on ${where}: ${answer.error.code ?? "no code"}`);
        return answer;
      });
    },
  };
}
