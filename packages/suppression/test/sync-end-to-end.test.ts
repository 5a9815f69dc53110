import type { Clock } from "@keywarden/core";
import { readFileSync } from "node:fs";
import { InMemoryJournal } from "@keywarden/core";
import type { AlertsSuppressionRuleProperties } from "@keywarden/testing";
import { useFakeAzure } from "@keywarden/testing/vitest";
import { SecurityCenter } from "@azure/arm-security";
import { describe, expect, it } from "vitest";
import {
  SuppressionCodes,
  SuppressionValidationError,
  applySuppressionChanges,
  createArmAlertStateStore,
  createArmSuppressionRulesStore,
  defineSuppressionRule,
  planSuppressionChanges,
  previewSuppression,
  type ExistingSuppressionRule,
  type SuppressionPlan,
  type SuppressionRulesStore,
} from "../src/index.js";

const SUB = "0f907ea4-bc8b-4c11-9d7e-805c2fd144fb";
const RULES = `/subscriptions/${SUB}/providers/Microsoft.Security/alertsSuppressionRules`;
const simulated = JSON.parse(readFileSync(new URL("fixtures/kv-simulated-alerts.xsoar-excerpt.json", import.meta.url), "utf8")).value;
const armRule = (name: string, properties: AlertsSuppressionRuleProperties) => ({ id: `${RULES}/${name}`, name, type: "Microsoft.Security/alertsSuppressionRules", properties });

const azure = useFakeAzure({
  seed: {
    time: "2026-06-01T00:00:00.000Z",
    subscriptions: [{ subscriptionId: SUB }],
    alerts: simulated,
    suppressionRules: [
      armRule("tor-sample", { alertType: "SIMULATED_KV_TORAccess", reason: "FalsePositive", state: "Enabled", expirationDateUtc: "2026-06-10T00:00:00Z", comment: "sample alerts", suppressionAlertsScope: { allOf: [{ field: "entities.ip.address", in: ["00.00.00.00"] }] } }),
      armRule("app-ci", { alertType: "KV_AppAnomaly", reason: "Other", state: "Enabled", expirationDateUtc: "2026-07-01T00:00:00Z" }),
      armRule("legacy-everything", { alertType: "*", reason: "Noise", state: "Enabled" }),
    ],
  },
});

const retryOptions = { maxRetries: 0, retryDelayInMs: 1, maxRetryDelayInMs: 10 };
const store = (): SuppressionRulesStore => createArmSuppressionRulesStore({ credential: azure.credential, subscriptionId: SUB, clientOptions: { retryOptions } });
const clock: Clock = {
  now: () => azure.clock.now(),
  // A throttled wait moves the fake tenant's clock on instead of sleeping.
  sleep: (ms) => {
    azure.clock.advance(ms);
    return Promise.resolve();
  },
};

const desired = [
  defineSuppressionRule({
    name: "tor-sample",
    alertType: "SIMULATED_KV_TORAccess",
    reason: "FalsePositive",
    comment: "sample alerts",
    expiresOn: "2026-08-01T00:00:00Z",
    scope: [{ field: "entities.ip.address", in: ["00.00.00.00"] }],
  }),
  defineSuppressionRule({ name: "app-ci", alertType: "KV_AppAnomaly", reason: "FalsePositive", comment: "CI pipeline SP (SEC-77)", expiresOn: "2026-07-01T00:00:00Z", scope: [{ field: "entities.account.aaduserid", in: ["6a3f0d1e-0000-4000-8000-000000000001"] }] }),
  defineSuppressionRule({
    name: "sample-volume",
    alertType: "SIMULATED_KV_OperationVolumeAnomaly",
    reason: "NotRelevant",
    expiresOn: "2026-07-15T00:00:00Z",
    scope: [{ field: "entities.azureresource.resourceid", contains: "/vaults/sample-kv" }],
  }),
];

async function existing(target = store()): Promise<ExistingSuppressionRule[]> {
  const rules: ExistingSuppressionRule[] = [];
  for await (const rule of target.list()) rules.push(rule);
  return rules.sort((a, b) => a.name.localeCompare(b.name));
}

const writes = () => azure.calls.filter({ url: "alertsSuppressionRules" }).filter((call) => call.method === "PUT" || call.method === "DELETE");

