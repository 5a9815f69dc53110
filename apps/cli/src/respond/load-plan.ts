import type { RemediationPlan } from "@keywarden/remediation";

import { CliErrorCode, invalidInput } from "../errors/cli-error.js";
import { readJsonInput } from "../input/read-input.js";
import type { CommandContext } from "../runtime/command-context.js";

/**
 * Reads and validates a plan file before anything touches Azure. A plan edited into an invalid state (a field
 * removed, a step kind misspelt, an id that no longer matches the content) is invalid input: exit 2, nothing written.
 */
export async function loadPlanFile(context: CommandContext, file: string): Promise<RemediationPlan> {
  const json = await readJsonInput(context, file, "plan");
  const { validatePlan, InvalidPlanError } = await import("@keywarden/remediation");
  try {
    return validatePlan(json);
  } catch (error) {
    // Every problem, one per line, so a hand-edited plan is fixed in one pass (the summary line stays one line).
    const issues = InvalidPlanError.isInstance(error) ? error.issues : [];
    for (const issue of issues) context.output.error(`${file}: ${issue}`);
    const reason =
      issues.length > 1
        ? `${issues.length} problems (listed above). Re-create it with \`keywarden respond --out\` instead of editing it by hand.`
        : ((error as Error).message.split("\n")[0] ?? "invalid");
    throw invalidInput(CliErrorCode.InvalidPlan, `${file} is not a valid remediation plan: ${reason}`, error);
  }
}
