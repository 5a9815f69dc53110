import type { JournalEntry } from "@keywarden/core";

import type { ApplyResult, DryRunVerdict, StepStatus } from "../engine/apply-plan.js";
import { RemediationCodes } from "../errors/remediation-codes.js";

/**
 * What finally happened to one plan step, in the engine's own terms ({@link StepStatus}), whether it was read from an
 * {@link ApplyResult} or reconstructed from a journal. Reports (the CLI's incident report, the responder's answer)
 * render these; they never invent a status of their own.
 */
export interface ReportedStepOutcome {
  stepId: string;
  kind: string;
  status: StepStatus;
  /** True when the run was a dry run: `would-change` / `already-done` describe what a real run would do. */
  dryRun: boolean;
  /** One line for people: the changes made, or why nothing was. */
  message: string;
  /** Dry runs: whether the real apply would succeed with the step (`would-fail` comes with `error`). */
  verdict?: DryRunVerdict;
  error?: { code: string; message: string; status?: number };
}

/** A plan step as far as reporting needs it. */
export interface ReportedStep {
  id: string;
  kind: string;
}

/** Counts per status, for one-line summaries. Every status is present (zero when absent). */
export function countStepOutcomes(outcomes: readonly ReportedStepOutcome[]): Record<StepStatus, number> {
  const counts: Record<StepStatus, number> = {
    succeeded: 0,
    sent: 0,
    "not-delivered": 0,
    "already-done": 0,
    "completed-earlier": 0,
    skipped: 0,
    "would-change": 0,
    denied: 0,
    "awaiting-approval": 0,
    failed: 0,
    "not-run": 0,
  };
  for (const outcome of outcomes) counts[outcome.status] += 1;
  return counts;
}

/** Whether the step's change is in place (made now, found already made, made by an earlier run or by an earlier plan of the incident; a task sent). */
export function isStepDone(outcome: Pick<ReportedStepOutcome, "status" | "dryRun">): boolean {
  return (
    !outcome.dryRun &&
    (outcome.status === "succeeded" || outcome.status === "sent" || outcome.status === "already-done" || outcome.status === "completed-earlier" || outcome.status === "skipped")
  );
}

/** The outcome of each step from `applyPlan`'s result (more precise than the journal for the run that just ended). */
export function stepOutcomesFromResult(result: Pick<ApplyResult, "steps" | "dryRun">): ReportedStepOutcome[] {
  return result.steps.map((step) => {
    const outcome = outcomeOf(step, result.dryRun);
    if (step.verdict === undefined) return outcome;
    const approval = step.verdict === "needs-approval" ? ` (needs approval: ${(step.approvalReasons ?? []).join("; ") || "policy"})` : "";
    const message = step.verdict === "would-fail" ? `would fail: ${step.error?.message ?? outcome.message}` : `${outcome.message}${approval}`;
    return { ...outcome, verdict: step.verdict, message, ...(step.verdict === "would-fail" && step.error !== undefined ? { error: step.error } : {}) };
  });
}

function outcomeOf(step: ApplyResult["steps"][number], dryRun: boolean): ReportedStepOutcome {
  const detail = step.changes.join("; ");
  const base = { stepId: step.stepId, kind: step.kind, status: step.status, dryRun };
  switch (step.status) {
    case "succeeded":
      return { ...base, message: detail || "done" };
    case "sent":
      return { ...base, message: detail ? `sent (not verified): ${detail}` : "sent (not verified)" };
    case "not-delivered":
      return { ...base, message: `not delivered: ${step.error?.message ?? "the target refused it"}`, ...(step.error === undefined ? {} : { error: step.error }) };
    case "already-done":
      return { ...base, message: detail || "already in the desired state: nothing to change" };
    case "completed-earlier":
      return { ...base, message: "done by an earlier run (journal)" };
    case "skipped":
      return { ...base, message: step.skipReason ?? "done earlier in the incident: not repeated" };
    case "would-change":
      return { ...base, message: detail || "would change" };
    case "denied":
      return { ...base, message: "not approved" };
    case "awaiting-approval":
      return { ...base, message: "awaiting approval" };
    case "failed":
      return { ...base, message: step.error?.message ?? "failed", ...(step.error === undefined ? {} : { error: step.error }) };
    case "not-run":
      return { ...base, message: "not run" };
  }
}

/**
 * The outcome of each step of `planId` from a journal: the last decisive entry wins (a resumed apply appends after the
 * interrupted one). A step with no decisive entry (none, or only `started`) did not finish: `not-run`.
 */
export function stepOutcomesFromJournal(steps: readonly ReportedStep[], entries: readonly JournalEntry[], planId: string): ReportedStepOutcome[] {
  return steps.map((step) => {
    let last: JournalEntry | undefined;
    for (const entry of entries) {
      if (entry.planId !== planId || entry.stepId !== step.id) continue;
      if (entry.event === "succeeded" || entry.event === "skipped" || entry.event === "denied" || entry.event === "awaiting-approval" || entry.event === "failed") last = entry;
    }
    const base = { stepId: step.id, kind: step.kind };
    if (last === undefined) return { ...base, status: "not-run" as const, dryRun: false, message: "not run" };
    const dryRun = last.dryRun === true;
    switch (last.event) {
      case "succeeded":
        if (!dryRun && last.code === RemediationCodes.taskSent) return { ...base, status: "sent" as const, dryRun, message: last.message };
        return { ...base, status: dryRun ? ("would-change" as const) : ("succeeded" as const), dryRun, message: last.message };
      case "skipped":
        // A step an earlier plan of the incident did is `skipped`; one found in its goal state is `already-done`.
        return { ...base, status: last.code === RemediationCodes.doneInIncident ? ("skipped" as const) : ("already-done" as const), dryRun, message: last.message };
      case "denied":
        return { ...base, status: "denied" as const, dryRun, message: last.message };
      case "awaiting-approval":
        return { ...base, status: "awaiting-approval" as const, dryRun, message: last.message };
      default:
        if (last.code === RemediationCodes.notifyNotDelivered) {
          return { ...base, status: "not-delivered" as const, dryRun, message: last.message, ...(last.error === undefined ? {} : { error: last.error }) };
        }
        return { ...base, status: "failed" as const, dryRun, message: last.message, ...(last.error === undefined ? {} : { error: last.error }) };
    }
  });
}
