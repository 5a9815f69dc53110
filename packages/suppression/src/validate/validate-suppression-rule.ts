import { SuppressionCodes } from "../errors/suppression-error-codes.js";
import { SUPPRESSION_FIELDS, isSuppressionField } from "../rule/suppression-fields.js";
import { SUPPRESSION_REASONS, SUPPRESSION_REASON_LABELS, isSuppressionReason } from "../rule/suppression-reasons.js";
import type { ScopeCondition, SuppressionRule, SuppressionRuleState } from "../rule/suppression-rule.js";
import { closestMatch } from "./closest-match.js";
import type { ValidationIssue } from "./validation-issue.js";

/** Rule names: 2-50 characters, a letter or digit first, then letters, digits, `-` and `_` (portal and policy text). */
export const RULE_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{1,49}$/;

/** Alert types are identifiers such as `KV_TORAccess` or `K8S.NODE_Foo`; `*` means every type. */
export const ALERT_TYPE_PATTERN = /^(\*|[A-Za-z0-9][A-Za-z0-9_.-]*)$/;

/** ISO 8601 date-time with an explicit zone (`Z` or `+hh:mm`), up to the service's 7 fractional digits. */
const DATE_TIME_PATTERN = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})$/;

const RULE_KEYS = new Set(["name", "alertType", "reason", "comment", "expiresOn", "state", "scope"]);
const CONDITION_KEYS = new Set(["field", "in", "contains"]);

/** Where a rule sits, for paths and for naming it when it has no usable name. */
export interface RuleLocation {
  /** JSON path of the rule, e.g. `$.rules[3]`. Default `$`. */
  readonly path?: string;
  /** Position in the file, used as `#3` when the rule has no valid name. */
  readonly index?: number;
}

export interface RuleValidationResult {
  /** The normalized rule, present only when there were no issues. */
  readonly rule?: SuppressionRule;
  readonly issues: readonly ValidationIssue[];
}

/**
 * Checks one rule against every constraint the service enforces, plus the rules format (unknown properties are errors,
 * never ignored), and returns every issue found. Pure: no clock (expiry in the past is a lint finding, not an error).
 */
