import { describe, expect, it } from "vitest";
import { SuppressionCodes as C } from "../errors/suppression-error-codes.js";
import { validateSuppressionRule } from "./validate-suppression-rule.js";
import { validateSuppressionRules } from "./validate-suppression-rules.js";

const valid = {
  name: "ci-agents-tor",
  alertType: "KV_TORAccess",
  reason: "SpecificEntityFalsePositive",
  comment: "SEC-1234",
  expiresOn: "2026-12-31T00:00:00Z",
  scope: [{ field: "entities.ip.address", in: ["203.0.113.10"] }],
};

/** rule (as written in a file) -> the codes validation must report, in order. */
const cases: [string, Record<string, unknown>, string[]][] = [
  ["a complete rule", valid, []],
  ["no scope and no expiry (valid for the service; lint's concern)", { name: "ab", alertType: "KV_AppAnomaly", reason: "Other" }, []],
  ["a 50-character name", { ...valid, name: "a".repeat(50) }, []],
  ["every alert type", { ...valid, alertType: "*" }, []],
  ["expiry with an offset and 7 fractional digits", { ...valid, expiresOn: "2026-12-31T01:00:00.1234567+01:00" }, []],
  ["state Disabled", { ...valid, state: "Disabled" }, []],
  ["contains condition", { ...valid, scope: [{ field: "entities.azureresource.resourceid", contains: "/vaults/kv-prod" }] }, []],
  ["unknown top-level property", { ...valid, owner: "me" }, [C.unknownProperty]],
  ["the service's property names instead of ours", { ...valid, expirationDateUtc: "2026-12-31T00:00:00Z" }, [C.unknownProperty]],
  ["missing name, alertType and reason", { scope: valid.scope }, [C.missingProperty, C.missingProperty, C.missingProperty]],
  ["name too short", { ...valid, name: "a" }, [C.invalidName]],
  ["name too long", { ...valid, name: "a".repeat(51) }, [C.invalidName]],
  ["name starting with a dash", { ...valid, name: "-tor" }, [C.invalidName]],
  ["name with a space", { ...valid, name: "ci agents" }, [C.invalidName]],
  ["name that is not a string", { ...valid, name: 42 }, [C.invalidName]],
  ["partial wildcard alert type", { ...valid, alertType: "KV_*" }, [C.invalidAlertType]],
  ["alert display name instead of type", { ...valid, alertType: "Access from a TOR exit node" }, [C.invalidAlertType]],
  ["empty alert type", { ...valid, alertType: "" }, [C.invalidAlertType]],
  ["reason outside the service's tokens", { ...valid, reason: "Because" }, [C.invalidReason]],
  ["reason in the wrong case", { ...valid, reason: "falsepositive" }, [C.invalidReason]],
  ["state Expired cannot be set", { ...valid, state: "Expired" }, [C.invalidState]],
  ["comment that is not a string", { ...valid, comment: 7 }, [C.wrongType]],
  ["date without a time", { ...valid, expiresOn: "2026-12-31" }, [C.invalidExpiry]],
  ["date-time without a zone", { ...valid, expiresOn: "2026-12-31T00:00:00" }, [C.invalidExpiry]],
  ["impossible date", { ...valid, expiresOn: "2026-02-30T00:00:00Z" }, [C.invalidExpiry]],
  ["US date", { ...valid, expiresOn: "12/31/2026 00:00:00" }, [C.invalidExpiry]],
  ["null expiry", { ...valid, expiresOn: null }, [C.invalidExpiry]],
  ["empty scope", { ...valid, scope: [] }, [C.emptyScope]],
  ["scope as the service's allOf object", { ...valid, scope: { allOf: [] } }, [C.wrongType]],
  ["unknown field", { ...valid, scope: [{ field: "entities.account.upn", in: ["a@contoso.com"] }] }, [C.unknownField]],
  ["field in PascalCase", { ...valid, scope: [{ field: "Entities.IP.Address", in: ["203.0.113.10"] }] }, [C.unknownField]],
  ["missing field", { ...valid, scope: [{ in: ["203.0.113.10"] }] }, [C.missingProperty]],
  ["both in and contains", { ...valid, scope: [{ field: "entities.ip.address", in: ["1.2.3.4"], contains: "1.2" }] }, [C.conditionOperator]],
  ["neither in nor contains", { ...valid, scope: [{ field: "entities.ip.address" }] }, [C.conditionOperator]],
  ["equals instead of in", { ...valid, scope: [{ field: "entities.ip.address", equals: "1.2.3.4" }] }, [C.unknownProperty, C.conditionOperator]],
  ["in with a string", { ...valid, scope: [{ field: "entities.ip.address", in: "203.0.113.10" }] }, [C.wrongType]],
  ["in with no values", { ...valid, scope: [{ field: "entities.ip.address", in: [] }] }, [C.emptyValue]],
  ["in with a blank and a number", { ...valid, scope: [{ field: "entities.ip.address", in: [" ", 10] }] }, [C.emptyValue, C.wrongType]],
  ["in with surrounding spaces", { ...valid, scope: [{ field: "entities.ip.address", in: [" 203.0.113.10"] }] }, [C.emptyValue]],
  ["contains with a list", { ...valid, scope: [{ field: "entities.ip.address", contains: ["203."] }] }, [C.wrongType]],
  ["contains empty", { ...valid, scope: [{ field: "entities.ip.address", contains: "" }] }, [C.emptyValue]],
  ["a condition that is not an object", { ...valid, scope: ["entities.ip.address"] }, [C.wrongType]],
  [
    "many problems at once",
    { name: "x", alertType: "KV_*", reason: "nope", expiresOn: "tomorrow", scope: [{ field: "ip", in: "1.2.3.4" }], extra: true },
    [C.unknownProperty, C.invalidName, C.invalidAlertType, C.invalidReason, C.invalidExpiry, C.unknownField, C.wrongType],
  ],
];

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
