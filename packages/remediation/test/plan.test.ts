import type { RecommendedAction, TriageReport } from "@keywarden/triage";
import { describe, expect, it } from "vitest";
import { formatPlan, InvalidPlanError, planResponse, RemediationCodes, validatePlan, type ImpactInput, type RemediationPlan } from "../src/index.js";
import reportFixture from "./fixtures/triage-report.json" with { type: "json" };

const report = () => structuredClone(reportFixture) as unknown as TriageReport;
const vaultTarget = () => {
  const action = report().decision.recommendedActions.find((candidate) => candidate.kind === "enable-firewall");
  if (action?.kind !== "enable-firewall") throw new Error("fixture has no enable-firewall action");
  return action.target;
};
const reason = { findingId: "f1", ruleId: "kv/test", message: "test reason" };
const withActions = (actions: RecommendedAction[]): TriageReport => {
  const value = report();
  value.decision.recommendedActions = actions;
  return value;
};
const impact: ImpactInput = {
  vault: { name: "kv-prod" },
  callers: [],
  toRotate: [
    { type: "secret", name: "db-password", versions: ["0a0000000000000000000000000000a1"], reason: "read" },
    { type: "certificate", name: "web-tls", versions: [], reason: "private key read" },
    { type: "key", name: "wrap-key", versions: [], reason: "used" },
  ],
};
const selection = { names: [], versions: {}, includeExposedFromImpact: true };

function expectInvalid(plan: unknown, code: string): void {
  try {
    validatePlan(plan);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidPlanError);
    expect((error as InvalidPlanError).code).toBe(code);
    return;
  }
  throw new Error("the plan was accepted");
}

