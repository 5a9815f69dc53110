import { MonitorClient } from "@azure/arm-monitor";
import { LogsQueryClient } from "@azure/monitor-query-logs";
import { useFakeAzure } from "@keywarden/testing/vitest";
import { describe, expect, it } from "vitest";
import { ImpactErrorCode, measureImpact, type MeasureImpactOptions } from "../src/index.js";
import { attackerIp, attackerOid, auditRow, host, seed, subscriptionId, torAlert, v1 } from "./fixtures.js";

const AZURE_CLI = "04b07795-8ddb-461a-bbee-02f9e1bf7b46";
const COLLEAGUE = "c011ea90-0000-4000-8000-000000000002";
const COLLEAGUE_IP = "198.51.100.77";

/** Two users through the Azure CLI on different addresses: the attacker (the alert's caller) and a colleague. */
const rows = [
  auditRow({ time: "2026-01-15T10:05:00Z", op: "SecretGet", uri: `${host}/secrets/db-password/${v1}`, oid: attackerOid, appId: AZURE_CLI }),
  auditRow({ time: "2026-01-15T10:06:00Z", op: "SecretGet", uri: `${host}/secrets/db-password/${v1}`, oid: attackerOid, appId: AZURE_CLI }),
  auditRow({ time: "2026-01-15T10:07:00Z", op: "SecretGet", uri: `${host}/secrets/colleague-secret/${v1}`, oid: COLLEAGUE, ip: COLLEAGUE_IP, appId: AZURE_CLI }),
];

const azure = useFakeAzure({ seed: seed({ audit: rows, diagnostics: [] }) });

function options(): MeasureImpactOptions {
  const retryOptions = { maxRetries: 0, retryDelayInMs: 1, maxRetryDelayInMs: 10 };
  return {
    client: new LogsQueryClient(azure.credential, { retryOptions }),
    diagnosticSettings: new MonitorClient(azure.credential, subscriptionId, { retryOptions }),
    now: new Date("2026-01-15T12:00:00Z"),
    tables: ["AZKVAuditLogs"],
  };
}

describe("attribution by caller, not by shared client (issue 13)", () => {
  it("a shared first-party app id (Azure CLI) never makes a colleague on another IP suspicious", async () => {
    const alert = torAlert({ source: { ipAddress: attackerIp, objectId: attackerOid, applicationId: AZURE_CLI } });
    const report = await measureImpact(alert, options());
    expect(report.toRotate.map((r) => r.name)).toEqual(["db-password"]);
    expect(report.objects.map((o) => o.name)).not.toContain("colleague-secret");
    const suspicious = report.callers.filter((c) => c.suspicious);
    expect(suspicious.map((c) => c.objectId)).toEqual([attackerOid]);
    // The colleague stays a bystander in the census (and so in the firewall cut-off preview).
    expect(report.callers).toContainEqual(expect.objectContaining({ suspicious: false, objectId: COLLEAGUE, ipAddress: COLLEAGUE_IP }));
  });

  it("when the alert carries only a shared client's app id, impact says so, asks for the user, and blames no one", async () => {
    const alert = torAlert({ source: { applicationId: AZURE_CLI } });
    const report = await measureImpact(alert, options());
    expect(report.gaps).toContainEqual(expect.objectContaining({ code: ImpactErrorCode.CallerAmbiguous }));
    expect(report.gaps.find((g) => g.code === ImpactErrorCode.CallerAmbiguous)?.message).toMatch(/Microsoft Azure CLI.*objectIds or userPrincipalNames/);
    expect(report.objects.map((o) => o.name)).not.toContain("colleague-secret");
    expect(report.callers.filter((c) => c.suspicious && c.objectId === COLLEAGUE)).toEqual([]);
    expect(azure.calls.count({ url: /api\.loganalytics\.io|\/query/i })).toBe(0);
  });
});
