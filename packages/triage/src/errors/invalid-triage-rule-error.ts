import { KeywardenError } from "@keywarden/alerts";
import { TriageErrorCodes } from "./triage-error-codes.js";

/** A rule definition is malformed, or a rule reported something its metadata does not declare. */
export class InvalidTriageRuleError extends KeywardenError {
  readonly ruleId: string;

  constructor(
    ruleId: string,
    message: string,
    code: typeof TriageErrorCodes.InvalidRule | typeof TriageErrorCodes.RuleContractViolation = TriageErrorCodes.InvalidRule,
  ) {
    super(code, message);
    this.name = "InvalidTriageRuleError";
    this.ruleId = ruleId;
  }
}
