import { MonitorClient } from "@azure/arm-monitor";
import { LogsQueryClient } from "@azure/monitor-query-logs";
import { useFakeAzure } from "@keywarden/testing/vitest";
import { afterEach, describe, expect, it } from "vitest";
import { ImpactError, measureImpact, measureImpactForCriteria, type ImpactReport, type MeasureImpactOptions } from "../src/index.js";
import {
  attackerIp,
  attackerOid,
  auditRow,
  diagnosticsRow,
  host,
  seed,
  subscriptionId,
  torAlert,
  v1,
  v2,
  vaultId,
  vaultName,
  workspaceCustomerId,
  workspaceId,
} from "./fixtures.js";

const retryOptions = { maxRetries: 0, retryDelayInMs: 1, maxRetryDelayInMs: 10 };

const auditRows = [
  auditRow({ time: "2026-01-15T10:01:00Z", op: "Authentication", status: 401 }), // challenge noise
  auditRow({ time: "2026-01-15T10:02:00Z", op: "SecretList" }),
  auditRow({ time: "2026-01-15T10:05:00Z", op: "SecretGet", uri: `${host}/secrets/db-password/${v1}`, oid: attackerOid }),
  auditRow({ time: "2026-01-15T10:07:00Z", op: "SecretGet", uri: `${host}/secrets/db-password/${v1}`, oid: attackerOid }),
  // Legacy claim name, another IP: matched on the object id.
  auditRow({ time: "2026-01-15T10:10:00Z", op: "SecretGet", uri: `${host}/secrets/db-password/${v2}`, oid: attackerOid, ip: "10.1.1.1", legacy: true }),
  auditRow({ time: "2026-01-15T10:06:00Z", op: "SecretGet", uri: `${host}/secrets/api-key/${v1}`, status: 403 }),
  auditRow({ time: "2026-01-15T10:20:00Z", op: "VaultPut", oid: attackerOid }),
  // Not the attacker, another vault, outside the window:
  auditRow({ time: "2026-01-15T10:08:00Z", op: "SecretGet", uri: `${host}/secrets/payroll/${v1}`, ip: "20.1.1.1", oid: "someone-else" }),
  auditRow({ time: "2026-01-15T10:08:00Z", op: "SecretGet", uri: `https://other.vault.azure.net/secrets/x/${v1}`, vault: "other" }),
  auditRow({ time: "2026-01-14T10:08:00Z", op: "SecretGet", uri: `${host}/secrets/old/${v1}` }),
];

const diagnosticsRows = [
  diagnosticsRow({ time: "2026-01-15T10:03:00Z", op: "Authentication", status: 401 }),
  diagnosticsRow({ time: "2026-01-15T10:12:00Z", op: "SecretGet", uri: `${host}/secrets/tls-cert/${v1}`, oid: attackerOid, legacy: true }),
  diagnosticsRow({ time: "2026-01-15T10:13:00Z", op: "CertificateGet", uri: `${host}/certificates/tls-cert/${v1}`, oid: attackerOid }),
  diagnosticsRow({ time: "2026-01-15T10:15:00Z", op: "KeyDecrypt", uri: `${host}/keys/signing-key/${v2}`, upn: "mallory@contoso.com" }),
  diagnosticsRow({ time: "2026-01-15T10:16:00Z", op: "KeyDecrypt", uri: `${host}/keys/payroll-key/${v2}`, ip: "20.1.1.1" }),
];

const defaultSeed = seed({ audit: auditRows, diagnostics: diagnosticsRows });
const azure = useFakeAzure({ seed: defaultSeed });
// Some tests load another seed; `reset(seed)` makes it the tenant's seed, so put the default back after each.
afterEach(() => azure.reset(defaultSeed));

function options(extra: Partial<MeasureImpactOptions> = {}): MeasureImpactOptions {
  return {
    client: new LogsQueryClient(azure.credential, { retryOptions }),
    diagnosticSettings: new MonitorClient(azure.credential, subscriptionId, { retryOptions }),
    now: new Date("2026-01-15T12:00:00Z"),
    ...extra,
  };
}

function object(report: ImpactReport, type: string, name: string) {
  const found = report.objects.find((o) => o.type === type && o.name === name);
  expect(found, `${type} ${name}`).toBeDefined();
  return found!;
}

