import { categoryOfCode, KeywardenError } from "@keywarden/core";
import { TriageErrorCodes } from "./triage-error-codes.js";

/** A rule definition is malformed, or a rule reported something its metadata does not declare. */
export class InvalidTriageRuleError extends KeywardenError {
  static override readonly marker: string = "keywarden.triage.invalid-rule";
  readonly ruleId: string;

  constructor(
    ruleId: string,
    message: string,
    code: typeof TriageErrorCodes.InvalidRule | typeof TriageErrorCodes.RuleContractViolation = TriageErrorCodes.InvalidRule,
  ) {
    super(code, message, { category: categoryOfCode(TriageErrorCodes, code) });
    this.ruleId = ruleId;
  }
}