export function validateSuppressionRule(input: unknown, location: RuleLocation = {}): RuleValidationResult {
  const base = location.path ?? "$";
  const fallbackName = location.index === undefined ? "(unnamed)" : `#${location.index}`;
  const issues: ValidationIssue[] = [];

  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    issues.push({
      code: SuppressionCodes.wrongType,
      rule: fallbackName,
      path: base,
      value: input,
      expected: "a rule object { name, alertType, reason, expiresOn, scope, comment?, state? }",
      fix: "write the rule as an object (a YAML mapping)",
    });
    return { issues };
  }
  const record = input as Record<string, unknown>;
  const ruleName = typeof record["name"] === "string" && RULE_NAME_PATTERN.test(record["name"]) ? record["name"] : fallbackName;
  const add = (issue: Omit<ValidationIssue, "rule">) => issues.push({ rule: ruleName, ...issue });

  for (const key of Object.keys(record)) {
    if (RULE_KEYS.has(key)) continue;
    const suggestion = suggestRuleKey(key);
    add({
      code: SuppressionCodes.unknownProperty,
      path: `${base}.${key}`,
      value: record[key],
      expected: `only ${[...RULE_KEYS].join(", ")}`,
      fix: suggestion === undefined ? `remove "${key}"` : `rename "${key}" to "${suggestion}"`,
    });
  }

  const name = record["name"];
  if (name === undefined) {
    add({ code: SuppressionCodes.missingProperty, path: `${base}.name`, value: undefined, expected: "a rule name", fix: 'add name: "allow-build-agents"' });
  } else if (typeof name !== "string" || !RULE_NAME_PATTERN.test(name)) {
    add({
      code: SuppressionCodes.invalidName,
      path: `${base}.name`,
      value: name,
      expected: "2-50 characters starting with a letter or digit, using only letters, digits, '-' and '_'",
      fix: typeof name === "string" && suggestName(name) !== undefined ? `use "${suggestName(name)}"` : "choose a name such as allow-build-agents-tor",
    });
  }

  const alertType = record["alertType"];
  if (alertType === undefined) {
    add({ code: SuppressionCodes.missingProperty, path: `${base}.alertType`, value: undefined, expected: "the alert type to suppress", fix: 'add alertType: "KV_TORAccess" (the alert\'s alertType, not its display name)' });
  } else if (typeof alertType !== "string" || !ALERT_TYPE_PATTERN.test(alertType)) {
    const wildcard = typeof alertType === "string" && alertType.includes("*");
    add({
      code: SuppressionCodes.invalidAlertType,
      path: `${base}.alertType`,
      value: alertType,
      expected: "an alert type such as KV_TORAccess, or '*' for every type",
      fix: wildcard
        ? "the service has no partial wildcards: write one rule per alert type"
        : typeof alertType === "string"
          ? `use the alert's alertType exactly (no spaces), e.g. "${alertType.trim().replace(/\s+/g, "_")}"`
          : "write the alert type as a string",
    });
  }

  const reason = record["reason"];
  if (reason === undefined) {
    add({ code: SuppressionCodes.missingProperty, path: `${base}.reason`, value: undefined, expected: `one of ${SUPPRESSION_REASONS.join(", ")}`, fix: 'add reason: "FalsePositive"' });
  } else if (!isSuppressionReason(reason)) {
    const suggestion = typeof reason === "string" ? suggestReason(reason) : undefined;
    add({
      code: SuppressionCodes.invalidReason,
      path: `${base}.reason`,
      value: reason,
      expected: `one of ${SUPPRESSION_REASONS.join(", ")}`,
      fix: suggestion === undefined ? 'use one of the listed tokens, e.g. "FalsePositive"' : `use "${suggestion}"`,
    });
  }

  const comment = record["comment"];
  if (comment !== undefined && typeof comment !== "string") {
    add({ code: SuppressionCodes.wrongType, path: `${base}.comment`, value: comment, expected: "a string", fix: "quote the comment" });
  }

  const state = record["state"];
  if (state !== undefined && state !== "Enabled" && state !== "Disabled") {
    add({
      code: SuppressionCodes.invalidState,
      path: `${base}.state`,
      value: state,
      expected: '"Enabled" or "Disabled" ("Expired" is set by the service, never by you)',
      fix: state === "Expired" ? "set a new expiresOn and state Enabled, or delete the rule" : 'use "Enabled" or "Disabled"',
    });
  }

  const expiresOn = normalizeExpiry(record["expiresOn"]);
  if (record["expiresOn"] !== undefined && expiresOn === undefined) {
    add({
      code: SuppressionCodes.invalidExpiry,
      path: `${base}.expiresOn`,
      value: record["expiresOn"],
      expected: "an ISO 8601 date-time with a zone, e.g. 2026-12-31T00:00:00Z",
      fix: "write the full instant in UTC, e.g. 2026-12-31T00:00:00Z (omit expiresOn only if the rule must never expire)",
    });
  }

  const scope = validateScope(record["scope"], `${base}.scope`, add);

  if (issues.length > 0) return { issues };
  const rule: SuppressionRule = {
    name: name as string,
    alertType: alertType as string,
    reason: reason as SuppressionRule["reason"],
    ...(comment === undefined ? {} : { comment: comment as string }),
    ...(expiresOn === undefined ? {} : { expiresOn }),
    state: (state as SuppressionRuleState | undefined) ?? "Enabled",
    scope: scope ?? [],
  };
  return { rule, issues };
}

