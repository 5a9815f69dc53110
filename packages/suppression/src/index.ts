// Authoring
export { defineSuppressionRule, type SuppressionRuleInput } from "./rule/define-suppression-rule.js";
export type { ContainsCondition, InCondition, ScopeCondition, SuppressionRule, SuppressionRuleState } from "./rule/suppression-rule.js";
export { isInCondition } from "./rule/suppression-rule.js";
export {
  KEY_VAULT_ALERT_FIELDS,
  SUPPRESSION_FIELDS,
  SUPPRESSION_FIELD_LABELS,
  isSuppressionField,
  type SuppressionField,
} from "./rule/suppression-fields.js";
export { SUPPRESSION_REASONS, SUPPRESSION_REASON_LABELS, isSuppressionReason, type SuppressionReason } from "./rule/suppression-reasons.js";
export { toRuleDocument } from "./rule/rule-document.js";

// Validation and loading
export { ALERT_TYPE_PATTERN, RULE_NAME_PATTERN, validateSuppressionRule, type RuleLocation, type RuleValidationResult } from "./validate/validate-suppression-rule.js";
export { validateSuppressionRules, type RulesValidationResult } from "./validate/validate-suppression-rules.js";
export { formatValidationIssue, type ValidationIssue } from "./validate/validation-issue.js";
export { parseSuppressionRules, type ParseSuppressionRulesOptions, type RulesFileFormat } from "./load/parse-suppression-rules.js";
export { loadSuppressionRules, type LoadSuppressionRulesOptions } from "./load/load-suppression-rules.js";

// Lint
export { lintSuppressionRules, type LintSuppressionRulesOptions } from "./lint/lint-suppression-rules.js";
export type { LintFinding, LintSeverity } from "./lint/lint-finding.js";
export { HIGH_VALUE_ALERT_TYPES, KEY_VAULT_ALERT_TYPES } from "./lint/key-vault-alert-types.js";

// Preview
export {
  previewSuppression,
  type NotSuppressedBecause,
  type PreviewSuppressionOptions,
  type RulePreview,
  type SuppressedAlert,
  type SuppressedBecause,
  type SuppressionPreview,
  type UnsuppressedAlert,
} from "./preview/preview-suppression.js";
export type { SuppressionAlert } from "./match/suppression-alert.js";

// Plan
export { planSuppressionChanges, type PlanSuppressionChangesOptions } from "./plan/plan-suppression-changes.js";
export { formatSuppressionPlan } from "./plan/format-suppression-plan.js";
export type { ExistingScopeElement, ExistingSuppressionRule } from "./plan/existing-suppression-rule.js";
export type {
  CreateSuppressionChange,
  DeleteSuppressionChange,
  ExtendSuppressionChange,
  SuppressionChange,
  SuppressionPlan,
  SuppressionRuleProperty,
  UpdateSuppressionChange,
} from "./plan/suppression-plan.js";

// Errors
export { SuppressionCodes, type SuppressionCode } from "./errors/suppression-error-codes.js";
export { SuppressionError } from "./errors/suppression-error.js";
export { SuppressionValidationError } from "./errors/suppression-validation-error.js";
export { SuppressionLintError } from "./errors/suppression-lint-error.js";

// Sync
export { applySuppressionChanges, type ApplySuppressionChangesOptions, type SuppressionApplyResult, type SuppressionStepResult, type SuppressionStepStatus } from "./apply/apply-suppression-changes.js";
export { updateCoveredAlerts, type AlertUpdateResult, type AlertUpdateStatus, type UpdateCoveredAlertsOptions, type UpdateCoveredAlertsResult } from "./apply/update-covered-alerts.js";
export type { ThrottleOptions } from "./apply/throttle-options.js";

// Azure and in-memory stores
export type { StoreOperationOptions, SuppressionRulesStore } from "./azure/suppression-rules-store.js";
export type { AlertStateStore, ManagedAlert } from "./azure/alert-state-store.js";
export { createArmSuppressionRulesStore, type ArmSuppressionRulesStoreOptions } from "./azure/arm-suppression-rules-store.js";
export { createArmAlertStateStore, type ArmAlertStateStoreOptions } from "./azure/arm-alert-state-store.js";
export { InMemorySuppressionRulesStore } from "./azure/in-memory-suppression-rules-store.js";
export { InMemoryAlertStateStore } from "./azure/in-memory-alert-state-store.js";
export { fromArmSuppressionRule, toArmSuppressionRule } from "./azure/arm-suppression-rule-mapping.js";

// Adopting rules as code
export { importSuppressionRules, type ImportedSuppressionRules } from "./plan/import-suppression-rules.js";
export { formatSuppressionRules, type FormatSuppressionRulesOptions } from "./rule/format-suppression-rules.js";
export { logger } from "./log.js";
