import { defineTriageRule } from "../define-triage-rule.js";

/**
 * Guidance: "a source holding an Entra ID role means contact the administrator and decide whether to reduce or
 * revoke its permissions". Directory roles reach far beyond the vault, so a person decides.
 */
export const directoryRoleHolderRule = defineTriageRule({
  meta: {
    id: "kv/directory-role-holder",
    description:
      "The principal holds Entra directory roles (active or eligible): escalate to the directory administrator to decide whether to reduce or revoke them.",
    messages: {
      roles: "{{name}} holds directory role(s) {{roles}}{{privileged}}: escalate to the administrator.",
    },
    proposes: ["escalate-to-admin"],
  },
  evaluate: ({ source, facts }) => {
    const principal = source.principal;
    if (principal.directoryRoles.length === 0 || facts.principal === undefined) return [];
    const name = principal.displayName ?? principal.userPrincipalName ?? principal.objectId ?? "The principal";
    const roles = principal.directoryRoles.map((role) => (role.state === "eligible" ? `${role.roleName} (eligible)` : role.roleName));
    const privileged = principal.directoryRoles.some((role) => role.privileged) ? ", including privileged ones" : "";
    return [
      {
        messageId: "roles",
        severity: privileged === "" ? "medium" : "high",
        data: { name, roles: roles.join(", "), privileged },
        actions: [
          {
            kind: "escalate-to-admin",
            target: { principal: facts.principal, alert: facts.alert },
            parameters: {
              directoryRoles: principal.directoryRoles.map((role) => ({ ...role })),
              question: `${name} triggered ${source.alertKind} on ${source.vault.name}. Should its directory roles (${roles.join(", ")}) be reduced or revoked?`,
            },
          },
        ],
      },
    ];
  },
});
