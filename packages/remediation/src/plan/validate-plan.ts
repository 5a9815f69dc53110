import { InvalidPlanError } from "../errors/remediation-error.js";
import { RemediationCodes } from "../errors/remediation-codes.js";
import { computePlanId } from "./plan-id.js";
import { PLAN_SCHEMA_VERSION, planSchema, type RemediationPlan } from "./remediation-plan.js";

/**
 * Checks that `input` is a plan this release can apply and that its content is exactly what was planned
 * (its id is a hash of its content). Throws `InvalidPlanError` before anything is written otherwise.
 */
export function validatePlan(input: unknown): RemediationPlan {
  const version = (input as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (version !== PLAN_SCHEMA_VERSION) {
    throw new InvalidPlanError(
      RemediationCodes.planInvalid,
      `The plan has schemaVersion ${JSON.stringify(version)}, this release applies schemaVersion ${PLAN_SCHEMA_VERSION}. ` +
        "Re-create the plan with planResponse from this release.",
    );
  }
  const parsed = planSchema.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join(".") || "(plan)"}: ${issue.message}`);
    throw new InvalidPlanError(
      RemediationCodes.planInvalid,
      `The plan does not match the plan schema (${issues.length} problem${issues.length === 1 ? "" : "s"}: ${issues
        .slice(0, 5)
        .join("; ")}). Re-create it with planResponse instead of editing it by hand.`,
      issues,
    );
  }
  const plan = parsed.data;
  const expected = computePlanId(plan);
  if (expected !== plan.id) {
    throw new InvalidPlanError(
      RemediationCodes.planTampered,
      `The plan's content does not match its id ${plan.id} (content hashes to ${expected}): it was changed after it ` +
        "was made. Review and re-create the plan; an edited plan is never applied.",
    );
  }
  const ids = new Set<string>();
  for (const step of plan.steps) {
    if (ids.has(step.id)) {
      throw new InvalidPlanError(RemediationCodes.planInvalid, `The plan has two steps with id "${step.id}".`, [step.id]);
    }
    ids.add(step.id);
  }
  return plan;
}

/** Like `validatePlan`, without throwing. */
export function isValidPlan(input: unknown): input is RemediationPlan {
  try {
    validatePlan(input);
    return true;
  } catch {
    return false;
  }
}
