import type { ActionKind } from "./action-kind.js";
import type { AccessPolicyEntry, AlertTarget, PermissionSet, PrincipalTarget, VaultTarget } from "@keywarden/core";
import type { DirectoryObjectRef, DirectoryRoleAssignment, RoleAssignmentRef } from "./source-report.js";

/**
 * One recommended response step. Targets are precise enough to act on without re-reading the alert: the vault's
 * resource id, the principal's object id and tenant, access-policy entries as stored, role-assignment ids with
 * their scopes, object names, the addresses to keep allowed.
 */
export type RecommendedAction = {
  [K in ActionKind]: {
    /** Stable within a report: `<kind>:<target key>`. */
    id: string;
    kind: K;
    target: ActionTargets[K];
    parameters: ActionParameters[K];
    /** The finding that caused this action (the first one, when several rules asked for it). */
    reason: ActionReason;
    /** Every finding that asked for this action, `reason` first. */
    reasons: ActionReason[];
    /** Whether a person must approve before an executor runs it (from the policy; changing actions default to true). */
    requiresApproval: boolean;
  };
}[ActionKind];

/** The action of a given kind, e.g. `ActionOf<"enable-firewall">`. */
export type ActionOf<K extends ActionKind> = Extract<RecommendedAction, { kind: K }>;

export interface ActionReason {
  /** The id of the finding in `TriageReport.findings`. */
  findingId: string;
  ruleId: string;
  message: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Targets

/** Triage's targets are core's (`@keywarden/core`): one shape from triage through remediation to the responder. */
export type { AlertTarget, PrincipalTarget, VaultTarget };

export interface ActionTargets {
  "contact-owner": { vault: VaultTarget; principal?: PrincipalTarget; alert: AlertTarget };
  "escalate-to-admin": { principal: PrincipalTarget; alert: AlertTarget };
  "enable-firewall": VaultTarget;
  "remove-access-policy": { vault: VaultTarget; principal: PrincipalTarget };
  "restrict-permissions": { vault: VaultTarget; principal: PrincipalTarget };
  "remove-role-assignments": { vault: VaultTarget; principal: PrincipalTarget };
  "revoke-sessions": PrincipalTarget;
  "measure-impact": { vault: VaultTarget; alert: AlertTarget };
  "rotate-secrets": VaultTarget;
  "disable-secrets": VaultTarget;
  "delete-secrets": VaultTarget;
  "rotate-keys": VaultTarget;
  "update-alert-state": AlertTarget;
}

// ---------------------------------------------------------------------------------------------------------------
// Parameters

/** Why the owner is contacted; several rules can add topics to one contact. */
export type ContactTopic =
  | "confirm-access"
  | "identify-source"
  | "review-policy-change"
  | "confirm-firewall-grant"
  | "confirm-allow-listed";

export interface ContactRecipient {
  /** `principal` (the user themself), `principal-owner` (an app's owners), `application-owner`, or `vault-owner` (to be resolved by the notifier from the vault's Owner/Contributor assignments). */
  role: "principal" | "principal-owner" | "application-owner" | "vault-owner";
  ref?: DirectoryObjectRef;
}

/** The IP rules and subnets that must stay allowed when the firewall is closed. */
export interface FirewallParameters {
  defaultAction: "Deny";
  /** `AzureServices` keeps trusted Microsoft services working (Backup, Disk Encryption, template deployment). */
  bypass: "AzureServices" | "None";
  /** Rules already on the vault, as stored (`/32` form). Never dropped. */
  keepIpRules: string[];
  /** Subnet ids already on the vault, as stored. Never dropped. */
  keepVirtualNetworkRules: string[];
  /** Ranges to add so the tenant's own callers keep working (tenant address space and policy allow-list, IPv4 only). */
  addIpRules: string[];
  /** The address that triggered the alert; it must end up outside the allowed set. */
  blockedAddress?: string;
  /** IPv6 addresses cannot be listed in Key Vault ip rules; only `defaultAction: Deny` keeps them out. */
  blockedAddressIsIpv6?: boolean;
  /** Whether the vault's firewall was already enabled when triage ran. */
  currentlyEnabled: boolean;
  /** False when the vault could not be inspected: the keep lists are then empty and the executor must read the vault first. */
  basedOnVaultState: boolean;
}

export interface ObjectSelection {
  /** Object names the alert names (from its target URIs), in the server's casing. */
  names: string[];
  /** Exact versions the alert names, keyed by object name. */
  versions: Record<string, string[]>;
  /**
   * When the alert does not say which objects were read, the objects the impact measurement finds exposed.
   * Remediation resolves these from the impact report.
   */
  includeExposedFromImpact: boolean;
}

export interface ActionParameters {
  "contact-owner": {
    recipients: ContactRecipient[];
    topics: ContactTopic[];
    /** Questions for the owner, in words. */
    questions: string[];
  };
  "escalate-to-admin": {
    directoryRoles: DirectoryRoleAssignment[];
    question: string;
  };
  "enable-firewall": FirewallParameters;
  "remove-access-policy": {
    /** Entries exactly as stored: send each to `accessPolicies/remove` unchanged. */
    entries: AccessPolicyEntry[];
  };
  "restrict-permissions": {
    /** Entries exactly as stored, before the change. */
    entries: AccessPolicyEntry[];
    /** Permissions to take away, in the stored casing of each entry. */
    remove: PermissionSet;
  };
  "remove-role-assignments": {
    /** Assignments to delete (direct ones; inherited ones only when the policy allows it). */
    assignments: RoleAssignmentRef[];
    /** Inherited assignments that also grant access but are left for a person to decide (deleting them affects everything under their scope). */
    reportOnly: RoleAssignmentRef[];
  };
  "revoke-sessions": Record<string, never>;
  "measure-impact": {
    /** ISO 8601 UTC window to search (the alert window). */
    start: string;
    end: string;
    ipAddress?: string;
    objectId?: string;
    applicationId?: string;
    /** Operations to look for first (from the alert's suspicious operations). */
    operations: string[];
    /** `all-vaults` for alerts about one principal across many vaults. */
    scope: "vault" | "all-vaults";
  };
  "rotate-secrets": ObjectSelection;
  "disable-secrets": ObjectSelection;
  "delete-secrets": ObjectSelection & { purge: false };
  "rotate-keys": ObjectSelection;
  "update-alert-state": {
    state: "InProgress" | "Resolved" | "Dismissed" | "Active";
    comment: string;
  };
}