function validateScope(
  scope: unknown,
  path: string,
  add: (issue: Omit<ValidationIssue, "rule">) => void,
): ScopeCondition[] | undefined {
  if (scope === undefined) return [];
  if (!Array.isArray(scope)) {
    add({
      code: SuppressionCodes.wrongType,
      path,
      value: scope,
      expected: "a list of conditions [{ field, in: [...] } | { field, contains: \"...\" }]",
      fix: "write scope as a list; every condition must hold (the service's allOf)",
    });
    return undefined;
  }
  if (scope.length === 0) {
    add({
      code: SuppressionCodes.emptyScope,
      path,
      value: scope,
      expected: "at least one condition",
      fix: "add a condition (e.g. { field: entities.ip.address, in: [...] }), or remove scope to suppress every alert of the type",
    });
    return undefined;
  }
  const conditions: ScopeCondition[] = [];
  let ok = true;
  scope.forEach((element, index) => {
    const condition = validateCondition(element, `${path}[${index}]`, add);
    if (condition === undefined) ok = false;
    else conditions.push(condition);
  });
  return ok ? conditions : undefined;
}

function validateCondition(
  element: unknown,
  path: string,
  add: (issue: Omit<ValidationIssue, "rule">) => void,
): ScopeCondition | undefined {
  if (typeof element !== "object" || element === null || Array.isArray(element)) {
    add({ code: SuppressionCodes.wrongType, path, value: element, expected: "a condition { field, in } or { field, contains }", fix: "write the condition as an object" });
    return undefined;
  }
  const record = element as Record<string, unknown>;
  let ok = true;
  for (const key of Object.keys(record)) {
    if (CONDITION_KEYS.has(key)) continue;
    ok = false;
    const fix =
      key === "equals" || key === "eq"
        ? `use in: [value] ("Equals" in the portal is "in" in the API)`
        : key === "allOf"
          ? "list the conditions directly under scope"
          : `remove "${key}"`;
    add({ code: SuppressionCodes.unknownProperty, path: `${path}.${key}`, value: record[key], expected: "only field, in, contains", fix });
  }

  const field = record["field"];
  if (field === undefined) {
    ok = false;
    add({ code: SuppressionCodes.missingProperty, path: `${path}.field`, value: undefined, expected: `one of ${SUPPRESSION_FIELDS.join(", ")}`, fix: "add field: entities.ip.address (or another listed field)" });
  } else if (!isSuppressionField(field)) {
    ok = false;
    const suggestion = typeof field === "string" ? suggestField(field) : undefined;
    add({
      code: SuppressionCodes.unknownField,
      path: `${path}.field`,
      value: field,
      expected: `a documented lower-case field: ${SUPPRESSION_FIELDS.join(", ")}`,
      fix: suggestion === undefined ? "use one of the documented fields" : `use "${suggestion}"`,
    });
  }

  const hasIn = "in" in record;
  const hasContains = "contains" in record;
  if (hasIn === hasContains) {
    add({
      code: SuppressionCodes.conditionOperator,
      path,
      value: element,
      expected: "exactly one of in (a list of values) or contains (a substring)",
      fix: hasIn ? "split it into two conditions, one with in and one with contains" : 'add in: ["value"] or contains: "substring"',
    });
    return undefined;
  }
  if (hasIn) {
    const values = record["in"];
    if (!Array.isArray(values)) {
      add({
        code: SuppressionCodes.wrongType,
        path: `${path}.in`,
        value: values,
        expected: "a list of strings",
        fix: typeof values === "string" ? `write in: [${JSON.stringify(values)}] ("in" takes a list; "contains" takes a string)` : "write the values as a list of strings",
      });
      return undefined;
    }
    if (values.length === 0) {
      add({ code: SuppressionCodes.emptyValue, path: `${path}.in`, value: values, expected: "at least one value", fix: "list the values to match, or remove the condition" });
      return undefined;
    }
    values.forEach((value, index) => {
      if (typeof value !== "string" || value.trim() === "" || value.trim() !== value) {
        ok = false;
        add({
          code: typeof value === "string" ? SuppressionCodes.emptyValue : SuppressionCodes.wrongType,
          path: `${path}.in[${index}]`,
          value,
          expected: "a non-empty string without surrounding spaces",
          fix: typeof value === "string" && value.trim() !== "" ? `use ${JSON.stringify(value.trim())}` : typeof value === "string" ? "remove the empty value" : `quote it: ${JSON.stringify(String(value))}`,
        });
      }
    });
    return ok ? { field: field as ScopeCondition["field"], in: [...(values as string[])] } : undefined;
  }
  const contains = record["contains"];
  if (typeof contains !== "string") {
    add({
      code: SuppressionCodes.wrongType,
      path: `${path}.contains`,
      value: contains,
      expected: "a string",
      fix: Array.isArray(contains) ? 'use in: [...] for a list of exact values, or one condition per substring ("contains" takes a string)' : "quote the substring",
    });
    return undefined;
  }
  if (contains.trim() === "") {
    add({ code: SuppressionCodes.emptyValue, path: `${path}.contains`, value: contains, expected: "a non-empty substring", fix: "an empty substring matches everything: remove the condition or give the substring" });
    return undefined;
  }
  return ok ? { field: field as ScopeCondition["field"], contains } : undefined;
}

