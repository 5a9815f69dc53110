import type { JournalEntry } from "@keywarden/core";

/** A plan whose real (not dry-run) changes a journal records. */
export interface JournaledPlan {
  planId: string;
  /** The plan this one rolls back, when it is a rollback (from the `rollbackOf` marker of its `planned` entry). */
  rollbackOf?: string;
  /** Steps that changed something: succeeded, or found their change already written by an interrupted run. */
  changedSteps: number;
}

/**
 * The plans a journal records real changes of, in the order they first appear. Whether a plan is a rollback is read
 * from the marker `applyPlan` writes into its `planned` entry (`data.rollbackOf`), the same marker
 * {@link planRollback} uses, never guessed from step ids or kinds.
 */
export function journaledPlans(entries: readonly JournalEntry[]): JournaledPlan[] {
  const rollbackOf = new Map<string, string>();
  const changed = new Map<string, Set<string>>();
  const order: string[] = [];
  for (const entry of entries) {
    if (entry.dryRun === true) continue;
    if (!changed.has(entry.planId)) {
      changed.set(entry.planId, new Set());
      order.push(entry.planId);
    }
    if (entry.stepId === "") {
      const marker = entry.data?.["rollbackOf"];
      if (entry.event === "planned" && typeof marker === "string") rollbackOf.set(entry.planId, marker);
      continue;
    }
    // A landed sub-write counts too: a step that failed midway changed something rollback must undo.
    if (entry.event === "succeeded" || entry.event === "landed" || (entry.event === "skipped" && entry.data?.["changed"] === true)) changed.get(entry.planId)?.add(entry.stepId);
  }
  return order
    .filter((planId) => (changed.get(planId)?.size ?? 0) > 0)
    .map((planId) => {
      const undoes = rollbackOf.get(planId);
      return { planId, ...(undoes === undefined ? {} : { rollbackOf: undoes }), changedSteps: changed.get(planId)?.size ?? 0 };
    });
}

/** The plans a rollback can undo: journaled plans with changes that are not themselves rollbacks. */
export function rollbackCandidates(entries: readonly JournalEntry[]): JournaledPlan[] {
  return journaledPlans(entries).filter((plan) => plan.rollbackOf === undefined);
}
