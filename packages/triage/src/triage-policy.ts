import { CHANGING_ACTION_KINDS, DEFAULT_AUTO_APPROVED_ACTION_KINDS, isActionKind, type ActionKind } from "./action-kind.js";
import { InvalidTriagePolicyError } from "./errors/invalid-triage-policy-error.js";
import { builtInRules } from "./rules/built-in-rules.js";

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
  /**
   * Rule ids to skip, e.g. `kv/track-alert`. A built-in rule that contacts owners or contains a caller (e.g.
   * `kv/recognised-principal`) can only be disabled together with an entry in `acknowledge`; every report lists
   * the disabled rules.
   */
  disabledRules?: readonly string[];
  /**
   * Built-in rules the organisation knowingly disables although they contact owners or contain callers, e.g.
   * `["kv/recognised-principal"]`. Each must also be in `disabledRules`.
   */
  acknowledge?: readonly string[];
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
  acknowledge: [],
};

export function resolveTriagePolicy(policy: TriagePolicy = {}): ResolvedTriagePolicy {
  refuseMalformed(policy);
  const resolved: ResolvedTriagePolicy = {
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
    acknowledge: policy.acknowledge ?? DEFAULT_TRIAGE_POLICY.acknowledge,
  };
  refuseWeakening(resolved);
  return resolved;
}

/**
 * Built-in rules whose absence removes an owner contact or a containment step: those that propose contacting,
 * escalating or any changing action. Derived from the rules' own declarations, so a new rule is covered too.
 */
export function protectiveBuiltInRuleIds(): ReadonlySet<string> {
  protective ??= new Set(
    builtInRules
      .filter((rule) => rule.meta.proposes.some((kind) => kind === "contact-owner" || kind === "escalate-to-admin" || CHANGING_ACTION_KINDS.has(kind)))
      .map((rule) => rule.meta.id),
  );
  return protective;
}
let protective: ReadonlySet<string> | undefined;

/**
 * The invariant is the engine's, not the policy's: a policy may tune the response but never silently remove the
 * owner's confirmation or a recognised caller's containment. Refused at load, naming the field.
 */
const STRING_LISTS = ["trustedIpRanges", "trustedPrincipals", "disabledRules", "acknowledge"] as const;
const ACTION_LISTS = ["autoApprove", "disabledActions"] as const;
const SECRET_RESPONSES: ReadonlySet<unknown> = new Set(["rotate-secrets", "disable-secrets", "delete-secrets"]);

/**
 * A policy often comes from a file (the CLI's and the responder's policy files): a value of the wrong shape is
 * refused here, naming the setting, rather than failing later with a TypeError deep inside a rule.
 */
function refuseMalformed(policy: unknown): void {
  if (typeof policy !== "object" || policy === null || Array.isArray(policy)) {
    throw new InvalidTriagePolicyError("The triage policy is not an object. Pass an object of policy settings (or nothing for the defaults).");
  }
  const settings = policy as Record<string, unknown>;
  const isList = (value: unknown, item: (entry: unknown) => boolean): boolean => value === undefined || (Array.isArray(value) && value.every(item));
  for (const name of STRING_LISTS) {
    if (!isList(settings[name], (entry) => typeof entry === "string")) throw new InvalidTriagePolicyError(`The triage policy's ${name} is not a list of strings. Give a list of strings.`);
  }
  for (const name of ACTION_LISTS) {
    if (!isList(settings[name], isActionKind)) throw new InvalidTriagePolicyError(`The triage policy's ${name} is not a list of action kinds. Give action kinds such as "enable-firewall".`);
  }
  if (!isList(settings["secretResponse"], (entry) => SECRET_RESPONSES.has(entry))) {
    throw new InvalidTriagePolicyError('The triage policy\'s secretResponse is not a list of "rotate-secrets", "disable-secrets", "delete-secrets". Give some of those.');
  }
  const oneOf = (name: string, allowed: readonly unknown[]) => {
    if (settings[name] !== undefined && !allowed.includes(settings[name])) {
      throw new InvalidTriagePolicyError(`The triage policy's ${name} is not one of ${allowed.map(String).join(", ")}. Give one of those.`);
    }
  };
  oneOf("simulatedAlerts", ["report-only", "respond"]);
  oneOf("firewallBypass", ["AzureServices", "None"]);
  oneOf("removeInheritedRoleAssignments", [true, false]);
}

function refuseWeakening(policy: ResolvedTriagePolicy): void {
  const disabled = new Set(policy.disabledRules);
  const acknowledged = new Set(policy.acknowledge);
  for (const id of policy.acknowledge) {
    if (!disabled.has(id)) {
      throw new InvalidTriagePolicyError(
        `The triage policy's acknowledge lists "${id}", which disabledRules does not disable: remove it from acknowledge (or add it to disabledRules).`,
      );
    }
  }
  for (const id of policy.disabledRules) {
    if (protectiveBuiltInRuleIds().has(id) && !acknowledged.has(id)) {
      throw new InvalidTriagePolicyError(
        `The triage policy's disabledRules turns off ${id}, a built-in rule that contacts owners or contains a caller (a recognised caller is never a reason to close): add "${id}" to acknowledge to disable it knowingly, or remove it from disabledRules.`,
      );
    }
  }
  if (policy.disabledActions.includes("contact-owner")) {
    throw new InvalidTriagePolicyError(
      `The triage policy's disabledActions includes contact-owner: the owner's confirmation is part of every response to a recognised caller and cannot be disabled. Remove contact-owner from disabledActions.`,
    );
  }
}