describe("sync through the fake tenant with @azure/arm-security", () => {
  it("plans create, update, extend and delete from what the subscription holds", async () => {
    const plan = planSuppressionChanges(desired, await existing());
    expect(plan.changes.map((change) => [change.kind, change.name])).toEqual([
      ["extend", "tor-sample"],
      ["update", "app-ci"],
      ["create", "sample-volume"],
      ["delete", "legacy-everything"],
    ]);
  });

  it("dry run reads, reports and writes nothing", async () => {
    const before = azure.exportSeed().suppressionRules;
    const plan = planSuppressionChanges(desired, await existing());
    const journal = new InMemoryJournal();
    const result = await applySuppressionChanges(plan, { store: store(), dryRun: true, journal, clock });
    expect(result.steps.map((step) => step.status)).toEqual(["would-apply", "would-apply", "would-apply", "would-apply"]);
    expect(writes()).toEqual([]);
    expect(azure.exportSeed().suppressionRules).toEqual(before);
    expect((await journal.entries()).every((entry) => entry.dryRun === true)).toBe(true);
  });

  it("applies, verifies, journals, and a re-apply is a no-op", async () => {
    const plan = planSuppressionChanges(desired, await existing());
    const journal = new InMemoryJournal();
    const result = await applySuppressionChanges(plan, { credential: azure.credential, subscriptionId: SUB, clientOptions: { retryOptions }, journal, clock });
    expect(result.ok).toBe(true);
    expect(result.steps.map((step) => [step.name, step.status])).toEqual([
      ["tor-sample", "applied"],
      ["app-ci", "applied"],
      ["sample-volume", "applied"],
      ["legacy-everything", "applied"],
    ]);
    expect(writes().map((call) => `${call.method} ${call.status ?? "?"} ${call.path.split("/").pop() ?? ""}`)).toEqual([
      "PUT 200 tor-sample",
      "PUT 200 app-ci",
      "PUT 200 sample-volume",
      "DELETE 204 legacy-everything",
    ]);

    const now = await existing();
    expect(now.map((rule) => [rule.name, rule.reason, rule.expiresOn, rule.state])).toEqual([
      ["app-ci", "FalsePositive", "2026-07-01T00:00:00.000Z", "Enabled"],
      ["sample-volume", "NotRelevant", "2026-07-15T00:00:00.000Z", "Enabled"],
      ["tor-sample", "FalsePositive", "2026-08-01T00:00:00.000Z", "Enabled"],
    ]);
    expect(now.find((rule) => rule.name === "sample-volume")?.scope).toEqual([{ field: "entities.azureresource.resourceid", contains: "/vaults/sample-kv" }]);

    const entries = await journal.entries();
    expect(entries.filter((entry) => entry.stepId === "1-extend-tor-sample").map((entry) => entry.event)).toEqual(["planned", "started", "succeeded"]);
    const succeeded = entries.find((entry) => entry.stepId === "1-extend-tor-sample" && entry.event === "succeeded");
    expect(succeeded).toMatchObject({ planId: plan.planId, code: SuppressionCodes.changeApplied, before: { expiresOn: "2026-06-10T00:00:00.000Z" }, after: { expiresOn: "2026-08-01T00:00:00.000Z" } });

    const writesSoFar = writes().length;
    const again = await applySuppressionChanges(plan, { store: store(), clock });
    expect(again.steps.map((step) => step.status)).toEqual(["already-applied", "already-applied", "already-applied", "already-applied"]);
    expect(writes().length).toBe(writesSoFar);
    expect(planSuppressionChanges(desired, await existing()).changes).toEqual([]);
  });

  it("writes nothing when any rule in the plan is invalid, or expires in the past", async () => {
    const plan = planSuppressionChanges(desired, await existing());
    const tampered: SuppressionPlan = { ...plan, changes: plan.changes.map((change) => (change.kind === "create" ? { ...change, after: { ...change.after, reason: "Because" as never } } : change)) };
    await expect(applySuppressionChanges(tampered, { store: store(), clock })).rejects.toBeInstanceOf(SuppressionValidationError);
    const late = planSuppressionChanges([{ ...desired[2]!, expiresOn: "2026-05-01T00:00:00.000Z" }], await existing(), { prune: false });
    const error = await applySuppressionChanges(late, { store: store(), clock }).catch((caught: unknown) => caught);
    expect((error as SuppressionValidationError).issues.map((issue) => issue.code)).toEqual([SuppressionCodes.invalidExpiry]);
    const invalid = planSuppressionChanges([{ ...desired[0]!, name: "x" }], []);
    await expect(applySuppressionChanges(invalid, { store: store(), clock })).rejects.toMatchObject({ code: SuppressionCodes.invalidRules });
    expect(writes()).toEqual([]);
  });

  it("waits out HTTP 429 (Retry-After) and carries on", async () => {
    azure.faults.inject({ method: "PUT", url: /alertsSuppressionRules\/sample-volume/, status: 429, headers: { "Retry-After": "7" }, times: 2 });
    const waits: number[] = [];
    const plan = planSuppressionChanges(desired, await existing(), { prune: false });
    const journal = new InMemoryJournal();
    const result = await applySuppressionChanges(plan, { store: store(), journal, clock: { now: () => clock.now(), sleep: (ms) => Promise.resolve(void waits.push(ms)) } });
    expect(result.ok).toBe(true);
    expect(waits).toEqual([7000, 7000]);
    expect((await journal.entries()).filter((entry) => entry.code === SuppressionCodes.throttled)).toHaveLength(2);
  });

  it("stops at a failed step, journals it, and resumes on re-apply", async () => {
    azure.faults.inject({ method: "PUT", url: /alertsSuppressionRules\/app-ci/, status: 403, times: 1 });
    const plan = planSuppressionChanges(desired, await existing());
    const journal = new InMemoryJournal();
    const first = await applySuppressionChanges(plan, { store: store(), journal, clock });
    expect(first.ok).toBe(false);
    expect(first.steps.map((step) => step.status)).toEqual(["applied", "failed", "not-run", "not-run"]);
    expect(first.steps[1]?.error).toMatchObject({ code: SuppressionCodes.applyFailed, status: 403 });
    const resumed = await applySuppressionChanges(plan, { store: store(), clock });
    expect(resumed.steps.map((step) => step.status)).toEqual(["already-applied", "applied", "applied", "applied"]);
  });

  it("dismisses the open alerts the rules cover, once", async () => {
    const alerts = createArmAlertStateStore({ credential: azure.credential, subscriptionId: SUB, clientOptions: { retryOptions } });
    const plan = planSuppressionChanges(desired, await existing());
    const dry = await applySuppressionChanges(plan, { store: store(), clock, dryRun: true, updateAlerts: { alerts, action: "dismiss" } });
    expect(dry.alerts?.results.map((entry) => [entry.alertType, entry.status])).toEqual([
      ["SIMULATED_KV_OperationVolumeAnomaly", "would-update"],
      ["SIMULATED_KV_TORAccess", "would-update"],
    ]);
    expect(azure.calls.filter({ method: "POST" })).toEqual([]);

    const result = await applySuppressionChanges(plan, { store: store(), clock, updateAlerts: { alerts, action: "dismiss" } });
    expect(result.alerts?.results.map((entry) => [entry.alertType, entry.status, entry.rules])).toEqual([
      ["SIMULATED_KV_OperationVolumeAnomaly", "updated", ["sample-volume"]],
      ["SIMULATED_KV_TORAccess", "updated", ["tor-sample"]],
    ]);
    const statuses = new Map<string, string>();
    for await (const alert of alerts.list()) statuses.set(alert.alertType, alert.status);
    expect(Object.fromEntries(statuses)).toEqual({
      SIMULATED_KV_OperationVolumeAnomaly: "Dismissed",
      SIMULATED_KV_AccountVolumeAnomaly: "Active",
      SIMULATED_KV_ListGetAnomaly: "Active",
      SIMULATED_KV_PutGetAnomaly: "Active",
      SIMULATED_KV_TORAccess: "Dismissed",
    });

    const posts = azure.calls.filter({ method: "POST" }).length;
    const again = await applySuppressionChanges(plan, { store: store(), clock, updateAlerts: { alerts, action: "dismiss" } });
    expect(again.alerts?.results.map((entry) => entry.status)).toEqual(["already-closed", "already-closed"]);
    expect(azure.calls.filter({ method: "POST" }).length).toBe(posts);
  });

  it("previews exactly what the tenant then suppresses when new alerts arrive", async () => {
    await applySuppressionChanges(planSuppressionChanges(desired, await existing()), { store: store(), clock });
    const alerts = createArmAlertStateStore({ credential: azure.credential, subscriptionId: SUB, clientOptions: { retryOptions } });
    const before = new Set<string>();
    for await (const alert of alerts.list()) before.add(alert.id);

    await new SecurityCenter(azure.credential, SUB, { retryOptions }).alerts.simulate("centralus", { properties: { kind: "Bundles", bundles: ["KeyVaults"] } });
    const arrived = [];
    for await (const alert of alerts.list()) if (!before.has(alert.id)) arrived.push(alert);
    expect(arrived).toHaveLength(5);

    const preview = previewSuppression(desired, arrived, { at: new Date(clock.now()) });
    const dismissedByTenant = arrived.filter((alert) => alert.status === "Dismissed").map((alert) => alert.id);
    expect(dismissedByTenant.length).toBeGreaterThan(0);
    expect(new Set(preview.suppressedAlertIds)).toEqual(new Set(dismissedByTenant));
  });

  it("bulk state updates wait out HTTP 429 and still update every covered alert", async () => {
    azure.faults.inject({ method: "POST", url: /\/resolve/, status: 429, headers: { "retry-after-ms": "3" }, times: 1 });
    const alerts = createArmAlertStateStore({ credential: azure.credential, subscriptionId: SUB, clientOptions: { retryOptions } });
    const result = await applySuppressionChanges(planSuppressionChanges(desired, await existing()), {
      store: store(),
      clock,
      updateAlerts: { alerts, action: "resolve" },
    });
    expect(azure.calls.count({ method: "POST", status: 429 })).toBe(1);
    expect(result.alerts?.results.map((entry) => entry.status)).toEqual(["updated", "updated"]);
    expect((await alerts.get(result.alerts!.results[0]!.alertId))?.status).toBe("Resolved");
  });

});
