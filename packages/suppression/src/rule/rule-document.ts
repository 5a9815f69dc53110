import type { SuppressionRule } from "./suppression-rule.js";

/**
 * The rule as written in a rules file (the JSON Schema's shape): defaults and empty scope left out. Feeding it back
 * through `validateSuppressionRule` gives the same rule.
 */
export function toRuleDocument(rule: SuppressionRule): Record<string, unknown> {
  return {
    name: rule.name,
    alertType: rule.alertType,
    reason: rule.reason,
    ...(rule.comment === undefined ? {} : { comment: rule.comment }),
    ...(rule.expiresOn === undefined ? {} : { expiresOn: rule.expiresOn }),
    ...(rule.state === "Enabled" ? {} : { state: rule.state }),
    ...(rule.scope.length === 0 ? {} : { scope: rule.scope.map((condition) => ({ ...condition })) }),
  };
}
