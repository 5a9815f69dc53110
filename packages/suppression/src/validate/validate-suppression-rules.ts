import { SuppressionCodes } from "../errors/suppression-error-codes.js";
import type { SuppressionRule } from "../rule/suppression-rule.js";
import { validateSuppressionRule } from "./validate-suppression-rule.js";
import type { ValidationIssue } from "./validation-issue.js";

export interface RulesValidationResult {
  /** True when there is not a single issue. */
  readonly valid: boolean;
  /** Every rule that validated (when `valid` is false, rules with issues are missing from it). */
  readonly rules: readonly SuppressionRule[];
  /** Every issue of every rule, in file order. */
  readonly issues: readonly ValidationIssue[];
}

const FILE_KEYS = new Set(["$schema", "rules"]);

/**
 * Validates a whole rules document: `{ "$schema"?: string, "rules": [...] }` or a bare list of rules. Reports every
 * issue of every rule at once, plus rule names used twice (names are case-insensitive ARM resource names).
 */
export function validateSuppressionRules(input: unknown): RulesValidationResult {
  const issues: ValidationIssue[] = [];
  let list: unknown[];
  let base: string;
  if (Array.isArray(input)) {
    list = input;
    base = "$";
  } else if (typeof input === "object" && input !== null) {
    const record = input as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (FILE_KEYS.has(key)) continue;
      issues.push({
        code: SuppressionCodes.unknownProperty,
        rule: "(file)",
        path: `$.${key}`,
        value: record[key],
        expected: "only $schema and rules at the top level",
        fix: key === "rule" ? 'rename "rule" to "rules"' : `remove "${key}" or move it into a rule`,
      });
    }
    const rules = record["rules"];
    if (!Array.isArray(rules)) {
      issues.push({
        code: rules === undefined ? SuppressionCodes.missingProperty : SuppressionCodes.wrongType,
        rule: "(file)",
        path: "$.rules",
        value: rules,
        expected: "a list of rules",
        fix: "put the rules in a list under rules:",
      });
      return { valid: false, rules: [], issues };
    }
    list = rules;
    base = "$.rules";
    if (record["$schema"] !== undefined && typeof record["$schema"] !== "string") {
      issues.push({ code: SuppressionCodes.wrongType, rule: "(file)", path: "$.$schema", value: record["$schema"], expected: "a string (the schema URL or path)", fix: "quote $schema or remove it" });
    }
  } else {
    return {
      valid: false,
      rules: [],
      issues: [{ code: SuppressionCodes.wrongType, rule: "(file)", path: "$", value: input, expected: "an object with rules: [...] or a list of rules", fix: "start the file with rules:" }],
    };
  }

  const rules: SuppressionRule[] = [];
  const seen = new Map<string, number>();
  list.forEach((element, index) => {
    const path = `${base}[${index}]`;
    const result = validateSuppressionRule(element, { path, index });
    issues.push(...result.issues);
    if (result.rule !== undefined) rules.push(result.rule);
    const name = typeof element === "object" && element !== null ? (element as Record<string, unknown>)["name"] : undefined;
    if (typeof name !== "string") return;
    const key = name.toLowerCase();
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, index);
      return;
    }
    issues.push({
      code: SuppressionCodes.duplicateName,
      rule: name,
      path: `${path}.name`,
      value: name,
      expected: `a name not used by another rule (rule ${base}[${first}] already uses it; names are case-insensitive)`,
      fix: "rename one of the rules or merge them",
    });
  });
  return { valid: issues.length === 0, rules, issues };
}
