import { terminalSafe, terminalSafeLines } from "@keywarden/core";
import { describePermissions } from "../access/access-policy-entries.js";
import { describeNetworkAcls } from "../firewall/network-rules.js";
import type { NetworkAclsSnapshot, RemediationPlan, RemediationStep } from "./remediation-plan.js";
import { recordedVersionsSchema } from "./recorded-versions.js";

/**
 * Renders a plan as a readable, diff-like review text:
 *
 *   s01 enable-firewall  [sensitive, reversible, needs approval]  vault kv-prod
 *       firewall: defaultAction Allow → Deny; keep 5 existing rules; add 10.1.0.0/16
 *
 * Names, addresses, reasons and warnings come from the alert and the tenant: every line is escaped as a whole
 * (`terminalSafeLines`), so no value can move the cursor, hide itself or start a line of its own.
 */
export function formatPlan(plan: RemediationPlan): string {
  const lines = [
    `Remediation plan ${plan.id}`,
    `  alerts: ${plan.basedOn.alertIds.join(", ") || "(none)"}`,
    `  rules:  ${plan.basedOn.ruleIds.join(", ") || "(none)"}`,
  ];
  if (plan.basedOn.rollbackOf !== undefined) lines.push(`  rolls back: ${plan.basedOn.rollbackOf}`);
  if (plan.createdAt !== undefined) lines.push(`  created: ${plan.createdAt}`);
  lines.push("");
  if (plan.steps.length === 0) lines.push("  (no steps)");
  for (const step of plan.steps) lines.push(...stepLines(step), "");
  if (plan.warnings.length > 0) {
    lines.push("Warnings:");
    for (const warning of plan.warnings) {
      lines.push(`  ! ${warning.stepId === undefined ? "" : `${warning.stepId}: `}${warning.message} (${warning.code})`);
    }
  }
  if (plan.irreversible.length > 0) {
    lines.push("Cannot be undone:");
    for (const item of plan.irreversible) lines.push(`  × ${item.stepId} ${item.kind}: ${item.reason}`);
  }
  return terminalSafeLines(lines).trimEnd() + "\n";
}

/** One step as text (header line plus indented detail lines), escaped like {@link formatPlan}. */
export function formatStep(step: RemediationStep): string {
  return terminalSafeLines(stepLines(step));
}

function stepLines(step: RemediationStep): string[] {
  const flags = [step.risk, step.reversible ? "reversible" : "irreversible", step.requiresApproval ? "needs approval" : "auto"];
  const where = [
    step.target.vault === undefined ? undefined : `vault ${step.target.vault.name}`,
    step.target.principal === undefined ? undefined : `principal ${principalLabel(step)}`,
  ].filter((part) => part !== undefined);
  const lines = [`${step.id}  [${flags.join(", ")}]${where.length > 0 ? `  ${where.join(", ")}` : ""}`];
  for (const detail of stepDetails(step)) lines.push(`    ${detail}`);
  lines.push(`    why: ${step.reason}`);
  if (step.precondition.summary !== "") lines.push(`    expects: ${step.precondition.summary}`);
  return lines;
}

function principalLabel(step: RemediationStep): string {
  const principal = step.target.principal;
  if (principal === undefined) return "";
  const name = principal.userPrincipalName ?? principal.displayName;
  return name === undefined ? principal.objectId : `${name} (${principal.objectId})`;
}

function objectsLabel(step: RemediationStep): string[] {
  return (step.target.objects ?? []).map((object) => {
    const versions = object.versions === undefined ? "every version" : `${object.versions.length} version(s): ${object.versions.map((v) => v.slice(0, 8)).join(", ")}`;
    return `${object.type} ${object.name} (${versions})`;
  });
}

/** What a step does, on one line (`kind: detail; detail`), for the tasks that tell people about the response; escaped. */
export function describeStepAction(step: RemediationStep): string {
  const where = step.target.vault === undefined ? "" : ` (vault ${step.target.vault.name})`;
  return terminalSafe(`${step.kind}${where}: ${stepDetails(step).join("; ")}`, { singleLine: true });
}

