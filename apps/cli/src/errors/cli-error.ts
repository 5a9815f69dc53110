import { categoryOfCode, defineErrorCodes, KeywardenError } from "@keywarden/core";

import { exitCodeForCategory, type ExitCode } from "../runtime/exit-code.js";

/** The stable codes of the errors the CLI itself raises (documented in docs/error-codes.md). */
export const CliErrorCode = defineErrorCodes({
  Unexpected: { code: "KW_CLI_E0001", category: "internal" },
  Usage: { code: "KW_CLI_E0002", category: "invalid-input" },
  InputFileUnreadable: { code: "KW_CLI_E0003", category: "invalid-input" },
  InputNotJson: { code: "KW_CLI_E0004", category: "invalid-input" },
  NotAnAlert: { code: "KW_CLI_E0005", category: "invalid-input" },
  InvalidPlan: { code: "KW_CLI_E0006", category: "invalid-input" },
  UnknownScenario: { code: "KW_CLI_E0007", category: "invalid-input" },
  InvalidSeed: { code: "KW_CLI_E0008", category: "invalid-input" },
  InvalidSandboxState: { code: "KW_CLI_E0009", category: "invalid-input" },
  // A command line that names no subscription, or an alert that is not there, is the caller's input to fix (exit 2).
  NoSubscription: { code: "KW_CLI_E0010", category: "invalid-input" },
  ApprovalUnavailable: { code: "KW_CLI_E0011", category: "forbidden" },
  PermissionDenied: { code: "KW_CLI_E0012", category: "forbidden" },
  InvalidJournal: { code: "KW_CLI_E0015", category: "invalid-input" },
  AlertNotFound: { code: "KW_CLI_E0016", category: "invalid-input" },
  InvalidRules: { code: "KW_CLI_E0017", category: "invalid-input" },
  InvalidPolicy: { code: "KW_CLI_E0019", category: "invalid-input" },
  SuppressionRuleNotFound: { code: "KW_CLI_E0020", category: "invalid-input" },
  /** A rotator module named in the policy file cannot be found or fails to load. */
  RotatorModuleUnloadable: { code: "KW_CLI_E0021", category: "invalid-input" },
  /** A rotator module exports no rotator, an invalid one, or a name already taken. */
  RotatorModuleInvalid: { code: "KW_CLI_E0022", category: "invalid-input" },
  /** Another keywarden process holds the journal's writer lock (the message names it); retry later or with --wait. */
  JournalBusy: { code: "KW_CLI_E0030", category: "conflict" },
  /** A saved suppression plan no longer matches the live rules (one was created, changed or deleted since). */
  SuppressionPlanStale: { code: "KW_CLI_E0031", category: "conflict" },
});

export type CliErrorCode = (typeof CliErrorCode)[keyof typeof CliErrorCode];

export interface CliErrorOptions {
  cause?: unknown;
  /** A second line for people: what to do next (for example the role that grants a missing permission). */
  hint?: string;
}

/** An error raised by the CLI; its exit code follows from its category, like every Keywarden error's. */
export class CliError extends KeywardenError {
  static override readonly marker: string = "keywarden.cli";
  readonly exitCode: ExitCode;
  readonly hint: string | undefined;

  constructor(code: CliErrorCode, message: string, options: CliErrorOptions = {}) {
    super(code, message, { category: categoryOfCode(CliErrorCode, code), cause: options.cause });
    this.exitCode = exitCodeForCategory(this.category);
    this.hint = options.hint;
  }
}

/** An invalid input (file, plan, seed, scenario, argument): exit code 2, nothing was attempted. */
export function invalidInput(code: CliErrorCode, message: string, cause?: unknown): CliError {
  return new CliError(code, message, { cause });
}
