import { defineTriageRule } from "../define-triage-rule.js";
import type { RuleReport } from "../triage-rule.js";
import { assignmentsReachingVault, removeAccessPolicy, removeRoleAssignments } from "./action-builders.js";

/**
 * Guidance: "an unauthorised app or suspicious user means remove the principal from the access policies or restrict
 * what it may do". A principal from outside the tenant has no business holding access to the vault.
 */
export const unauthorisedPrincipalRule = defineTriageRule({
  meta: {
    id: "kv/unauthorised-principal",
    description:
      "A guest user, an application owned by another organisation, or an object id the directory does not know: remove its access-policy entries and the role assignments that reach the vault, and revoke a guest's sessions.",
    messages: {
      foreign: "{{name}} is {{what}}: take its access to this vault away.",
      noAccess: "{{name}} holds no access-policy entry or role assignment on this vault; its access may come through a group.",
      guestSessions: "{{name}} is a guest in this tenant: revoke its sign-in sessions.",
      inherited: "{{count}} inherited role assignment(s) also give {{name}} access; deleting them affects everything under their scope, so they are reported, not deleted.",
    },
    proposes: ["remove-access-policy", "remove-role-assignments", "revoke-sessions"],
  },
  evaluate: (input) => {
    const { source, facts } = input;
    if (!facts.principalForeign || facts.principal === undefined) return [];
    const principal = source.principal;
    const name = principal.displayName ?? principal.userPrincipalName ?? principal.objectId ?? "The principal";
    const what =
      principal.foundInDirectory === false
        ? "unknown to this tenant's directory"
        : principal.type === "user"
          ? "a guest user from another organisation"
          : "an application owned by another organisation";
    const reports: RuleReport[] = [];
    if (source.principal.vaultAccess !== undefined) {
      const actions = [];
      // In RBAC mode access policies are inert (and remediation refuses to edit them): role assignments are the access.
      const policyRemoval = source.principal.vaultAccess.authorization === "access-policy" ? removeAccessPolicy(input) : undefined;
      if (policyRemoval !== undefined) actions.push(policyRemoval);
      const assignments = assignmentsReachingVault(source);
      const assignmentRemoval = removeRoleAssignments(input, assignments);
      if (assignmentRemoval !== undefined) actions.push(assignmentRemoval);
      if (actions.length > 0) reports.push({ messageId: "foreign", severity: "high", data: { name, what }, actions });
      else reports.push({ messageId: "noAccess", severity: "medium", data: { name } });
      const inherited = assignments.filter((ref) => ref.inheritance === "inherited").length;
      if (inherited > 0 && !input.policy.removeInheritedRoleAssignments) {
        reports.push({ messageId: "inherited", severity: "medium", data: { name, count: inherited } });
      }
    } else {
      reports.push({ messageId: "foreign", severity: "high", data: { name, what } });
    }
    if (principal.type === "user" && principal.foundInDirectory === true) {
      reports.push({
        messageId: "guestSessions",
        severity: "high",
        data: { name },
        actions: [{ kind: "revoke-sessions", target: facts.principal, parameters: {} }],
      });
    }
    return reports;
  },
});
