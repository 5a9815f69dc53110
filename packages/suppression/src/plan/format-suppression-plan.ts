import { terminalSafeLines } from "@keywarden/core";
import { formatValidationIssue } from "../validate/validation-issue.js";
import type { ExistingScopeElement, ExistingSuppressionRule } from "./existing-suppression-rule.js";
import type { SuppressionRule } from "../rule/suppression-rule.js";
import type { SuppressionPlan } from "./suppression-plan.js";

/**
 * Renders a plan as a reviewable diff (`+` create, `~` update, `>` extend, `-` delete), the text a reviewer approves.
 *
 * ```
 * Suppression plan suppression-1a2b3c4d: 1 to create, 1 to extend, 1 to delete, 2 unchanged
 *
 * + create tor-build-agents (KV_TORAccess)
 *     + reason: SpecificEntityFalsePositive
 *     + expiresOn: 2026-12-31T00:00:00.000Z
 *     + scope[0]: entities.ip.address in ["203.0.113.10"]
 * > extend app-anomaly-ci (KV_AppAnomaly)
 *     ~ expiresOn: 2026-01-01T00:00:00.000Z -> 2026-03-01T00:00:00.000Z
 * - delete old-rule (KV_UserAnomaly)
 * ```
 *
 * Rule names, comments and scope values come from files and from the subscription: every line is escaped as a whole
 * (`terminalSafeLines`), so no value can move the cursor, hide itself or start a line of its own.
 */
export function formatSuppressionPlan(plan: SuppressionPlan): string {
  if (plan.issues.length > 0) {
    return terminalSafeLines([`Suppression plan ${plan.planId}: BLOCKED, ${plan.issues.length} invalid rule propert${plan.issues.length === 1 ? "y" : "ies"}; nothing will be written.`, "", ...plan.issues.map((issue) => `! ${formatValidationIssue(issue)}`)]);
  }
  const count = (kind: string) => plan.changes.filter((change) => change.kind === kind).length;
  const parts = [
    [count("create"), "to create"],
    [count("update"), "to update"],
    [count("extend"), "to extend"],
    [count("delete"), "to delete"],
    [plan.unchanged.length, "unchanged"],
  ]
    .filter(([n]) => (n as number) > 0)
    .map(([n, label]) => `${String(n)} ${String(label)}`);
  const lines = [`Suppression plan ${plan.planId}: ${parts.length === 0 ? "no rules" : parts.join(", ")}`];
  if (plan.changes.length === 0) {
    lines.push("", "No changes: the subscription already matches the rules.");
    return terminalSafeLines(lines);
  }
  for (const change of plan.changes) {
    lines.push("");
    switch (change.kind) {
      case "create":
        lines.push(`+ create ${change.name} (${change.after.alertType})`);
        for (const [key, value] of describe(change.after)) lines.push(`    + ${key}: ${value}`);
        break;
      case "update": {
        lines.push(`~ update ${change.name} (${change.after.alertType})`);
        const before = new Map(describe(change.before));
        const after = new Map(describe(change.after));
        for (const key of new Set([...before.keys(), ...after.keys()])) {
          const from = before.get(key);
          const to = after.get(key);
          if (from === to) continue;
          if (from !== undefined) lines.push(`    - ${key}: ${from}`);
          if (to !== undefined) lines.push(`    + ${key}: ${to}`);
        }
        break;
      }
      case "extend":
        lines.push(`> extend ${change.name} (${change.after.alertType})`);
        lines.push(`    ~ expiresOn: ${change.from ?? "(none)"} -> ${change.to}${change.before.state === "Expired" ? " (re-enables the expired rule)" : ""}`);
        break;
      case "delete":
        lines.push(`- delete ${change.name} (${change.before.alertType})`);
        lines.push("    (alerts it already dismissed stay dismissed)");
        break;
    }
  }
  return terminalSafeLines(lines);
}

function describe(rule: SuppressionRule | ExistingSuppressionRule): [string, string][] {
  const lines: [string, string][] = [
    ["alertType", rule.alertType],
    ["reason", rule.reason],
  ];
  if (rule.comment !== undefined && rule.comment !== "") lines.push(["comment", JSON.stringify(rule.comment)]);
  lines.push(["expiresOn", rule.expiresOn === undefined ? "never" : instantText(rule.expiresOn)]);
  lines.push(["state", rule.state]);
  rule.scope.forEach((element, index) => lines.push([`scope[${index}]`, describeCondition(element)]));
  return lines;
}

/** An instant as ISO text; a value that is not a date (a rule read from elsewhere) is shown as it is, never thrown on. */
function instantText(value: string): string {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toISOString();
}

function describeCondition(element: ExistingScopeElement): string {
  const { field, ...operators } = element;
  const text = Object.entries(operators)
    .map(([operator, value]) => `${operator} ${JSON.stringify(value)}`)
    .join(", ");
  return `${field ?? "(no field)"} ${text}`;
}
