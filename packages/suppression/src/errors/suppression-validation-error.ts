import { KeywardenError } from "@keywarden/alerts";
import { formatValidationIssue, type ValidationIssue } from "../validate/validation-issue.js";
import { SuppressionCodes } from "./suppression-error-codes.js";

/** Thrown when rules are invalid. Carries every issue, not only the first. */
export class SuppressionValidationError extends KeywardenError {
  readonly issues: readonly ValidationIssue[];

  constructor(issues: readonly ValidationIssue[], context = "suppression rules", options: { cause?: unknown } = {}) {
    const count = `${issues.length} problem${issues.length === 1 ? "" : "s"}`;
    super(SuppressionCodes.invalidRules, `Invalid ${context} (${count}); nothing was written:\n${issues.map((issue) => `  - ${formatValidationIssue(issue)}`).join("\n")}`, options);
    this.name = "SuppressionValidationError";
    this.issues = issues;
  }
}
