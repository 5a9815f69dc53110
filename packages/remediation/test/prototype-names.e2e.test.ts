import { DefenderAlertsClient } from "@keywarden/alerts";
import { InMemoryJournal } from "@keywarden/core";
import { useFakeAzure } from "@keywarden/testing/vitest";
import { ArmVaultInspector, GraphDirectory, triageAlert } from "@keywarden/triage";
import { describe, expect, it } from "vitest";
import { alertStateClientFrom, applyPlan, formatPlan, planResponse, planRollback, randomValueRotator, stepOutcomesFromJournal, type ImpactInput } from "../src/index.js";
import { executorsFor, fastOptions } from "./support/harness.js";
import { ALERT_ID, remediationSeed, RESPONDER_IP, TENANT, VAULT, VAULT_ID } from "./support/seed.js";

/** Valid Key Vault object names that are also members of Object.prototype. */
const NAMES = ["constructor", "hasOwnProperty", "toString", "valueOf"] as const;
const VERSION = "0123456789abcdef0123456789abcdef";

function seed() {
  const base = remediationSeed();
  const data = base.vaultData?.[VAULT];
  if (data === undefined) throw new Error("the remediation seed has no kv-prod data");
  data.secrets = [
    ...(data.secrets ?? []),
    ...NAMES.map((name, index) => ({
      name,
      versions: [
        { value: `old-${index}-a`, version: index === 0 ? VERSION : undefined, attributes: { created: 1_760_000_000 } },
        { value: `old-${index}-b`, attributes: { created: 1_760_001_000 } },
      ].map((version) => (version.version === undefined ? { value: version.value, attributes: version.attributes } : version)),
    })),
  ];
  const alert = base.alerts?.[0] as { properties: { extendedProperties: Record<string, string> } } | undefined;
  // The alert names the exact version of `constructor` that was read: triage keys its versions by object name.
  if (alert !== undefined) alert.properties.extendedProperties["target"] = `https://${VAULT}.vault.azure.net/secrets/constructor/${VERSION}`;
  return base;
}

const tenant = useFakeAzure({ seed: seed(), autoAdvanceInMs: 1000 });
const noRetry = { retryOptions: { maxRetries: 0 } };

describe("objects named after Object.prototype members", () => {
  it("plan, apply, report and rollback handle secrets named constructor, hasOwnProperty, toString and valueOf", async () => {
    const alerts = new DefenderAlertsClient(tenant.credential, noRetry);
    const alert = await alerts.getAlert(ALERT_ID);
    const report = await triageAlert(
      alert,
      {
        tenantId: TENANT,
        vaults: new ArmVaultInspector(tenant.credential, noRetry),
        directory: new GraphDirectory(tenant.credential, noRetry),
        now: () => new Date("2026-11-28T09:00:00Z"),
      },
      { simulatedAlerts: "respond" },
    );
    const impact: ImpactInput = {
      vault: { name: VAULT, resourceId: VAULT_ID },
      callers: [],
      // `constructor` comes from the alert with its exact version; the others from the impact measurement.
      toRotate: NAMES.slice(1).map((name) => ({ type: "secret" as const, name, versions: [], reason: "read by the suspicious caller" })),
    };
    const plan = planResponse(report, impact, { now: "2026-11-28T09:01:00Z", firewall: { addIpRules: [RESPONDER_IP] }, secrets: { allowRandomValue: true } });
    const rotate = plan.steps.find((step) => step.kind === "rotate-secrets");
    expect(rotate?.target.objects?.map((object) => object.name).sort()).toEqual([...NAMES].sort());
    const disable = plan.steps.find((step) => step.kind === "disable-secrets");
    expect(disable?.target.objects?.find((object) => object.name === "constructor")?.versions).toEqual([VERSION]);
    expect(formatPlan(plan)).toContain("constructor");

    const journal = new InMemoryJournal();
    const harness = executorsFor(tenant, { rotators: [randomValueRotator()], alerts: alertStateClientFrom(alerts) });
    const result = await applyPlan(plan, fastOptions(journal, harness.executors));
    const failures = result.steps.filter((step) => step.status === "failed");
    expect(failures, JSON.stringify(failures)).toEqual([]);
    expect(result.steps.find((step) => step.kind === "rotate-secrets")?.status).toBe("succeeded");
    const outcomes = stepOutcomesFromJournal(plan.steps, await journal.entries(), plan.id);
    expect(outcomes.find((outcome) => outcome.kind === "rotate-secrets")?.status).toBe("succeeded");

    const rollback = await planRollback(journal, { now: "2026-11-28T09:30:00Z", planId: plan.id });
    const undo = await applyPlan(rollback, fastOptions(new InMemoryJournal(), harness.executors));
    expect(undo.steps.filter((step) => step.status === "failed")).toEqual([]);
    // The rollback re-enabled the versions the plan disabled, `constructor`'s exposed one included.
    expect(undo.steps.map((step) => step.kind)).toContain("enable-versions");
  });
});
