import { describe, expect, it } from "vitest";
import { buildAlert } from "../test/support/build-alert.js";
import { tableContext } from "../test/support/table-world.js";
import { defineTriageRule } from "./define-triage-rule.js";
import { InvalidTriageRuleError } from "./errors/invalid-triage-rule-error.js";
import { TriageErrorCodes } from "./errors/triage-error-codes.js";
import { builtInRules } from "./rules/built-in-rules.js";
import { triageAlert } from "./triage-alert.js";
import type { TriageRule } from "./triage-rule.js";

describe("defineTriageRule", () => {
  it("derives the docs URL and freezes the rule", () => {
    const rule = defineTriageRule({
      meta: { id: "kv/night-access", description: "Access at night.", messages: { night: "At night" }, proposes: ["contact-owner"] },
      evaluate: () => [],
    });
    expect(rule.meta.docsUrl).toMatch(/#kvnight-access$/);
    expect(Object.isFrozen(rule.meta)).toBe(true);
  });

  it.each([
    [{ id: "night-access" }, /kv\/<kebab-name>/],
    [{ id: "kv/Night" }, /invalid/],
    [{ description: " " }, /no description/],
    [{ messages: {} }, /declares no messages/],
    [{ proposes: ["delete-vault"] }, /unknown action kind "delete-vault"/],
  ])("rejects a malformed definition %j", (override, message) => {
    const meta = { id: "kv/x", description: "d", messages: { m: "m" }, proposes: [], ...override };
    expect(() => defineTriageRule({ meta, evaluate: () => [] } as unknown as TriageRule)).toThrow(message);
  });

  it("every built-in rule has a kv/ id, a description and declared messages", () => {
    const ids = builtInRules.map((rule) => rule.meta.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of builtInRules) {
      expect(rule.meta.id).toMatch(/^kv\/[a-z-]+$/);
      expect(Object.keys(rule.meta.messages).length).toBeGreaterThan(0);
    }
  });
});

describe("integrator rules", () => {
  const alert = buildAlert({ kind: "KV_UserAnomaly", ipAddress: "198.51.100.23" });

  it("run after the built-in rules and their actions go through the same policy", async () => {
    const weekend = defineTriageRule({
      meta: { id: "kv/payments-vault", description: "The payments vault is PCI scope.", messages: { pci: "{{vault}} is PCI scope: escalate." }, proposes: ["contact-owner"] },
      evaluate: ({ facts }) => [
        {
          messageId: "pci",
          severity: "high",
          data: { vault: facts.vault.name },
          actions: [{ kind: "contact-owner", target: { vault: facts.vault, alert: facts.alert }, parameters: { recipients: [{ role: "vault-owner" }], topics: ["confirm-access"], questions: ["PCI review"] } }],
        },
      ],
    });
    const report = await triageAlert(alert, { ...tableContext("access-policy"), rules: [...builtInRules, weekend] });
    expect(report.findings.find((f) => f.ruleId === "kv/payments-vault")?.message).toBe("kv-payments is PCI scope: escalate.");
    const contact = report.decision.recommendedActions.find((a) => a.kind === "contact-owner");
    expect(contact?.reasons.map((r) => r.ruleId)).toContain("kv/payments-vault");
    expect(report.rulesEvaluated.at(-1)).toBe("kv/payments-vault");
  });

  it("fail loudly when they report an undeclared message or action kind", async () => {
    const sneaky = defineTriageRule({
      meta: { id: "kv/sneaky", description: "d", messages: { ok: "ok" }, proposes: ["contact-owner"] },
      evaluate: ({ facts }) => [{ messageId: "ok", severity: "low", actions: [{ kind: "rotate-keys", target: facts.vault, parameters: { names: [], versions: {}, includeExposedFromImpact: true } }] }],
    });
    const error: unknown = await triageAlert(alert, { ...tableContext("access-policy"), rules: [sneaky] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidTriageRuleError);
    expect((error as InvalidTriageRuleError).code).toBe(TriageErrorCodes.RuleContractViolation);

    const chatty = defineTriageRule({
      meta: { id: "kv/chatty", description: "d", messages: { ok: "ok" }, proposes: [] },
      evaluate: () => [{ messageId: "other" as "ok", severity: "low" }],
    });
    await expect(triageAlert(alert, { ...tableContext("access-policy"), rules: [chatty] })).rejects.toThrow(/message "other"/);
  });
});
