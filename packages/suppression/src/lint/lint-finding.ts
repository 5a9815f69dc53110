export type LintSeverity = "error" | "warning" | "info";

/** One lint finding. `code` and `severity` are stable across releases, so CI can gate on them. */
export interface LintFinding {
  /** `KW_SUPPRESSION_<E|W|I>02nn`; the letter matches `severity`. */
  readonly code: string;
  readonly severity: LintSeverity;
  /** The rule's name. */
  readonly rule: string;
  /** Path inside the rule (`expiresOn`, `scope[0]`), or `` for the whole rule. */
  readonly path: string;
  readonly message: string;
  readonly fix: string;
}

export function severityOf(code: string): LintSeverity {
  const letter = /^KW_[A-Z]+_([EWI])/.exec(code)?.[1];
  return letter === "E" ? "error" : letter === "W" ? "warning" : "info";
}
