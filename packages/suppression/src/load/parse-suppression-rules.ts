import { parseDocument } from "yaml";
import { SuppressionCodes } from "../errors/suppression-error-codes.js";
import { validateSuppressionRules, type RulesValidationResult } from "../validate/validate-suppression-rules.js";

export type RulesFileFormat = "json" | "yaml";

export interface ParseSuppressionRulesOptions {
  /** Defaults to the `source` extension (`.json` -> JSON, otherwise YAML). YAML also reads JSON. */
  format?: RulesFileFormat;
  /** File name or label, used to pick the format and in messages. */
  source?: string;
}

/**
 * Parses and validates a rules document from JSON or YAML text. Never throws: syntax errors and every validation
 * issue come back in `issues`.
 */
export function parseSuppressionRules(text: string, options: ParseSuppressionRulesOptions = {}): RulesValidationResult {
  const format = options.format ?? (options.source?.toLowerCase().endsWith(".json") === true ? "json" : "yaml");
  const label = options.source ?? "rules";
  if (format === "json") {
    let data: unknown;
    try {
      data = JSON.parse(text) as unknown;
    } catch (error) {
      return syntaxError(label, (error as Error).message, "fix the JSON syntax (a linter or `node -e 'JSON.parse(...)'` shows where)");
    }
    return validateSuppressionRules(data);
  }
  // uniqueKeys (the default) turns a key written twice into an error instead of silently keeping the last value.
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (document.errors.length > 0) {
    return {
      valid: false,
      rules: [],
      issues: document.errors.map((error) => ({
        code: SuppressionCodes.unreadableRulesFile,
        rule: "(file)",
        path: "$",
        value: error.linePos?.[0] === undefined ? undefined : `${label}:${error.linePos[0].line}:${error.linePos[0].col}`,
        expected: "valid YAML",
        fix: error.message.split("\n")[0] ?? error.message,
      })),
    };
  }
  let data: unknown;
  try {
    // toJS resolves aliases; it throws on an alias without an anchor and on alias expansion bombs (maxAliasCount).
    data = document.toJS({ maxAliasCount: 100 }) as unknown;
  } catch (error) {
    return syntaxError(label, (error as Error).message, "fix the YAML anchors and aliases (&name / *name)", "valid YAML");
  }
  return validateSuppressionRules(data);
}

function syntaxError(label: string, message: string, fix: string, expected = "valid JSON"): RulesValidationResult {
  return {
    valid: false,
    rules: [],
    issues: [{ code: SuppressionCodes.unreadableRulesFile, rule: "(file)", path: "$", value: `${label}: ${message}`, expected, fix }],
  };
}
