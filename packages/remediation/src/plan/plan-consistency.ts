import { InvalidPlanError } from "../errors/remediation-error.js";
import { RemediationCodes } from "../errors/remediation-codes.js";
import type { RemediationPlan, RemediationStep, VaultTarget } from "./remediation-plan.js";
import { recordedVersionsProblems } from "./recorded-versions.js";

/** The DNS suffixes of Key Vault's data plane in the public, China and US Government clouds. */
export const KEY_VAULT_DNS_SUFFIXES = ["vault.azure.net", "vault.azure.cn", "vault.usgovcloudapi.net", "vault.microsoftazure.de"] as const;

const VAULT_ID = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.KeyVault\/vaults\/([^/]+)$/i;

/** Why a vault target contradicts itself, or undefined when name, resource id and vaultUri agree. */
export function vaultTargetProblem(vault: VaultTarget): string | undefined {
  const match = VAULT_ID.exec(vault.resourceId);
  if (match === null) return `resource id ${JSON.stringify(vault.resourceId)} is not a Key Vault resource id`;
  const [, subscription, resourceGroup, name] = match;
  if (subscription?.toLowerCase() !== vault.subscriptionId.toLowerCase()) return `subscription ${vault.subscriptionId} is not the resource id's`;
  if (resourceGroup?.toLowerCase() !== vault.resourceGroup.toLowerCase()) return `resource group ${vault.resourceGroup} is not the resource id's`;
  if (name?.toLowerCase() !== vault.name.toLowerCase()) return `name ${vault.name} is not the resource id's`;
  let uri: URL;
  try {
    uri = new URL(vault.vaultUri);
  } catch {
    return `vaultUri ${JSON.stringify(vault.vaultUri)} is not a URL`;
  }
  const host = uri.hostname.toLowerCase();
  const own = KEY_VAULT_DNS_SUFFIXES.some((suffix) => host === `${vault.name.toLowerCase()}.${suffix}`);
  if (uri.protocol !== "https:" || !own || uri.port !== "" || uri.username !== "" || uri.password !== "" || (uri.pathname !== "/" && uri.pathname !== "")) {
    return `vaultUri ${JSON.stringify(vault.vaultUri)} is not https://${vault.name.toLowerCase()}.<Key Vault DNS suffix>/`;
  }
  return undefined;
}

function stepProblems(step: RemediationStep, plan: RemediationPlan): string[] {
  const problems: string[] = [];
  const vault = step.target.vault;
  if (vault !== undefined) {
    const problem = vaultTargetProblem(vault);
    if (problem !== undefined) problems.push(`step ${step.id}: vault ${problem}`);
  }
  // Versions recorded at planning replace the apply-time listing, so they may only narrow the step's own target.
  problems.push(...recordedVersionsProblems(step));
  const evidence = plan.basedOn.targets;
  if (evidence === undefined) return problems;
  const lower = (values: readonly string[]) => new Set(values.map((value) => value.toLowerCase()));
  const vaults = lower(evidence.vaults);
  const principals = lower(evidence.principals);
  const objects = lower(evidence.objects);
  if (vault !== undefined && !vaults.has(vault.resourceId.toLowerCase())) problems.push(`step ${step.id} targets vault ${vault.name}, which the plan's triage data never named`);
  const principal = step.target.principal?.objectId;
  if (principal !== undefined && !principals.has(principal.toLowerCase())) problems.push(`step ${step.id} targets principal ${principal}, which the plan's triage data never named`);
  for (const object of step.target.objects ?? []) {
    if (!objects.has(`${object.type}/${object.name}`.toLowerCase())) problems.push(`step ${step.id} targets ${object.type} ${object.name}, which the plan's triage data never named`);
  }
  if (step.kind === "restore-role-assignments") {
    for (const assignment of step.parameters.assignments) {
      if (!principals.has(assignment.principalId.toLowerCase())) problems.push(`step ${step.id} recreates an assignment for principal ${assignment.principalId}, which the plan never named`);
    }
  }
  if (step.kind === "restore-access-policy") {
    for (const entry of step.parameters.entries) {
      if (!principals.has(entry.objectId.toLowerCase())) problems.push(`step ${step.id} restores an access-policy entry for ${entry.objectId}, which the plan never named`);
    }
  }
  return problems;
}

/**
 * Checks what can be checked without a key: every vault target agrees with itself (name, resource id, vaultUri on
 * the vault's own Key Vault host), every step's targets come from the triage/impact data the plan recorded, and the
 * versions a disable-secrets step recorded at planning name only objects and versions its target names.
 * Throws `InvalidPlanError` (`KW_REMEDIATION_E0021`) listing the problems.
 */
export function checkPlanConsistency(plan: RemediationPlan): void {
  const problems = plan.steps.flatMap((step) => stepProblems(step, plan));
  if (problems.length === 0) return;
  throw new InvalidPlanError(
    RemediationCodes.planInconsistent,
    `The plan contradicts itself (${problems.length} problem${problems.length === 1 ? "" : "s"}: ${problems.slice(0, 5).join("; ")}). ` +
      "It was edited or built by hand: re-create it with planResponse and review it.",
    problems,
  );
}

/** The evidence block for a plan: every target its steps name (how planResponse and planRollback record it). */
export function evidenceOf(steps: readonly RemediationStep[]): NonNullable<RemediationPlan["basedOn"]["targets"]> {
  const vaults = new Set<string>();
  const principals = new Set<string>();
  const objects = new Set<string>();
  for (const step of steps) {
    if (step.target.vault !== undefined) vaults.add(step.target.vault.resourceId);
    if (step.target.principal !== undefined) principals.add(step.target.principal.objectId);
    for (const object of step.target.objects ?? []) objects.add(`${object.type}/${object.name}`);
    if (step.kind === "restore-role-assignments") for (const assignment of step.parameters.assignments) principals.add(assignment.principalId);
    if (step.kind === "restore-access-policy") for (const entry of step.parameters.entries) principals.add(entry.objectId);
  }
  return { vaults: [...vaults].sort(), principals: [...principals].sort(), objects: [...objects].sort() };
}
