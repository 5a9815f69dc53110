import type { SuppressionRule } from "../rule/suppression-rule.js";
import { toRuleDocument } from "../rule/rule-document.js";
import { validateSuppressionRules } from "../validate/validate-suppression-rules.js";
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
  if (!validation.valid) return { planId: planIdOf([], validation.issues.length), changes: [], unchanged: [], issues: validation.issues };

  const byName = new Map(existing.map((rule) => [rule.name.toLowerCase(), rule]));
  const wanted = new Set<string>();
  const changes: SuppressionChange[] = [];
  const unchanged: string[] = [];
  for (const rule of validation.rules) {
    const key = rule.name.toLowerCase();
    wanted.add(key);
    const current = byName.get(key);
    if (current === undefined) {
      changes.push({ kind: "create", name: rule.name, after: rule });
      continue;
    }
    const changed = differingProperties(current, rule);
    if (changed.length === 0) {
      unchanged.push(current.name);
      continue;
    }
    const onlyExpiry = changed.every((property) => property === "expiresOn");
    const later =
      rule.expiresOn !== undefined && (current.expiresOn === undefined ? false : Date.parse(rule.expiresOn) > Date.parse(current.expiresOn));
    if (onlyExpiry && later) {
      changes.push({ kind: "extend", name: current.name, before: current, after: rule, ...(current.expiresOn === undefined ? {} : { from: current.expiresOn }), to: rule.expiresOn ?? "" });
    } else {
      changes.push({ kind: "update", name: current.name, before: current, after: rule, changed });
    }
  }
  if (options.prune ?? true) {
    for (const rule of existing) {
      if (!wanted.has(rule.name.toLowerCase())) changes.push({ kind: "delete", name: rule.name, before: rule });
    }
  }
  return { planId: planIdOf(changes, 0), changes, unchanged, issues: [] };
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
