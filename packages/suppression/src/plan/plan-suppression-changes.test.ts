import { describe, expect, it } from "vitest";
import { SuppressionCodes as C } from "../errors/suppression-error-codes.js";
import { defineSuppressionRule } from "../rule/define-suppression-rule.js";
import type { SuppressionRule } from "../rule/suppression-rule.js";
import type { ExistingSuppressionRule } from "./existing-suppression-rule.js";
import { formatSuppressionPlan } from "./format-suppression-plan.js";
import { planSuppressionChanges } from "./plan-suppression-changes.js";

const tor = defineSuppressionRule({
  name: "ci-agents-tor",
  alertType: "KV_TORAccess",
  reason: "SpecificEntityFalsePositive",
  comment: "SEC-1234",
  expiresOn: "2026-08-01T00:00:00Z",
  scope: [{ field: "entities.ip.address", in: ["203.0.113.10", "203.0.113.11"] }],
});
const asExisting = (rule: SuppressionRule, overrides: Partial<ExistingSuppressionRule> = {}): ExistingSuppressionRule => ({
  name: rule.name,
  alertType: rule.alertType,
  reason: rule.reason,
  ...(rule.comment === undefined ? {} : { comment: rule.comment }),
  ...(rule.expiresOn === undefined ? {} : { expiresOn: rule.expiresOn }),
  state: rule.state,
  scope: rule.scope,
  ...overrides,
});

describe("planSuppressionChanges", () => {
  it("creates missing rules and deletes rules no longer wanted", () => {
    const stale: ExistingSuppressionRule = { name: "old", alertType: "KV_UserAnomaly", reason: "Other", state: "Enabled", scope: [] };
    const plan = planSuppressionChanges([tor], [stale]);
    expect(plan.changes.map((change) => [change.kind, change.name])).toEqual([
      ["create", "ci-agents-tor"],
      ["delete", "old"],
    ]);
    expect(planSuppressionChanges([tor], [stale], { prune: false }).changes.map((change) => change.kind)).toEqual(["create"]);
  });

  it("sees no change when the service returns the same rule differently (7-digit time, order, Expired, empty comment)", () => {
    const same = asExisting(tor, {
      name: "CI-Agents-Tor",
      expiresOn: "2026-08-01T00:00:00.0000000Z",
      scope: [{ in: ["203.0.113.11", "203.0.113.10"], field: "entities.ip.address" }],
    });
    const plan = planSuppressionChanges([tor], [same]);
    expect(plan.changes).toEqual([]);
    expect(plan.unchanged).toEqual(["CI-Agents-Tor"]);
    const expired = planSuppressionChanges([tor], [asExisting(tor, { state: "Expired" })]);
    expect(expired.changes).toEqual([]);
    const noComment = defineSuppressionRule({ name: "ab", alertType: "KV_AppAnomaly", reason: "Other" });
    expect(planSuppressionChanges([noComment], [asExisting(noComment, { comment: "" })]).changes).toEqual([]);
  });

  it("calls a later expiry alone an extension, and anything else an update", () => {
    const extended = { ...tor, expiresOn: "2026-11-01T00:00:00.000Z" };
    const extend = planSuppressionChanges([extended], [asExisting(tor, { state: "Expired" })]);
    expect(extend.changes).toEqual([{ kind: "extend", name: "ci-agents-tor", before: asExisting(tor, { state: "Expired" }), after: extended, from: tor.expiresOn, to: extended.expiresOn }]);
    const shortened = planSuppressionChanges([{ ...tor, expiresOn: "2026-07-01T00:00:00.000Z" }], [asExisting(tor)]);
    expect(shortened.changes[0]).toMatchObject({ kind: "update", changed: ["expiresOn"] });
    const widened = planSuppressionChanges([{ ...extended, scope: [{ field: "entities.ip.address", in: ["203.0.113.10"] }], reason: "FalsePositive" }], [asExisting(tor)]);
    expect(widened.changes[0]).toMatchObject({ kind: "update", changed: ["reason", "expiresOn", "scope"] });
    const portal = planSuppressionChanges([tor], [asExisting(tor, { reason: "The alert detecting normal activity on specific entity" })]);
    expect(portal.changes[0]).toMatchObject({ kind: "update", changed: ["reason"] });
  });

  it("has a deterministic id that changes with the changes", () => {
    expect(planSuppressionChanges([tor], []).planId).toBe(planSuppressionChanges([tor], []).planId);
    expect(planSuppressionChanges([tor], []).planId).not.toBe(planSuppressionChanges([{ ...tor, comment: "x" }], []).planId);
  });

  it("plans nothing and carries every issue when any desired rule is invalid", () => {
    const broken = { ...tor, name: "ab", reason: "Nope" } as unknown as SuppressionRule;
    const dupe = { ...tor, name: "CI-AGENTS-TOR" };
    const plan = planSuppressionChanges([tor, broken, dupe], [asExisting(defineSuppressionRule({ name: "old", alertType: "KV_AppAnomaly", reason: "Other" }))]);
    expect(plan.changes).toEqual([]);
    expect(plan.issues.map((issue) => issue.code)).toEqual([C.invalidReason, C.duplicateName]);
    expect(formatSuppressionPlan(plan)).toContain("BLOCKED");
  });
});

describe("formatSuppressionPlan", () => {
  it("renders creates, updates, extensions and deletes as a diff", () => {
    const app = defineSuppressionRule({ name: "app-ci", alertType: "KV_AppAnomaly", reason: "Other", expiresOn: "2026-07-01T00:00:00Z" });
    const plan = planSuppressionChanges(
      [tor, { ...app, expiresOn: "2026-09-01T00:00:00.000Z" }, defineSuppressionRule({ name: "user-x", alertType: "KV_UserAnomaly", reason: "FalsePositive", expiresOn: "2026-07-01T00:00:00Z" })],
      [asExisting(app, { state: "Expired" }), { name: "user-x", alertType: "KV_UserAnomaly", reason: "Other", state: "Enabled", scope: [], expiresOn: "2026-07-01T00:00:00Z" }, { name: "gone", alertType: "*", reason: "Other", state: "Enabled", scope: [] }],
    );
    expect(formatSuppressionPlan(plan).replace(plan.planId, "<id>")).toBe(
      [
        "Suppression plan <id>: 1 to create, 1 to update, 1 to extend, 1 to delete",
        "",
        "+ create ci-agents-tor (KV_TORAccess)",
        "    + alertType: KV_TORAccess",
        "    + reason: SpecificEntityFalsePositive",
        '    + comment: "SEC-1234"',
        "    + expiresOn: 2026-08-01T00:00:00.000Z",
        "    + state: Enabled",
        '    + scope[0]: entities.ip.address in ["203.0.113.10","203.0.113.11"]',
        "",
        "> extend app-ci (KV_AppAnomaly)",
        "    ~ expiresOn: 2026-07-01T00:00:00.000Z -> 2026-09-01T00:00:00.000Z (re-enables the expired rule)",
        "",
        "~ update user-x (KV_UserAnomaly)",
        "    - reason: Other",
        "    + reason: FalsePositive",
        "",
        "- delete gone (*)",
        "    (alerts it already dismissed stay dismissed)",
      ].join("\n"),
    );
    expect(formatSuppressionPlan(planSuppressionChanges([tor], [asExisting(tor)]))).toContain("No changes");
  });
});
