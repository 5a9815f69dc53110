import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fromArmSuppressionRule } from "../azure/arm-suppression-rule-mapping.js";
import { SuppressionCodes as C } from "../errors/suppression-error-codes.js";
import { parseSuppressionRules } from "../load/parse-suppression-rules.js";
import { formatSuppressionRules } from "../rule/format-suppression-rules.js";
import { SUPPRESSION_FIELDS } from "../rule/suppression-fields.js";
import { SUPPRESSION_REASONS } from "../rule/suppression-reasons.js";
import { validateSuppressionRule } from "../validate/validate-suppression-rule.js";
import { importSuppressionRules } from "./import-suppression-rules.js";
import { planSuppressionChanges } from "./plan-suppression-changes.js";

const example = JSON.parse(readFileSync(new URL("../../test/fixtures/GetAlertsSuppressionRules_example.json", import.meta.url), "utf8"));

describe("importSuppressionRules", () => {
  it("turns the service's own example rules into a rules file that plans no change", () => {
    const existing = example.responses["200"].body.value.map((value: { name: string; id: string; properties: Record<string, unknown> }) =>
      fromArmSuppressionRule({ id: value.id, name: value.name, ...value.properties, expirationDateUtc: new Date(value.properties["expirationDateUtc"] as string) }),
    );
    const imported = importSuppressionRules(existing);
    expect(imported.issues).toEqual([]);
    expect(imported.rules.map((rule) => rule.name)).toEqual(["dismissDataExfiltrationAnomalyAlertsOnTestVMs", "dismissIpAnomalyAlerts"]);
    const reread = parseSuppressionRules(formatSuppressionRules(imported.document));
    expect(reread.rules).toEqual(imported.rules);
    expect(planSuppressionChanges(reread.rules, existing).changes).toEqual([]);
  });

  it("maps portal reason sentences to tokens, drops Expired, and reports what must be fixed by hand", () => {
    const imported = importSuppressionRules([
      { name: "portal-made", alertType: "KV_AppAnomaly", reason: "The alert detecting normal activity on specific entity", state: "Expired", expiresOn: "2026-01-01T00:00:00.000Z", comment: "", scope: [] },
      { name: "by-hand", alertType: "KV_UserAnomaly", reason: "because", state: "Enabled", scope: [{ field: "entities.account.upn", in: ["a@contoso.com"] }] },
    ]);
    expect(imported.document.rules[1]).toEqual({ name: "portal-made", alertType: "KV_AppAnomaly", reason: "SpecificEntityFalsePositive", expiresOn: "2026-01-01T00:00:00.000Z" });
    expect(imported.issues.map((issue) => [issue.rule, issue.code, issue.path])).toEqual([
      ["by-hand", C.invalidReason, "$.rules[0].reason"],
      ["by-hand", C.unknownField, "$.rules[0].scope[0].field"],
    ]);
  });
});

describe("formatSuppressionRules", () => {
  it("writes YAML and JSON that read back to the same rules", () => {
    const rule = fc.record(
      {
        name: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_-]{1,49}$/),
        alertType: fc.constantFrom("KV_TORAccess", "*", "SIMULATED_KV_AppAnomaly"),
        reason: fc.constantFrom(...SUPPRESSION_REASONS),
        comment: fc.string(),
        expiresOn: fc.date({ min: new Date("2000-01-01T00:00:00Z"), max: new Date("2099-12-31T00:00:00Z"), noInvalidDate: true }),
        state: fc.constantFrom("Enabled" as const, "Disabled" as const),
        scope: fc.array(
          fc.oneof(
            fc.record({ field: fc.constantFrom(...SUPPRESSION_FIELDS), in: fc.array(fc.stringMatching(/^\S(.{0,18}\S)?$/), { minLength: 1, maxLength: 3 }) }),
            fc.record({ field: fc.constantFrom(...SUPPRESSION_FIELDS), contains: fc.stringMatching(/^\S{1,12}$/) }),
          ),
          { minLength: 1, maxLength: 3 },
        ),
      },
      { requiredKeys: ["name", "alertType", "reason"] },
    );
    fc.assert(
      fc.property(fc.uniqueArray(rule, { selector: (r) => r.name.toLowerCase(), maxLength: 4 }), fc.constantFrom("yaml" as const, "json" as const), (inputs, format) => {
        const rules = inputs.map((input) => validateSuppressionRule(input).rule!);
        const text = formatSuppressionRules(rules, { format });
        expect(parseSuppressionRules(text, { format }).rules).toEqual(rules);
      }),
    );
  });
});
