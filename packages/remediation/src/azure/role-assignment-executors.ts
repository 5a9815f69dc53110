import type { RoleAssignment } from "@azure/arm-authorization";
import { isRestError } from "@azure/core-rest-pipeline";
import { PlanStaleError, RemediationError } from "../errors/remediation-error.js";
import { RemediationCodes } from "../errors/remediation-codes.js";
import type { ExecutionContext, StepExecutor } from "../engine/step-executor.js";
import type { PlanWarning, RemediationStep, RoleAssignmentSnapshot, StepOfKind, VaultTarget } from "../plan/remediation-plan.js";
import type { RemediationClients } from "./remediation-clients.js";
import { readUntil, requireVault } from "./vault-reads.js";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The trailing GUID of a role definition id (it appears with and without the `/subscriptions/{sub}` prefix). */
export function roleDefinitionGuid(roleDefinitionId: string): string {
  return (roleDefinitionId.split("/").pop() ?? roleDefinitionId).toLowerCase();
}

function snapshot(assignment: RoleAssignment): RoleAssignmentSnapshot {
  const result: RoleAssignmentSnapshot = {
    id: assignment.id ?? "",
    name: assignment.name ?? "",
    scope: assignment.scope ?? "",
    roleDefinitionId: assignment.roleDefinitionId ?? "",
    principalId: assignment.principalId ?? "",
  };
  if (assignment.principalType !== undefined) result.principalType = assignment.principalType;
  if (assignment.description !== undefined && assignment.description !== null) result.description = assignment.description;
  if (assignment.condition !== undefined && assignment.condition !== null) result.condition = assignment.condition;
  if (assignment.conditionVersion !== undefined && assignment.conditionVersion !== null) result.conditionVersion = assignment.conditionVersion;
  return result;
}

/**
 * `direct` at the vault, `child` on an object in it, `inherited` from above (resource group, subscription,
 * management group, root). A management group is above every subscription in it; ARM lists its assignments for the
 * vault's scope only when the vault's subscription is under it, so one listed for the vault is inherited.
 */
export function classifyScope(scope: string, vaultResourceId: string): "direct" | "child" | "inherited" | "unrelated" {
  const normalized = scope.replace(/\/+$/, "").toLowerCase();
  const vault = vaultResourceId.replace(/\/+$/, "").toLowerCase();
  if (normalized === vault) return "direct";
  if (normalized.startsWith(`${vault}/`)) return "child";
  if (vault.startsWith(`${normalized}/`) || normalized === "/" || normalized === "") return "inherited";
  if (/^\/providers\/microsoft\.management\/managementgroups\/[^/]+$/.test(normalized)) return "inherited";
  return "unrelated";
}

function requirePrincipalGuid(step: RemediationStep): string {
  const objectId = step.target.principal?.objectId;
  // Validated, never interpolated raw into the OData filter.
  if (objectId === undefined || !GUID.test(objectId)) {
    throw new RemediationError(
      RemediationCodes.missingTarget,
      `Step ${step.id} needs the principal's object id as a GUID to find its role assignments (got ${JSON.stringify(objectId)}).`,
      { stepId: step.id },
    );
  }
  return objectId.toLowerCase();
}

async function listAssignments(clients: RemediationClients, vault: VaultTarget, principalId: string, context: ExecutionContext) {
  return context.call({
    label: `list role assignments of ${principalId} on ${vault.name}`,
    budget: "arm-read",
    scope: { subscription: vault.subscriptionId },
    idempotent: true,
    run: async (abortSignal) => {
      const found: RoleAssignmentSnapshot[] = [];
      const pages = clients
        .authorization(vault.subscriptionId)
        .roleAssignments.listForScope(vault.resourceId, { filter: `principalId eq '${principalId}'`, abortSignal });
      for await (const assignment of pages) found.push(snapshot(assignment));
      return found.filter((assignment) => assignment.principalId.toLowerCase() === principalId);
    },
  });
}

