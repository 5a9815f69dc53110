import type { SuppressionRule } from "../rule/suppression-rule.js";
import { toRuleDocument } from "../rule/rule-document.js";
import { validateSuppressionRules } from "../validate/validate-suppression-rules.js";
import { logger, safe } from "../log.js";
import { differingProperties } from "./compare-rules.js";
import type { ExistingSuppressionRule } from "./existing-suppression-rule.js";
import type { SuppressionChange, SuppressionPlan } from "./suppression-plan.js";

export interface PlanSuppressionChangesOptions {
  /**
   * Delete rules in the subscription that are not in `desired` (default `true`: the rules file is the whole truth).
   * Deleting a suppression rule only makes alerts visible again, so pruning errs on the safe side.
   */
  readonly prune?: boolean;
}

/**
 * Compares the desired rules with the rules in the subscription and returns the creates, updates, expiry extensions
 * and deletes that make the subscription match. Pure. Desired rules are validated again (a plan is data and may have
 * been built by hand): with any issue, the plan has no changes and carries the issues instead.
 */
export function planSuppressionChanges(
  desired: readonly SuppressionRule[],
  existing: readonly ExistingSuppressionRule[],
  options: PlanSuppressionChangesOptions = {},
): SuppressionPlan {
  const validation = validateSuppressionRules(desired.map((rule) => (isRuleLike(rule) ? toRuleDocument(rule) : rule)));
  if (!validation.valid) {
    const planId = planIdOf([], validation.issues.length);
    logger.verbose(`suppression plan ${planId}: no changes: the desired rules have ${validation.issues.length} validation issue(s)`);
    for (const issue of validation.issues) logger.verbose(`suppression plan ${planId}: issue ${issue.code} in rule ${safe(issue.rule)} at ${safe(issue.path)}`);
    return { planId, changes: [], unchanged: [], issues: validation.issues };
  }

  const byName = new Map(existing.map((rule) => [rule.name.toLowerCase(), rule]));
  const wanted = new Set<string>();
  const changes: SuppressionChange[] = [];
  const unchanged: string[] = [];
  // Why each rule got its change, logged once the plan id (derived from the changes) is known.
  const decisions: string[] = [];
  for (const rule of validation.rules) {
    const key = rule.name.toLowerCase();
    wanted.add(key);
    const current = byName.get(key);
    if (current === undefined) {
      changes.push({ kind: "create", name: rule.name, after: rule });
      decisions.push(`create ${safe(rule.name)}: no rule of that name in the subscription`);
      continue;
    }
    const changed = differingProperties(current, rule);
    if (changed.length === 0) {
      unchanged.push(current.name);
      decisions.push(
        `unchanged ${safe(current.name)}: the subscription's rule already matches${current.state === "Expired" ? " (the service reports it Expired, which alone is no difference)" : ""}`,
      );
      continue;
    }
    const onlyExpiry = changed.every((property) => property === "expiresOn");
    const later =
      rule.expiresOn !== undefined && (current.expiresOn === undefined ? false : Date.parse(rule.expiresOn) > Date.parse(current.expiresOn));
    if (onlyExpiry && later) {
      changes.push({ kind: "extend", name: current.name, before: current, after: rule, ...(current.expiresOn === undefined ? {} : { from: current.expiresOn }), to: rule.expiresOn ?? "" });
      decisions.push(`extend ${safe(current.name)}: only the expiry moves later (${safe(current.expiresOn ?? "")} -> ${safe(rule.expiresOn ?? "")})`);
    } else {
      changes.push({ kind: "update", name: current.name, before: current, after: rule, changed });
      const expiry = rule.expiresOn === undefined ? "is removed" : current.expiresOn === undefined ? "is set on a rule that never expired" : "moves earlier";
      const why = onlyExpiry ? `; the expiry ${expiry}, which is not an extension` : "";
      decisions.push(`update ${safe(current.name)}: ${changed.join(", ")} differ${why}`);
    }
  }
  const prune = options.prune ?? true;
  for (const rule of existing) {
    if (wanted.has(rule.name.toLowerCase())) continue;
    if (prune) {
      changes.push({ kind: "delete", name: rule.name, before: rule });
      decisions.push(`delete ${safe(rule.name)}: in the subscription but not in the desired rules`);
    } else {
      decisions.push(`keep ${safe(rule.name)}: not in the desired rules, but prune is off`);
    }
  }
  const planId = planIdOf(changes, 0);
  for (const decision of decisions) logger.verbose(`suppression plan ${planId}: ${decision}`);
  return { planId, changes, unchanged, issues: [] };
}

function isRuleLike(value: unknown): value is SuppressionRule {
  return typeof value === "object" && value !== null && "name" in value && "scope" in value && Array.isArray((value as { scope: unknown }).scope);
}

/** FNV-1a over the changes: deterministic, so the same plan reviewed twice has the same id in the journal. */
function planIdOf(changes: readonly SuppressionChange[], salt: number): string {
  const text = JSON.stringify(changes.map((change) => [change.kind, change.name, "after" in change ? change.after : null])) + String(salt);
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return `suppression-${hash.toString(16).padStart(8, "0")}`;
}
