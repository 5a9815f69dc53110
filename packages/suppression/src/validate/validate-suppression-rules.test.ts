import { describe, expect, it } from "vitest";
import { SuppressionCodes as C } from "../errors/suppression-error-codes.js";
import { valid, validationCases as cases } from "./__fixtures__/validation-cases.js";
import { validateSuppressionRule } from "./validate-suppression-rule.js";
import { validateSuppressionRules } from "./validate-suppression-rules.js";

describe("validateSuppressionRule", () => {
  it.each(cases)("%s", (_label, rule, codes) => {
    const result = validateSuppressionRule(rule, { path: "$.rules[0]", index: 0 });
    expect(result.issues.map((issue) => issue.code)).toEqual(codes);
    expect(result.rule === undefined).toBe(codes.length > 0);
    for (const issue of result.issues) {
      expect(issue.path.startsWith("$.rules[0]")).toBe(true);
      expect(issue.expected.length).toBeGreaterThan(0);
      expect(issue.fix.length).toBeGreaterThan(0);
    }
  });

  it("names the rule, the path, the value and a concrete fix", () => {
    const [issue] = validateSuppressionRule({ ...valid, reason: "The alert detecting too many normal activities" }).issues;
    expect(issue).toMatchObject({ rule: "ci-agents-tor", path: "$.reason", value: "The alert detecting too many normal activities", fix: 'use "FalsePositive"' });
    const [field] = validateSuppressionRule({ ...valid, scope: [{ field: "Entities.IP.Address", in: ["1.2.3.4"] }] }).issues;
    expect(field).toMatchObject({ path: "$.scope[0].field", fix: 'use "entities.ip.address"' });
    const [upn] = validateSuppressionRule({ ...valid, scope: [{ field: "entities.account.upn", in: ["a"] }] }).issues;
    expect(upn?.fix).toBe('use "entities.account.upnsuffix"');
  });

  it("uses the position when the rule has no valid name", () => {
    const [issue] = validateSuppressionRule({ ...valid, name: "!" }, { index: 4 }).issues;
    expect(issue?.rule).toBe("#4");
  });

  it("normalizes the rule: UTC expiry, default state, copied scope", () => {
    const { rule } = validateSuppressionRule({ ...valid, expiresOn: "2026-12-31T01:00:00+01:00" });
    expect(rule).toEqual({ ...valid, expiresOn: "2026-12-31T00:00:00.000Z", state: "Enabled" });
    expect(rule?.scope[0]).not.toBe(valid.scope[0]);
  });
});

describe("validateSuppressionRules", () => {
  it("reports every issue of every rule, and names used twice regardless of case", () => {
    const result = validateSuppressionRules({
      $schema: "./node_modules/@keywarden/suppression/schema/suppression-rules.schema.json",
      rules: [valid, { ...valid, name: "CI-Agents-Tor" }, { ...valid, name: "other", reason: "?" }],
    });
    expect(result.valid).toBe(false);
    expect(result.issues.map((issue) => [issue.code, issue.path])).toEqual([
      [C.duplicateName, "$.rules[1].name"],
      [C.invalidReason, "$.rules[2].reason"],
    ]);
    expect(result.rules.map((rule) => rule.name)).toEqual(["ci-agents-tor", "CI-Agents-Tor"]);
  });

  it("accepts a bare list and rejects unknown top-level keys and non-lists", () => {
    expect(validateSuppressionRules([valid]).valid).toBe(true);
    expect(validateSuppressionRules({ rule: [valid] }).issues.map((issue) => issue.code)).toEqual([C.unknownProperty, C.missingProperty]);
    expect(validateSuppressionRules({ rules: valid }).issues.map((issue) => issue.code)).toEqual([C.wrongType]);
    expect(validateSuppressionRules("rules").issues.map((issue) => issue.code)).toEqual([C.wrongType]);
  });
});