export function removeRoleAssignmentsExecutor(clients: RemediationClients): StepExecutor<"remove-role-assignments"> {
  // Only assignments the plan lists by id (with the role and scope the reviewer saw) are ever deleted.
  const select = (step: StepOfKind<"remove-role-assignments">, assignments: RoleAssignmentSnapshot[], vault: VaultTarget) => {
    const roles = step.parameters.roleDefinitionIds?.map(roleDefinitionGuid);
    const listed = new Map((step.parameters.assignments ?? []).map((assignment) => [assignment.id.toLowerCase(), assignment]));
    const wanted = assignments.filter((assignment) => {
      const entry = listed.get(assignment.id.toLowerCase());
      if (entry === undefined) return false;
      // The id must still mean what the reviewer saw: same role, same scope.
      if (roleDefinitionGuid(entry.roleDefinitionId) !== roleDefinitionGuid(assignment.roleDefinitionId)) return false;
      if (entry.scope.replace(/\/+$/, "").toLowerCase() !== assignment.scope.replace(/\/+$/, "").toLowerCase()) return false;
      return roles === undefined || roles.includes(roleDefinitionGuid(assignment.roleDefinitionId));
    });
    const deletable = wanted.filter((assignment) => {
      const kind = classifyScope(assignment.scope, vault.resourceId);
      return kind === "direct" || kind === "child" || (kind === "inherited" && step.parameters.includeInherited);
    });
    const reportOnly = wanted.filter((assignment) => classifyScope(assignment.scope, vault.resourceId) === "inherited" && !step.parameters.includeInherited);
    return { deletable, reportOnly };
  };
  return {
    kind: "remove-role-assignments",
    vaultPropertyWrite: false,
    async inspect(step, context) {
      const vault = requireVault(step);
      const principalId = requirePrincipalGuid(step);
      const found = await listAssignments(clients, vault, principalId, context);
      const { deletable, reportOnly } = select(step, found, vault);
      const warnings: PlanWarning[] = [];
      const chosen = new Set([...deletable, ...reportOnly].map((assignment) => assignment.id.toLowerCase()));
      const unlisted = found.filter((assignment) => !chosen.has(assignment.id.toLowerCase()) && classifyScope(assignment.scope, vault.resourceId) !== "unrelated");
      if (unlisted.length > 0) {
        warnings.push({
          code: RemediationCodes.inheritedAssignments,
          message: `${unlisted.length} other role assignment(s) of the principal are not in the plan and were left in place: ${unlisted
            .map((assignment) => `${roleDefinitionGuid(assignment.roleDefinitionId)} at ${assignment.scope}`)
            .join("; ")}. Re-plan to remove them.`,
          stepId: step.id,
        });
      }
      if (reportOnly.length > 0) {
        warnings.push({
          code: RemediationCodes.inheritedAssignments,
          message: `${reportOnly.length} inherited role assignment(s) also grant access and were left in place: ${reportOnly
            .map((assignment) => `${roleDefinitionGuid(assignment.roleDefinitionId)} at ${assignment.scope}`)
            .join("; ")}. Deleting them affects everything under their scope; decide by hand or allow includeInherited.`,
          stepId: step.id,
        });
      }
      if (deletable.length > 0) {
        warnings.push({
          code: RemediationCodes.revocationDelay,
          message: "Role-assignment changes take up to about 10 minutes to apply; tokens already issued stay valid until they expire.",
          stepId: step.id,
        });
      }
      return {
        done: deletable.length === 0,
        before: { assignments: deletable, inherited: reportOnly },
        changes: deletable.map((assignment) => `delete role assignment ${assignment.name} (role ${roleDefinitionGuid(assignment.roleDefinitionId)}) at ${assignment.scope}`),
        warnings,
      };
    },
    async execute(step, inspection, context) {
      const vault = requireVault(step);
      const principalId = requirePrincipalGuid(step);
      const { assignments } = inspection.before as { assignments: RoleAssignmentSnapshot[] };
      for (const assignment of assignments) {
        await context.call({
          label: `DELETE role assignment ${assignment.name}`,
          budget: "arm-write",
          scope: { subscription: vault.subscriptionId },
          idempotent: true,
          run: async (abortSignal) => {
            try {
              await clients.authorization(vault.subscriptionId).roleAssignments.delete(assignment.scope, assignment.name, { abortSignal });
            } catch (error) {
              if (!(isRestError(error) && error.statusCode === 404)) throw error;
            }
            return true;
          },
          subWrite: {
            // Exactly this assignment, as it was: what rollback recreates if the step stops before the others.
            before: { assignments: [assignment] },
            probe: async (abortSignal) => {
              try {
                await clients.authorization(vault.subscriptionId).roleAssignments.get(assignment.scope, assignment.name, { abortSignal });
                return undefined;
              } catch (error) {
                if (isRestError(error) && error.statusCode === 404) return true;
                throw error;
              }
            },
          },
        });
      }
      const names = new Set(assignments.map((assignment) => assignment.name.toLowerCase()));
      const { value, ok } = await readUntil(
        context,
        () => listAssignments(clients, vault, principalId, context),
        (found) => !found.some((assignment) => names.has(assignment.name.toLowerCase())),
      );
      if (!ok) {
        throw new RemediationError(RemediationCodes.notVerified, `Role assignments of ${principalId} are still listed after deletion.`, { stepId: step.id });
      }
      return { after: { assignments: select(step, value, vault).deletable } };
    },
  };
}

