/** The process exit codes of `keywarden`, stable for scripts and SOAR tools. */
export const ExitCode = {
  /** The command did what was asked. */
  Success: 0,
  /** The command ran but failed: an Azure error, a step that did not verify, a refused approval. */
  Failure: 1,
  /** The input or the command line was invalid: nothing was attempted. */
  InvalidInput: 2,
  /** Interrupted by the user (Ctrl-C); the journal is intact and the command can be run again. */
  Interrupted: 130,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * The error categories of `@keywarden/core` (`ErrorCategory`), spelled out so that classifying an error loads no
 * library: the top-level handler runs even when a library failed to load.
 */
export type ErrorCategoryName = "invalid-input" | "not-found" | "conflict" | "forbidden" | "transient" | "service" | "internal";

const categoryNames: ReadonlySet<string> = new Set<ErrorCategoryName>(["invalid-input", "not-found", "conflict", "forbidden", "transient", "service", "internal"]);

export function isErrorCategory(value: unknown): value is ErrorCategoryName {
  return typeof value === "string" && categoryNames.has(value);
}

/**
 * The exit code for an error of `category`: the caller's input was wrong (2: nothing was attempted, fix the input),
 * or the command ran and failed (1). Decided by category alone, so a new library error needs no table entry here.
 */
export function exitCodeForCategory(category: ErrorCategoryName): ExitCode {
  return category === "invalid-input" ? ExitCode.InvalidInput : ExitCode.Failure;
}
