import { http, HttpResponse, type HttpHandler } from "msw";
import type { FakeAzureContext } from "../context.js";
import { LOG_ANALYTICS_AUDIENCE, LOG_ANALYTICS_ENDPOINT } from "../hosts.js";
import type { LogQueryFailure, WorkspaceState } from "../state/log-types.js";
import { evaluateKql, type EvaluatedTable } from "./kql-evaluator.js";
import { KqlQueryError } from "./kql-query-error.js";
import { resolveTimespan } from "./timespan.js";

export { evaluateKql, type EvaluatedTable, type EvaluateOptions } from "./kql-evaluator.js";
export { KqlQueryError } from "./kql-query-error.js";

function laError(status: number, code: string, message: string): Response {
  return HttpResponse.json({ error: { code, message } }, { status });
}

/** Takes the next injected failure of a workspace (honouring `times`). */
function takeFailure(workspace: WorkspaceState): LogQueryFailure | undefined {
  const failure = workspace.failures[0];
  if (failure === undefined) return undefined;
  if (failure.times !== undefined) {
    failure.times -= 1;
    if (failure.times <= 0) workspace.failures.shift();
  }
  return failure;
}

async function readBody(request: Request): Promise<{ query?: unknown; timespan?: unknown } | undefined> {
  try {
    const body: unknown = await request.json();
    return typeof body === "object" && body !== null ? body : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The Log Analytics query API (`POST https://api.loganalytics.io/v1/workspaces/{customerId}/query`, the GET form
 * with `?query=&timespan=`, and the resource-centric `POST /v1/{workspaceResourceId}/query`), as `@azure/monitor-query-logs`' `LogsQueryClient.queryWorkspace` calls it.
 *
 * The query is evaluated for real over the workspace's seeded tables (see `kql-evaluator.ts`); KQL outside the
 * evaluated subset answers 400 naming the construct. `workspace.failures` injects failures: `{ kind: "error",
 * status }` answers that status; `{ kind: "partial" }` answers 200 with the first half of the rows and an `error`
 * (a `PartialError` whose detail carries the failure's `code` / `message`), as the service does for truncated or
 * partially failed queries.
 */
export function createLogAnalyticsHandlers(ctx: FakeAzureContext): HttpHandler[] {
  const answer = (
    request: Request,
    workspaceRef: { customerId: string } | { resourceId: string },
    body: { query?: unknown; timespan?: unknown } | undefined,
  ): Response => {
    const auth = ctx.tokens.verify(request, LOG_ANALYTICS_AUDIENCE);
    if (!auth.ok) return laError(401, "InvalidTokenError", `The provided authentication is not valid for this resource: ${auth.message}`);
    const workspace =
      "customerId" in workspaceRef
        ? ctx.state.workspaces.get(workspaceRef.customerId)
        : [...ctx.state.workspaces.values()].find((w) => w.resource.id.toLowerCase() === workspaceRef.resourceId.toLowerCase());
    if (workspace === undefined) {
      const ref = "customerId" in workspaceRef ? `Workspace '${workspaceRef.customerId}'` : `Resource '${workspaceRef.resourceId}'`;
      const hint =
        "customerId" in workspaceRef
          ? " (use the workspace customerId)"
          : " (the fake answers resource-centric queries for Log Analytics workspace resource ids only)";
      return laError(404, "WorkspaceNotFoundError", `${ref} could not be found${hint}.`);
    }
    if (body === undefined || typeof body.query !== "string" || body.query.trim() === "") {
      return laError(400, "BadArgumentError", "The request body must be JSON with a non-empty 'query' string.");
    }
    const failure = takeFailure(workspace);
    if (failure?.kind === "error") {
      const status = failure.status ?? 500;
      return laError(status, failure.code ?? (status === 403 ? "InsufficientAccessError" : "InternalServerError"), failure.message ?? `Injected failure (HTTP ${status}).`);
    }
    let timespan: { start: number; end: number } | undefined;
    if (body.timespan !== undefined && body.timespan !== null) {
      timespan = typeof body.timespan === "string" ? resolveTimespan(body.timespan, ctx.clock.now()) : undefined;
      if (timespan === undefined) {
        return laError(400, "BadArgumentError", `The 'timespan' ${JSON.stringify(body.timespan)} is not an ISO 8601 interval or duration.`);
      }
    }
    let table: EvaluatedTable;
    try {
      table = evaluateKql(body.query, workspace.tables, timespan === undefined ? {} : { timespan });
    } catch (error) {
      if (error instanceof KqlQueryError) return HttpResponse.json(error.toBody(), { status: 400 });
      throw error;
    }
    if (failure?.kind === "partial") {
      const kept = { ...table, rows: table.rows.slice(0, Math.ceil(table.rows.length / 2)) };
      return HttpResponse.json({
        tables: [kept],
        error: {
          code: "PartialError",
          message: "There were some errors when processing your query.",
          details: [
            {
              code: failure.code ?? "EngineError",
              message: failure.message ?? "Something went wrong processing your query on the server.",
            },
          ],
        },
      });
    }
    return HttpResponse.json({ tables: [table] });
  };

  return [
    http.post(`${LOG_ANALYTICS_ENDPOINT}/v1/workspaces/:workspaceId/query`, async ({ request, params }) =>
      answer(request, { customerId: String(params["workspaceId"]) }, await readBody(request)),
    ),
    http.get(`${LOG_ANALYTICS_ENDPOINT}/v1/workspaces/:workspaceId/query`, ({ request, params }) => {
      const url = new URL(request.url);
      const body: { query?: unknown; timespan?: unknown } = { query: url.searchParams.get("query") ?? undefined };
      const timespan = url.searchParams.get("timespan");
      if (timespan !== null) body.timespan = timespan;
      return answer(request, { customerId: String(params["workspaceId"]) }, body);
    }),
    // Resource-centric form (`LogsQueryClient.queryResource`): POST /v1/{resourceId}/query.
    http.post(`${LOG_ANALYTICS_ENDPOINT}/v1/*`, async ({ request }) => {
      const path = new URL(request.url).pathname;
      const resourceId = /^\/v1\/+(subscriptions\/.+)\/query$/i.exec(path)?.[1];
      if (resourceId === undefined) return undefined;
      return answer(request, { resourceId: `/${decodeURIComponent(resourceId)}` }, await readBody(request));
    }),
  ];
}
