import { ExitCode } from "./exit-code.js";

/** How the top-level handler reports an error: one line, a stable code, an exit code. */
export interface ErrorSummary {
  code: string;
  message: string;
  exitCode: ExitCode;
  hint?: string;
}

const keywardenErrorSymbol = Symbol.for("keywarden.error");

/**
 * Error class names (from the libraries) that mean "the input was invalid", so the process exits with 2 even when
 * a command did not wrap the error itself. Matched by name because the CLI must not load the libraries just to
 * classify an error.
 */
const invalidInputErrorNames = new Set([
  "AlertParseError",
  "SeedValidationError",
  "SeedError",
  "InvalidPlanError",
  "InvalidTriagePolicyError",
  "InvalidTriageRuleError",
  "SuppressionValidationError",
  "JournalCorruptError",
]);

function isRecord(value: unknown): value is Record<string | symbol, unknown> {
  return typeof value === "object" && value !== null;
}

/** Reads the first line of a message: the CLI promises one-line errors. */
function firstLine(text: string): string {
  const line = text.split(/\r?\n/, 1)[0] ?? "";
  return line.trim().length > 0 ? line.trim() : "unexpected error";
}

/** Turns anything thrown by a command into the one-line summary the CLI prints. Loads nothing. */
export function summarizeError(error: unknown): ErrorSummary {
  if (!isRecord(error)) return { code: "KW_CLI_E0001", message: firstLine(String(error)), exitCode: ExitCode.Failure };
  const message = typeof error["message"] === "string" ? firstLine(error["message"]) : firstLine(JSON.stringify(error) ?? "unexpected error");
  const code = typeof error["code"] === "string" && /^KW_[A-Z]+_[EWI]\d{4}$/.test(error["code"]) ? error["code"] : undefined;
  const name = typeof error["name"] === "string" ? error["name"] : "";
  const explicitExit = error["exitCode"];
  let exitCode: ExitCode = ExitCode.Failure;
  if (explicitExit === ExitCode.InvalidInput || explicitExit === ExitCode.Interrupted || explicitExit === ExitCode.Failure) {
    exitCode = explicitExit;
  } else if (invalidInputErrorNames.has(name)) {
    exitCode = ExitCode.InvalidInput;
  }
  const hint = typeof error["hint"] === "string" ? error["hint"] : undefined;
  const keywarden = error[keywardenErrorSymbol] === true;
  return {
    code: code ?? (keywarden ? "KW_CLI_E0001" : "KW_CLI_E0001"),
    message,
    exitCode,
    ...(hint === undefined ? {} : { hint }),
  };
}
