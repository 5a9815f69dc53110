import type { JournalEntry } from "@keywarden/core";

export interface StepJournalState {
  /** The step finished (succeeded or found already done) in an earlier run. */
  completed: boolean;
  /** The step was approved in an earlier run of the same plan (from a verified journal only). */
  approved: boolean;
  /** The content digest the earlier approval was bound to (from a verified journal only). */
  approvedDigest?: string;
  /** The `before` of the step's first `started` entry: the state prior to any write, kept across a crash. */
  firstBefore?: unknown;
  started: boolean;
}

/** Reads what earlier (non-dry) runs of `planId` did, per step. */
export function journalStateFor(entries: readonly JournalEntry[], planId: string, options: { trustApprovals?: boolean } = {}): Map<string, StepJournalState> {
  const states = new Map<string, StepJournalState>();
  for (const entry of entries) {
    if (entry.planId !== planId || entry.dryRun === true || entry.stepId === "") continue;
    let state = states.get(entry.stepId);
    if (state === undefined) {
      state = { completed: false, approved: false, started: false };
      states.set(entry.stepId, state);
    }
    switch (entry.event) {
      case "approved": {
        const data = entry.data ?? {};
        const digest = data["stepDigest"];
        const bound = data["approvedPlanId"] === planId && data["approvedStepId"] === entry.stepId && typeof digest === "string";
        if (options.trustApprovals === true && bound) {
          state.approved = true;
          state.approvedDigest = digest;
        }
        break;
      }
      case "denied":
        state.approved = false;
        delete state.approvedDigest;
        break;
      case "started":
        if (!state.started && entry.before !== undefined) state.firstBefore = entry.before;
        state.started = true;
        break;
      case "succeeded":
      case "skipped":
        state.completed = true;
        break;
      case "landed":
        // A sub-write landed: the step is still unfinished; rollback reads these entries itself.
        break;
      case "failed":
      case "planned":
        break;
    }
  }
  return states;
}
