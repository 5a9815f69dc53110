import { InvalidPlanError } from "../errors/remediation-error.js";
import { RemediationCodes } from "../errors/remediation-codes.js";
import { computePlanId } from "./plan-id.js";
import { checkPlanConsistency } from "./plan-consistency.js";
import { PLAN_SCHEMA_VERSION, planSchema, type RemediationPlan } from "./remediation-plan.js";

/**
 * Checks that `input` is a plan this release can apply, that its content matches its id, and that it agrees with
 * itself (`checkPlanConsistency`). Throws `InvalidPlanError` before anything is written otherwise. Whether the plan
 * is the one a person reviewed is proved only by its signature (`verifyPlanSignature`, which `applyPlan` runs when
 * given a key).
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
  // The id is a content hash anyone can recompute: a match proves nothing (signatures do), a mismatch proves an
  // edit. The refusal never says what id the edited content would need.
  if (computePlanId(plan) !== plan.id) {
    throw new InvalidPlanError(
      RemediationCodes.planTampered,
      `The plan's content does not match its id ${plan.id}: it was changed after it was made. Review and re-create ` +
        "the plan; an edited plan is never applied.",
    );
  }
  const ids = new Set<string>();
  for (const step of plan.steps) {
    if (ids.has(step.id)) {
      throw new InvalidPlanError(RemediationCodes.planInvalid, `The plan has two steps with id "${step.id}".`, [step.id]);
    }
    ids.add(step.id);
  }
  checkPlanConsistency(plan);
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
