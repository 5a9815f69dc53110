import { readFile } from "node:fs/promises";
import { KeywardenError } from "@keywarden/core";
import { SuppressionCodes } from "../errors/suppression-error-codes.js";
import { SuppressionValidationError } from "../errors/suppression-validation-error.js";
import type { SuppressionRule } from "../rule/suppression-rule.js";
import { parseSuppressionRules, type RulesFileFormat } from "./parse-suppression-rules.js";

export interface LoadSuppressionRulesOptions {
  /** Defaults to the file extension (`.json` -> JSON, otherwise YAML). */
  format?: RulesFileFormat;
}

/**
 * Reads a JSON or YAML rules file and returns its validated rules. Throws `SuppressionValidationError` listing every
 * problem in the file (path, value, expectation, fix), or a `KeywardenError` when the file cannot be read.
 */
export async function loadSuppressionRules(path: string, options: LoadSuppressionRulesOptions = {}): Promise<SuppressionRule[]> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new KeywardenError(SuppressionCodes.unreadableRulesFile, `Cannot read the suppression rules file ${path}: check the path and its permissions.`, {
      category: "invalid-input",
      cause: error,
    });
  }
  const result = parseSuppressionRules(text, { source: path, ...(options.format === undefined ? {} : { format: options.format }) });
  if (!result.valid) throw new SuppressionValidationError(result.issues, `suppression rules file ${path}`);
  return [...result.rules];
}
