import type { TriageReport } from "@keywarden/triage";

import type { ApplyResult } from "../engine/apply-plan.js";
import type { RemediationPlan } from "../plan/remediation-plan.js";

/** One independent check made after applying, and whether it held. */
export interface VerificationCheck {
  check: string;
  passed: boolean;
  detail: string;
}

function applied(result: Pick<ApplyResult, "steps">, kind: string): boolean {
  return result.steps.some((step) => step.kind === kind && (step.status === "succeeded" || step.status === "sent" || step.status === "already-done" || step.status === "completed-earlier" || step.status === "skipped"));
}

/**
 * Independent checks after applying: the alert is triaged again against the tenant as it is now (a fresh read of
 * the vault, its firewall and the principal's access), and the response's intent is compared with what that read
 * shows. The executors already read back each write; this answers the responder's question "is the door shut?".
 */
export function verifyResponse(plan: RemediationPlan, result: Pick<ApplyResult, "steps">, before: TriageReport, after: TriageReport, alertStatus: string | undefined): VerificationCheck[] {
  const checks: VerificationCheck[] = [];
  const address = before.source.ip.address;
  if (applied(result, "enable-firewall")) {
    const firewall = after.source.vault.firewall;
    const match = after.source.ip.vaultFirewall;
    checks.push({
      check: "vault firewall closed",
      passed: firewall?.enabled === true,
      detail: firewall === undefined ? "the vault could not be read" : `defaultAction ${firewall.defaultAction}, ${firewall.ipRules.length} IP rule(s), ${firewall.virtualNetworkRules.length} VNet rule(s) kept`,
    });
    if (address !== undefined && match !== undefined) {
      checks.push({ check: `source ${address} blocked`, passed: !match.allowed, detail: match.explanation });
    }
  }
  if (applied(result, "remove-access-policy") || applied(result, "remove-role-assignments") || applied(result, "restrict-permissions")) {
    const access = after.source.principal.vaultAccess;
    const who = before.source.principal.userPrincipalName ?? before.source.principal.displayName ?? before.source.principal.objectId ?? "the principal";
    checks.push({
      check: `${who} can no longer read secrets`,
      passed: access !== undefined && !access.canReadSecrets,
      detail:
        access === undefined
          ? "the principal's access could not be read"
          : `${access.accessPolicies.length} access-policy entr${access.accessPolicies.length === 1 ? "y" : "ies"}, ${access.roleAssignments.length} role assignment(s) left`,
    });
  }
  const stateStep = plan.steps.filter((step) => step.kind === "update-alert-state").at(-1);
  if (stateStep !== undefined && applied(result, "update-alert-state") && alertStatus !== undefined) {
    const wanted = stateStep.kind === "update-alert-state" ? stateStep.parameters.state : undefined;
    checks.push({ check: "alert state updated", passed: wanted === undefined || alertStatus === wanted, detail: `the alert is ${alertStatus}` });
  }
  return checks;
}
