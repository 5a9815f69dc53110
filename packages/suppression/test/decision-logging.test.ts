import type { Clock } from "@keywarden/core";
import { readFileSync } from "node:fs";
import { forgedOutputProblems, HOSTILE_TEXT, replaceStrings, type AlertsSuppressionRuleProperties, type FakeAzureSeed } from "@keywarden/testing";
import { captureAzureLogs, useFakeAzure } from "@keywarden/testing/vitest";
import { describe, expect, it } from "vitest";
import {
  SuppressionLintError,
  applySuppressionChanges,
  createArmAlertStateStore,
  createArmSuppressionRulesStore,
  defineSuppressionRule,
  logger,
  planSuppressionChanges,
  previewSuppression,
  type ExistingSuppressionRule,
  type ManagedAlert,
} from "../src/index.js";

/*
 * Suppression's decisions are logged at verbose through the package's exported logger (captured the way an
 * integrator routes @azure/logger output), from the real @azure/arm-security clients against the fake tenant.
 */
const SUB = "0f907ea4-bc8b-4c11-9d7e-805c2fd144fb";
const RULES = `/subscriptions/${SUB}/providers/Microsoft.Security/alertsSuppressionRules`;
const HOSTILE = HOSTILE_TEXT.join(" · ");
const simulated = (JSON.parse(readFileSync(new URL("fixtures/kv-simulated-alerts.xsoar-excerpt.json", import.meta.url), "utf8")) as { value: NonNullable<FakeAzureSeed["alerts"]> }).value;
// The list/get anomaly comes from an attacker-chosen address: its IP entity's value is hostile text.
const alerts = simulated.map((alert) =>
  alert.properties?.alertType === "SIMULATED_KV_ListGetAnomaly" ? replaceStrings(alert, (text, path) => (path.at(-1) === "address" ? HOSTILE : text)) : alert,
);
const armRule = (name: string, properties: AlertsSuppressionRuleProperties) => ({ id: `${RULES}/${name}`, name, type: "Microsoft.Security/alertsSuppressionRules", properties });

const azure = useFakeAzure({
  seed: {
    time: "2026-06-01T00:00:00.000Z",
    subscriptions: [{ subscriptionId: SUB }],
    alerts,
    suppressionRules: [
      armRule("tor-sample", { alertType: "SIMULATED_KV_TORAccess", reason: "FalsePositive", state: "Enabled", expirationDateUtc: "2026-06-10T00:00:00Z", comment: "sample alerts", suppressionAlertsScope: { allOf: [{ field: "entities.ip.address", in: ["00.00.00.00"] }] } }),
      armRule("app-ci", { alertType: "KV_AppAnomaly", reason: "Other", state: "Enabled", expirationDateUtc: "2026-07-01T00:00:00Z" }),
      armRule("legacy-everything", { alertType: "*", reason: "Noise", state: "Enabled" }),
    ],
  },
});

const retryOptions = { maxRetries: 0, retryDelayInMs: 1, maxRetryDelayInMs: 10 };
const store = () => createArmSuppressionRulesStore({ credential: azure.credential, subscriptionId: SUB, clientOptions: { retryOptions } });
const alertStore = () => createArmAlertStateStore({ credential: azure.credential, subscriptionId: SUB, clientOptions: { retryOptions } });
const clock: Clock = {
  now: () => azure.clock.now(),
  sleep: (ms) => {
    azure.clock.advance(ms);
    return Promise.resolve();
  },
};

const torSample = defineSuppressionRule({ name: "tor-sample", alertType: "SIMULATED_KV_TORAccess", reason: "FalsePositive", comment: "sample alerts", expiresOn: "2026-08-01T00:00:00Z", scope: [{ field: "entities.ip.address", in: ["00.00.00.00"] }] });
const appCi = defineSuppressionRule({ name: "app-ci", alertType: "KV_AppAnomaly", reason: "FalsePositive", comment: "CI pipeline SP (SEC-77)", expiresOn: "2026-07-01T00:00:00Z", scope: [{ field: "entities.account.aaduserid", in: ["6a3f0d1e-0000-4000-8000-000000000001"] }] });
const sampleVolume = defineSuppressionRule({ name: "sample-volume", alertType: "SIMULATED_KV_OperationVolumeAnomaly", reason: "NotRelevant", expiresOn: "2026-07-15T00:00:00Z", scope: [{ field: "entities.azureresource.resourceid", contains: "/vaults/sample-kv" }] });
const desired = [torSample, appCi, sampleVolume];

