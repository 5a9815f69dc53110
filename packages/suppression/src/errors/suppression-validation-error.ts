import { KeywardenError } from "@keywarden/core";
import { formatValidationIssue, type ValidationIssue } from "../validate/validation-issue.js";
import { SuppressionCodes } from "./suppression-error-codes.js";

/** Thrown when rules are invalid. Carries every issue, not only the first. */
export class SuppressionValidationError extends KeywardenError {
  static override readonly marker: string = "keywarden.suppression.validation";
  readonly issues: readonly ValidationIssue[];

  constructor(issues: readonly ValidationIssue[], context = "suppression rules", options: { cause?: unknown } = {}) {
    const count = `${issues.length} problem${issues.length === 1 ? "" : "s"}`;
    super(SuppressionCodes.invalidRules, `Invalid ${context} (${count}); nothing was written:\n${issues.map((issue) => `  - ${formatValidationIssue(issue)}`).join("\n")}`, { category: "invalid-input", cause: options.cause });
    this.issues = issues;
  }
}
