import { KeywardenError, terminalSafe } from "@keywarden/core";
import type { LintFinding } from "../lint/lint-finding.js";
import { SuppressionCodes } from "./suppression-error-codes.js";

/** Thrown when a plan would write rules with lint errors and the caller gave no journaled override. */
export class SuppressionLintError extends KeywardenError {
  static override readonly marker: string = "keywarden.suppression.lint";
  readonly findings: readonly LintFinding[];

  constructor(findings: readonly LintFinding[], context: string) {
    const count = `${findings.length} lint error${findings.length === 1 ? "" : "s"}`;
    super(
      SuppressionCodes.lintErrors,
      `Refusing to apply ${context} (${count}); nothing was written. Fix the rules, or pass allowLintErrors with a reason (it is journaled):\n${findings
        // One line per finding: a rule's name or value cannot start a line of its own.
        .map((finding) => `  - ${terminalSafe(`error ${finding.rule}${finding.path === "" ? "" : ` ${finding.path}`}: ${finding.message} (fix: ${finding.fix}) [${finding.code}]`, { singleLine: true })}`)
        .join("\n")}`,
      { category: "invalid-input" },
    );
    this.findings = findings;
  }
}
