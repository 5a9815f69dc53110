import { DEFAULT_AUTO_APPROVED_ACTION_KINDS, type ActionKind } from "./action-kind.js";

/**
 * How an organisation tunes triage. Every field is optional; `resolveTriagePolicy` fills the defaults. A policy
 * never turns an alert into a dismissal: allow-listed addresses and principals still go to their owner.
 */
export interface TriagePolicy {
  /** Address ranges (CIDR or single IPs) you trust, e.g. office egress. Allow-listed, not ignored: the owner is still asked. */
  trustedIpRanges?: readonly string[];
  /** Principal object ids you trust (automation accounts, break-glass). Still confirmed with the owner, and only narrowed, never removed, without a person. */
  trustedPrincipals?: readonly string[];
  /** Action kinds that may run without human approval. Default: `contact-owner`, `escalate-to-admin`, `measure-impact`, `update-alert-state`. */
  autoApprove?: readonly ActionKind[];
  /** Action kinds rules must never propose (they are listed as withheld). */
  disabledActions?: readonly ActionKind[];
  /** Simulated (sample) alerts: `report-only` (default) withholds every changing action; `respond` treats them as real. */
  simulatedAlerts?: "report-only" | "respond";
  /** What to do with secrets an attacker read. Default `["rotate-secrets", "disable-secrets"]`; add `delete-secrets` to also soft-delete them. */
  secretResponse?: readonly ("rotate-secrets" | "disable-secrets" | "delete-secrets")[];
  /** Firewall bypass to propose. Default `AzureServices` (trusted Microsoft services keep working). */
  firewallBypass?: "AzureServices" | "None";
  /** Also propose deleting inherited role assignments (they grant access to everything under their scope). Default false. */
  removeInheritedRoleAssignments?: boolean;
  /** Rule ids to skip, e.g. `kv/track-alert`. */
  disabledRules?: readonly string[];
}

export type ResolvedTriagePolicy = Required<TriagePolicy>;

export const DEFAULT_TRIAGE_POLICY: ResolvedTriagePolicy = {
  trustedIpRanges: [],
  trustedPrincipals: [],
  autoApprove: DEFAULT_AUTO_APPROVED_ACTION_KINDS,
  disabledActions: [],
  simulatedAlerts: "report-only",
  secretResponse: ["rotate-secrets", "disable-secrets"],
  firewallBypass: "AzureServices",
  removeInheritedRoleAssignments: false,
  disabledRules: [],
};

export function resolveTriagePolicy(policy: TriagePolicy = {}): ResolvedTriagePolicy {
  return {
    trustedIpRanges: policy.trustedIpRanges ?? DEFAULT_TRIAGE_POLICY.trustedIpRanges,
    trustedPrincipals: policy.trustedPrincipals ?? DEFAULT_TRIAGE_POLICY.trustedPrincipals,
    autoApprove: policy.autoApprove ?? DEFAULT_TRIAGE_POLICY.autoApprove,
    disabledActions: policy.disabledActions ?? DEFAULT_TRIAGE_POLICY.disabledActions,
    simulatedAlerts: policy.simulatedAlerts ?? DEFAULT_TRIAGE_POLICY.simulatedAlerts,
    secretResponse: policy.secretResponse ?? DEFAULT_TRIAGE_POLICY.secretResponse,
    firewallBypass: policy.firewallBypass ?? DEFAULT_TRIAGE_POLICY.firewallBypass,
    removeInheritedRoleAssignments:
      policy.removeInheritedRoleAssignments ?? DEFAULT_TRIAGE_POLICY.removeInheritedRoleAssignments,
    disabledRules: policy.disabledRules ?? DEFAULT_TRIAGE_POLICY.disabledRules,
  };
}
