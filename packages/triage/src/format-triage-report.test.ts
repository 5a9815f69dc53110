import { describe, expect, it } from "vitest";
import { buildAlert } from "../test/support/build-alert.js";
import { PRINCIPALS, tableContext } from "../test/support/table-world.js";
import { formatTriageReport } from "./format-triage-report.js";
import { triageAlert } from "./triage-alert.js";

describe("formatTriageReport", () => {
  it("renders source, evidence, findings and numbered actions with reasons and approval marks", async () => {
    const alert = buildAlert({
      kind: "KV_SuspiciousIPAccess",
      ipAddress: "40.74.146.80",
      objectId: PRINCIPALS["foreign-app"]!.objectId,
      operations: [{ operation: "SecretGet", count: 1 }],
      targets: ["https://kv-payments.vault.azure.net/secrets/db-password"],
    });
    const text = formatTriageReport(await triageAlert(alert, tableContext("access-policy")));
    expect(text).toContain("Triage: KV_SuspiciousIPAccess — kv-payments");
    expect(text).toContain("Azure-hosted (ApiManagement), could be any Azure customer");
    expect(text).toContain("partner-sync (a1a1a1a1-0000-4000-8000-000000000005) — service-principal, foreign");
    expect(text).toContain("origin     outside-tenant");
    expect(text).toMatch(/\d\. remove-access-policy \(needs approval\): 1 entry of a1a1a1a1-0000-4000-8000-000000000005 on kv-payments/);
    expect(text).toMatch(/rotate-secrets \(needs approval\): db-password \+ whatever the impact measurement finds exposed on kv-payments/);
    expect(text).toMatch(/because .+ \[kv\/unauthorised-principal\/foreign\]/);
  });

  it("lists withheld actions for sample alerts", async () => {
    const text = formatTriageReport(await triageAlert(buildAlert({ kind: "KV_TORAccess", simulated: true, ipAddress: "00.00.00.00" }), tableContext("access-policy")));
    expect(text).toContain("(sample alert)");
    expect(text).toContain("Decision: simulated");
    expect(text).toContain("withheld:");
    expect(text).toContain("00.00.00.00 — placeholder");
  });
});
