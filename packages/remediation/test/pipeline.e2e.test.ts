import { DefenderAlertsClient } from "@keywarden/alerts";
import { InMemoryJournal } from "@keywarden/core";
import { useFakeAzure } from "@keywarden/testing/vitest";
import { impactFromAlert, type ImpactReport } from "@keywarden/impact";
import { ArmVaultInspector, GraphDirectory, triageAlert } from "@keywarden/triage";
import { describe, expect, it } from "vitest";
import {
  alertStateClientFrom,
  applyPlan,
  formatPlan,
  planResponse,
  planRollback,
  randomValueRotator,
  validatePlan,
  type ImpactInput,
} from "../src/index.js";
import { executorsFor, fastOptions } from "./support/harness.js";
import { ALERT_ID, ATTACKER, BYSTANDER, remediationSeed, RESPONDER_IP, TENANT, VAULT_ID } from "./support/seed.js";

const tenant = useFakeAzure({ seed: remediationSeed(), autoAdvanceInMs: 1000 });
const noRetry = { retryOptions: { maxRetries: 0 } };

async function triage() {
  const alerts = new DefenderAlertsClient(tenant.credential, noRetry);
  const alert = await alerts.getAlert(ALERT_ID);
  return triageAlert(
    alert,
    {
      tenantId: TENANT,
      vaults: new ArmVaultInspector(tenant.credential, noRetry),
      directory: new GraphDirectory(tenant.credential, noRetry),
      now: () => new Date("2026-11-28T09:00:00Z"),
    },
    { simulatedAlerts: "respond" },
  );
}

const impact: ImpactInput = {
  vault: { name: "kv-prod", resourceId: VAULT_ID },
  callers: [
    { ipAddress: "185.220.101.45", objectId: ATTACKER, count: 3, lastTime: "2026-11-28T08:44:00Z", suspicious: true },
    // Another address of the same attack: cutting it off is the point, so it is not listed as collateral.
    { ipAddress: "185.220.101.46", objectId: ATTACKER, count: 2, suspicious: true },
    { ipAddress: "198.51.100.7", objectId: BYSTANDER, count: 120, lastTime: "2026-11-28T08:59:00Z" },
    { ipAddress: "192.0.2.99", userPrincipalName: "build@contoso.example", count: 40, lastTime: "2026-11-28T08:30:00Z" },
  ],
  toRotate: [{ type: "secret", name: "db-password", versions: [], reason: "SecretGet by the suspicious caller" }],
};

describe("alert → triage → plan → review → apply → rollback", () => {
  it("plans, applies and rolls back a real triage report through the fake tenant", async () => {
    const report = await triage();
    expect(report.decision.recommendedActions.map((action) => action.kind)).toContain("enable-firewall");

    const plan = planResponse(report, impact, {
      now: "2026-11-28T09:01:00Z",
      firewall: { addIpRules: [RESPONDER_IP] },
      secrets: { allowRandomValue: true },
    });
    expect(validatePlan(JSON.parse(JSON.stringify(plan)))).toEqual(plan);
    expect(planResponse(report, impact, { now: "2026-11-28T09:01:00Z", firewall: { addIpRules: [RESPONDER_IP] }, secrets: { allowRandomValue: true } }).id).toBe(plan.id);
    const kinds = plan.steps.map((step) => step.kind);
    expect(kinds[0]).toBe("update-alert-state");
    expect(kinds.at(-1)).toBe("update-alert-state");
    expect(kinds).toContain("enable-firewall");

    const firewall = plan.steps.find((step) => step.kind === "enable-firewall");
    expect(firewall?.kind === "enable-firewall" && firewall.parameters.cutOffCallers.map((caller) => caller.ipAddress)).toEqual(["192.0.2.99"]);
    const text = formatPlan(plan);
    expect(text).toContain("firewall: defaultAction Allow → Deny; keep 3 existing rules; add 203.0.113.10");
    expect(text).toContain("cut off: 192.0.2.99 (build@contoso.example), 40 request(s)");

    const journal = new InMemoryJournal();
    const alerts = alertStateClientFrom(new DefenderAlertsClient(tenant.credential, noRetry));
    const harness = executorsFor(tenant, { rotators: [randomValueRotator()], alerts });
    const approvals: string[] = [];
    const result = await applyPlan(plan, fastOptions(journal, harness.executors, { approve: ({ step }) => (approvals.push(step.id), true) }));
    expect(result.status, JSON.stringify(result.steps.filter((step) => step.error))).toBe("completed");
    expect(approvals.length).toBe(plan.steps.filter((step) => step.requiresApproval).length);
    const vault = tenant.state.vaults.get(VAULT_ID)?.resource.properties;
    expect(vault?.networkAcls?.defaultAction).toBe("Deny");
    expect((vault?.networkAcls?.ipRules ?? []).length).toBe(3);
    expect(await alerts.getAlertState(ALERT_ID)).toBe("Resolved");

    const rollback = await planRollback(journal, { now: "2026-11-28T09:30:00Z" });
    expect(rollback.basedOn.rollbackOf).toBe(plan.id);
    const undo = await applyPlan(rollback, fastOptions(new InMemoryJournal(), harness.executors));
    expect(undo.status).toBe("completed");
    expect(tenant.state.vaults.get(VAULT_ID)?.resource.properties.networkAcls?.defaultAction).toBe("Allow");
    expect(await alerts.getAlertState(ALERT_ID)).toBe("Active");
  });

  it("takes an ImpactReport from @keywarden/impact as it is", async () => {
    const alerts = new DefenderAlertsClient(tenant.credential, noRetry);
    const alert = await alerts.getAlert(ALERT_ID);
    const report: ImpactReport = impactFromAlert(alert, { now: "2026-11-28T09:00:00Z" });
    const accepted: ImpactInput = report;
    const plan = planResponse(await triage(), accepted, { now: "2026-11-28T09:01:00Z" });
    expect(validatePlan(plan)).toEqual(plan);
    const rotate = plan.steps.find((step) => step.kind === "rotate-secrets");
    expect(rotate?.target.objects?.map((object) => object.name)).toContain("db-password");
  });
});
