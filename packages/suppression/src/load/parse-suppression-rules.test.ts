import { readFileSync } from "node:fs";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SuppressionCodes as C } from "../errors/suppression-error-codes.js";
import { SuppressionValidationError } from "../errors/suppression-validation-error.js";
import { toRuleDocument } from "../rule/rule-document.js";
import { SUPPRESSION_FIELDS } from "../rule/suppression-fields.js";
import { SUPPRESSION_REASONS } from "../rule/suppression-reasons.js";
import { validateSuppressionRule } from "../validate/validate-suppression-rule.js";
import { loadSuppressionRules } from "./load-suppression-rules.js";
import { parseSuppressionRules } from "./parse-suppression-rules.js";

const fixture = (name: string) => new URL(`../../test/fixtures/${name}`, import.meta.url);

describe("parseSuppressionRules", () => {
  it("reads YAML rules (timestamps stay strings; values are normalized)", () => {
    const result = parseSuppressionRules(readFileSync(fixture("rules.yaml"), "utf8"));
    expect(result.issues).toEqual([]);
    expect(result.rules.map((rule) => [rule.name, rule.expiresOn, rule.scope.length])).toEqual([
      ["ci-agents-tor", "2026-08-01T00:00:00.000Z", 1],
      ["backup-app-volume", "2026-07-15T00:00:00.000Z", 2],
    ]);
  });

  it("reads the same rules from JSON", () => {
    const yaml = parseSuppressionRules(readFileSync(fixture("rules.yaml"), "utf8"));
    const json = parseSuppressionRules(JSON.stringify({ rules: yaml.rules.map(toRuleDocument) }), { source: "rules.json" });
    expect(json.rules).toEqual(yaml.rules);
  });

  it("lists every problem of an invalid file at once, unknown fields included", () => {
    const result = parseSuppressionRules(readFileSync(fixture("invalid-rules.yaml"), "utf8"));
    expect(result.valid).toBe(false);
    expect(result.issues.map((issue) => [issue.code, issue.path])).toEqual([
      [C.invalidName, "$.rules[0].name"],
      [C.invalidAlertType, "$.rules[0].alertType"],
      [C.invalidReason, "$.rules[0].reason"],
      [C.invalidExpiry, "$.rules[0].expiresOn"],
      [C.unknownField, "$.rules[0].scope[0].field"],
      [C.wrongType, "$.rules[0].scope[0].in"],
      [C.unknownProperty, "$.rules[1].expirationDateUtc"],
    ]);
    expect(result.issues[6]).toMatchObject({ rule: "ok-name", fix: 'rename "expirationDateUtc" to "expiresOn"' });
  });

  it("reports syntax errors and keys written twice instead of throwing", () => {
    const broken = parseSuppressionRules("rules:\n  - name: a\n    name: b\n", { source: "rules.yaml" });
    expect(broken.issues.map((issue) => issue.code)).toEqual([C.unreadableRulesFile]);
    expect(broken.issues[0]?.value).toBe("rules.yaml:3:5");
    const json = parseSuppressionRules("{ rules: [] }", { format: "json" });
    expect(json.issues.map((issue) => issue.code)).toEqual([C.unreadableRulesFile]);
  });

  it("reports YAML aliases without an anchor, and alias bombs, instead of throwing", () => {
    expect(parseSuppressionRules("*!").issues.map((issue) => issue.code)).toEqual([C.unreadableRulesFile]);
    const bomb = ["a: &a [x, x, x, x, x, x, x, x, x, x]", ...Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10).fill(`*${String.fromCharCode(97 + i)}`).join(", ")}]`)].join("\n");
    expect(parseSuppressionRules(bomb).issues.map((issue) => issue.code)).toEqual([C.unreadableRulesFile]);
  });

  it("never throws, whatever the text", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.stringMatching(/^[-:*&![\]{}, \n"'#a-z0-9|>]{0,40}$/)),
        fc.constantFrom("json" as const, "yaml" as const),
        (text, format) => {
          const result = parseSuppressionRules(text, { format });
          expect(result.valid).toBe(result.issues.length === 0);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("a valid rule survives toRuleDocument -> JSON -> parse unchanged", () => {
    const condition = fc.oneof(
      fc.record({ field: fc.constantFrom(...SUPPRESSION_FIELDS), in: fc.array(fc.stringMatching(/^[a-z0-9./-]{1,20}$/), { minLength: 1, maxLength: 3 }) }),
      fc.record({ field: fc.constantFrom(...SUPPRESSION_FIELDS), contains: fc.stringMatching(/^[a-z0-9./-]{1,20}$/) }),
    );
    const rule = fc.record(
      {
        name: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_-]{1,49}$/),
        alertType: fc.constantFrom("KV_TORAccess", "*", "SIMULATED_KV_AppAnomaly"),
        reason: fc.constantFrom(...SUPPRESSION_REASONS),
        comment: fc.string(),
        expiresOn: fc.date({ min: new Date("2000-01-01T00:00:00Z"), max: new Date("2099-12-31T00:00:00Z"), noInvalidDate: true }).map((date) => date.toISOString()),
        state: fc.constantFrom("Enabled", "Disabled"),
        scope: fc.array(condition, { minLength: 1, maxLength: 3 }),
      },
      { requiredKeys: ["name", "alertType", "reason"] },
    );
    fc.assert(
      fc.property(rule, (input) => {
        const first = validateSuppressionRule(input);
        expect(first.issues).toEqual([]);
        const again = parseSuppressionRules(JSON.stringify([toRuleDocument(first.rule!)]), { format: "json" });
        expect(again.rules).toEqual([first.rule]);
      }),
    );
  });
});

describe("loadSuppressionRules", () => {
  it("loads a file and throws one error listing every problem", async () => {
    expect((await loadSuppressionRules(fixture("rules.yaml").pathname)).length).toBe(2);
    const error = await loadSuppressionRules(fixture("invalid-rules.yaml").pathname).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SuppressionValidationError);
    expect((error as SuppressionValidationError).code).toBe(C.invalidRules);
    expect((error as SuppressionValidationError).issues).toHaveLength(7);
    expect((error as Error).message).toContain("7 problems");
  });

  it("picks JSON by extension and reports unreadable files with their path", async () => {
    const dir = await mkdtemp(join(tmpdir(), "kw-suppression-"));
    const path = join(dir, "rules.json");
    await writeFile(path, JSON.stringify({ rules: [{ name: "ab", alertType: "KV_AppAnomaly", reason: "Other" }] }));
    expect((await loadSuppressionRules(path))[0]?.name).toBe("ab");
    await expect(loadSuppressionRules(join(dir, "missing.yaml"))).rejects.toMatchObject({ code: C.unreadableRulesFile });
  });
});
