import { describe, expect, it } from "vitest";
import type { LogTable } from "../state/log-types.js";
import { evaluateKql } from "./kql-evaluator.js";
import { KqlQueryError } from "./kql-query-error.js";
import { parseDuration, resolveTimespan } from "./timespan.js";

const legacyOid = "identity_claim_http_schemas_microsoft_com_identity_claims_objectidentifier_g";

function tables(...list: LogTable[]): Map<string, LogTable> {
  return new Map(list.map((t) => [t.name, t]));
}

const audit: LogTable = {
  name: "AZKVAuditLogs",
  rows: [
    {
      TimeGenerated: "2026-01-15T10:00:00Z",
      OperationName: "SecretGet",
      CallerIpAddress: "198.51.100.7",
      HttpStatusCode: 200,
      ResultType: "Success",
      Id: "https://kv1.vault.azure.net/secrets/db/0123456789abcdef0123456789abcdef",
      Identity: { claim: { oid: "OID-1", upn: "Eve@contoso.com" } },
      _ResourceId: "/subscriptions/s/resourcegroups/rg/providers/microsoft.keyvault/vaults/kv1",
    },
    {
      TimeGenerated: "2026-01-15T10:05:00Z",
      OperationName: "SecretGet",
      CallerIpAddress: "198.51.100.7",
      HttpStatusCode: 200,
      ResultType: "Success",
      Id: "https://kv1.vault.azure.net/secrets/db/0123456789abcdef0123456789abcdef",
      Identity: { claim: { "http://schemas.microsoft.com/identity/claims/objectidentifier": "OID-LEGACY" } },
      _ResourceId: "/subscriptions/s/resourcegroups/rg/providers/microsoft.keyvault/vaults/kv1",
    },
    {
      TimeGenerated: "2026-01-15T10:06:00Z",
      OperationName: "Authentication",
      CallerIpAddress: "198.51.100.7",
      HttpStatusCode: 401,
      ResultType: "Unauthorized",
      _ResourceId: "/subscriptions/s/resourcegroups/rg/providers/microsoft.keyvault/vaults/kv1",
    },
    {
      TimeGenerated: "2026-01-15T11:00:00Z",
      OperationName: "SecretList",
      CallerIpAddress: "10.0.0.1",
      HttpStatusCode: 403,
      ResultType: "Forbidden",
      RequestUri: "https://kv1.vault.azure.net/secrets?api-version=7.4",
      _ResourceId: "/subscriptions/s/resourcegroups/rg/providers/microsoft.keyvault/vaults/other",
    },
  ],
};

const diagnostics: LogTable = {
  name: "AzureDiagnostics",
  rows: [
    { TimeGenerated: "2026-01-15T10:00:00Z", OperationName: "KeyGet", Resource: "KV1", identity_claim_oid_g: "new-oid", httpStatusCode_d: 200 },
    { TimeGenerated: "2026-01-15T10:01:00Z", OperationName: "KeyGet", Resource: "KV1", [legacyOid]: "old-oid", httpStatusCode_d: 403 },
  ],
};

function run(query: string, options: Parameters<typeof evaluateKql>[2] = {}, data = tables(audit, diagnostics)) {
  return evaluateKql(query, data, options);
}

function refusal(query: string, data = tables(audit, diagnostics)): KqlQueryError {
  try {
    evaluateKql(query, data);
  } catch (error) {
    if (error instanceof KqlQueryError) return error;
    throw error;
  }
  throw new Error(`expected ${query} to be refused`);
}