/** Accepts a `Date` or an ISO 8601 date-time with zone; returns the canonical UTC ISO string, or undefined. */
export function normalizeExpiry(value: unknown): string | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
  if (typeof value !== "string") return undefined;
  const match = DATE_TIME_PATTERN.exec(value);
  if (match === null) return undefined;
  const [, year, month, day, hour, minute, second] = match.map(Number);
  if (month === undefined || day === undefined || year === undefined) return undefined;
  const calendar = new Date(Date.UTC(year, month - 1, day));
  if (calendar.getUTCMonth() !== month - 1 || calendar.getUTCDate() !== day) return undefined;
  if ((hour ?? 0) > 23 || (minute ?? 0) > 59 || (second ?? 0) > 59) return undefined;
  const time = Date.parse(value.replace(/(\.\d{3})\d+/, "$1"));
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

function suggestRuleKey(key: string): string | undefined {
  const aliases: Record<string, string> = {
    expirationDateUtc: "expiresOn",
    expirationDate: "expiresOn",
    expires: "expiresOn",
    suppressionAlertsScope: "scope",
    conditions: "scope",
    alerttype: "alertType",
    description: "comment",
  };
  return (Object.hasOwn(aliases, key) ? aliases[key] : undefined) ?? closestMatch(key, [...RULE_KEYS], 2);
}

function suggestName(name: string): string | undefined {
  const cleaned = name
    .trim()
    .replace(/[^A-Za-z0-9_-]+/g, "-")
    .replace(/^[-_]+/, "")
    .slice(0, 50)
    .replace(/[-_]+$/, "");
  return RULE_NAME_PATTERN.test(cleaned) ? cleaned : undefined;
}

function suggestReason(reason: string): string | undefined {
  for (const token of SUPPRESSION_REASONS) {
    if (token.toLowerCase() === reason.toLowerCase() || SUPPRESSION_REASON_LABELS[token].toLowerCase() === reason.trim().toLowerCase()) return token;
  }
  return closestMatch(reason, SUPPRESSION_REASONS, 4);
}

function suggestField(field: string): string | undefined {
  const lower = field.toLowerCase();
  if (isSuppressionField(lower)) return lower;
  const aliases: Record<string, string> = {
    "entities.account.upn": "entities.account.upnsuffix",
    "entities.account.objectid": "entities.account.aaduserid",
    "entities.ip.ipaddress": "entities.ip.address",
    "entities.azure-resource.resourceid": "entities.azureresource.resourceid",
    "entities.host.name": "entities.host.hostname",
  };
  return (Object.hasOwn(aliases, lower) ? aliases[lower] : undefined) ?? closestMatch(lower, SUPPRESSION_FIELDS, 4);
}
