import { DefenderAlertsClient } from "@keywarden/alerts";
import { InMemoryJournal } from "@keywarden/core";
import { useFakeAzure } from "@keywarden/testing/vitest";
import { describe, expect, it } from "vitest";
import { alertStateClientFrom, applyPlan, randomValueRotator, RemediationCodes, stepOutcomesFromResult, type RemediationPlan } from "../src/index.js";
import { computePlanId } from "../src/plan/plan-id.js";
import { buildPlan, common, executorsFor, fastOptions, vaultTarget, writeCalls } from "./support/harness.js";
import { ALERT_ID, ALERT_NAME, ATTACKER, LOCKED_VAULT, remediationSeed, SUB, VAULT } from "./support/seed.js";

const tenant = useFakeAzure({ seed: remediationSeed(), autoAdvanceInMs: 1000 });

/** The default live executors: only the random-value rotator, which a plan without allowRandomValue may not use. */
const liveExecutors = () => {
  const alerts = alertStateClientFrom(new DefenderAlertsClient(tenant.credential, { retryOptions: { maxRetries: 0 } }));
  return executorsFor(tenant, { rotators: [randomValueRotator()], alerts }).executors;
};
const dryRun = (plan: RemediationPlan, extra: Parameters<typeof fastOptions>[2] = {}) =>
  applyPlan(plan, fastOptions(new InMemoryJournal(), liveExecutors(), { dryRun: true, approve: () => Promise.reject(new Error("a dry run asks nobody")), ...extra }));

const alert = { alert: { id: ALERT_ID, systemAlertId: ALERT_NAME, subscriptionId: SUB } };
const rotate = {
  kind: "rotate-secrets" as const,
  target: { vault: vaultTarget(VAULT), objects: [{ type: "secret" as const, name: "db-password" }] },
  parameters: { allowRandomValue: false },
  ...common,
  reversible: false,
};

describe("a dry run reports, per step, whether the real apply would succeed", () => {
  it("a step that will fail (no rotator) makes the dry run failed, never completed, and the alert is not closed", async () => {
    const plan = buildPlan([
      { kind: "update-alert-state", target: alert, parameters: { state: "InProgress" }, ...common, risk: "safe" },
      rotate,
      { kind: "update-alert-state", target: alert, parameters: { state: "Resolved" }, ...common, risk: "safe" },
    ]);
    const result = await dryRun(plan, { dryRunApproved: true });
    expect(result.status).toBe("failed");
    expect(result.steps.map((step) => step.verdict)).toEqual(["would-succeed", "would-fail", "would-fail"]);
    expect(result.steps[1]?.error?.code).toBe(RemediationCodes.noRotator);
    expect(result.steps[2]?.error?.code).toBe(RemediationCodes.notRun);
    expect(writeCalls(tenant)).toBe(0);
    // The real apply agrees: the rotation fails and the alert stays open.
    const real = await applyPlan(plan, fastOptions(new InMemoryJournal(), liveExecutors()));
    expect(real.status).toBe("failed");
    expect(real.steps[1]?.error?.code).toBe(RemediationCodes.noRotator);
    const outcomes = stepOutcomesFromResult(result);
    expect(outcomes[1]).toMatchObject({ verdict: "would-fail", error: { code: RemediationCodes.noRotator } });
    expect(outcomes[1]?.message).toMatch(/^would fail: No rotator matches secret db-password/);
  });

  it("purge under purge protection is would-fail with E0007", async () => {
    const plan = buildPlan([
      { kind: "delete-secrets", target: { vault: vaultTarget(LOCKED_VAULT), objects: [{ type: "secret", name: "legacy" }] }, parameters: { purge: true }, ...common, risk: "destructive", reversible: false, requiresApproval: true },
    ]);
    const result = await dryRun(plan, { dryRunApproved: true });
    expect(result.status).toBe("failed");
    expect(result.steps[0]).toMatchObject({ verdict: "would-fail", error: { code: RemediationCodes.purgeRefused } });
    expect(writeCalls(tenant)).toBe(0);
  });

  it("steps that need a person are needs-approval (incomplete) unless the apply will approve them; approve is never called", async () => {
    const plan = buildPlan([
      { kind: "remove-access-policy", target: { vault: vaultTarget(VAULT), principal: { objectId: ATTACKER } }, parameters: { allowVaultPutFallback: true }, ...common },
    ]);
    const asked = await dryRun(plan);
    expect(asked.status).toBe("incomplete");
    expect(asked.steps[0]).toMatchObject({ verdict: "needs-approval", status: "would-change" });
    expect(asked.steps[0]?.approvalReasons).toEqual(["it takes access away from a principal"]);
    const approved = await dryRun(plan, { dryRunApproved: true });
    expect(approved.status).toBe("completed");
    expect(approved.steps[0]?.verdict).toBe("would-succeed");
    expect(writeCalls(tenant)).toBe(0);
  });

  it("a data-plane step after the plan's own firewall closes the vault without the responder's address would fail (403 preview)", async () => {
    const steps = buildPlan([
      {
        kind: "enable-firewall",
        target: { vault: vaultTarget(VAULT) },
        parameters: { defaultAction: "Deny", bypass: "AzureServices", addIpRules: [], addVirtualNetworkRules: [], consolidate: true, cutOffCallers: [] },
        ...common,
      },
      { kind: "disable-secrets", target: { vault: vaultTarget(VAULT), objects: [{ type: "secret", name: "api-token" }] }, parameters: {}, ...common },
    ]);
    const { id: _id, ...content } = steps;
    const withWarning = { ...content, warnings: [{ code: RemediationCodes.responderLockout, message: "the firewall is closed before 1 data-plane step(s)" }] };
    const plan = { id: computePlanId(withWarning), ...withWarning } as RemediationPlan;
    const result = await dryRun(plan, { dryRunApproved: true });
    expect(result.steps.map((step) => step.verdict)).toEqual(["would-succeed", "would-fail"]);
    expect(result.steps[1]?.error?.code).toBe(RemediationCodes.forbiddenByFirewall);
    expect(result.status).toBe("failed");
    // Without the warning (the plan admits the responder) the same steps would succeed.
    expect((await dryRun(steps, { dryRunApproved: true })).status).toBe("completed");
  });
});
