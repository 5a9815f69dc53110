import { isInCondition, type ScopeCondition, type SuppressionRule } from "../rule/suppression-rule.js";

/** True when every alert `narrow` matches is also matched by `broad` (by scope and type; state and expiry aside). */
export function ruleCovers(broad: SuppressionRule, narrow: SuppressionRule): boolean {
  if (broad.alertType !== "*" && broad.alertType !== narrow.alertType) return false;
  return broad.scope.every((wanted) => narrow.scope.some((held) => conditionImplies(held, wanted)));
}

/** True when `held` being satisfied guarantees `wanted` is satisfied. */
export function conditionImplies(held: ScopeCondition, wanted: ScopeCondition): boolean {
  if (held.field !== wanted.field) return false;
  if (isInCondition(wanted)) {
    if (!isInCondition(held)) return false;
    const allowed = new Set(wanted.in.map((value) => value.toLowerCase()));
    return held.in.every((value) => allowed.has(value.toLowerCase()));
  }
  const needle = wanted.contains.toLowerCase();
  return isInCondition(held) ? held.in.every((value) => value.toLowerCase().includes(needle)) : held.contains.toLowerCase().includes(needle);
}

/** A canonical key for a rule's match set, to find duplicates regardless of condition or value order and case. */
export function scopeKey(rule: SuppressionRule): string {
  const conditions = rule.scope.map((condition) =>
    isInCondition(condition)
      ? `${condition.field} in ${[...new Set(condition.in.map((value) => value.toLowerCase()))].sort().join("\u0000")}`
      : `${condition.field} contains ${condition.contains.toLowerCase()}`,
  );
  return `${rule.alertType}\u0001${[...new Set(conditions)].sort().join("\u0001")}`;
}
