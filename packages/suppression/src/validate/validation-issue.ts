import { terminalSafe } from "@keywarden/core";

/** One problem found while validating a rule or a rules file. Every problem is reported, never only the first. */
export interface ValidationIssue {
  /** Stable code, `KW_SUPPRESSION_E01nn`. */
  readonly code: string;
  /** The rule's name when it has a usable one, otherwise its position (`#3`). */
  readonly rule: string;
  /** JSON path of the offending value, e.g. `$.rules[2].scope[0].in`. */
  readonly path: string;
  /** The offending value as found (`undefined` when missing). */
  readonly value: unknown;
  /** What the service (or the rules format) expects there. */
  readonly expected: string;
  /** How to fix it, concretely. */
  readonly fix: string;
}

/**
 * `rule 'x' at $.rules[0].reason: expected ..., got "..." -- fix`. One line per issue, for people: the rule's name,
 * the path and the value come from a file or the subscription, so the line is escaped (`terminalSafe`, one line).
 */
export function formatValidationIssue(issue: ValidationIssue): string {
  const got = issue.value === undefined ? "nothing" : safeJson(issue.value);
  return terminalSafe(`${issue.code} rule '${issue.rule}' at ${issue.path}: expected ${issue.expected}, got ${got}. Fix: ${issue.fix}`, { singleLine: true });
}

function safeJson(value: unknown): string {
  try {
    const text = JSON.stringify(value);
    if (text === undefined) return String(value);
    return text.length > 120 ? `${text.slice(0, 117)}...` : text;
  } catch {
    return String(value);
  }
}
