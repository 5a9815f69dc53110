import { MonitorClient } from "@azure/arm-monitor";
import { LogsQueryClient } from "@azure/monitor-query-logs";
import { parseAlert } from "@keywarden/alerts";
import { createFakeAzure, forgedOutputProblems, getScenario, HOSTILE_TEXT, listScenarios, replaceStrings, type FakeAzureSeed } from "@keywarden/testing";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatImpactReport, measureImpact, type ImpactReport } from "../src/index.js";

/** Every payload at once: whatever field the formatter forgot, one of them shows it. */
const HOSTILE = HOSTILE_TEXT.join(" · ");

async function measure(seed: FakeAzureSeed): Promise<ImpactReport> {
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

/** The scenario with an attacker's text in the log rows: the caller's UPN and address, an operation, the alert's names. */
function hostileSeed(): FakeAzureSeed {
  const seed = structuredClone(getScenario("tor-secret-reads"));
  const rows = (seed.workspaces?.[0]?.tables?.["AZKVAuditLogs"]?.rows ?? []) as Record<string, unknown>[];
  rows.forEach((row, index) => {
    const identity = row["Identity"] as { claim: Record<string, string> } | undefined;
    if (identity?.claim !== undefined) identity.claim["upn"] = HOSTILE;
    if (index === 0) row["CallerIpAddress"] = HOSTILE;
    if (index === 1) row["OperationName"] = HOSTILE;
  });
  const alert = seed.alerts?.[0] as { properties: Record<string, unknown> } | undefined;
  if (alert !== undefined) alert.properties["alertDisplayName"] = HOSTILE;
  return seed;
}

describe("log and alert text cannot forge the impact report", () => {
  it("hostile callers, addresses and operations from the logs go through formatImpactReport shown, never acting", async () => {
    const text = formatImpactReport(await measure(hostileSeed()));
    expect(text).toContain("\\x1b[2J\\x1b[Hcleared");
    expect(forgedOutputProblems(text, "text")).toEqual([]);
  });

  it("an access label read back from JSON that names an Object.prototype member prints as itself", async () => {
    const report = await measure(getScenario("tor-secret-reads"));
    const [first] = report.objects;
    expect(first).toBeDefined();
    for (const access of ["constructor", "__proto__", "hasOwnProperty", "toString"]) {
      const text = formatImpactReport({ ...report, objects: [{ ...first!, access: access as never }] });
      expect(text).toMatch(new RegExp(`^  ${access} +${first!.type}`, "mu"));
      expect(text).not.toContain("[native code]");
    }
  });

  it("any string of any shipped scenario's report, whatever it holds, is escaped (property)", async () => {
    const reports: ImpactReport[] = [];
    for (const { name } of listScenarios()) reports.push(await measure(getScenario(name)));
    const payloads = fc.array(fc.oneof(fc.constantFrom(...HOSTILE_TEXT), fc.string({ unit: "binary" }), fc.constantFrom("constructor", "__proto__", "hasOwnProperty", "toString")), { minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(fc.constantFrom(...reports), payloads, (report, chosen) => {
        let next = 0;
        const hostile = replaceStrings(report, () => chosen[next++ % chosen.length] ?? "");
        const text = formatImpactReport(hostile);
        expect(forgedOutputProblems(text, "text"), text).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });
});
