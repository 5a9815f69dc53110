import { DefenderAlertsClient, type KeyVaultAlert } from "@keywarden/alerts";
import { InMemoryJournal } from "@keywarden/core";
import { getScenario, type FakeAzureSeed, type RoleAssignment } from "@keywarden/testing";
import { useFakeAzure } from "@keywarden/testing/vitest";
import { ArmVaultInspector, GraphDirectory, triageAlert, type TriagePolicy, type TriageReport } from "@keywarden/triage";
import { describe, expect, it } from "vitest";
import { applyPlan, planResponse, planRollback, RemediationCodes, type RemediationPlan, type StepOfKind } from "../src/index.js";
import { recordedWrites, undeclaredWrites } from "./support/declared-writes.js";
import { executorsFor, fastOptions } from "./support/harness.js";

/**
 * A role assignment at a management group above the vault's subscription, end to end: the fake lists it for the
 * vault as ARM does, triage reports it as inherited, the plan warns and leaves it by default, and with the policy
 * that allows deleting inherited assignments it is deleted, and only it.
 */
const base = getScenario("unusual-app");
const SUB = base.subscriptions?.[0]?.subscriptionId ?? "";
/** report-exporter, the service principal the alert names. */
const SUSPECT = "8ada794a-e955-43e3-803a-26bbaa677e90";
/** hr-portal: another principal of the tenant, whose access must survive. */
const BYSTANDER = "023a5f23-1646-4801-8f6e-7dd0aa04ae4a";
const SECRETS_OFFICER = "b86a8fe4-44ce-4948-aee5-eccb2c155cd7";
const SECRETS_USER = "4633458b-17de-408a-b874-0445c86b69e6";
const HR_GROUP = "/providers/Microsoft.Management/managementGroups/contoso-hr";
const SANDBOX_GROUP = "/providers/Microsoft.Management/managementGroups/contoso-sandbox";
const ON_HR_GROUP = "9a9a9a9a-0000-4000-8000-000000000001";
const BYSTANDER_ON_HR_GROUP = "9a9a9a9a-0000-4000-8000-000000000002";
const ON_SANDBOX_GROUP = "9a9a9a9a-0000-4000-8000-000000000003";
const ON_HR_GROUP_ID = `${HR_GROUP}/providers/Microsoft.Authorization/roleAssignments/${ON_HR_GROUP}`;

function assignment(scope: string, name: string, principalId: string, role: string): RoleAssignment {
  return {
    id: `${scope}/providers/Microsoft.Authorization/roleAssignments/${name}`,
    name,
    type: "Microsoft.Authorization/roleAssignments",
    properties: { roleDefinitionId: `/providers/Microsoft.Authorization/roleDefinitions/${role}`, principalId, principalType: "ServicePrincipal" },
  };
}

/**
 * The scenario with its subscription in management group contoso-hr, where the suspect holds Key Vault Secrets
 * Officer (and the bystander Secrets User); the suspect also holds a role in contoso-sandbox, a group the vault's
 * subscription is not in. `groupOnly` removes the suspect's other assignments, so the group's is the only one that
 * reaches the vault.
 */
function groupedSeed(groupOnly: boolean): FakeAzureSeed {
  const seed = structuredClone(base);
  const kept = (seed.roleAssignments ?? []).filter((existing) => !groupOnly || existing.properties.principalId !== SUSPECT);
  return {
    ...seed,
    managementGroups: [{ name: "contoso-hr", subscriptions: [SUB] }, { name: "contoso-sandbox" }],
    roleAssignments: [
      ...kept,
      assignment(HR_GROUP, ON_HR_GROUP, SUSPECT, SECRETS_OFFICER),
      assignment(HR_GROUP, BYSTANDER_ON_HR_GROUP, BYSTANDER, SECRETS_USER),
      assignment(SANDBOX_GROUP, ON_SANDBOX_GROUP, SUSPECT, SECRETS_OFFICER),
    ],
  };
}

const tenant = useFakeAzure({ autoAdvanceInMs: 1000 });
const noRetry = { retryOptions: { maxRetries: 0 } };

async function triage(policy: TriagePolicy = {}): Promise<TriageReport> {
  const alerts: KeyVaultAlert[] = [];
  for await (const alert of new DefenderAlertsClient(tenant.credential, noRetry).listAlerts({ subscriptionIds: [SUB] })) alerts.push(alert);
  const [alert] = alerts;
  if (alert === undefined) throw new Error("the scenario has no alert");
  const now = tenant.clock.date();
  return triageAlert(
    alert,
    { tenantId: base.tenantId ?? "", vaults: new ArmVaultInspector(tenant.credential, noRetry), directory: new GraphDirectory(tenant.credential, noRetry), now: () => now },
    policy,
  );
}

function plan(report: TriageReport, includeInherited?: boolean): RemediationPlan {
  return planResponse(report, undefined, {
    now: tenant.clock.iso(),
    manageAlertState: false,
    // Only the role-assignment step: the assertions below are about what it deletes.
    skip: ["contact-owner", "enable-firewall", "rotate-secrets", "disable-secrets", "revoke-sessions"],
    ...(includeInherited === undefined ? {} : { roleAssignments: { includeInherited } }),
  });
}

