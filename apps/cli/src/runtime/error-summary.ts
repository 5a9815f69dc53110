import { exitCodeForCategory, ExitCode, isErrorCategory } from "./exit-code.js";

/** How the top-level handler reports an error: one line, a stable code, an exit code, and the action that fixes it. */
export interface ErrorSummary {
  code: string;
  message: string;
  exitCode: ExitCode;
  /** The one action that fixes it; printed at the end of the error line. */
  hint?: string;
}

function isRecord(value: unknown): value is Record<string | symbol, unknown> {
  return typeof value === "object" && value !== null;
}

/** Reads the first line of a message: the CLI promises one-line errors. */
function firstLine(text: string): string {
  const line = text.split(/\r?\n/, 1)[0] ?? "";
  return line.trim().length > 0 ? line.trim() : "unexpected error";
}

/** `error` and its `cause` chain (Keywarden errors keep the upstream error as `cause`), without cycles. */
function causeChain(error: unknown): Record<string | symbol, unknown>[] {
  const chain: Record<string | symbol, unknown>[] = [];
  let current: unknown = error;
  while (isRecord(current) && !chain.includes(current) && chain.length < 10) {
    chain.push(current);
    current = current["cause"];
  }
  return chain;
}

const credentialErrorNames = new Set(["AggregateAuthenticationError", "CredentialUnavailableError", "AuthenticationRequiredError"]);

/** The sign-in fix, naming each way DefaultAzureCredential finds an identity. */
export const credentialFix =
  "Sign in with `az login` (or `azd auth login`), or set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (or AZURE_CLIENT_CERTIFICATE_PATH) for a service principal, or run where a managed identity is assigned; try it first with --sandbox.";

/**
 * When the failure is `DefaultAzureCredential` finding no identity (an `AggregateAuthenticationError` somewhere in
 * the cause chain), the credentials it tried and why each failed, one short clause each. `@azure/identity` puts
 * every credential's reason on its own line; the CLI keeps the first sentence of each.
 */
export function credentialCauses(error: unknown): string[] | undefined {
  const failure = causeChain(error).find((candidate) => typeof candidate["name"] === "string" && credentialErrorNames.has(candidate["name"]));
  if (failure === undefined) return undefined;
  const errors = Array.isArray(failure["errors"]) ? (failure["errors"] as unknown[]) : [failure];
  const causes: string[] = [];
  for (const inner of errors) {
    const message = isRecord(inner) && typeof inner["message"] === "string" ? inner["message"] : String(inner);
    for (const line of message.split(/\r?\n/)) {
      const trimmed = line.trim();
      if (trimmed === "" || /^(ChainedTokenCredential|DefaultAzureCredential) authentication failed/i.test(trimmed)) continue;
      const sentence = (trimmed.split(/(?<=\.)\s/, 1)[0] ?? trimmed).replace(/\.$/, "");
      // Pointers to troubleshooting pages say nothing about this machine.
      if (/troubleshoot|aka\.ms/i.test(sentence)) continue;
      if (!causes.includes(sentence)) causes.push(sentence);
    }
  }
  return causes.length === 0 ? ["no credential in the chain produced a token"] : causes;
}

/** The first `category` in the cause chain (Keywarden errors carry one; a wrapper's own wins). */
function categoryOf(chain: readonly Record<string | symbol, unknown>[]) {
  for (const candidate of chain) if (isErrorCategory(candidate["category"])) return candidate["category"];
  return undefined;
}

/** Turns anything thrown by a command into the one-line summary the CLI prints. Loads nothing. */
export function summarizeError(error: unknown): ErrorSummary {
  if (!isRecord(error)) return { code: "KW_CLI_E0001", message: firstLine(String(error)), exitCode: ExitCode.Failure };
  const chain = causeChain(error);
  let message = typeof error["message"] === "string" ? firstLine(error["message"]) : firstLine(JSON.stringify(error) ?? "unexpected error");
  const code = typeof error["code"] === "string" && /^KW_[A-Z]+_[EWI]\d{4}$/.test(error["code"]) ? error["code"] : "KW_CLI_E0001";
  const category = categoryOf(chain);
  let exitCode: ExitCode;
  if (error["name"] === "AbortError" || error["exitCode"] === ExitCode.Interrupted) exitCode = ExitCode.Interrupted;
  else if (category !== undefined) exitCode = exitCodeForCategory(category);
  else exitCode = error["exitCode"] === ExitCode.InvalidInput ? ExitCode.InvalidInput : ExitCode.Failure;
  let hint = typeof error["hint"] === "string" ? error["hint"] : undefined;
  const credentials = credentialCauses(error);
  if (credentials !== undefined) {
    message = `${message.replace(/[.\s…]+$/, "")}: no Azure identity was found (${credentials.join("; ")}).`;
    hint = credentialFix;
  }
  return { code, message, exitCode, ...(hint === undefined ? {} : { hint }) };
}

/** The line printed after `error: `: the message, the code, then the action that fixes it (when not already said). */
export function errorLine(summary: ErrorSummary): string {
  return summary.hint === undefined ? `${summary.message} [${summary.code}]` : `${summary.message} [${summary.code}] Fix: ${summary.hint}`;
}
