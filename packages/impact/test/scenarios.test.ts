import { MonitorClient } from "@azure/arm-monitor";
import { LogsQueryClient } from "@azure/monitor-query-logs";
import { parseAlert } from "@keywarden/alerts";
import { createFakeAzure, getScenario, listScenarios } from "@keywarden/testing";
import { describe, expect, it } from "vitest";
import { measureImpact, type ImpactReport } from "../src/index.js";

/** What the report must say for each shipped scenario, read off the scenario's seeded log rows. */
const expected: Record<
  string,
  { rotate: string[]; failed: string[]; vaultChanges: string[]; others: number; events: Partial<Record<"AZKVAuditLogs" | "AzureDiagnostics", number>> }
> = {
  "tor-secret-reads": {
    others: 1,
    rotate: ["secret/db-connection-string", "secret/jwt-signing-key", "secret/stripe-api-key"],
    failed: ["key/payments-signing"],
    vaultChanges: [],
    events: { AZKVAuditLogs: 7 },
  },
  "unusual-app": {
    // The census reaches back 7 days: the vault's regular callers before the alert count.
    others: 2,
    rotate: ["secret/benefits-api-token", "secret/payroll-db-password", "secret/sftp-private-key"],
    failed: [],
    vaultChanges: [],
    events: { AzureDiagnostics: 5 },
  },
  "denied-probing-suspicious-ip": {
    // The census reaches back 7 days: the vault's regular callers before the alert count.
    others: 1,
    rotate: [],
    failed: ["secret/api-key", "secret/prod-db", "secret/root-token"],
    vaultChanges: [],
    events: { AZKVAuditLogs: 8 },
  },
  "directory-role-user": {
    others: 0,
    rotate: ["secret/break-glass-password", "secret/saml-signing-cert-password", "secret/scim-bearer-token"],
    failed: [],
    vaultChanges: [],
    events: { AZKVAuditLogs: 6 },
  },
  "policy-change-then-reads": {
    // The census reaches back 7 days: the vault's regular callers before the alert count.
    others: 1,
    rotate: ["secret/bank-sftp-password", "secret/invoice-signing-key", "secret/tax-api-token"],
    failed: [],
    vaultChanges: ["VaultPut"],
    events: { AZKVAuditLogs: 7 },
  },
};

async function measure(name: string): Promise<ImpactReport> {
  const seed = getScenario(name);
  const azure = createFakeAzure({ seed, onUnhandledRequest: "error" });
  azure.listen();
  try {
    const alert = parseAlert(seed.alerts![0]);
    return await measureImpact(alert, {
      client: new LogsQueryClient(azure.credential, { retryOptions: { maxRetries: 0 } }),
      diagnosticSettings: new MonitorClient(azure.credential, alert.vault.subscriptionId),
      now: new Date(Date.parse(alert.endTime) + 3_600_000),
    });
  } finally {
    azure.close();
  }
}

describe("every shipped scenario", () => {
  it("has an expectation here", () => {
    expect(listScenarios().map((s) => s.name).sort()).toEqual(Object.keys(expected).sort());
  });

  it.each(Object.entries(expected))("%s: the report names what was read, probed and changed", async (name, want) => {
    const report = await measure(name);
    expect(report.basis).toBe("logs");
    expect(report.coverage.status).toBe("complete");
    expect(report.gaps).toEqual([]);
    expect(report.toRotate.map((r) => `${r.type}/${r.name}`).sort()).toEqual(want.rotate);
    expect(report.toRotate.every((r) => r.reasonCode === "value-read")).toBe(true);
    expect(report.objects.filter((o) => o.access === "failed-attempts").map((o) => `${o.type}/${o.name}`).sort()).toEqual(want.failed);
    expect(report.vaultChanges.map((c) => c.operation)).toEqual(want.vaultChanges);
    for (const [table, events] of Object.entries(want.events)) {
      expect(report.coverage.tables.find((t) => t.table === table)).toMatchObject({ status: "complete", events });
    }
    // Only the alert's caller is suspicious; other identities in the same vault and window are listed, not blamed.
    expect(report.callers.filter((c) => c.suspicious)).toHaveLength(1);
    expect(report.callers.filter((c) => !c.suspicious)).toHaveLength(want.others);
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });
});
