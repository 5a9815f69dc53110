import type { SuppressionRule } from "../rule/suppression-rule.js";
import type { ValidationIssue } from "../validate/validation-issue.js";
import type { ExistingSuppressionRule } from "./existing-suppression-rule.js";

/** A rule property that differs between the subscription and the desired rules. */
export type SuppressionRuleProperty = "alertType" | "reason" | "comment" | "expiresOn" | "state" | "scope";

export interface CreateSuppressionChange {
  readonly kind: "create";
  readonly name: string;
  readonly after: SuppressionRule;
}

export interface UpdateSuppressionChange {
  readonly kind: "update";
  readonly name: string;
  readonly before: ExistingSuppressionRule;
  readonly after: SuppressionRule;
  readonly changed: readonly SuppressionRuleProperty[];
}

/** Only the expiry moves later (re-enabling an `Expired` rule included): the routine "extend before it lapses" change. */
export interface ExtendSuppressionChange {
  readonly kind: "extend";
  readonly name: string;
  readonly before: ExistingSuppressionRule;
  readonly after: SuppressionRule;
  readonly from?: string;
  readonly to: string;
}

export interface DeleteSuppressionChange {
  readonly kind: "delete";
  readonly name: string;
  readonly before: ExistingSuppressionRule;
}

export type SuppressionChange = CreateSuppressionChange | UpdateSuppressionChange | ExtendSuppressionChange | DeleteSuppressionChange;

/** Reviewable data: what `applySuppressionChanges` will do. Serializable as JSON. */
export interface SuppressionPlan {
  /** Deterministic id derived from the changes (the same changes give the same id), used in the journal. */
  readonly planId: string;
  readonly changes: readonly SuppressionChange[];
  /** Names of desired rules that already match the subscription. */
  readonly unchanged: readonly string[];
  /** Validation issues of the desired rules. When not empty the plan has no changes and cannot be applied. */
  readonly issues: readonly ValidationIssue[];
}
