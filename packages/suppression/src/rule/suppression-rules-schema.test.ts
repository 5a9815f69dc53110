import { readFileSync } from "node:fs";
import { Ajv } from "ajv";
import addFormatsModule from "ajv-formats";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { validationCases } from "../validate/__fixtures__/validation-cases.js";
import { validateSuppressionRules } from "../validate/validate-suppression-rules.js";
import { ALERT_TYPE_PATTERN, RULE_NAME_PATTERN } from "../validate/validate-suppression-rule.js";
import { SUPPRESSION_FIELDS } from "./suppression-fields.js";
import { SUPPRESSION_REASONS } from "./suppression-reasons.js";

// ajv-formats is CommonJS with a default export; under NodeNext the callable is `.default`.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const schema = JSON.parse(readFileSync(new URL("../../schema/suppression-rules.schema.json", import.meta.url), "utf8"));
const policy = JSON.parse(
  readFileSync(new URL("../../test/fixtures/ASC_SuppressionRulesForAlerts_DINE.json", import.meta.url), "utf8"),
);

describe("the published JSON Schema", () => {
  it("allows exactly the validator's fields, reasons and patterns", () => {
    const rule = schema.definitions.rule;
    expect(schema.definitions.field.enum).toEqual([...SUPPRESSION_FIELDS]);
    expect(rule.properties.reason.enum).toEqual([...SUPPRESSION_REASONS]);
    expect(rule.properties.name.pattern).toBe(RULE_NAME_PATTERN.source);
    expect(rule.properties.alertType.pattern).toBe(ALERT_TYPE_PATTERN.source);
    expect(Object.keys(rule.properties).sort()).toEqual(["alertType", "comment", "expiresOn", "name", "reason", "scope", "state"]);
  });

  it("rejects unknown properties everywhere", () => {
    expect(schema.definitions.rulesFile.additionalProperties).toBe(false);
    expect(schema.definitions.rule.additionalProperties).toBe(false);
    for (const variant of schema.definitions.condition.oneOf) expect(variant.additionalProperties).toBe(false);
  });

  it("matches the built-in Azure Policy's field and reason tables", () => {
    const variables = policy.properties.policyRule.then.details.deployment.properties.template.variables;
    expect(new Set(Object.values(variables.entityNameToType))).toEqual(new Set(SUPPRESSION_FIELDS));
    expect(new Set(Object.values(variables.reasonToEnum))).toEqual(new Set(SUPPRESSION_REASONS));
  });
});

describe("the published JSON Schema agrees with the validator", () => {
  const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
  addFormats(ajv);
  const check = ajv.compile(schema);

  it.each(validationCases)("%s", (_label, rule, codes) => {
    const schemaAccepts = check({ rules: [rule] });
    expect(schemaAccepts, JSON.stringify(check.errors)).toBe(codes.length === 0);
    expect(validateSuppressionRules({ rules: [rule] }).valid).toBe(codes.length === 0);
  });

  it("accepts the example rules file", () => {
    const text = readFileSync(new URL("../../test/fixtures/rules.yaml", import.meta.url), "utf8");
    expect(check(parse(text))).toBe(true);
  });
});
