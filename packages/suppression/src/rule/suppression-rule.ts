import type { SuppressionField } from "./suppression-fields.js";
import type { SuppressionReason } from "./suppression-reasons.js";

/** Matches when the entity field equals one of the values (the portal's "Equals"). A type (not an interface) so it fits
 * wherever a loose scope element does. */
export type InCondition = {
  readonly field: SuppressionField;
  readonly in: readonly string[];
};

/** Matches when the entity field contains the substring (the portal's "Contains"). */
export type ContainsCondition = {
  readonly field: SuppressionField;
  readonly contains: string;
};

/** One element of the rule's `suppressionAlertsScope.allOf`: every condition must hold for the rule to match. */
export type ScopeCondition = InCondition | ContainsCondition;

/** The states a rule can be set to. The service also reports `Expired`, which cannot be set. */
export type SuppressionRuleState = "Enabled" | "Disabled";

/** A validated suppression rule, as authored in code or in a rules file. */
export interface SuppressionRule {
  /** 2-50 characters, starts with a letter or digit, only letters, digits, `-` and `_`. Unique per subscription. */
  readonly name: string;
  /** The alert type to suppress, exactly as alerts carry it (e.g. `KV_TORAccess`), or `*` for every type. */
  readonly alertType: string;
  readonly reason: SuppressionReason;
  readonly comment?: string;
  /** ISO 8601 UTC instant after which the rule stops suppressing. Absent: the rule never expires (lint flags it). */
  readonly expiresOn?: string;
  /** Defaults to `Enabled`. */
  readonly state: SuppressionRuleState;
  /** All conditions must hold. Empty: every alert of `alertType` is suppressed. */
  readonly scope: readonly ScopeCondition[];
}

export function isInCondition(condition: ScopeCondition): condition is InCondition {
  return "in" in condition;
}
