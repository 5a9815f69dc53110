import type { JournalEntry } from "@keywarden/core";
import { describe, expect, it } from "vitest";

import { journaledPlans } from "@keywarden/remediation";

import { chooseRollbackTarget } from "./rollback-target.js";

let seq = 0;
function entry(planId: string, stepId: string, kind: string, event: JournalEntry["event"], extra: Partial<JournalEntry> = {}): JournalEntry {
  seq += 1;
  return { seq, time: "2026-01-15T12:00:00.000Z", planId, stepId, kind, event, code: "KW_REMEDIATION_I0004", message: "", ...extra };
}

const planned = (planId: string, steps: { id: string; kind: string }[], rollbackOf?: string) =>
  entry(planId, "", "plan", "planned", { data: { ruleIds: [], steps, ...(rollbackOf === undefined ? {} : { rollbackOf }) } });

const applied = [
  planned("kwp_a", [
    { id: "s01-update-alert-state", kind: "update-alert-state" },
    { id: "s02-enable-firewall", kind: "enable-firewall" },
  ]),
  entry("kwp_a", "s01-update-alert-state", "update-alert-state", "succeeded"),
  entry("kwp_a", "s02-enable-firewall", "enable-firewall", "succeeded"),
];
const failedRollback = [
  planned("kwp_r", [
    { id: "r01-restore-firewall", kind: "restore-firewall" },
    { id: "r02-update-alert-state", kind: "update-alert-state" },
  ], "kwp_a"),
  entry("kwp_r", "r01-restore-firewall", "restore-firewall", "failed"),
  entry("kwp_r", "r02-update-alert-state", "update-alert-state", "succeeded"),
];

describe("chooseRollbackTarget", () => {
  it("tells rollback plans from the plans they undo", () => {
    expect(journaledPlans([...applied, ...failedRollback])).toEqual([
      { planId: "kwp_a", changedSteps: 2 },
      { planId: "kwp_r", rollbackOf: "kwp_a", changedSteps: 1 },
    ]);
  });

  it("reads rollbacks from the journal's marker, not from step ids: an ordinary plan with rNN- ids is a candidate", () => {
    const lookalike = [
      planned("kwp_l", [{ id: "r01-restore-firewall", kind: "restore-firewall" }]),
      entry("kwp_l", "r01-restore-firewall", "restore-firewall", "succeeded"),
    ];
    expect(chooseRollbackTarget(lookalike, undefined, "j.jsonl")).toBe("kwp_l");
  });

  it("picks the only ordinary plan, ignoring an earlier (failed) rollback in the same journal", () => {
    expect(chooseRollbackTarget([...applied, ...failedRollback], undefined, "j.jsonl")).toBe("kwp_a");
  });

  it("ignores dry runs and plans that changed nothing; an empty journal leaves the answer to the library", () => {
    const dry = [planned("kwp_d", [{ id: "s01-enable-firewall", kind: "enable-firewall" }]), entry("kwp_d", "s01-enable-firewall", "enable-firewall", "succeeded", { dryRun: true })];
    expect(chooseRollbackTarget(dry, undefined, "j.jsonl")).toBeUndefined();
    expect(chooseRollbackTarget([...dry, ...applied], undefined, "j.jsonl")).toBe("kwp_a");
  });

  it("asks for --plan when several ordinary plans changed something, and honours it", () => {
    const other = [planned("kwp_b", [{ id: "s01-enable-firewall", kind: "enable-firewall" }]), entry("kwp_b", "s01-enable-firewall", "enable-firewall", "succeeded")];
    expect(() => chooseRollbackTarget([...applied, ...other], undefined, "j.jsonl")).toThrow(/holds changes of 2 plans: kwp_a .*kwp_b .*Pass --plan <id>/);
    expect(chooseRollbackTarget([...applied, ...other], "kwp_b", "j.jsonl")).toBe("kwp_b");
  });

  it("refuses an unknown plan or a rollback plan with exit code 2", () => {
    expect(() => chooseRollbackTarget(applied, "kwp_x", "j.jsonl")).toThrow(expect.objectContaining({ exitCode: 2, message: expect.stringMatching(/no applied change of plan kwp_x/) }));
    expect(() => chooseRollbackTarget([...applied, ...failedRollback], "kwp_r", "j.jsonl")).toThrow(/is itself a rollback/);
    expect(() => chooseRollbackTarget(failedRollback, undefined, "j.jsonl")).toThrow(/records only rollbacks/);
  });
});
