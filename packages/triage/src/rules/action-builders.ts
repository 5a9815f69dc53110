import type { KeyVaultAlert } from "@keywarden/alerts";
import { alertOperations } from "../engine/derive-facts.js";
import { permissionsForOperations } from "../engine/operations.js";
import type { ContactRecipient, ContactTopic, ObjectSelection } from "../recommended-action.js";
import type { AccessPolicyEntry, PermissionSet, PrincipalReport, RoleAssignmentRef, SourceReport } from "../source-report.js";
import type { ResolvedTriagePolicy } from "../triage-policy.js";
import type { ProposedAction, RuleInput } from "../triage-rule.js";
import { kindProfile } from "../source/kind-profile.js";
import { parseAddress } from "@keywarden/core";
import { cloneJson } from "../engine/clone-json.js";

const NOT_PUBLIC = new Set(["private", "loopback", "linkLocal", "carrierGradeNat", "unspecified", "multicast", "broadcast"]);

/** Helpers the built-in rules (and integrators' rules) use to build precise action targets. */

export function contactOwner(input: RuleInput, topics: ContactTopic[], questions: string[]): ProposedAction {
  const { facts, source } = input;
  const target: Extract<ProposedAction, { kind: "contact-owner" }>["target"] = { vault: facts.vault, alert: facts.alert };
  if (facts.principal !== undefined) target.principal = facts.principal;
  return { kind: "contact-owner", target, parameters: { recipients: recipientsFor(source), topics, questions } };
}

/**
 * Who to ask: for a principal of this tenant, the user themself or the application's owners (and the owners of the
 * app a user went through); always the vault owner. A guest or another organisation's app is never asked about its
 * own suspicious access: only the vault owner is.
 */
export function recipientsFor(source: SourceReport): ContactRecipient[] {
  const recipients: ContactRecipient[] = [];
  const principal = source.principal;
  if (principal.membership === "in-tenant") {
    if (principal.type === "user" && principal.objectId !== undefined) {
      recipients.push({ role: "principal", ref: principalRef(principal) });
    }
    for (const owner of principal.owners) recipients.push({ role: "principal-owner", ref: { ...owner } });
  }
  if (source.application?.membership === "in-tenant") {
    for (const owner of source.application.owners) recipients.push({ role: "application-owner", ref: { ...owner } });
  }
  // The vault owner always hears about it: they can tell whether the access fits the vault's purpose.
  recipients.push({ role: "vault-owner" });
  return recipients;
}

function principalRef(principal: PrincipalReport): NonNullable<ContactRecipient["ref"]> {
  const ref: NonNullable<ContactRecipient["ref"]> = { objectId: principal.objectId ?? "", type: principal.type };
  if (principal.displayName !== undefined) ref.displayName = principal.displayName;
  if (principal.userPrincipalName !== undefined) ref.userPrincipalName = principal.userPrincipalName;
  if (principal.mail !== undefined) ref.mail = principal.mail;
  return ref;
}

/** Builds the `measure-impact` action a rule proposes (named apart from `@keywarden/impact`'s `measureImpact`, which runs it). */
export function measureImpactAction(alert: KeyVaultAlert, input: RuleInput): ProposedAction {
  const parameters: Extract<ProposedAction, { kind: "measure-impact" }>["parameters"] = {
    start: alert.startTime,
    end: alert.endTime,
    operations: alertOperations(alert),
    scope: kindProfile(alert.kind)?.acrossVaults === true ? "all-vaults" : "vault",
  };
  const address = input.source.ip.status === "valid" ? input.source.ip.address : undefined;
  if (address !== undefined) parameters.ipAddress = address;
  if (input.source.principal.objectId !== undefined) parameters.objectId = input.source.principal.objectId;
  if (alert.source.applicationId !== undefined) parameters.applicationId = alert.source.applicationId;
  return { kind: "measure-impact", target: { vault: input.facts.vault, alert: input.facts.alert }, parameters };
}

export function enableFirewall(input: RuleInput, policy: ResolvedTriagePolicy): ProposedAction {
  const firewall = input.source.vault.firewall;
  const address = input.source.ip.address;
  const keep = new Set((firewall?.ipRules ?? []).map((rule) => rule.toLowerCase()));
  const add = publicIpv4Ranges(input.tenantAddressSpace, policy.trustedIpRanges).filter(
    (range) => !keep.has(range.toLowerCase()) && !keep.has(`${range.toLowerCase()}/32`),
  );
  const parameters: Extract<ProposedAction, { kind: "enable-firewall" }>["parameters"] = {
    defaultAction: "Deny",
    bypass: policy.firewallBypass,
    keepIpRules: [...(firewall?.ipRules ?? [])],
    keepVirtualNetworkRules: [...(firewall?.virtualNetworkRules ?? [])],
    addIpRules: add,
    currentlyEnabled: firewall?.enabled ?? false,
    basedOnVaultState: firewall !== undefined,
  };
  if (address !== undefined && input.source.ip.status === "valid") {
    parameters.blockedAddress = address;
    if (input.source.ip.version === 6) parameters.blockedAddressIsIpv6 = true;
  }
  return { kind: "enable-firewall", target: input.facts.vault, parameters };
}

