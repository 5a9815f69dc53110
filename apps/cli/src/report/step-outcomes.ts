import type { JournalEntry } from "@keywarden/core";

/** What finally happened to one plan step, read from the journal. */
export type StepStatus = "succeeded" | "skipped" | "denied" | "failed" | "dry-run" | "not-run" | "in-progress";

export interface StepOutcome {
  stepId: string;
  kind: string;
  status: StepStatus;
  message: string;
  error?: { code: string; message: string; status?: number };
}

/** A plan step as far as reporting needs it. */
export interface ReportedStep {
  id: string;
  kind: string;
}

/**
 * The outcome of each step from the journal's entries for `planId`: the last decisive event wins (a resumed apply
 * appends after the interrupted one). A step with no entry past `planned` did not run.
 */
export function stepOutcomes(steps: readonly ReportedStep[], entries: readonly JournalEntry[], planId: string): StepOutcome[] {
  return steps.map((step) => {
    const own = entries.filter((entry) => entry.planId === planId && entry.stepId === step.id && entry.event !== "planned");
    const last = own.at(-1);
    if (last === undefined) return { stepId: step.id, kind: step.kind, status: "not-run", message: "not run" };
    let status: StepStatus;
    switch (last.event) {
      case "succeeded":
        status = last.dryRun === true ? "dry-run" : "succeeded";
        break;
      case "skipped":
        status = last.dryRun === true ? "dry-run" : "skipped";
        break;
      case "denied":
        status = "denied";
        break;
      case "failed":
        status = "failed";
        break;
      default:
        status = "in-progress";
    }
    return {
      stepId: step.id,
      kind: step.kind,
      status,
      message: last.message,
      ...(last.error === undefined ? {} : { error: last.error }),
    };
  });
}

/** Counts per status, for one-line summaries. */
export function countOutcomes(outcomes: readonly StepOutcome[]): Record<StepStatus, number> {
  const counts: Record<StepStatus, number> = { succeeded: 0, skipped: 0, denied: 0, failed: 0, "dry-run": 0, "not-run": 0, "in-progress": 0 };
  for (const outcome of outcomes) counts[outcome.status] += 1;
  return counts;
}

/** A step result as `applyPlan` returns it (the fields reporting needs). */
export interface EngineStepResult {
  stepId: string;
  kind: string;
  status: "succeeded" | "already-done" | "completed-earlier" | "would-change" | "denied" | "failed" | "not-run";
  changes: string[];
  error?: { code: string; message: string; status?: number };
}

/** The outcome of each step from `applyPlan`'s result (more precise than the journal for the run that just ended). */
export function outcomesFromResult(steps: readonly EngineStepResult[], dryRun: boolean): StepOutcome[] {
  return steps.map((step) => {
    const detail = step.changes.join("; ");
    const base = { stepId: step.stepId, kind: step.kind };
    switch (step.status) {
      case "succeeded":
        return { ...base, status: dryRun ? "dry-run" : "succeeded", message: detail || "done" };
      case "already-done":
        return { ...base, status: dryRun ? "dry-run" : "skipped", message: detail || "already in the desired state: nothing to change" };
      case "completed-earlier":
        return { ...base, status: "skipped", message: "done by an earlier run (journal)" };
      case "would-change":
        return { ...base, status: "dry-run", message: detail || "would change" };
      case "denied":
        return { ...base, status: "denied", message: "not approved" };
      case "failed":
        return { ...base, status: "failed", message: step.error?.message ?? "failed", ...(step.error === undefined ? {} : { error: step.error }) };
      case "not-run":
        return { ...base, status: "not-run", message: "not run" };
    }
  });
}
