import { defineTriageRule } from "../define-triage-rule.js";
import type { ProposedAction, RuleReport } from "../triage-rule.js";
import { assignmentsReachingVault, contactOwner, removeRoleAssignments, restrictPermissions } from "./action-builders.js";

/**
 * The guidance's caution: never ignore an alert only because you recognise the user or app — stolen credentials
 * look like known users. A recognised principal gets its owner contacted *and* containment, never a dismissal.
 */
export const recognisedPrincipalRule = defineTriageRule({
  meta: {
    id: "kv/recognised-principal",
    description:
      "A principal of this tenant (member user, own application, managed identity, Microsoft first-party app) or an allow-listed one: contact its owner and contain its access to this vault until the owner confirms.",
    messages: {
      recognised: "{{name}} is {{what}}. Recognising it is not a reason to dismiss: stolen credentials look like known users. Confirm with the owner and contain meanwhile.",
      allowListed: "{{name}} is allow-listed by policy; allow-listing still requires the owner to confirm this access.",
      noDirectAccess: "{{name}} holds no direct access to this vault; its access may come through a group or an inherited assignment.",
      deniedNoContainment: "The access was denied, so there is no vault access to narrow; the owner still confirms it.",
      firstPartyMetadata: "{{name}} is a Microsoft first-party service that only read metadata (what inventory and policy services do); the owner confirms, no containment proposed.",
      compromisedUser: "{{name}} signed in from outside the tenant's network: revoke its sessions so stolen tokens stop working.",
    },
    proposes: ["contact-owner", "restrict-permissions", "remove-role-assignments", "revoke-sessions"],
  },
  evaluate: (input) => {
    const { alert, source, facts } = input;
    if (!facts.principalRecognised) return [];
    const principal = source.principal;
    const name = principal.displayName ?? principal.userPrincipalName ?? principal.objectId ?? "The principal";
    const what = describe(principal.type, principal.microsoftFirstParty);
    const contact = contactOwner(input, facts.principalAllowListed ? ["confirm-access", "confirm-allow-listed"] : ["confirm-access"], [
      `Did ${name} make these requests (${alert.kind}) on purpose? If not, its credentials are compromised.`,
    ]);
    const reports: RuleReport[] = [
      { messageId: "recognised", severity: "medium", data: { name, what }, actions: [contact] },
    ];
    if (facts.principalAllowListed) reports.push({ messageId: "allowListed", severity: "info", data: { name } });

    if (facts.accessDenied) {
      reports.push({ messageId: "deniedNoContainment", severity: "info" });
    } else if (principal.microsoftFirstParty && facts.metadataOnly) {
      reports.push({ messageId: "firstPartyMetadata", severity: "info", data: { name } });
    } else if (source.principal.vaultAccess !== undefined) {
      const containment: ProposedAction[] = [];
      if (source.principal.vaultAccess.authorization === "rbac") {
        const direct = assignmentsReachingVault(source).filter((ref) => ref.plane !== "management");
        const action = removeRoleAssignments(input, direct);
        if (action !== undefined) containment.push(action);
      } else {
        const action = restrictPermissions(input, alert);
        if (action !== undefined) containment.push(action);
      }
      if (containment.length > 0) reports[0]?.actions?.push(...containment);
      else reports.push({ messageId: "noDirectAccess", severity: "low", data: { name } });
    }

    if (principal.type === "user" && facts.origin === "outside-tenant" && principal.objectId !== undefined && facts.principal !== undefined) {
      reports.push({
        messageId: "compromisedUser",
        severity: "high",
        data: { name },
        actions: [{ kind: "revoke-sessions", target: facts.principal, parameters: {} }],
      });
    }
    return reports;
  },
});

function describe(type: string, firstParty: boolean): string {
  if (firstParty) return "a Microsoft first-party application";
  switch (type) {
    case "user":
      return "a user of this tenant";
    case "managed-identity":
      return "a managed identity of this tenant";
    case "group":
      return "a group of this tenant";
    case "service-principal":
      return "an application of this tenant";
    default:
      return "a recognised principal";
  }
}
