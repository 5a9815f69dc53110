import { stringify } from "yaml";
import type { RulesFileFormat } from "../load/parse-suppression-rules.js";
import { toRuleDocument } from "./rule-document.js";
import type { SuppressionRule } from "./suppression-rule.js";

export interface FormatSuppressionRulesOptions {
  /** Default `yaml`. */
  format?: RulesFileFormat;
  /** Schema reference for editors. Default: the schema shipped in the installed package. */
  schema?: string;
}

const DEFAULT_SCHEMA = "./node_modules/@keywarden/suppression/schema/suppression-rules.schema.json";

/**
 * Writes rules (or an imported rules document) as a rules file that `parseSuppressionRules` reads back unchanged,
 * with the JSON Schema referenced for editor completion.
 */
export function formatSuppressionRules(rules: readonly SuppressionRule[] | { rules: readonly Record<string, unknown>[] }, options: FormatSuppressionRulesOptions = {}): string {
  const schema = options.schema ?? DEFAULT_SCHEMA;
  const documents = Array.isArray(rules) ? (rules as readonly SuppressionRule[]).map(toRuleDocument) : (rules as { rules: readonly Record<string, unknown>[] }).rules;
  if (options.format === "json") return `${JSON.stringify({ $schema: schema, rules: documents }, null, 2)}\n`;
  return `# yaml-language-server: $schema=${schema}\n${stringify({ rules: documents }, { lineWidth: 0 })}`;
}