function stepDetails(step: RemediationStep): string[] {
  switch (step.kind) {
    case "enable-firewall": {
      const observed = step.precondition.observed as NetworkAclsSnapshot | undefined;
      const from = observed?.defaultAction ?? "?";
      const kept = observed === undefined ? "keep every existing rule" : `keep ${observed.ipRules.length + observed.virtualNetworkRules.length} existing rules`;
      const adds = [...step.parameters.addIpRules, ...step.parameters.addVirtualNetworkRules];
      const parts = [`firewall: defaultAction ${from} → ${step.parameters.defaultAction}`, kept];
      if (adds.length > 0) parts.push(`add ${adds.join(", ")}`);
      parts.push(`bypass ${step.parameters.bypass}`);
      const details = [parts.join("; ")];
      for (const caller of step.parameters.cutOffCallers) {
        details.push(
          `cut off: ${caller.ipAddress ?? "?"}${caller.principal === undefined ? "" : ` (${caller.principal})`}${caller.operations === undefined ? "" : `, ${caller.operations} request(s)`}${caller.lastSeen === undefined ? "" : `, last ${caller.lastSeen}`}`,
        );
      }
      return details;
    }
    case "remove-access-policy":
      return [`access policy: remove every entry of ${principalLabel(step)} (exact stored casing, verified)`];
    case "restrict-permissions":
      return [`access policy: take away ${describePermissions(step.parameters.remove)}; keep the rest`];
    case "remove-role-assignments":
      return [
        `role assignments: delete direct vault-scope assignments${step.parameters.roleDefinitionIds === undefined ? "" : ` of roles ${step.parameters.roleDefinitionIds.join(", ")}`}`,
        step.parameters.includeInherited ? "inherited assignments: delete at their own scope" : "inherited assignments: report only",
      ];
    case "revoke-sessions":
      return [`Entra ID: revoke sign-in sessions and refresh tokens of ${principalLabel(step)}`];
    case "contact-owner":
    case "escalate-to-admin":
      return [
        `task to ${step.parameters.recipients.join(", ") || "(nobody was found: see the plan's warnings)"}: ${step.parameters.subject}`,
        ...(step.parameters.recipientSources ?? []).map((recipient) => `  ${recipient.address}: ${recipient.source} (${recipient.detail})`),
      ];
    case "rotate-secrets":
      return [
        ...objectsLabel(step).map((label) => `rotate: ${label}`),
        `rotator: ${step.parameters.rotator ?? "by content type / tag / name"}${step.parameters.allowRandomValue ? "; random value allowed" : ""}`,
        "consumers must pick up the new value",
      ];
    case "rotate-keys":
      return objectsLabel(step).map((label) => `rotate (new version from the key's policy): ${label}`);
    case "disable-secrets":
      return [...objectsLabel(step).map((label) => `disable: ${label}`), ...recordedLines(step)];
    case "delete-secrets":
      return [
        ...objectsLabel(step).map((label) => `soft delete: ${label}`),
        step.parameters.purge ? "then PURGE (irreversible; refused under purge protection)" : "no purge (recoverable)",
      ];
    case "update-alert-state":
      return [`alert ${step.target.alert?.systemAlertId ?? "?"}: state → ${step.parameters.state}`];
    case "restore-firewall":
      return [`firewall: restore ${describeNetworkAcls(step.parameters.networkAcls)}`];
    case "restore-access-policy":
      return step.parameters.entries.map((entry) => `access policy: restore ${entry.objectId}: ${describePermissions(entry.permissions)}`);
    case "restore-role-assignments":
      return step.parameters.assignments.map((assignment) => `role assignment: recreate ${assignment.name} at ${assignment.scope}`);
    case "enable-versions":
      return objectsLabel(step).map((label) => `re-enable: ${label}`);
    case "recover-deleted":
      return objectsLabel(step).map((label) => `recover: ${label}`);
  }
}

/** What a disable-secrets step recorded at planning (and so writes without listing again): the reviewer sees it. */
function recordedLines(step: RemediationStep): string[] {
  const parsed = recordedVersionsSchema.safeParse(step.precondition.observed);
  if (step.precondition.observed === undefined || !parsed.success) return [];
  const objects = parsed.data.objects;
  const toDisable = objects.reduce((sum, object) => sum + object.versions.filter((version) => version.enabled).length, 0);
  const already = objects.reduce((sum, object) => sum + object.versions.filter((version) => !version.enabled).length, 0);
  const kept = objects.flatMap((object) => (object.kept ?? []).map((version) => `${object.type} ${object.name} ${version.version.slice(0, 8)}`));
  const lines = [
    `recorded${step.precondition.readAt === undefined ? "" : ` at ${step.precondition.readAt}`} for ${objects.length} object(s): ${toDisable} version(s) enabled (to disable), ${already} already disabled; written as recorded, not listed again`,
  ];
  if (kept.length > 0) lines.push(`keeps ${kept.length} current version(s) enabled: ${kept.slice(0, 10).join(", ")}${kept.length > 10 ? ", ..." : ""}`);
  return lines;
}