async function existing(): Promise<ExistingSuppressionRule[]> {
  const rules: ExistingSuppressionRule[] = [];
  for await (const rule of store().list()) rules.push(rule);
  return rules.sort((a, b) => a.name.localeCompare(b.name));
}

async function managedAlerts(): Promise<ManagedAlert[]> {
  const list: ManagedAlert[] = [];
  for await (const alert of alertStore().list()) list.push(alert);
  return list;
}

describe("suppression logs each decision at verbose", () => {
  const { lines } = captureAzureLogs("verbose");
  const decisions = () => lines.filter((line) => line.startsWith("azure:keywarden-suppression:verbose ")).map((line) => line.slice("azure:keywarden-suppression:verbose ".length));

  it("says why the plan creates, updates, extends, deletes, or leaves each rule", async () => {
    expect(logger.verbose.namespace).toBe("azure:keywarden-suppression:verbose");
    const current = await existing();
    const plan = planSuppressionChanges(desired, current);
    const about = `suppression plan ${plan.planId}: `;
    expect(decisions()).toEqual([
      `${about}extend tor-sample: only the expiry moves later (2026-06-10T00:00:00.000Z -> 2026-08-01T00:00:00.000Z)`,
      `${about}update app-ci: reason, comment, scope differ`,
      `${about}create sample-volume: no rule of that name in the subscription`,
      `${about}delete legacy-everything: in the subscription but not in the desired rules`,
    ]);

    lines.length = 0;
    const kept = planSuppressionChanges([{ ...torSample, expiresOn: "2026-06-05T00:00:00.000Z" }], current, { prune: false });
    expect(decisions()).toEqual([
      `suppression plan ${kept.planId}: update tor-sample: expiresOn differ; the expiry moves earlier, which is not an extension`,
      `suppression plan ${kept.planId}: keep app-ci: not in the desired rules, but prune is off`,
      `suppression plan ${kept.planId}: keep legacy-everything: not in the desired rules, but prune is off`,
    ]);

    lines.length = 0;
    const invalid = planSuppressionChanges([{ ...torSample, name: "x" }], current);
    expect(decisions()[0]).toBe(`suppression plan ${invalid.planId}: no changes: the desired rules have 1 validation issue(s)`);
    expect(decisions()[1]).toBe(`suppression plan ${invalid.planId}: issue ${invalid.issues[0]?.code ?? "?"} in rule #0 at $[0].name`);
  });

  it("says which alert each rule suppresses or not and why, expiry included, with alert text escaped", async () => {
    const listGet = defineSuppressionRule({ name: "list-get-ci", alertType: "SIMULATED_KV_ListGetAnomaly", reason: "FalsePositive", expiresOn: "2026-07-01T00:00:00Z", scope: [{ field: "entities.ip.address", in: ["203.0.113.10"] }] });
    const lapsed = defineSuppressionRule({ name: "lapsed", alertType: "SIMULATED_KV_PutGetAnomaly", reason: "Other", expiresOn: "2026-05-01T00:00:00Z" });
    const off = defineSuppressionRule({ name: "off", alertType: "SIMULATED_KV_PutGetAnomaly", reason: "Other", state: "Disabled", expiresOn: "2026-07-01T00:00:00Z" });
    const all = await managedAlerts();
    const tor = all.find((alert) => alert.alertType === "SIMULATED_KV_TORAccess")!;
    const hostile = all.find((alert) => alert.alertType === "SIMULATED_KV_ListGetAnomaly")!;
    lines.length = 0;
    previewSuppression([torSample, listGet, lapsed, off], all, { at: new Date(clock.now()) });
    const logged = decisions();
    expect(logged).toContain(`preview rule tor-sample: suppresses alert ${tor.id} (SIMULATED_KV_TORAccess): every scope condition matched an entity of the alert`);
    expect(logged).toContain("preview rule tor-sample (SIMULATED_KV_TORAccess): 1 alert(s) considered, 1 suppressed, 0 not");
    const miss = logged.find((line) => line.startsWith(`preview rule list-get-ci: does not suppress alert ${hostile.id} (SIMULATED_KV_ListGetAnomaly): condition 0 (entities.ip.address in [203.0.113.10]) failed: the alert has [`));
    expect(miss).toBeDefined();
    expect(logged).toContain("preview rule lapsed: inactive (the rule expired at 2026-05-01T00:00:00.000Z), so it suppresses nothing");
    expect(logged).toContain("preview rule off: inactive (the rule is disabled), so it suppresses nothing");
    expect(logged).toContain("preview rule lapsed (SIMULATED_KV_PutGetAnomaly): 1 alert(s) considered, 0 suppressed, 1 not");
    // The hostile entity value reaches the log on one line, with no control, bidi or zero-width character left.
    for (const line of lines) expect(forgedOutputProblems(line, "text")).toEqual([]);
    expect(miss).toContain("error: forged line");
  });

  it("says what apply skips, would do, finds drifted, refuses, or does not run", async () => {
    const plan = planSuppressionChanges(desired, await existing());
    const about = `suppression plan ${plan.planId}`;
    lines.length = 0;
    await applySuppressionChanges(plan, { store: store(), clock, dryRun: true });
    expect(decisions()).toContain(`${about} step 1-extend-tor-sample: dry run: would extend tor-sample`);
    expect(decisions()).toContain(`${about} step 4-delete-legacy-everything: dry run: would delete legacy-everything`);

    // Someone edits app-ci in the portal after the plan was made, and a write of sample-volume is refused.
    await store().put({ ...appCi, comment: "edited in the portal" });
    azure.faults.inject({ method: "PUT", url: /alertsSuppressionRules\/sample-volume/, status: 403, times: 1 });
    lines.length = 0;
    await applySuppressionChanges(plan, { store: store(), clock });
    expect(decisions()).toContain(`${about} step 2-update-app-ci: app-ci changed in Azure since the plan was made (it no longer matches the plan's before); the plan's version replaces it`);
    expect(decisions()).toContain(`${about} step 4-delete-legacy-everything: not run: an earlier step failed`);

    lines.length = 0;
    await applySuppressionChanges(plan, { store: store(), clock });
    expect(decisions()).toContain(`${about} step 1-extend-tor-sample: extend tor-sample skipped: the rule in Azure is already as desired`);

    const blinding = planSuppressionChanges([defineSuppressionRule({ name: "hide-everything", alertType: "*", reason: "Other" })], [], { prune: false });
    lines.length = 0;
    await expect(applySuppressionChanges(blinding, { store: store(), clock })).rejects.toBeInstanceOf(SuppressionLintError);
    expect(decisions()).toContainEqual(expect.stringMatching(new RegExp(`^suppression plan ${blinding.planId}: lint error KW_SUPPRESSION_E0205 in rule hide-everything$`, "u")));
    expect(decisions()).toContain(`suppression plan ${blinding.planId}: refused: ${decisions().filter((line) => line.includes(": lint error ")).length} lint error(s) and no allowLintErrors reason`);

    const late = planSuppressionChanges([{ ...sampleVolume, name: "late", expiresOn: "2026-05-01T00:00:00.000Z" }], [], { prune: false });
    lines.length = 0;
    await expect(applySuppressionChanges(late, { store: store(), clock })).rejects.toMatchObject({ name: "SuppressionValidationError" });
    expect(decisions()).toContainEqual(expect.stringMatching(new RegExp(`^suppression plan ${late.planId}: refused: KW_SUPPRESSION_E\\d+ in rule late at \\$\\.expiresOn \\(expected an instant after now \\(2026-06-01T00:00:00\\.000Z\\)\\)$`, "u")));
  });

  it("says which covered alerts it dismisses and which it leaves alone", async () => {
    const plan = planSuppressionChanges(desired, await existing());
    const tor = (await managedAlerts()).find((alert) => alert.alertType === "SIMULATED_KV_TORAccess")!;
    const about = `suppression ${plan.planId} alert ${tor.id} (SIMULATED_KV_TORAccess), covered by tor-sample`;
    lines.length = 0;
    await applySuppressionChanges(plan, { store: store(), clock, updateAlerts: { alerts: alertStore(), action: "dismiss" } });
    expect(decisions()).toContain(`${about}: sets Active -> Dismissed: the service suppresses only new alerts, not this open one`);
    lines.length = 0;
    await applySuppressionChanges(plan, { store: store(), clock, updateAlerts: { alerts: alertStore(), action: "dismiss" } });
    expect(decisions()).toContain(`${about}: left alone: already Dismissed`);
  });
});