describe("evaluateKql", () => {
  it("compares strings case-sensitively with == and in, case-insensitively with =~ and in~", () => {
    expect(run(`AZKVAuditLogs | where OperationName == "secretget"`).rows).toHaveLength(0);
    expect(run(`AZKVAuditLogs | where OperationName =~ "secretget"`).rows).toHaveLength(2);
    expect(run(`AZKVAuditLogs | where OperationName in ("secretget", "SecretList")`).rows).toHaveLength(1);
    expect(run(`AZKVAuditLogs | where OperationName in~ ("secretget", "SecretList")`).rows).toHaveLength(3);
    expect(run(`AZKVAuditLogs | where OperationName !in ("SecretGet")`).rows).toHaveLength(2);
    expect(run(`AZKVAuditLogs | where OperationName != "SecretGet" and OperationName !~ "authentication"`).rows).toHaveLength(1);
  });

  it("filters datetimes with between (inclusive) and by the request timespan (end exclusive)", () => {
    const q = `AZKVAuditLogs | where TimeGenerated between (datetime(2026-01-15T10:00:00Z) .. datetime(2026-01-15T10:05:00Z))`;
    expect(run(q).rows).toHaveLength(2);
    const timespan = { start: Date.parse("2026-01-15T10:05:00Z"), end: Date.parse("2026-01-15T11:00:00Z") };
    expect(run("AZKVAuditLogs | project OperationName", { timespan }).rows).toEqual([["SecretGet"], ["Authentication"]]);
  });

  it("endswith ignores case; endswith_cs does not", () => {
    expect(run(`AZKVAuditLogs | where _ResourceId endswith "/VAULTS/KV1"`).rows).toHaveLength(3);
    expect(run(`AZKVAuditLogs | where _ResourceId endswith_cs "/VAULTS/KV1"`).rows).toHaveLength(0);
  });

  it("reads dynamic members by path and by bracketed key, and coalesces empty strings", () => {
    const result = run(
      `AZKVAuditLogs | where OperationName == "SecretGet" | extend Oid = coalesce(tostring(Identity.claim.oid), tostring(Identity.claim["http://schemas.microsoft.com/identity/claims/objectidentifier"])) | project Oid, Upn = tostring(Identity.claim.upn)`,
    );
    expect(result.rows).toEqual([
      ["OID-1", "Eve@contoso.com"],
      ["OID-LEGACY", ""],
    ]);
    expect(result.columns).toEqual([
      { name: "Oid", type: "string" },
      { name: "Upn", type: "string" },
    ]);
  });

  it("column_ifexists reads a column the workspace has and falls back when it has not", () => {
    const q = `AzureDiagnostics | project Oid = coalesce(tostring(column_ifexists("identity_claim_oid_g", "")), tostring(column_ifexists("${legacyOid}", ""))), Missing = tostring(column_ifexists("nope_s", "fallback"))`;
    expect(run(q).rows).toEqual([
      ["new-oid", "fallback"],
      ["old-oid", "fallback"],
    ]);
    const onlyNew = tables({ name: "AzureDiagnostics", rows: [diagnostics.rows[0]!] });
    expect(run(q, {}, onlyNew).rows).toEqual([["new-oid", "fallback"]]);
  });

  it("uses three-valued logic: a null predicate drops the row, not(null) stays null", () => {
    const data = tables({ name: "T", columns: [{ name: "n", type: "int" }], rows: [{ n: 1 }, { n: null }, { n: 401 }] });
    expect(run("T | where not(n == 401)", {}, data).rows).toEqual([[1]]);
    expect(run("T | where isnull(n)", {}, data).rows).toEqual([[null]]);
    expect(run("T | where n == 401 or n == 1", {}, data).rows).toEqual([[1], [401]]);
  });

  it("summarizes with by-columns first, typed aggregates and ISO datetimes", () => {
    const result = run(
      `AZKVAuditLogs | summarize Count = count(), First = min(TimeGenerated), Last = max(TimeGenerated), Codes = dcount(HttpStatusCode) by OperationName, StatusCode = toint(HttpStatusCode)`,
    );
    expect(result.columns).toEqual([
      { name: "OperationName", type: "string" },
      { name: "StatusCode", type: "int" },
      { name: "Count", type: "long" },
      { name: "First", type: "datetime" },
      { name: "Last", type: "datetime" },
      { name: "Codes", type: "long" },
    ]);
    expect(result.rows).toContainEqual(["SecretGet", 200, 2, "2026-01-15T10:00:00.000Z", "2026-01-15T10:05:00.000Z", 1]);
    expect(result.rows).toHaveLength(3);
  });

  it("summarize without by always yields one row; take limits rows", () => {
    expect(run(`AZKVAuditLogs | where OperationName == "none" | summarize n = count()`).rows).toEqual([[0]]);
    expect(run("AZKVAuditLogs | take 1 | project OperationName").rows).toEqual([["SecretGet"]]);
  });

  it("encodes dynamic columns as JSON text, as the service does", () => {
    const result = run(`AZKVAuditLogs | take 1 | project Identity`);
    expect(result.columns).toEqual([{ name: "Identity", type: "dynamic" }]);
    expect(JSON.parse(result.rows[0]![0] as string)).toEqual({ claim: { oid: "OID-1", upn: "Eve@contoso.com" } });
  });

  it("keeps string literals literal: quotes, pipes, semicolons and keywords inside a literal only compare", () => {
    const hostile = `x" or 1==1 | where true; AZKVAuditLogs //`;
    const data = tables({ name: "T", rows: [{ s: hostile }, { s: "x" }] });
    const literal = `"${hostile.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
    expect(run(`T | where s == ${literal}`, {}, data).rows).toEqual([[hostile]]);
  });

  it.each([
    ["join", `AZKVAuditLogs | join (AzureDiagnostics) on OperationName`],
    ["sort", `AZKVAuditLogs | sort by TimeGenerated`],
    ["has", `AZKVAuditLogs | where OperationName has "Secret"`],
    ["let statement", `let x = 1; AZKVAuditLogs`],
    ["union", `union AZKVAuditLogs, AzureDiagnostics`],
    ["function ago()", `AZKVAuditLogs | where TimeGenerated > ago(1h)`],
    ["distinct", `AZKVAuditLogs | distinct OperationName`],
  ])("refuses %s with a 400 naming it", (name, query) => {
    const error = refusal(query);
    expect(error.innerCode).toBe("UnsupportedByFake");
    expect(error.message).toContain(`Unsupported operator: ${name}`);
    expect(error.toBody().error.code).toBe("BadArgumentError");
  });

  it("answers a missing table like the service (SEM0100, 'Failed to resolve table')", () => {
    const error = refusal(`AZKVAuditLogs | take 1`, tables(diagnostics));
    expect(error.detailCode).toBe("SEM0100");
    expect(error.message).toContain("Failed to resolve table or column expression named 'AZKVAuditLogs'");
  });

  it("reports unknown columns as semantic errors and broken text as syntax errors", () => {
    expect(refusal(`AzureDiagnostics | where nope_s == "x"`).innerCode).toBe("SemanticError");
    expect(refusal(`AZKVAuditLogs | where OperationName == "x`).innerCode).toBe("SyntaxError");
  });
});

describe("timespan", () => {
  it("resolves intervals and durations", () => {
    const now = Date.parse("2026-01-15T12:00:00Z");
    expect(resolveTimespan("PT12H", now)).toEqual({ start: now - 12 * 3600_000, end: now });
    expect(resolveTimespan("2026-01-15T00:00:00Z/2026-01-15T01:00:00Z", now)).toEqual({
      start: Date.parse("2026-01-15T00:00:00Z"),
      end: Date.parse("2026-01-15T01:00:00Z"),
    });
    expect(resolveTimespan("2026-01-15T00:00:00Z/P1D", now)?.end).toBe(Date.parse("2026-01-16T00:00:00Z"));
    expect(resolveTimespan("PT1H/2026-01-15T01:00:00Z", now)?.start).toBe(Date.parse("2026-01-15T00:00:00Z"));
    expect(resolveTimespan("yesterday", now)).toBeUndefined();
    expect(parseDuration("P")).toBeUndefined();
    expect(parseDuration("P1DT1.5S")).toBe(86_401_500);
  });
});
