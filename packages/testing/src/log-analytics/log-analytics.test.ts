import { LogsQueryClient, LogsQueryResultStatus } from "@azure/monitor-query-logs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFakeAzure } from "../create-fake-azure.js";

const customerId = "6f1d2c3b-0000-4000-8000-00000000beef";
const workspaceId = "/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/la";

const tenant = createFakeAzure({
  onUnhandledRequest: "error",
  seed: {
    time: "2026-01-15T12:00:00Z",
    workspaces: [
      {
        id: workspaceId,
        name: "la",
        properties: { customerId },
        tables: {
          AZKVAuditLogs: {
            rows: [
              { TimeGenerated: "2026-01-15T10:00:00Z", OperationName: "SecretGet", HttpStatusCode: 200, Identity: { claim: { oid: "o1" } } },
              { TimeGenerated: "2026-01-15T10:01:00Z", OperationName: "SecretGet", HttpStatusCode: 200, Identity: { claim: { oid: "o1" } } },
              { TimeGenerated: "2026-01-15T10:02:00Z", OperationName: "SecretList", HttpStatusCode: 403, Identity: { claim: { oid: "o2" } } },
              { TimeGenerated: "2026-01-14T10:02:00Z", OperationName: "SecretList", HttpStatusCode: 200, Identity: { claim: { oid: "o2" } } },
            ],
          },
        },
      },
    ],
  },
});
beforeAll(() => tenant.listen());
afterAll(() => tenant.close());

const client = new LogsQueryClient(tenant.credential, { retryOptions: { maxRetries: 0 } });
const window = { startTime: new Date("2026-01-15T00:00:00Z"), endTime: new Date("2026-01-16T00:00:00Z") };

describe("Log Analytics query API through LogsQueryClient", () => {
  it("evaluates a query over the seeded rows, honouring the timespan, with typed columns", async () => {
    const result = await client.queryWorkspace(
      customerId,
      `AZKVAuditLogs | extend Oid = tostring(Identity.claim.oid) | summarize n = count(), Last = max(TimeGenerated) by OperationName, Oid`,
      window,
    );
    expect(result.status).toBe(LogsQueryResultStatus.Success);
    if (result.status !== LogsQueryResultStatus.Success) return;
    const [table] = result.tables;
    expect(table!.columnDescriptors).toEqual([
      { name: "OperationName", type: "string" },
      { name: "Oid", type: "string" },
      { name: "n", type: "long" },
      { name: "Last", type: "datetime" },
    ]);
    expect(table!.rows).toEqual([
      ["SecretGet", "o1", 2, new Date("2026-01-15T10:01:00Z")],
      ["SecretList", "o2", 1, new Date("2026-01-15T10:02:00Z")],
    ]);
  });

  it("answers resource-centric queries for the workspace's ARM id", async () => {
    const result = await client.queryResource(workspaceId.slice(1), "AZKVAuditLogs | summarize n = count()", { duration: "P7D" });
    expect(result.status).toBe(LogsQueryResultStatus.Success);
    if (result.status === LogsQueryResultStatus.Success) expect(result.tables[0]!.rows).toEqual([[4]]);
  });

  it("refuses KQL outside the evaluated subset with a 400 naming it", async () => {
    const error = await client.queryWorkspace(customerId, "AZKVAuditLogs | join (AZKVAuditLogs) on OperationName", window).catch((e: unknown) => e);
    expect(error).toMatchObject({ statusCode: 400 });
    expect(JSON.stringify((error as { details?: unknown }).details)).toContain("Unsupported operator: join");
  });

  it("answers a missing table and an unknown workspace like the service", async () => {
    const missing = await client.queryWorkspace(customerId, "AzureDiagnostics | take 1", window).catch((e: unknown) => e);
    expect(missing).toMatchObject({ statusCode: 400 });
    expect(JSON.stringify((missing as { details?: unknown }).details)).toContain("Failed to resolve table or column expression named 'AzureDiagnostics'");
    await expect(client.queryWorkspace("00000000-0000-0000-0000-000000000000", "AZKVAuditLogs", window)).rejects.toMatchObject({ statusCode: 404 });
  });

  it("injects partial failures and errors on demand", async () => {
    const workspace = tenant.state.workspaces.get(customerId)!;
    workspace.failures.push({ kind: "partial", code: "E_QUERY_RESULT_SET_TOO_LARGE", message: "too many rows", times: 1 });
    workspace.failures.push({ kind: "error", status: 403, times: 1 });
    const partial = await client.queryWorkspace(customerId, "AZKVAuditLogs | project OperationName", window);
    expect(partial.status).toBe(LogsQueryResultStatus.PartialFailure);
    if (partial.status === LogsQueryResultStatus.PartialFailure) {
      expect(partial.partialTables[0]!.rows).toHaveLength(2); // half of the three rows in the window, rounded up
      expect(partial.partialError.code).toBe("PartialError");
      expect(JSON.stringify(partial.partialError)).toContain("E_QUERY_RESULT_SET_TOO_LARGE");
    }
    await expect(client.queryWorkspace(customerId, "AZKVAuditLogs", window)).rejects.toMatchObject({ statusCode: 403 });
    const after = await client.queryWorkspace(customerId, "AZKVAuditLogs | summarize n = count()", window);
    expect(after.status).toBe(LogsQueryResultStatus.Success);
  });

  it("rejects requests without a Log Analytics token", async () => {
    const response = await fetch(`https://api.loganalytics.io/v1/workspaces/${customerId}/query`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "AZKVAuditLogs" }),
    });
    expect(response.status).toBe(401);
  });
});
