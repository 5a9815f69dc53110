import type { Clock } from "@keywarden/core";
import { InMemoryJournal } from "@keywarden/core";
import { useFakeAzure } from "@keywarden/testing/vitest";
import { describe, expect, it } from "vitest";
import {
  SuppressionCodes,
  SuppressionLintError,
  applySuppressionChanges,
  createArmSuppressionRulesStore,
  defineSuppressionRule,
  planSuppressionChanges,
  type ExistingSuppressionRule,
} from "../src/index.js";

const SUB = "0f907ea4-bc8b-4c11-9d7e-805c2fd144fb";
const azure = useFakeAzure({ seed: { time: "2026-06-01T00:00:00.000Z", subscriptions: [{ subscriptionId: SUB }] } });
const retryOptions = { maxRetries: 0, retryDelayInMs: 1, maxRetryDelayInMs: 10 };
const store = () => createArmSuppressionRulesStore({ credential: azure.credential, subscriptionId: SUB, clientOptions: { retryOptions } });
const clock: Clock = {
  now: () => azure.clock.now(),
  // A throttled wait moves the fake tenant's clock on instead of sleeping.
  sleep: (ms) => {
    azure.clock.advance(ms);
    return Promise.resolve();
  },
};

/** Valid for the service; lint error E0205: never expires and matches every alert type, blinding Defender. */
const blinding = defineSuppressionRule({ name: "hide-everything", alertType: "*", reason: "Other", comment: "Too noisy." });

async function existing(): Promise<ExistingSuppressionRule[]> {
  const rules: ExistingSuppressionRule[] = [];
  for await (const rule of store().list()) rules.push(rule);
  return rules;
}

describe("applySuppressionChanges honours lint (issue 13)", () => {
  it("refuses a plan with lint errors, listing them, and writes nothing (dry run included)", async () => {
    const plan = planSuppressionChanges([blinding], await existing());
    for (const dryRun of [false, true]) {
      const error = await applySuppressionChanges(plan, { store: store(), clock, dryRun }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SuppressionLintError);
      expect((error as SuppressionLintError).code).toBe(SuppressionCodes.lintErrors);
      expect((error as SuppressionLintError).findings.map((f) => f.code)).toContain(SuppressionCodes.allAlertTypes);
      expect((error as Error).message).toMatch(/hide-everything.*KW_SUPPRESSION_E0205/);
    }
    expect(azure.calls.filter({ method: "PUT" })).toHaveLength(0);
    expect(await existing()).toEqual([]);
  });

  it("applies with an explicit override, and the journal records the reason and the findings", async () => {
    const plan = planSuppressionChanges([blinding], await existing());
    const journal = new InMemoryJournal();
    const result = await applySuppressionChanges(plan, { store: store(), clock, journal, allowLintErrors: { reason: "INC-4711: outage, approved by the CISO for 2 hours" } });
    expect(result.ok).toBe(true);
    const entries = await journal.entries();
    expect(entries).toContainEqual(
      expect.objectContaining({ code: SuppressionCodes.lintOverridden, data: expect.objectContaining({ reason: "INC-4711: outage, approved by the CISO for 2 hours" }) }),
    );
    expect((await existing()).map((rule) => rule.name)).toEqual(["hide-everything"]);
  });

  it("an empty override reason is no override", async () => {
    // Planned against an explicitly empty subscription, not against whatever the fake holds at this point: with the
    // rule already in place (state left by another test) the plan would be "unchanged" and prove nothing.
    const plan = planSuppressionChanges([blinding], []);
    expect(plan.changes.map((change) => change.kind)).toEqual(["create"]);
    for (const reason of ["", "  ", "\t\n"]) {
      const error = await applySuppressionChanges(plan, { store: store(), clock, allowLintErrors: { reason } }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SuppressionLintError);
      expect((error as SuppressionLintError).findings.map((f) => f.code)).toContain(SuppressionCodes.allAlertTypes);
    }
    expect(azure.calls.filter({ method: "PUT" })).toHaveLength(0);
  });
});
