import { InMemoryJournal, type JournalEntry } from "@keywarden/core";
import { describe, expect, it } from "vitest";

import { journaledPlans, rollbackCandidates, stepOutcomesFromJournal } from "../src/index.js";

let seq = 0;
function entry(planId: string, stepId: string, kind: string, event: JournalEntry["event"], extra: Partial<JournalEntry> = {}): JournalEntry {
  seq += 1;
  return { seq, time: "2026-01-15T12:00:00.000Z", planId, stepId, kind, event, code: "KW_REMEDIATION_I0004", message: `${event} ${stepId}`, ...extra };
}
const planned = (planId: string, rollbackOf?: string) => entry(planId, "", "plan", "planned", { data: { ruleIds: [], steps: [], ...(rollbackOf === undefined ? {} : { rollbackOf }) } });

describe("journaledPlans / rollbackCandidates", () => {
  it("marks rollbacks by the journal's rollbackOf marker, whatever their step ids", () => {
    const entries = [
      planned("kwp_a"),
      entry("kwp_a", "r01-restore-firewall", "restore-firewall", "succeeded"),
      planned("kwp_b", "kwp_a"),
      entry("kwp_b", "s01-enable-firewall", "enable-firewall", "succeeded"),
      planned("kwp_dry"),
      entry("kwp_dry", "s01-enable-firewall", "enable-firewall", "succeeded", { dryRun: true }),
      planned("kwp_none"),
      entry("kwp_none", "s01-enable-firewall", "enable-firewall", "skipped"),
      planned("kwp_resumed"),
      entry("kwp_resumed", "s01-enable-firewall", "enable-firewall", "skipped", { data: { changed: true } }),
    ];
    expect(journaledPlans(entries)).toEqual([
      { planId: "kwp_a", changedSteps: 1 },
      { planId: "kwp_b", rollbackOf: "kwp_a", changedSteps: 1 },
      { planId: "kwp_resumed", changedSteps: 1 },
    ]);
    expect(rollbackCandidates(entries).map((plan) => plan.planId)).toEqual(["kwp_a", "kwp_resumed"]);
  });
});

describe("stepOutcomesFromJournal", () => {
  it("reports each step in the engine's status terms, the last decisive entry winning", async () => {
    const journal = new InMemoryJournal();
    const base = { time: "2026-01-15T12:00:00.000Z", planId: "kwp_a", code: "KW_REMEDIATION_I0004" };
    await journal.append({ ...base, stepId: "s01", kind: "enable-firewall", event: "failed", message: "503", error: { code: "X", message: "503", status: 503 } });
    await journal.append({ ...base, stepId: "s01", kind: "enable-firewall", event: "succeeded", message: "closed" });
    await journal.append({ ...base, stepId: "s02", kind: "update-alert-state", event: "skipped", message: "already InProgress" });
    await journal.append({ ...base, stepId: "s03", kind: "delete-secrets", event: "denied", message: "no" });
    await journal.append({ ...base, stepId: "s04", kind: "rotate-secrets", event: "started", message: "..." });
    await journal.append({ ...base, stepId: "s05", kind: "disable-secrets", event: "succeeded", message: "would disable", dryRun: true });
    const steps = ["enable-firewall", "update-alert-state", "delete-secrets", "rotate-secrets", "disable-secrets", "revoke-sessions"].map((kind, index) => ({
      id: `s0${index + 1}`,
      kind,
    }));
    const outcomes = stepOutcomesFromJournal(steps, await journal.entries(), "kwp_a");
    expect(outcomes.map((outcome) => [outcome.stepId, outcome.status, outcome.dryRun])).toEqual([
      ["s01", "succeeded", false],
      ["s02", "already-done", false],
      ["s03", "denied", false],
      ["s04", "not-run", false],
      ["s05", "would-change", true],
      ["s06", "not-run", false],
    ]);
  });
});
