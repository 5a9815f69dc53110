import type { SuppressionField } from "../rule/suppression-fields.js";
import { isInCondition, type ScopeCondition, type SuppressionRule } from "../rule/suppression-rule.js";
import type { AlertFieldValues } from "./alert-field-values.js";

/** A scope condition turned into a predicate over an alert's (lower-cased) field values. */
export interface CompiledCondition {
  readonly index: number;
  readonly field: SuppressionField;
  readonly condition: ScopeCondition;
  /** True when any value of the field satisfies the condition. */
  test(values: readonly string[]): boolean;
}

export interface CompiledRule {
  readonly rule: SuppressionRule;
  readonly conditions: readonly CompiledCondition[];
  /**
   * Index of the first condition the alert fails, or -1 when it matches. An alert with no entities at all matches
   * (the service suppresses such alerts entirely, whatever the scope).
   */
  firstFailure(values: AlertFieldValues): number;
}

/**
 * Precompiles a rule: `in` values go into a Set and `contains` is lower-cased once, so matching an alert is a few
 * hash lookups. Values compare case-insensitively (the service's own example matches `POWERSHELL.EXE`; resource ids
 * come in mixed case), field names are the documented lower-case paths.
 */
export function compileRule(rule: SuppressionRule): CompiledRule {
  const conditions = rule.scope.map((condition, index): CompiledCondition => {
    if (isInCondition(condition)) {
      const wanted = new Set(condition.in.map((value) => value.toLowerCase()));
      return { index, field: condition.field, condition, test: (values) => values.some((value) => wanted.has(value)) };
    }
    const needle = condition.contains.toLowerCase();
    return { index, field: condition.field, condition, test: (values) => values.some((value) => value.includes(needle)) };
  });
  return {
    rule,
    conditions,
    firstFailure(values) {
      if (values.entityCount === 0) return -1;
      for (const condition of conditions) {
        if (!condition.test(values.get(condition.field))) return condition.index;
      }
      return -1;
    },
  };
}

