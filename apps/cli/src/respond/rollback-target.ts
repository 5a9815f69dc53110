import type { JournalEntry } from "@keywarden/core";

import { CliErrorCode, invalidInput } from "../errors/cli-error.js";

/**
 * Step kinds only a rollback plan has (`planRollback` turns each applied change into one of these). `update-alert-state`
 * appears in both kinds of plan, so for it the `rNN-` step id that `planRollback` gives its steps decides.
 */
const rollbackOnlyKinds = new Set(["restore-firewall", "restore-access-policy", "restore-role-assignments", "enable-versions", "recover-deleted"]);
const rollbackStepId = /^r\d+-/;

/** A plan that changed something, as the journal records it. */
export interface JournaledPlan {
  planId: string;
  /** True when every step of the plan is a rollback step: it undoes another plan. */
  rollback: boolean;
  /** Steps that succeeded (or found their change already written by an interrupted run). */
  changedSteps: number;
}

function isRollbackStep(step: { id: string; kind: string }): boolean {
  return rollbackOnlyKinds.has(step.kind) || (step.kind === "update-alert-state" && rollbackStepId.test(step.id));
}

/** The step list the `planned` entry of a plan records (`data.steps`), when it is there and well-formed. */
function plannedSteps(entry: JournalEntry): { id: string; kind: string }[] | undefined {
  const steps = entry.data?.["steps"];
  if (!Array.isArray(steps)) return undefined;
  const list: { id: string; kind: string }[] = [];
  for (const step of steps as unknown[]) {
    if (typeof step !== "object" || step === null) return undefined;
    const { id, kind } = step as { id?: unknown; kind?: unknown };
    if (typeof id !== "string" || typeof kind !== "string") return undefined;
    list.push({ id, kind });
  }
  return list;
}

/**
 * The plans a journal records real (not dry-run) changes of, in the order they first appear, each marked as an
 * ordinary plan or a rollback. A plan's steps come from its `planned` entry, or from its step entries when that is
 * missing.
 */
export function journaledPlans(entries: readonly JournalEntry[]): JournaledPlan[] {
  const steps = new Map<string, Map<string, string>>();
  const changed = new Map<string, Set<string>>();
  const order: string[] = [];
  for (const entry of entries) {
    if (entry.dryRun === true) continue;
    if (!steps.has(entry.planId)) {
      steps.set(entry.planId, new Map());
      order.push(entry.planId);
    }
    const planSteps = steps.get(entry.planId) ?? new Map<string, string>();
    if (entry.stepId === "") {
      if (entry.event === "planned") for (const step of plannedSteps(entry) ?? []) planSteps.set(step.id, step.kind);
      continue;
    }
    planSteps.set(entry.stepId, entry.kind);
    if (entry.event === "succeeded" || (entry.event === "skipped" && entry.data?.["changed"] === true)) {
      const set = changed.get(entry.planId) ?? new Set<string>();
      set.add(entry.stepId);
      changed.set(entry.planId, set);
    }
  }
  return order
    .filter((planId) => (changed.get(planId)?.size ?? 0) > 0)
    .map((planId) => {
      const list = [...(steps.get(planId) ?? new Map<string, string>())].map(([id, kind]) => ({ id, kind }));
      return { planId, rollback: list.length > 0 && list.every(isRollbackStep), changedSteps: changed.get(planId)?.size ?? 0 };
    });
}

/**
 * Which plan `keywarden rollback` undoes: the one `--plan` names, or the only ordinary plan with changes in the
 * journal. Rollback plans recorded in the same journal (an earlier, failed or interrupted rollback) are not
 * candidates: rolling back again re-plans the same rollback, and applying it resumes where it stopped.
 * Returns `undefined` when the journal records no change at all (the library then says so).
 */
export function chooseRollbackTarget(entries: readonly JournalEntry[], wanted: string | undefined, journalPath: string): string | undefined {
  const plans = journaledPlans(entries);
  const ordinary = plans.filter((plan) => !plan.rollback);
  const describe = (list: readonly JournaledPlan[]) => list.map((plan) => `${plan.planId} (${plan.changedSteps} changed step(s))`).join(", ");
  if (wanted !== undefined) {
    const found = plans.find((plan) => plan.planId === wanted);
    if (found === undefined) {
      throw invalidInput(
        CliErrorCode.InvalidJournal,
        `${journalPath} records no applied change of plan ${wanted}${ordinary.length === 0 ? "." : `; plans with changes: ${describe(ordinary)}.`}`,
      );
    }
    if (found.rollback) {
      throw invalidInput(
        CliErrorCode.Usage,
        `Plan ${wanted} is itself a rollback; pass --plan with the plan it rolled back${ordinary.length === 0 ? "" : ` (${describe(ordinary)})`}, and applying again resumes it.`,
      );
    }
    return wanted;
  }
  if (ordinary.length > 1) {
    throw invalidInput(CliErrorCode.Usage, `${journalPath} holds changes of ${ordinary.length} plans: ${describe(ordinary)}. Pass --plan <id> to choose one.`);
  }
  if (ordinary.length === 0 && plans.length > 0) {
    throw invalidInput(CliErrorCode.InvalidJournal, `${journalPath} records only rollbacks (${describe(plans)}), no plan to roll back.`);
  }
  return ordinary[0]?.planId;
}
