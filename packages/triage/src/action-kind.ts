/**
 * The response actions triage can recommend. Later packages (remediation, the CLI) execute them, so the names are a
 * cross-package contract: never rename one.
 */
export const ACTION_KINDS = [
  "contact-owner",
  "escalate-to-admin",
  "enable-firewall",
  "remove-access-policy",
  "restrict-permissions",
  "remove-role-assignments",
  "revoke-sessions",
  "measure-impact",
  "rotate-secrets",
  "disable-secrets",
  "delete-secrets",
  "rotate-keys",
  "update-alert-state",
] as const;

export type ActionKind = (typeof ACTION_KINDS)[number];

/**
 * Actions that change Azure or the directory (network, access, sessions, credentials). They are withheld for
 * simulated alerts unless the policy says otherwise, and need human approval by default.
 */
export const CHANGING_ACTION_KINDS: ReadonlySet<ActionKind> = new Set<ActionKind>([
  "enable-firewall",
  "remove-access-policy",
  "restrict-permissions",
  "remove-role-assignments",
  "revoke-sessions",
  "rotate-secrets",
  "disable-secrets",
  "delete-secrets",
  "rotate-keys",
]);

/** Actions that only inform people, read data or track the alert; they may run without approval by default. */
export const DEFAULT_AUTO_APPROVED_ACTION_KINDS: readonly ActionKind[] = [
  "contact-owner",
  "escalate-to-admin",
  "measure-impact",
  "update-alert-state",
];

export function isActionKind(value: unknown): value is ActionKind {
  return typeof value === "string" && (ACTION_KINDS as readonly string[]).includes(value);
}
