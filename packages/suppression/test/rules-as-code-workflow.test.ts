import type { Clock } from "@keywarden/core";
import { readFileSync } from "node:fs";
import { parseAlerts } from "@keywarden/alerts";
import { InMemoryJournal } from "@keywarden/core";
import { describe, expect, it } from "vitest";
import {
  InMemoryAlertStateStore,
  InMemorySuppressionRulesStore,
  SuppressionCodes,
  applySuppressionChanges,
  defineSuppressionRule,
  formatSuppressionPlan,
  lintSuppressionRules,
  loadSuppressionRules,
  planSuppressionChanges,
  previewSuppression,
} from "../src/index.js";

const now = new Date("2026-06-01T00:00:00Z");
const clock: Clock = { now: () => now.getTime(), sleep: () => Promise.resolve() };
const history = parseAlerts(JSON.parse(readFileSync(new URL("fixtures/kv-simulated-alerts.xsoar-excerpt.json", import.meta.url), "utf8")));

describe("the README workflow: author -> lint -> preview -> plan -> apply (in-memory stores)", () => {
  it("runs end to end", async () => {
    // Author
    const desired = [
      ...(await loadSuppressionRules(new URL("fixtures/rules.yaml", import.meta.url).pathname)),
      defineSuppressionRule({
        name: "sample-tor",
        alertType: "SIMULATED_KV_TORAccess",
        reason: "NotRelevant",
        comment: "Defender sample alerts",
        expiresOn: "2026-06-10T00:00:00Z",
        scope: [{ field: "entities.ip.address", in: ["00.00.00.00"] }],
      }),
    ];

    // Lint against the history: the real KV types never fired here; the sample rule expires soon.
    const findings = lintSuppressionRules(desired, { now, alerts: history });
    expect(findings.map((finding) => [finding.rule, finding.code])).toEqual([
      ["ci-agents-tor", SuppressionCodes.alertTypeNeverSeen],
      ["backup-app-volume", SuppressionCodes.alertTypeNeverSeen],
      ["sample-tor", SuppressionCodes.expiringSoon],
    ]);

    // Preview: only the sample rule matches the sample alerts.
    const preview = previewSuppression(desired, history, { at: now });
    expect(preview.rules.map((rule) => [rule.rule, rule.considered, rule.suppressed.length])).toEqual([
      ["ci-agents-tor", 0, 0],
      ["backup-app-volume", 0, 0],
      ["sample-tor", 1, 1],
    ]);

    // Plan against what exists.
    const store = new InMemorySuppressionRulesStore([{ name: "legacy", alertType: "*", reason: "Noise", state: "Enabled", scope: [] }], { clock });
    const existing = [];
    for await (const rule of store.list()) existing.push(rule);
    const plan = planSuppressionChanges(desired, existing);
    expect(formatSuppressionPlan(plan)).toMatch(/^Suppression plan suppression-[0-9a-f]{8}: 3 to create, 1 to delete$/m);

    // Apply: dry run first, then for real with the bulk dismiss, then again (a no-op).
    const alerts = new InMemoryAlertStateStore(history);
    const journal = new InMemoryJournal();
    const dry = await applySuppressionChanges(plan, { store, dryRun: true, journal, clock, updateAlerts: { alerts, action: "dismiss" } });
    expect([store.writes, alerts.writes]).toEqual([0, 0]);
    expect(dry.alerts?.results.map((result) => result.status)).toEqual(["would-update"]);

    const applied = await applySuppressionChanges(plan, { store, journal, clock, updateAlerts: { alerts, action: "dismiss" } });
    expect(applied.ok).toBe(true);
    expect([store.writes, alerts.writes]).toEqual([4, 1]);
    expect((await alerts.get(history[4]!.id))?.status).toBe("Dismissed");

    const again = await applySuppressionChanges(plan, { store, journal, clock, updateAlerts: { alerts, action: "dismiss" } });
    expect(again.steps.every((step) => step.status === "already-applied")).toBe(true);
    expect(again.alerts?.results.map((result) => result.status)).toEqual(["already-closed"]);
    expect([store.writes, alerts.writes]).toEqual([4, 1]);

    const entries = await journal.entries();
    expect(entries.every((entry) => entry.planId === plan.planId && entry.code.startsWith("KW_SUPPRESSION_"))).toBe(true);
    expect(entries.filter((entry) => entry.kind === "alert-dismiss" && entry.event === "succeeded")).toHaveLength(1);
  });

  it("reads an Enabled rule past its expiry back as Expired, and plans its extension", async () => {
    const store = new InMemorySuppressionRulesStore([{ name: "old", alertType: "KV_AppAnomaly", reason: "Other", state: "Enabled", expiresOn: "2026-05-01T00:00:00.000Z", scope: [] }], { clock });
    const current = await store.get("OLD");
    expect(current?.state).toBe("Expired");
    const plan = planSuppressionChanges([defineSuppressionRule({ name: "old", alertType: "KV_AppAnomaly", reason: "Other", expiresOn: "2026-07-01T00:00:00Z" })], [current!]);
    expect(plan.changes.map((change) => change.kind)).toEqual(["extend"]);
    expect(formatSuppressionPlan(plan)).toContain("(re-enables the expired rule)");
  });
});
