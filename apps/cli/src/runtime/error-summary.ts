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

/**
 * Library error codes that mean "the caller's input or argument was invalid" (docs/error-codes.md), whatever class
 * carries them: a bad subscription id given to the alerts client, impact criteria without a window, a malformed rules
 * file, a plan edited after it was made. They exit 2 like the CLI's own invalid-input errors.
 */
const invalidInputCodes = new Set([
  // alerts: unparseable alert input, bad vault name or DNS suffix, not an alert id, invalid client argument
  ...["E0001", "E0002", "E0003", "E0004", "E0005", "E0006", "E0007", "E0008", "E0201", "E0202", "E0301", "E0303"].map((n) => `KW_ALERTS_${n}`),
  // journal: a journal file that was edited or is not a journal
  "KW_ALERTS_E0101",
  "KW_ALERTS_E0102",
  // triage: malformed rule, rule breaking its metadata, bad policy range, unreadable network list
  ...["E0001", "E0002", "E0004", "E0005"].map((n) => `KW_TRIAGE_${n}`),
  // impact: criteria without a vault, a bad window, bad caller/margin/tables, no way to reach the logs
  ...["E0001", "E0002", "E0003", "E0004"].map((n) => `KW_IMPACT_${n}`),
  // remediation: plan schema, plan edited after it was made, firewall input Key Vault cannot store, step without target,
  // a journal with nothing (or several plans) to roll back
  ...["E0001", "E0002", "E0014", "E0015", "E0017"].map((n) => `KW_REMEDIATION_${n}`),
  // suppression: invalid or unreadable rules, not a suppression plan, and every validation issue
  ...["E0001", "E0002", "E0003"].map((n) => `KW_SUPPRESSION_${n}`),
  ...Array.from({ length: 13 }, (_, index) => `KW_SUPPRESSION_E${String(101 + index).padStart(4, "0")}`),
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
  } else if (invalidInputErrorNames.has(name) || (code !== undefined && invalidInputCodes.has(code))) {
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