const publicRangesCache = new WeakMap<object, WeakMap<object, string[]>>();

/**
 * The ranges to keep allowed when the firewall closes. Key Vault ip rules take public IPv4 only: IPv6 cannot be
 * listed (Deny keeps it out) and private ranges reach the vault through virtual network rules or private
 * endpoints, not ip rules. Computed once per pair of range lists.
 */
function publicIpv4Ranges(tenant: readonly string[], trusted: readonly string[]): string[] {
  let byTrusted = publicRangesCache.get(tenant);
  if (byTrusted === undefined) {
    byTrusted = new WeakMap();
    publicRangesCache.set(tenant, byTrusted);
  }
  let ranges = byTrusted.get(trusted);
  if (ranges === undefined) {
    ranges = [...new Set([...tenant, ...trusted])].filter((range) => {
      const network = parseAddress(range.split("/")[0] ?? "");
      return network?.family === 4 && !NOT_PUBLIC.has(network.range);
    });
    byTrusted.set(trusted, ranges);
  }
  return ranges;
}

/** Containment on a principal's vault access: entries and assignments to remove or narrow. */
export function accessEntries(source: SourceReport): AccessPolicyEntry[] {
  return source.principal.vaultAccess?.accessPolicies ?? [];
}

export function assignmentsReachingVault(source: SourceReport): RoleAssignmentRef[] {
  return source.principal.vaultAccess?.roleAssignments ?? [];
}

export function removeRoleAssignments(
  input: RuleInput,
  assignments: readonly RoleAssignmentRef[],
): ProposedAction | undefined {
  const principal = input.facts.principal;
  if (principal === undefined || assignments.length === 0) return undefined;
  const removable = assignments.filter(
    (ref) => ref.inheritance !== "inherited" || input.policy.removeInheritedRoleAssignments,
  );
  const reportOnly = assignments.filter((ref) => !removable.includes(ref)).map((ref) => ({ ...ref }));
  // Nothing to delete is no action: inherited assignments alone are reported as a finding by the calling rule.
  if (removable.length === 0) return undefined;
  return {
    kind: "remove-role-assignments",
    target: { vault: input.facts.vault, principal },
    parameters: { assignments: removable.map((ref) => ({ ...ref })), reportOnly },
  };
}

/**
 * The permissions to take away from a recognised principal's entries: those that allowed the suspicious operations
 * (and `all`, which includes them), in each entry's stored casing. Without operations, secret read access.
 */
export function restrictPermissions(input: RuleInput, alert: KeyVaultAlert): ProposedAction | undefined {
  const principal = input.facts.principal;
  const entries = accessEntries(input.source);
  if (principal === undefined || entries.length === 0) return undefined;
  const operations = alertOperations(alert);
  const wanted = permissionsForOperations(operations.length > 0 ? operations : ["SecretGet", "SecretList"]);
  const remove: PermissionSet = {};
  for (const [category, permissions] of wanted) {
    const stored = new Set<string>();
    for (const entry of entries) {
      for (const permission of entry.permissions[category] ?? []) {
        const lower = permission.toLowerCase();
        if (permissions.has(lower) || lower === "all") stored.add(permission);
      }
    }
    if (stored.size > 0) remove[category] = [...stored];
  }
  if (Object.keys(remove).length === 0) return undefined;
  return {
    kind: "restrict-permissions",
    target: { vault: input.facts.vault, principal },
    parameters: { entries: entries.map(cloneEntry), remove },
  };
}

export function removeAccessPolicy(input: RuleInput): ProposedAction | undefined {
  const principal = input.facts.principal;
  const entries = accessEntries(input.source);
  if (principal === undefined || entries.length === 0) return undefined;
  return {
    kind: "remove-access-policy",
    target: { vault: input.facts.vault, principal },
    parameters: { entries: entries.map(cloneEntry) },
  };
}

function cloneEntry(entry: AccessPolicyEntry): AccessPolicyEntry {
  const permissions: PermissionSet = {};
  for (const category of ["keys", "secrets", "certificates", "storage"] as const) {
    const list = entry.permissions[category];
    if (list !== undefined) permissions[category] = [...list];
  }
  const clone: AccessPolicyEntry = { tenantId: entry.tenantId, objectId: entry.objectId, permissions };
  if (entry.applicationId !== undefined) clone.applicationId = entry.applicationId;
  return clone;
}

/**
 * The secrets to rotate or disable: those the alert names, plus whatever the impact measurement finds the caller
 * read. An alert's target list is a sample (Defender lists a few URIs, not every read), so the logs always widen it.
 */
export function secretSelection(input: RuleInput): ObjectSelection {
  const { facts } = input;
  return {
    names: [...facts.secretNames],
    versions: cloneJson(facts.secretVersions),
    includeExposedFromImpact: true,
  };
}

export function keySelection(input: RuleInput): ObjectSelection {
  const { facts } = input;
  return {
    names: [...facts.keyNames],
    versions: cloneJson(facts.keyVersions),
    // As for secrets: the alert names a sample; the logs name every key the caller used.
    includeExposedFromImpact: true,
  };
}
