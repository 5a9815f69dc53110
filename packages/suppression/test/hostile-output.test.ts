import { forgedOutputProblems, HOSTILE_TEXT, replaceStrings, type AlertsSuppressionRuleProperties } from "@keywarden/testing";
import { useFakeAzure } from "@keywarden/testing/vitest";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  createArmSuppressionRulesStore,
  defineSuppressionRule,
  formatSuppressionPlan,
  formatValidationIssue,
  lintSuppressionRules,
  parseSuppressionRules,
  planSuppressionChanges,
  SuppressionLintError,
  SuppressionValidationError,
  type ExistingSuppressionRule,
} from "../src/index.js";

const SUB = "0f907ea4-bc8b-4c11-9d7e-805c2fd144fb";
const RULES = `/subscriptions/${SUB}/providers/Microsoft.Security/alertsSuppressionRules`;
/** Every payload at once: whatever field a formatter forgot, one of them shows it. */
const HOSTILE = HOSTILE_TEXT.join(" · ");
const armRule = (name: string, properties: AlertsSuppressionRuleProperties) => ({ id: `${RULES}/${name}`, name, type: "Microsoft.Security/alertsSuppressionRules", properties });

/** Rules someone with write access to the subscription left behind, every free-text field filled with payloads. */
const azure = useFakeAzure({
  seed: {
    time: "2026-06-01T00:00:00.000Z",
    subscriptions: [{ subscriptionId: SUB }],
    suppressionRules: [
      armRule("tor-sample", {
        alertType: "KV_TORAccess",
        reason: "Other",
        state: "Enabled",
        comment: HOSTILE,
        suppressionAlertsScope: { allOf: [{ field: HOSTILE, in: [HOSTILE] }, { field: "entities.ip.address", contains: HOSTILE }] },
      }),
      armRule("left-behind", { alertType: HOSTILE, reason: "Other", state: "Disabled", comment: HOSTILE }),
    ],
  },
});

async function existing(): Promise<ExistingSuppressionRule[]> {
  const store = createArmSuppressionRulesStore({ credential: azure.credential, subscriptionId: SUB, clientOptions: { retryOptions: { maxRetries: 0 } } });
  const rules: ExistingSuppressionRule[] = [];
  for await (const rule of store.list()) rules.push(rule);
  return rules;
}

const desired = [
  defineSuppressionRule({ name: "tor-sample", alertType: "KV_TORAccess", reason: "FalsePositive", comment: "CI agents", expiresOn: "2026-08-01T00:00:00Z", scope: [{ field: "entities.ip.address", in: ["203.0.113.10"] }] }),
];

/** A rules file with payloads as a name, a key, an alert type and values: every issue quotes them. */
const hostileFile = JSON.stringify({
  rules: [
    { name: HOSTILE, alertType: HOSTILE, reason: HOSTILE, expiresOn: HOSTILE, scope: [{ field: HOSTILE, in: [HOSTILE] }], [HOSTILE]: 1 },
    { name: "ok-name", alertType: "KV_TORAccess", reason: "FalsePositive", scope: [{ field: "entities.ip.address", contains: HOSTILE }] },
  ],
});

function expectUnforged(outputs: { what: string; output: string }[]): void {
  for (const { what, output } of outputs) expect(forgedOutputProblems(output, "text"), `${what}:\n${output}`).toEqual([]);
}

describe("rule and subscription text cannot forge suppression output", () => {
  it("a subscription's hostile rules and a hostile rules file go through the plan, issues and errors escaped", async () => {
    const plan = planSuppressionChanges(desired, await existing(), { prune: true });
    const text = formatSuppressionPlan(plan);
    expect(text).toContain("\\x1b[2J\\x1b[Hcleared");
    const parsed = parseSuppressionRules(hostileFile, { format: "json", source: "rules.json" });
    expect(parsed.issues.length).toBeGreaterThan(2);
    const blocked = planSuppressionChanges(parsed.rules, [], {});
    const lint = lintSuppressionRules(
      [defineSuppressionRule({ name: "broad", alertType: "KV_TORAccess", reason: "Other", comment: HOSTILE, scope: [{ field: "entities.ip.address", contains: "1" }] })],
      { now: new Date("2026-06-01T00:00:00Z") },
    );
    expectUnforged([
      { what: "formatSuppressionPlan", output: text },
      { what: "formatSuppressionPlan (blocked)", output: formatSuppressionPlan({ ...blocked, issues: parsed.issues }) },
      ...parsed.issues.map((issue) => ({ what: `formatValidationIssue ${issue.code}`, output: formatValidationIssue(issue) })),
      { what: "SuppressionValidationError", output: new SuppressionValidationError(parsed.issues, "rules file rules.json").message },
      { what: "SuppressionLintError", output: new SuppressionLintError(lint.map((finding) => ({ ...finding, rule: HOSTILE, message: `${finding.message} ${HOSTILE}` })), "plan").message },
    ]);
  });

  it("any string of a plan, an issue or a finding, whatever it holds, is escaped (property)", async () => {
    const plan = planSuppressionChanges(desired, await existing(), { prune: true });
    const { issues } = parseSuppressionRules(hostileFile, { format: "json" });
    const findings = lintSuppressionRules(desired, { now: new Date("2026-06-01T00:00:00Z") });
    const payloads = fc.array(fc.oneof(fc.constantFrom(...HOSTILE_TEXT), fc.string({ unit: "binary" }), fc.constantFrom("constructor", "__proto__", "hasOwnProperty", "toString")), { minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(payloads, (chosen) => {
        let next = 0;
        // A change's kind picks its rendering (the plan's schema fixes it); every other string is outside text.
        const fill = (text: string, path: readonly (string | number)[]) => (path.at(-1) === "kind" ? text : (chosen[next++ % chosen.length] ?? text));
        const hostileIssues = replaceStrings(issues, fill);
        expectUnforged([
          { what: "formatSuppressionPlan", output: formatSuppressionPlan(replaceStrings(plan, fill)) },
          { what: "formatSuppressionPlan (blocked)", output: formatSuppressionPlan({ ...plan, issues: hostileIssues }) },
          { what: "SuppressionValidationError", output: new SuppressionValidationError(hostileIssues, "rules").message },
          { what: "SuppressionLintError", output: new SuppressionLintError(replaceStrings(findings, fill), "plan").message },
        ]);
      }),
      { numRuns: 200 },
    );
  });
});
