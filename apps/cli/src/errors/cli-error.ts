import { KeywardenError } from "@keywarden/alerts";

import { ExitCode } from "../runtime/exit-code.js";

/** The stable codes of the errors the CLI itself raises (documented in docs/error-codes.md). */
export const CliErrorCode = {
  Unexpected: "KW_CLI_E0001",
  Usage: "KW_CLI_E0002",
  InputFileUnreadable: "KW_CLI_E0003",
  InputNotJson: "KW_CLI_E0004",
  NotAnAlert: "KW_CLI_E0005",
  InvalidPlan: "KW_CLI_E0006",
  UnknownScenario: "KW_CLI_E0007",
  InvalidSeed: "KW_CLI_E0008",
  InvalidSandboxState: "KW_CLI_E0009",
  NoSubscription: "KW_CLI_E0010",
  ApprovalUnavailable: "KW_CLI_E0011",
  PermissionDenied: "KW_CLI_E0012",
  InvalidJournal: "KW_CLI_E0015",
  AlertNotFound: "KW_CLI_E0016",
  InvalidRules: "KW_CLI_E0017",
  InvalidPolicy: "KW_CLI_E0019",
} as const;

export type CliErrorCode = (typeof CliErrorCode)[keyof typeof CliErrorCode];

export interface CliErrorOptions {
  cause?: unknown;
  exitCode?: ExitCode;
  /** A second line for people: what to do next (for example the role that grants a missing permission). */
  hint?: string;
}

/** An error raised by the CLI, carrying the process exit code it should end with. */
export class CliError extends KeywardenError {
  readonly exitCode: ExitCode;
  readonly hint: string | undefined;

  constructor(code: CliErrorCode, message: string, options: CliErrorOptions = {}) {
    super(code, message, options.cause === undefined ? {} : { cause: options.cause });
    this.name = "CliError";
    this.exitCode = options.exitCode ?? ExitCode.Failure;
    this.hint = options.hint;
  }
}

/** An invalid input (file, plan, seed, scenario, argument): exit code 2, nothing was attempted. */
export function invalidInput(code: CliErrorCode, message: string, cause?: unknown): CliError {
  return new CliError(code, message, { exitCode: ExitCode.InvalidInput, cause });
}