describe("measureImpact through the fake tenant", () => {
  it("merges both tables and both identity-column generations, drops noise, and names what to rotate", async () => {
    const report = await measureImpact(torAlert(), options());

    expect(report.basis).toBe("logs");
    expect(report.coverage.status).toBe("complete");
    expect(report.coverage.diagnosticSettings).toMatchObject({ status: "checked", auditEventToWorkspace: true, settingNames: ["to-sentinel"] });
    expect(report.coverage.tables.map((t) => [t.table, t.status])).toEqual([
      ["AZKVAuditLogs", "complete"],
      ["AzureDiagnostics", "complete"],
    ]);
    // 1 SecretList + 3 db-password reads + 1 failed api-key + 1 VaultPut; the 401 challenge row is not counted.
    expect(report.coverage.tables[0]!.events).toBe(6);
    // tls-cert SecretGet (legacy claim columns) + CertificateGet + KeyDecrypt from the attacker's IP.
    expect(report.coverage.tables[1]!.events).toBe(3);

    const db = object(report, "secret", "db-password");
    expect(db).toMatchObject({ access: "value-read", succeeded: 3, failed: 0, versions: [v1, v2].sort() });
    expect(db.ipAddresses).toEqual(["10.1.1.1", attackerIp]);
    expect(db.firstTime).toBe("2026-01-15T10:05:00.000Z");
    expect(db.lastTime).toBe("2026-01-15T10:10:00.000Z");
    expect(db.sources).toEqual(["alert", "AZKVAuditLogs"]);
    expect(db.operations).toEqual([
      expect.objectContaining({ operation: "SecretGet", succeeded: 3, failed: 0, statusCodes: { "200": 3 } }),
    ]);

    expect(object(report, "secret", "api-key")).toMatchObject({ access: "failed-attempts", succeeded: 0, failed: 1 });
    expect(object(report, "certificate", "tls-cert").access).toBe("value-read");
    expect(object(report, "key", "signing-key").access).toBe("value-read");
    expect(report.objects.map((o) => o.name)).not.toContain("payroll");
    expect(report.objects.map((o) => o.name)).not.toContain("payroll-key");
    expect(report.objects.map((o) => o.name)).not.toContain("old");
    expect(report.objects.map((o) => o.name)).not.toContain("x");

    expect(report.vaultChanges).toEqual([
      expect.objectContaining({ operation: "VaultPut", kind: "vault-properties", succeeded: 1, sources: ["AZKVAuditLogs"] }),
    ]);
    expect(report.unattributedOperations).toContainEqual({ operation: "SecretList", count: 1, failed: 0, source: "AZKVAuditLogs" });

    expect(report.toRotate.map((r) => [r.type, r.name, r.reasonCode])).toEqual([
      ["certificate", "tls-cert", "certificate-private-key"],
      ["key", "signing-key", "value-read"],
      ["secret", "db-password", "value-read"],
    ]);
    // The vault's other callers in the window are listed (for collateral damage), not blamed.
    const others = report.callers.filter((c) => !c.suspicious);
    expect(others).toHaveLength(2);
    expect(others).toContainEqual(expect.objectContaining({ ipAddress: "20.1.1.1", objectId: "someone-else", count: 1 }));
    expect(others).toContainEqual(expect.objectContaining({ ipAddress: "20.1.1.1", firstTime: "2026-01-15T10:16:00.000Z" }));
    expect(report.callers.filter((c) => c.suspicious).every((c) => c.ipAddress === attackerIp || c.objectId === attackerOid)).toBe(true);
    expect(report.gaps).toEqual([]);
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  it("builds its own clients from a credential (diagnostic settings, then the workspace by resource id)", async () => {
    const report = await measureImpact(torAlert(), {
      credential: azure.credential,
      clientOptions: { retryOptions },
      now: new Date("2026-01-15T12:00:00Z"),
    });
    expect(report.coverage.status).toBe("complete");
    expect(report.toRotate.map((r) => r.name)).toEqual(["tls-cert", "signing-key", "db-password"]);
    expect(azure.calls.count({ url: /providers\/microsoft\.insights\/diagnosticSettings/i })).toBe(1);
    expect(azure.calls.count({ url: /api\.loganalytics\.io\/v1\/subscriptions\/.*\/workspaces\/la-security\/query/i })).toBe(4);
  });

  it("reads one workspace when two diagnostic settings copy the logs, falling back when the first refuses", async () => {
    const twoWorkspaces = structuredClone(defaultSeed);
    const second = { ...structuredClone(twoWorkspaces.workspaces![0]!), id: workspaceId.replace("la-security", "la-archive"), name: "la-archive" };
    second.properties = { customerId: "6f1d2c3b-0000-4000-8000-0000000a2c41" };
    twoWorkspaces.workspaces!.push(second);
    twoWorkspaces.diagnosticSettings!.push({
      id: `${vaultId}/providers/microsoft.insights/diagnosticSettings/to-archive`,
      name: "to-archive",
      properties: { workspaceId: second.id, logs: [{ categoryGroup: "audit", enabled: true }] },
    });
    azure.reset(twoWorkspaces);

    const once = await measureImpact(torAlert(), options());
    expect(once.coverage.diagnosticSettings?.workspaceResourceIds).toEqual([workspaceId, second.id]);
    expect(once.coverage.workspaceResourceId).toBe(workspaceId);
    expect(once.coverage.tables[0]).toMatchObject({ status: "complete", events: 6 });
    expect(object(once, "secret", "db-password").succeeded).toBe(3);

    azure.state.workspaces.get(workspaceCustomerId)!.failures.push({ kind: "error", status: 403, times: 2 });
    const fallback = await measureImpact(torAlert(), options());
    expect(fallback.coverage.workspaceResourceId).toBe(second.id);
    expect(fallback.coverage.status).toBe("complete");
    expect(object(fallback, "secret", "db-password").succeeded).toBe(3);
    expect(fallback.gaps.map((g) => g.code)).toEqual(["KW_IMPACT_W0003", "KW_IMPACT_W0003"]);
  });

  it("keeps the rows of a partial failure and names the gap", async () => {
    azure.state.workspaces.get(workspaceCustomerId)!.failures.push({ kind: "partial", message: "One shard did not answer.", times: 1 });
    const report = await measureImpact(torAlert(), options());
    const audit = report.coverage.tables.find((t) => t.table === "AZKVAuditLogs")!;
    expect(audit.status).toBe("partial");
    expect(audit.rows).toBeGreaterThan(0);
    expect(report.coverage.status).toBe("partial");
    expect(report.gaps).toContainEqual(expect.objectContaining({ code: "KW_IMPACT_W0004", table: "AZKVAuditLogs" }));
    expect(report.gaps.find((g) => g.code === "KW_IMPACT_W0004")!.message).toContain("One shard did not answer.");
  });

  it("splits a truncated window into chunks and gets the complete answer", async () => {
    const clean = await measureImpact(torAlert(), options());
    azure.state.workspaces.get(workspaceCustomerId)!.failures.push({
      kind: "partial",
      code: "E_QUERY_RESULT_SET_TOO_LARGE",
      message: "Query result set has exceeded the internal record count limit 500000",
      times: 1,
    });
    const report = await measureImpact(torAlert(), options());
    const audit = report.coverage.tables.find((t) => t.table === "AZKVAuditLogs")!;
    expect(audit).toMatchObject({ status: "complete", queries: 4 }); // 1 truncated + 2 halves + the caller census
    expect(report.objects).toEqual(clean.objects);
    expect(report.gaps).toEqual([]);
  });

  it("comes back from the alert alone, with the gap named, when the workspace refuses (403)", async () => {
    azure.state.workspaces.get(workspaceCustomerId)!.failures.push({ kind: "error", status: 403, code: "InsufficientAccessError", times: 2 });
    const report = await measureImpact(torAlert(), options());
    expect(report.basis).toBe("alert");
    expect(report.coverage.status).toBe("none");
    expect(report.coverage.tables.map((t) => t.status)).toEqual(["forbidden", "forbidden"]);
    expect(report.gaps.filter((g) => g.code === "KW_IMPACT_W0003")).toHaveLength(2);
    expect(object(report, "secret", "db-password")).toMatchObject({ access: "value-read", succeeded: 3, sources: ["alert"] });
    expect(report.toRotate).toEqual([expect.objectContaining({ name: "db-password", reasonCode: "alert-target" })]);
  });

  it("says plainly when the vault sends no AuditEvent logs to a workspace, and queries nothing", async () => {
    azure.reset(seed({ audit: auditRows, diagnosticSetting: "storage" }));
    const report = await measureImpact(torAlert(), options());
    expect(report.coverage.diagnosticSettings).toMatchObject({ status: "checked", auditEventToWorkspace: false });
    expect(report.gaps[0]).toMatchObject({ code: "KW_IMPACT_W0001" });
    expect(report.gaps[0]!.message).toContain("storage account");
    expect(azure.calls.count({ url: "api.loganalytics.io" })).toBe(0);
    expect(report.basis).toBe("alert");
  });

  it("uses an explicit workspace id without the pre-flight, and treats a missing table as normal", async () => {
    azure.reset(seed({ diagnostics: diagnosticsRows, diagnosticSetting: "none" }));
    const report = await measureImpact(torAlert(), options({ workspaceId: workspaceCustomerId, diagnosticSettings: undefined }));
    expect(report.coverage.diagnosticSettings?.status).toBe("assumed");
    expect(report.coverage.tables.map((t) => [t.table, t.status])).toEqual([
      ["AZKVAuditLogs", "missing"],
      ["AzureDiagnostics", "complete"],
    ]);
    expect(report.coverage.status).toBe("complete");
    expect(azure.calls.count({ url: "management.azure.com" })).toBe(0);
  });

  it("notes ingestion lag when the window ends within ten minutes of the report", async () => {
    const report = await measureImpact(torAlert(), options({ now: new Date("2026-01-15T11:05:00Z") }));
    expect(report.coverage.status).toBe("partial");
    expect(report.coverage.ingestion).toEqual({
      maxLagMinutes: 10,
      windowMayBeIncomplete: true,
      completeAfter: "2026-01-15T11:10:00.000Z",
    });
    expect(report.gaps).toContainEqual(expect.objectContaining({ code: "KW_IMPACT_W0005" }));
  });

  it("fails before any query on a malformed criteria set", async () => {
    await expect(measureImpact(torAlert({ vault: { ...torAlert().vault, name: "" } }), options())).rejects.toMatchObject({
      code: "KW_IMPACT_E0001",
    });
    await expect(measureImpact(torAlert({ startTime: "soon" }), options())).rejects.toMatchObject({ code: "KW_IMPACT_E0002" });
    expect(azure.calls.all()).toEqual([]);
  });

  it("honours abortSignal", async () => {
    const controller = new AbortController();
    controller.abort(new Error("operator cancelled"));
    const error = await measureImpact(torAlert(), options({ abortSignal: controller.signal })).catch((e: unknown) => e);
    expect(ImpactError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: "KW_IMPACT_E0005" });

    const late = new AbortController();
    azure.faults.inject({ method: "POST", url: /\/v1\/workspaces\/.*\/query/, delayInMs: 200, times: 1 });
    setTimeout(() => late.abort(), 5);
    await expect(
      measureImpact(torAlert(), options({ workspaceId: workspaceCustomerId, abortSignal: late.signal })),
    ).rejects.toMatchObject({ code: "KW_IMPACT_E0005" });
  });

  it("filters on the exact literal of hostile caller values, end to end through the evaluator", async () => {
    const hostile = `x" or 1==1 | where true; AZKVAuditLogs // \n summarize`;
    azure.reset(
      seed({
        audit: [
          auditRow({ time: "2026-01-15T10:05:00Z", op: "SecretGet", uri: `${host}/secrets/a/${v1}`, upn: hostile, ip: "1.1.1.1" }),
          auditRow({ time: "2026-01-15T10:05:00Z", op: "SecretGet", uri: `${host}/secrets/b/${v1}`, upn: "x", ip: "2.2.2.2" }),
        ],
      }),
    );
    const report = await measureImpactForCriteria(
      {
        vault: { name: vaultName, resourceId: vaultId },
        window: { start: "2026-01-15T10:00:00Z", end: "2026-01-15T10:30:00Z" },
        callers: { userPrincipalNames: [hostile], ipAddresses: [`" or true or "`] },
      },
      options(),
    );
    expect(report.objects.map((o) => o.name)).toEqual(["a"]);
    expect(report.callers).toEqual([
      expect.objectContaining({ userPrincipalName: hostile, ipAddress: "1.1.1.1", suspicious: true }),
      expect.objectContaining({ userPrincipalName: "x", ipAddress: "2.2.2.2", suspicious: false }),
    ]);
  });
});
