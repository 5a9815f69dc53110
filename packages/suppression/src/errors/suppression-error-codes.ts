import { defineErrorCodes } from "@keywarden/core";
/**
 * Every stable code `@keywarden/suppression` emits (documented in docs/error-codes.md). Never renumber or reuse one.
 */
export const SuppressionCodes = defineErrorCodes({
  // Thrown errors
  invalidRules: { code: "KW_SUPPRESSION_E0001", category: "invalid-input" },
  unreadableRulesFile: { code: "KW_SUPPRESSION_E0002", category: "invalid-input" },
  invalidPlan: { code: "KW_SUPPRESSION_E0003", category: "invalid-input" },
  applyFailed: { code: "KW_SUPPRESSION_E0004", category: "service" },
  verifyFailed: { code: "KW_SUPPRESSION_E0005", category: "service" },
  alertNotFound: { code: "KW_SUPPRESSION_E0006", category: "not-found" },
  /** The plan writes rules with lint errors (e.g. E0205, a never-expiring `*` rule) and no override was given. */
  lintErrors: { code: "KW_SUPPRESSION_E0007", category: "invalid-input" },
  /** A function was given no way to do its job or an unusable option (no store nor credential, a `now` that is not a time). */
  invalidOptions: { code: "KW_SUPPRESSION_E0008", category: "invalid-input" },

  // Validation issues (what the service would reject, or what cannot be a rule at all)
  unknownProperty: { code: "KW_SUPPRESSION_E0101", category: "invalid-input" },
  missingProperty: { code: "KW_SUPPRESSION_E0102", category: "invalid-input" },
  wrongType: { code: "KW_SUPPRESSION_E0103", category: "invalid-input" },
  invalidName: { code: "KW_SUPPRESSION_E0104", category: "invalid-input" },
  invalidAlertType: { code: "KW_SUPPRESSION_E0105", category: "invalid-input" },
  invalidReason: { code: "KW_SUPPRESSION_E0106", category: "invalid-input" },
  invalidState: { code: "KW_SUPPRESSION_E0107", category: "invalid-input" },
  invalidExpiry: { code: "KW_SUPPRESSION_E0108", category: "invalid-input" },
  unknownField: { code: "KW_SUPPRESSION_E0109", category: "invalid-input" },
  conditionOperator: { code: "KW_SUPPRESSION_E0110", category: "invalid-input" },
  emptyValue: { code: "KW_SUPPRESSION_E0111", category: "invalid-input" },
  emptyScope: { code: "KW_SUPPRESSION_E0112", category: "invalid-input" },
  duplicateName: { code: "KW_SUPPRESSION_E0113", category: "invalid-input" },

  // Lint findings (policy: valid for the service, but probably not what you want)
  noExpiry: { code: "KW_SUPPRESSION_W0201" },
  expiryBeyondMaximum: { code: "KW_SUPPRESSION_W0202" },
  expiringSoon: { code: "KW_SUPPRESSION_W0203" },
  expired: { code: "KW_SUPPRESSION_E0204", category: "invalid-input" },
  allAlertTypes: { code: "KW_SUPPRESSION_E0205", category: "invalid-input" },
  noScope: { code: "KW_SUPPRESSION_W0206" },
  scopeMatchesEverything: { code: "KW_SUPPRESSION_W0207" },
  highValueWithoutIp: { code: "KW_SUPPRESSION_E0208", category: "invalid-input" },
  duplicateRule: { code: "KW_SUPPRESSION_W0209" },
  shadowedRule: { code: "KW_SUPPRESSION_W0210" },
  noEntitiesSuppressed: { code: "KW_SUPPRESSION_W0211" },
  alertTypeNeverSeen: { code: "KW_SUPPRESSION_W0212" },
  alertTypeCase: { code: "KW_SUPPRESSION_W0213" },
  fieldNotOnKeyVaultAlerts: { code: "KW_SUPPRESSION_W0214" },
  disabledRule: { code: "KW_SUPPRESSION_I0215" },
  duplicateValue: { code: "KW_SUPPRESSION_I0216" },
  noEntitiesBehaviour: { code: "KW_SUPPRESSION_I0217" },
  entityReasonWithoutScope: { code: "KW_SUPPRESSION_W0218" },

  // Journal entries of the executor
  changePlanned: { code: "KW_SUPPRESSION_I0301" },
  /** The plan was applied despite lint errors because the caller passed `allowLintErrors` (reason journaled). */
  lintOverridden: { code: "KW_SUPPRESSION_W0309" },
  changeApplied: { code: "KW_SUPPRESSION_I0302" },
  changeSkipped: { code: "KW_SUPPRESSION_I0303" },
  changeFailed: { code: "KW_SUPPRESSION_E0304", category: "service" },
  throttled: { code: "KW_SUPPRESSION_W0305" },
  alertStateUpdated: { code: "KW_SUPPRESSION_I0306" },
  alertStateSkipped: { code: "KW_SUPPRESSION_I0307" },
  alertStateFailed: { code: "KW_SUPPRESSION_E0308", category: "service" },
});

export type SuppressionCode = (typeof SuppressionCodes)[keyof typeof SuppressionCodes];