function removal(planned: RemediationPlan): StepOfKind<"remove-role-assignments"> {
  const step = planned.steps.find((candidate): candidate is StepOfKind<"remove-role-assignments"> => candidate.kind === "remove-role-assignments");
  if (step === undefined) throw new Error(`no remove-role-assignments step in ${planned.steps.map((candidate) => candidate.kind).join(", ")}`);
  return step;
}

const assignmentIds = () => [...tenant.state.roleAssignments.values()].map((existing) => existing.id.toLowerCase()).sort();
const apply = (planned: RemediationPlan, journal = new InMemoryJournal()) =>
  applyPlan(planned, fastOptions(journal, executorsFor(tenant).executors)).then((result) => ({ result, journal }));

describe("role assignments at a management group above the vault", () => {
  it("are reported by triage as inherited, warned about by the plan and left in place by default", async () => {
    tenant.reset(groupedSeed(false));
    const report = await triage();
    const reaching = report.source.principal.vaultAccess?.roleAssignments ?? [];
    expect(reaching.find((ref) => ref.id.toLowerCase() === ON_HR_GROUP_ID.toLowerCase())).toMatchObject({ scope: HR_GROUP, inheritance: "inherited", roleName: "Key Vault Secrets Officer" });
    // A group the vault's subscription is not in does not reach the vault.
    expect(reaching.map((ref) => ref.name)).not.toContain(ON_SANDBOX_GROUP);

    const planned = plan(report);
    const warning = planned.warnings.find((candidate) => candidate.code === RemediationCodes.inheritedAssignments && candidate.message.includes(HR_GROUP));
    expect(warning?.message).toContain("Key Vault Secrets Officer");
    const step = removal(planned);
    expect(step.parameters.assignments?.map((listed) => listed.id.toLowerCase())).not.toContain(ON_HR_GROUP_ID.toLowerCase());

    const before = assignmentIds();
    const mark = tenant.calls.all().length;
    const { result } = await apply(planned);
    expect(result.status).toBe("completed");
    // The direct assignment was deleted; the group's stays, and the apply says so.
    expect(assignmentIds()).toContain(ON_HR_GROUP_ID.toLowerCase());
    expect(before.filter((id) => !assignmentIds().includes(id))).toEqual(step.parameters.assignments?.map((listed) => listed.id.toLowerCase()));
    const applied = result.steps.find((candidate) => candidate.stepId === step.id);
    expect(applied?.warnings?.some((candidate) => candidate.code === RemediationCodes.inheritedAssignments && candidate.message.includes(HR_GROUP))).toBe(true);
    expect(undeclaredWrites(planned, recordedWrites(tenant, mark))).toEqual([]);
  });

  it("is deleted, and only it, when the policy allows deleting inherited assignments; rollback recreates it at the group", async () => {
    tenant.reset(groupedSeed(true));
    const report = await triage({ removeInheritedRoleAssignments: true });
    const planned = plan(report);
    const step = removal(planned);
    expect(step.parameters.includeInherited).toBe(true);
    expect(step.parameters.assignments).toEqual([expect.objectContaining({ id: ON_HR_GROUP_ID, scope: HR_GROUP, inheritance: "inherited" })]);

    const before = assignmentIds();
    const mark = tenant.calls.all().length;
    const { result, journal } = await apply(planned);
    expect(result.status).toBe("completed");
    expect(before.filter((id) => !assignmentIds().includes(id))).toEqual([ON_HR_GROUP_ID.toLowerCase()]);
    expect(assignmentIds()).toEqual(before.filter((id) => id !== ON_HR_GROUP_ID.toLowerCase()));
    expect(recordedWrites(tenant, mark)).toEqual([{ method: "delete", host: "management.azure.com", path: ON_HR_GROUP_ID.toLowerCase() }]);

    const rollback = await planRollback(journal, { now: tenant.clock.iso() });
    expect(rollback.steps.map((candidate) => candidate.kind)).toEqual(["restore-role-assignments"]);
    const { result: undone } = await apply(rollback);
    expect(undone.status).toBe("completed");
    expect(assignmentIds()).toEqual(before);
    expect(tenant.state.roleAssignments.get(ON_HR_GROUP_ID)?.properties.scope).toBe(HR_GROUP);
  });

  it("is left in place when triage listed it but the remediation policy does not include inherited assignments", async () => {
    tenant.reset(groupedSeed(true));
    const planned = plan(await triage({ removeInheritedRoleAssignments: true }), false);
    expect(removal(planned).parameters.includeInherited).toBe(false);
    const before = assignmentIds();
    const { result } = await apply(planned);
    expect(result.status).toBe("completed");
    expect(assignmentIds()).toEqual(before);
    expect(result.steps.flatMap((candidate) => candidate.warnings ?? []).some((candidate) => candidate.code === RemediationCodes.inheritedAssignments && candidate.message.includes(HR_GROUP))).toBe(true);
  });
});
