import type { JournalEntry } from "@keywarden/core";
import { journaledPlans, type JournaledPlan } from "@keywarden/remediation";

import { CliErrorCode, invalidInput } from "../errors/cli-error.js";

/**
 * Which plan `keywarden rollback` undoes: the one `--plan` names, or the only ordinary plan with changes in the
 * journal. Rollback plans recorded in the same journal (an earlier, failed or interrupted rollback, marked so by the
 * journal itself) are not candidates: rolling back again re-plans the same rollback, and applying it resumes where it
 * stopped. Returns `undefined` when the journal records no change at all (the library then says so).
 */
export function chooseRollbackTarget(
  entries: readonly JournalEntry[],
  wanted: string | undefined,
  journalPath: string,
  // The CLI passes its hint builder, so the printed command carries --sandbox and quotes the journal path.
  command: (planId: string) => string = (planId) => `keywarden rollback --journal ${journalPath} --plan ${planId}`,
): string | undefined {
  const plans = journaledPlans(entries);
  const ordinary = plans.filter((plan) => plan.rollbackOf === undefined);
  const describe = (list: readonly JournaledPlan[]) => list.map((plan) => `${plan.planId} (${plan.changedSteps} changed step(s))`).join(", ");
  if (wanted !== undefined) {
    const found = plans.find((plan) => plan.planId === wanted);
    if (found === undefined) {
      throw invalidInput(
        CliErrorCode.InvalidJournal,
        `${journalPath} records no applied change of plan ${wanted}${ordinary.length === 0 ? ": pass the journal of the apply to undo." : `; plans with changes: ${describe(ordinary)}. Pass one of them with --plan.`}`,
      );
    }
    if (found.rollbackOf !== undefined) {
      throw invalidInput(
        CliErrorCode.Usage,
        `Plan ${wanted} is itself a rollback (of ${found.rollbackOf}): run \`${command(found.rollbackOf)}\`, which resumes it.`,
      );
    }
    return wanted;
  }
  if (ordinary.length > 1) {
    throw invalidInput(CliErrorCode.Usage, `${journalPath} holds changes of ${ordinary.length} plans: ${describe(ordinary)}. Pass --plan <id> to choose one.`);
  }
  if (ordinary.length === 0 && plans.length > 0) {
    throw invalidInput(CliErrorCode.InvalidJournal, `${journalPath} records only rollbacks (${describe(plans)}), no plan to roll back: pass the journal of the apply to undo.`);
  }
  return ordinary[0]?.planId;
}