describe("planResponse", () => {
  it("is pure and stable: the same input gives the same plan and id; JSON round-trips validate", () => {
    const first = planResponse(report(), impact, { now: "2026-11-28T09:01:00Z" });
    const second = planResponse(report(), impact, { now: "2026-11-28T09:01:00Z" });
    expect(second).toEqual(first);
    expect(first.id).toMatch(/^kwp_[0-9a-f]{32}$/);
    expect(validatePlan(JSON.parse(JSON.stringify(first)))).toEqual(first);
    expect(planResponse(report(), impact, { now: "2026-11-28T09:02:00Z" }).id).not.toBe(first.id);
    expect(first.basedOn).toMatchObject({ alertIds: [reportFixture.alertId], ruleIds: [...first.basedOn.ruleIds].sort() });
    // Every step's target is among the targets the plan records from triage.
    const vaults = new Set(first.steps.flatMap((step) => (step.target.vault === undefined ? [] : [step.target.vault.resourceId])));
    expect(first.basedOn.targets?.vaults.sort()).toEqual([...vaults].sort());
  });

  it("orders steps: alert in progress, people, containment, credentials, alert resolved", () => {
    const plan = planResponse(
      withActions([
        ...report().decision.recommendedActions,
        { id: "d", kind: "disable-secrets", target: vaultTarget(), parameters: selection, reason, reasons: [reason], requiresApproval: true },
        { id: "r", kind: "rotate-secrets", target: vaultTarget(), parameters: selection, reason, reasons: [reason], requiresApproval: true },
        { id: "k", kind: "rotate-keys", target: vaultTarget(), parameters: selection, reason, reasons: [reason], requiresApproval: true },
      ]),
      impact,
    );
    expect(plan.steps.map((step) => step.id)).toEqual([
      "s01-update-alert-state",
      "s02-contact-owner",
      "s03-enable-firewall",
      "s04-revoke-sessions",
      "s05-restrict-permissions",
      "s06-rotate-secrets",
      "s07-rotate-keys",
      "s08-disable-secrets",
      "s09-update-alert-state",
    ]);
    const rotate = plan.steps[5];
    expect(rotate?.target.objects).toEqual([
      { type: "certificate", name: "web-tls" },
      { type: "secret", name: "db-password" },
    ]);
    expect(plan.steps[7]?.target.objects).toEqual([
      { type: "certificate", name: "web-tls" },
      { type: "key", name: "wrap-key" },
      // Triage named db-password without versions ("every version"), which covers the exposed one.
      { type: "secret", name: "db-password" },
    ]);
    expect(plan.warnings.map((warning) => warning.code)).toContain("KW_REMEDIATION_W0002");
  });

  it("warns first, with a stable code, when the firewall closes before data-plane steps and no rule admits the responder", () => {
    const actions = (): RecommendedAction[] => [
      ...report().decision.recommendedActions,
      { id: "r", kind: "rotate-secrets", target: vaultTarget(), parameters: selection, reason, reasons: [reason], requiresApproval: true },
    ];
    const plan = planResponse(withActions(actions()), impact);
    expect(plan.steps.findIndex((step) => step.kind === "enable-firewall")).toBeLessThan(plan.steps.findIndex((step) => step.kind === "rotate-secrets"));
    expect(plan.warnings[0]?.code).toBe(RemediationCodes.responderLockout);
    expect(plan.warnings[0]?.message).toContain("the responder's address must be added (policy.firewall.addIpRules) or the data-plane steps will fail");
    expect(formatPlan(plan)).toContain(RemediationCodes.responderLockout);

    const admitted = planResponse(withActions(actions()), impact, { firewall: { addIpRules: ["203.0.113.10"] } });
    expect(admitted.warnings.map((warning) => warning.code)).not.toContain(RemediationCodes.responderLockout);
    const dataPlane = new Set(["rotate-secrets", "rotate-keys", "disable-secrets", "delete-secrets"]);
    const noDataPlane = planResponse(withActions(report().decision.recommendedActions.filter((action) => !dataPlane.has(action.kind))), impact);
    expect(noDataPlane.steps.some((step) => ["rotate-secrets", "rotate-keys", "disable-secrets", "delete-secrets"].includes(step.kind))).toBe(false);
    expect(noDataPlane.warnings.map((warning) => warning.code)).not.toContain(RemediationCodes.responderLockout);
  });

  it("replaces access-policy actions with remove-role-assignments on an RBAC vault", () => {
    const value = report();
    for (const action of value.decision.recommendedActions) {
      if (action.kind === "restrict-permissions") action.target.vault.authorization = "rbac";
    }
    const plan = planResponse(value, impact);
    expect(plan.steps.map((step) => step.kind)).not.toContain("restrict-permissions");
    expect(plan.steps.map((step) => step.kind)).toContain("remove-role-assignments");
    expect(plan.warnings.some((warning) => warning.message.includes("uses Azure RBAC"))).toBe(true);
  });

  it("makes purge destructive, irreversible and always approved by a person", () => {
    const plan = planResponse(
      withActions([{ id: "x", kind: "delete-secrets", target: vaultTarget(), parameters: { ...selection, purge: false }, reason, reasons: [reason], requiresApproval: false }]),
      impact,
      { secrets: { purge: true }, autoApprove: ["delete-secrets"] },
    );
    const step = plan.steps.find((candidate) => candidate.kind === "delete-secrets");
    expect(step).toMatchObject({ risk: "destructive", reversible: false, requiresApproval: true, parameters: { purge: true } });
    expect(plan.warnings.map((warning) => warning.code)).toContain("KW_REMEDIATION_W0006");
  });

  it("says what it could not plan: no impact report, IPv6 addresses", () => {
    const plan = planResponse(report(), undefined, { firewall: { addIpRules: ["2001:db8::1", "10.0.0.0/8"] } });
    const firewall = plan.steps.find((step) => step.kind === "enable-firewall");
    expect(firewall?.kind === "enable-firewall" && firewall.parameters.addIpRules).toEqual(["10.0.0.0/8"]);
    const codes = plan.warnings.map((warning) => warning.code);
    expect(codes).toContain("KW_REMEDIATION_W0005");
    expect(codes).toContain("KW_REMEDIATION_W0007");
    expect(plan.warnings.some((warning) => warning.message.includes("callers a closed firewall would cut off are unknown"))).toBe(true);
  });

  it("renders a readable review text", () => {
    const text = formatPlan(planResponse(report(), impact, { firewall: { addIpRules: ["10.1.0.0/16"] } }));
    expect(text).toContain("firewall: defaultAction Allow → Deny; keep 3 existing rules; add 10.1.0.0/16; bypass AzureServices");
    expect(text).toContain("s03-enable-firewall  [sensitive, reversible, needs approval]  vault kv-prod");
    expect(text).toContain("access policy: take away secrets: Get; keep the rest");
  });
});

describe("validatePlan", () => {
  const plan = (): RemediationPlan => planResponse(report(), impact, { now: "2026-11-28T09:01:00Z" });

  it("rejects a plan edited after it was made", () => {
    const edited = plan();
    const firewall = edited.steps.find((step) => step.kind === "enable-firewall");
    if (firewall?.kind === "enable-firewall") firewall.parameters.addIpRules.push("0.0.0.0/0");
    expectInvalid(edited, "KW_REMEDIATION_E0002");
    const unapproved = plan();
    for (const step of unapproved.steps) step.requiresApproval = false;
    expectInvalid(unapproved, "KW_REMEDIATION_E0002");
  });

  it("rejects other schema versions and malformed plans with the problems listed", () => {
    expectInvalid({ ...plan(), schemaVersion: 2 }, "KW_REMEDIATION_E0001");
    const broken = plan() as unknown as { steps: Record<string, unknown>[] };
    delete broken.steps[0]?.["risk"];
    expectInvalid(broken, "KW_REMEDIATION_E0001");
    expectInvalid(null, "KW_REMEDIATION_E0001");
    try {
      validatePlan(broken);
    } catch (error) {
      expect((error as InvalidPlanError).issues.join()).toContain("steps.0.risk");
    }
  });
});
