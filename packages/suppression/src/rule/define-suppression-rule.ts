import { SuppressionValidationError } from "../errors/suppression-validation-error.js";
import { validateSuppressionRule } from "../validate/validate-suppression-rule.js";
import type { ScopeCondition, SuppressionRule, SuppressionRuleState } from "./suppression-rule.js";
import type { SuppressionReason } from "./suppression-reasons.js";

/** What you write to define a rule in code. */
export interface SuppressionRuleInput {
  name: string;
  alertType: string;
  reason: SuppressionReason;
  comment?: string;
  /** When the rule stops suppressing: a `Date` or an ISO 8601 date-time with zone. Omit only for a permanent rule. */
  expiresOn?: Date | string;
  /** Defaults to `Enabled`. */
  state?: SuppressionRuleState;
  /** Conditions that must all hold; omit to suppress every alert of the type. */
  scope?: readonly ScopeCondition[];
}

/**
 * Defines a suppression rule in code, checked against every constraint the service enforces. Throws
 * `SuppressionValidationError` listing every problem; returns a frozen, normalized rule.
 *
 * ```ts
 * const rule = defineSuppressionRule({
 *   name: "build-agents-tor-egress",
 *   alertType: "KV_TORAccess",
 *   reason: "SpecificEntityFalsePositive",
 *   comment: "CI agents egress through the corporate Tor gateway (SEC-1234)",
 *   expiresOn: "2026-12-31T00:00:00Z",
 *   scope: [{ field: "entities.ip.address", in: ["203.0.113.10"] }],
 * });
 * ```
 */
export function defineSuppressionRule(input: SuppressionRuleInput): SuppressionRule {
  const { rule, issues } = validateSuppressionRule(input);
  if (rule === undefined) throw new SuppressionValidationError(issues, `suppression rule '${String(input.name)}'`);
  return deepFreeze(rule);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
