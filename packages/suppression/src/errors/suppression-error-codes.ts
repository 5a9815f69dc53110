/**
 * Every stable code `@keywarden/suppression` emits (documented in docs/error-codes.md). Never renumber or reuse one.
 */
export const SuppressionCodes = {
  // Thrown errors
  invalidRules: "KW_SUPPRESSION_E0001",
  unreadableRulesFile: "KW_SUPPRESSION_E0002",
  invalidPlan: "KW_SUPPRESSION_E0003",
  applyFailed: "KW_SUPPRESSION_E0004",
  verifyFailed: "KW_SUPPRESSION_E0005",

  // Validation issues (what the service would reject, or what cannot be a rule at all)
  unknownProperty: "KW_SUPPRESSION_E0101",
  missingProperty: "KW_SUPPRESSION_E0102",
  wrongType: "KW_SUPPRESSION_E0103",
  invalidName: "KW_SUPPRESSION_E0104",
  invalidAlertType: "KW_SUPPRESSION_E0105",
  invalidReason: "KW_SUPPRESSION_E0106",
  invalidState: "KW_SUPPRESSION_E0107",
  invalidExpiry: "KW_SUPPRESSION_E0108",
  unknownField: "KW_SUPPRESSION_E0109",
  conditionOperator: "KW_SUPPRESSION_E0110",
  emptyValue: "KW_SUPPRESSION_E0111",
  emptyScope: "KW_SUPPRESSION_E0112",
  duplicateName: "KW_SUPPRESSION_E0113",

  // Lint findings (policy: valid for the service, but probably not what you want)
  noExpiry: "KW_SUPPRESSION_W0201",
  expiryBeyondMaximum: "KW_SUPPRESSION_W0202",
  expiringSoon: "KW_SUPPRESSION_W0203",
  expired: "KW_SUPPRESSION_E0204",
  allAlertTypes: "KW_SUPPRESSION_E0205",
  noScope: "KW_SUPPRESSION_W0206",
  scopeMatchesEverything: "KW_SUPPRESSION_W0207",
  highValueWithoutIp: "KW_SUPPRESSION_E0208",
  duplicateRule: "KW_SUPPRESSION_W0209",
  shadowedRule: "KW_SUPPRESSION_W0210",
  noEntitiesSuppressed: "KW_SUPPRESSION_W0211",
  alertTypeNeverSeen: "KW_SUPPRESSION_W0212",
  alertTypeCase: "KW_SUPPRESSION_W0213",
  fieldNotOnKeyVaultAlerts: "KW_SUPPRESSION_W0214",
  disabledRule: "KW_SUPPRESSION_I0215",
  duplicateValue: "KW_SUPPRESSION_I0216",
  noEntitiesBehaviour: "KW_SUPPRESSION_I0217",
  entityReasonWithoutScope: "KW_SUPPRESSION_W0218",

  // Journal entries of the executor
  changePlanned: "KW_SUPPRESSION_I0301",
  changeApplied: "KW_SUPPRESSION_I0302",
  changeSkipped: "KW_SUPPRESSION_I0303",
  changeFailed: "KW_SUPPRESSION_E0304",
  throttled: "KW_SUPPRESSION_W0305",
  alertStateUpdated: "KW_SUPPRESSION_I0306",
  alertStateSkipped: "KW_SUPPRESSION_I0307",
  alertStateFailed: "KW_SUPPRESSION_E0308",
} as const;

export type SuppressionCode = (typeof SuppressionCodes)[keyof typeof SuppressionCodes];
