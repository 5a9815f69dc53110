import type { Clock } from "@keywarden/core";
import { InMemoryJournal } from "@keywarden/core";
import { describe, expect, it } from "vitest";
import { InMemorySuppressionRulesStore } from "../azure/in-memory-suppression-rules-store.js";
import type { SuppressionRulesStore } from "../azure/suppression-rules-store.js";
import { SuppressionCodes } from "../errors/suppression-error-codes.js";
import { planSuppressionChanges } from "../plan/plan-suppression-changes.js";
import { defineSuppressionRule } from "../rule/define-suppression-rule.js";
import { applySuppressionChanges } from "./apply-suppression-changes.js";

const clock: Clock = { now: () => Date.parse("2026-06-01T00:00:00Z"), sleep: () => Promise.resolve() };
const rule = defineSuppressionRule({ name: "app-ci", alertType: "KV_AppAnomaly", reason: "FalsePositive", expiresOn: "2026-07-01T00:00:00Z" });

describe("applySuppressionChanges", () => {
  it("fails a step whose write does not read back as planned, and journals why", async () => {
    const real = new InMemorySuppressionRulesStore([], { clock });
    // A store whose writes report success but change nothing (azure-cli#20487 in miniature).
    const lying: SuppressionRulesStore = { list: (o) => real.list(o), get: (n) => real.get(n), put: (r) => Promise.resolve({ ...r, scope: [...r.scope] }), delete: () => Promise.resolve() };
    const journal = new InMemoryJournal();
    const result = await applySuppressionChanges(planSuppressionChanges([rule], []), { store: lying, journal, clock });
    expect(result.ok).toBe(false);
    expect(result.steps[0]).toMatchObject({ status: "failed", error: { code: SuppressionCodes.verifyFailed } });
    expect((await journal.entries()).at(-1)).toMatchObject({ event: "failed", code: SuppressionCodes.changeFailed, error: { code: SuppressionCodes.verifyFailed } });
  });

  it("does not start when aborted, and needs a store or a credential", async () => {
    const store = new InMemorySuppressionRulesStore([], { clock });
    const controller = new AbortController();
    controller.abort(new Error("interrupted"));
    const result = await applySuppressionChanges(planSuppressionChanges([rule], []), { store, clock, abortSignal: controller.signal });
    expect(result.steps[0]).toMatchObject({ status: "failed", error: { message: "interrupted" } });
    expect(store.writes).toBe(0);
    await expect(applySuppressionChanges(planSuppressionChanges([rule], []), { clock })).rejects.toMatchObject({ code: SuppressionCodes.invalidOptions, category: "invalid-input" });
  });

  it("journals the plan, each step and its before/after, with dryRun marked", async () => {
    const store = new InMemorySuppressionRulesStore([], { clock });
    const journal = new InMemoryJournal();
    const plan = planSuppressionChanges([rule], []);
    await applySuppressionChanges(plan, { store, journal, clock, dryRun: true });
    await applySuppressionChanges(plan, { store, journal, clock });
    const entries = await journal.entries();
    expect(entries.map((entry) => [entry.kind, entry.event, entry.dryRun ?? false])).toEqual([
      ["plan", "planned", true],
      ["suppression-create", "planned", true],
      ["suppression-create", "skipped", true],
      ["plan", "planned", false],
      ["suppression-create", "planned", false],
      ["suppression-create", "started", false],
      ["suppression-create", "succeeded", false],
    ]);
    expect(entries.at(-1)).toMatchObject({ time: "2026-06-01T00:00:00.000Z", stepId: "1-create-app-ci", after: { name: "app-ci", reason: "FalsePositive" } });
  });

  it("journals drift: the rule changed in Azure after the plan was made", async () => {
    const store = new InMemorySuppressionRulesStore([], { clock });
    const journal = new InMemoryJournal();
    const plan = planSuppressionChanges([rule], []);
    await store.put({ ...rule, reason: "Other" });
    const result = await applySuppressionChanges(plan, { store, journal, clock });
    expect(result.steps[0]?.status).toBe("applied");
    const started = (await journal.entries()).find((entry) => entry.event === "started");
    expect(started).toMatchObject({ data: { drifted: true }, before: { reason: "Other" } });
    expect(started?.message).toContain("changed in Azure since the plan was made");
  });

  it("applies a plan that was saved as JSON and read back (plans are reviewable files)", async () => {
    const store = new InMemorySuppressionRulesStore([], { clock });
    const saved = JSON.parse(JSON.stringify(planSuppressionChanges([rule], [])));
    const result = await applySuppressionChanges(saved, { store, clock });
    expect(result.steps.map((step) => step.status)).toEqual(["applied"]);
    expect((await store.get("app-ci"))?.expiresOn).toBe("2026-07-01T00:00:00.000Z");
  });
});
