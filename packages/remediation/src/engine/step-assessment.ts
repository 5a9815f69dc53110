import type { RemediationStep, StepKind, StepRisk } from "../plan/remediation-plan.js";

/** What the engine is told by whoever runs it (not by the plan): which kinds may run without a person saying yes. */
export interface ApplyPolicy {
  /**
   * Step kinds that may run without approval. Never covers steps whose approval is mandatory (destructive or
   * irreversible ones, and those that take access away or grant it back). Default: none beyond `safe` steps.
   */
  autoApprove?: readonly StepKind[];
}

/** Facts read from the vault at apply time that change what a step does. */
export interface LiveStepFacts {
  /** The step cannot be undone on this vault (a delete on a vault without soft delete). */
  irreversible?: boolean;
  destructive?: boolean;
  /** Why, in words. */
  reason?: string;
}

/** How the engine judges a step: derived from its kind, parameters, live vault state and policy, never from the plan's flags. */
export interface StepAssessment {
  risk: StepRisk;
  reversible: boolean;
  requiresApproval: boolean;
  /** Only an approval given in this apply counts (an earlier run's, or `autoApprove`, does not). */
  approvalMandatory: boolean;
  /** Why approval is needed, for the approver and the journal. */
  reasons: string[];
}

interface Base {
  risk: StepRisk;
  reversible: boolean;
  mandatory: boolean;
  reason?: string;
}

function baseOf(step: RemediationStep): Base {
  switch (step.kind) {
    case "update-alert-state":
      return step.parameters.state === "Dismissed"
        ? { risk: "sensitive", reversible: true, mandatory: true, reason: "dismissing an alert closes it as a false positive" }
        : { risk: "safe", reversible: true, mandatory: false };
    case "contact-owner":
    case "escalate-to-admin":
      return { risk: "safe", reversible: false, mandatory: false };
    case "enable-firewall":
    case "disable-secrets":
    case "restore-firewall":
    case "enable-versions":
    case "recover-deleted":
      return { risk: "sensitive", reversible: true, mandatory: false };
    case "remove-access-policy":
    case "restrict-permissions":
    case "remove-role-assignments":
      return { risk: "sensitive", reversible: true, mandatory: true, reason: "it takes access away from a principal" };
    case "restore-access-policy":
    case "restore-role-assignments":
      return { risk: "sensitive", reversible: true, mandatory: true, reason: "it grants access back to a principal" };
    case "revoke-sessions":
      return { risk: "sensitive", reversible: false, mandatory: true, reason: "revoked sessions cannot be restored" };
    case "rotate-secrets":
    case "rotate-keys":
      return { risk: "sensitive", reversible: false, mandatory: true, reason: "a rotation mints a new credential that stays" };
    case "delete-secrets":
      return step.parameters.purge
        ? { risk: "destructive", reversible: false, mandatory: true, reason: "a purge destroys the objects for good" }
        : { risk: "sensitive", reversible: true, mandatory: false };
  }
}

const rank: Record<StepRisk, number> = { safe: 0, sensitive: 1, destructive: 2 };

/**
 * Judges a step. The plan's `risk`, `reversible` and `requiresApproval` can only make the result stricter: a plan
 * that says "safe, reversible, no approval" for a purge still gets "destructive, irreversible, approval in this apply".
 */
export function assessStep(step: RemediationStep, policy: ApplyPolicy = {}, live: LiveStepFacts = {}): StepAssessment {
  const base = baseOf(step);
  const reasons: string[] = [];
  let risk = base.risk;
  let reversible = base.reversible;
  let mandatory = base.mandatory;
  if (base.reason !== undefined) reasons.push(base.reason);
  if (live.destructive === true) risk = "destructive";
  if (live.irreversible === true) {
    reversible = false;
    mandatory = true;
    if (live.reason !== undefined) reasons.push(live.reason);
  }
  if (risk === "destructive") mandatory = true;
  if (rank[step.risk] > rank[risk]) risk = step.risk;
  if (!step.reversible) reversible = false;
  const auto = risk === "safe" || policy.autoApprove?.includes(step.kind) === true;
  const requiresApproval = mandatory || step.requiresApproval || !auto;
  if (requiresApproval && reasons.length === 0) reasons.push(step.requiresApproval ? "the plan asks for approval" : `${step.kind} steps are not auto-approved by policy`);
  return { risk, reversible, requiresApproval, approvalMandatory: mandatory, reasons };
}