/** Rollback: recreates deleted role assignments with their original name, role, scope and condition. */
export function restoreRoleAssignmentsExecutor(clients: RemediationClients): StepExecutor<"restore-role-assignments"> {
  const present = async (vault: VaultTarget, context: ExecutionContext, assignments: RoleAssignmentSnapshot[]) => {
    const principals = [...new Set(assignments.map((assignment) => assignment.principalId.toLowerCase()))];
    const found = new Set<string>();
    for (const principal of principals) {
      for (const assignment of await listAssignments(clients, vault, principal, context)) found.add(assignment.name.toLowerCase());
    }
    return found;
  };
  return {
    kind: "restore-role-assignments",
    vaultPropertyWrite: false,
    async inspect(step, context) {
      const vault = requireVault(step);
      for (const assignment of step.parameters.assignments) {
        if (!GUID.test(assignment.principalId)) throw new PlanStaleError(`Role assignment ${assignment.name} has no valid principal id.`, { stepId: step.id });
      }
      const found = await present(vault, context, step.parameters.assignments);
      const missing = step.parameters.assignments.filter((assignment) => !found.has(assignment.name.toLowerCase()));
      return {
        done: missing.length === 0,
        before: { missing: missing.map((assignment) => assignment.name) },
        changes: missing.map((assignment) => `recreate role assignment ${assignment.name} (role ${roleDefinitionGuid(assignment.roleDefinitionId)}) at ${assignment.scope}`),
        warnings: [],
      };
    },
    async execute(step, _inspection, context) {
      const vault = requireVault(step);
      const found = await present(vault, context, step.parameters.assignments);
      for (const assignment of step.parameters.assignments.filter((candidate) => !found.has(candidate.name.toLowerCase()))) {
        await context.call({
          label: `PUT role assignment ${assignment.name}`,
          budget: "arm-write",
          scope: { subscription: vault.subscriptionId },
          // A PUT with the same name is idempotent (409 RoleAssignmentExists means it is there).
          idempotent: true,
          run: async (abortSignal): Promise<true> => {
            try {
              await clients.authorization(vault.subscriptionId).roleAssignments.create(
                assignment.scope,
                assignment.name,
                {
                  roleDefinitionId: assignment.roleDefinitionId,
                  principalId: assignment.principalId,
                  ...(assignment.principalType === undefined ? {} : { principalType: assignment.principalType }),
                  ...(assignment.description === undefined ? {} : { description: assignment.description }),
                  ...(assignment.condition === undefined ? {} : { condition: assignment.condition }),
                  ...(assignment.conditionVersion === undefined ? {} : { conditionVersion: assignment.conditionVersion }),
                },
                { abortSignal },
              );
            } catch (error) {
              if (!(isRestError(error) && error.statusCode === 409)) throw error;
            }
            return true;
          },
          subWrite: {
            // This one assignment was missing: a rollback stopped after it is resumed without sending it again.
            before: { missing: [assignment.name] },
            probe: async (abortSignal) => {
              try {
                await clients.authorization(vault.subscriptionId).roleAssignments.get(assignment.scope, assignment.name, { abortSignal });
                return true;
              } catch (error) {
                if (isRestError(error) && error.statusCode === 404) return undefined;
                throw error;
              }
            },
          },
        });
      }
      const { value, ok } = await readUntil(
        context,
        () => present(vault, context, step.parameters.assignments),
        (names) => step.parameters.assignments.every((assignment) => names.has(assignment.name.toLowerCase())),
      );
      if (!ok) throw new RemediationError(RemediationCodes.notVerified, "Recreated role assignments are not listed.", { stepId: step.id });
      return { after: { present: [...value] } };
    },
  };
}
