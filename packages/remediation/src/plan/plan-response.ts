import { vaultUriFromName } from "@keywarden/alerts";
import type {
  ActionOf,
  ContactRecipient,
  ObjectSelection,
  RecommendedAction,
  RoleAssignmentRef,
  TriageReport,
} from "@keywarden/triage";
import { RemediationCodes } from "../errors/remediation-codes.js";
import { parseIpv4Cidr, isIpv6, terminalSafe, type VaultTarget as CoreVaultTarget } from "@keywarden/core";
import { describeNetworkAcls, isAllowedByRules, planFirewallChange } from "../firewall/network-rules.js";
import { describePermissions } from "../access/access-policy-entries.js";
import type { ImpactInput } from "./impact-input.js";
import { lockOutVerdict } from "./lock-out-preview.js";
import { withPlanId } from "./plan-id.js";
import { evidenceOf as targetsOf } from "./plan-consistency.js";
import type {
  AlertTarget,
  CutOffCaller,
  JsonValue,
  NetworkAclsSnapshot,
  NotificationTaskParameters,
  ObjectTarget,
  PlanWarning,
  RemediationPlan,
  RemediationStep,
  StepKind,
  StepRisk,
  VaultTarget,
} from "./remediation-plan.js";
import { PLAN_SCHEMA_VERSION } from "./remediation-plan.js";
import type { JournalEntry } from "@keywarden/core";
import { describeIncidentActions, IncidentHistory } from "../engine/incident-history.js";
import type { RemediationPolicy } from "./remediation-policy.js";
import { recordVersions, type ObservedVaultVersions } from "./recorded-versions.js";
import { deferUnrotatable } from "./defer-rotation.js";
import type { RotationCoverage } from "./rotation-coverage.js";

type Draft = Omit<RemediationStep, "id">;

/** What else planning takes into account besides the triage, the impact and the policy. */
export interface PlanResponseOptions {
  /**
   * The entries of the incident's journal (earlier applies for the same alert, e.g. a re-delivered alert). An
   * irreversible step an earlier plan already did to the same target (contact-owner, escalate-to-admin,
   * revoke-sessions, a rotation per object) is left out, with a warning naming the earlier plan and entry. Pass
   * entries from a sealed journal that verified (`journal.verified`): a forged line would otherwise remove a step.
   */
  incidentJournal?: readonly JournalEntry[];
  /**
   * The versions of the targeted objects as read when planning (`readObjectVersions`), per vault. A disable-secrets
   * step records each targeted version's enabled state and the version it keeps (the object's current one) in
   * `precondition.observed` (with `readAt`), part of what the plan's id and signature cover; `applyPlan` then writes
   * those versions without listing them again and verifies each by the write's answer. Objects the plan also rotates
   * are not recorded: which version to keep depends on what the rotation creates, so they are read at apply time.
   */
  objectVersions?: readonly ObservedVaultVersions[];
  /**
   * The rotators the apply will run with and the secrets as the vault describes them (`describeSecretsToRotate`).
   * A secret none of them can rotate at its source (the random-value rotator counts only where `allowRandomValue`)
   * is not given a rotation step that would fail: its owner gets a `contact-owner` task with the evidence (which
   * versions were read, by whom, when; what to rotate), disabling and deleting it are left out of the plan, and the
   * alert is not closed by it (`KW_REMEDIATION_W0012`). A `secrets.rotator` naming no registered rotator is refused
   * here (`KW_REMEDIATION_E0013`). Absent: rotation steps are planned and the rotator is chosen at apply time.
   */
  rotation?: RotationCoverage;
  /**
   * Secrets whose owner confirmed they were rotated at the source (the follow-up to an owner task): they are not
   * rotated again, and their exposed versions are disabled (as `disable-secrets` always does, the latest enabled
   * version stays unless a newer one exists). Pass the incident's journal too, so nothing already done is repeated.
   */
  ownerConfirmed?: readonly string[];
}
type DraftOf<K extends StepKind> = Omit<Extract<RemediationStep, { kind: K }>, "id">;

/** Order of execution: tell people, contain (network, sessions, access), then deal with credentials. */
const ORDER: StepKind[] = [
  "update-alert-state",
  "contact-owner",
  "escalate-to-admin",
  "enable-firewall",
  "revoke-sessions",
  "remove-access-policy",
  "restrict-permissions",
  "remove-role-assignments",
  "rotate-secrets",
  "rotate-keys",
  "disable-secrets",
  "delete-secrets",
];

/**
 * Turns a triage report (and, when available, an impact report) into a reviewable remediation plan. Pure: no I/O,
 * no clock (pass `policy.now`). The same inputs always give the same plan and the same plan id.
 */
export function planResponse(triage: TriageReport, impact?: ImpactInput, policy: RemediationPolicy = {}, options: PlanResponseOptions = {}): RemediationPlan {
  const warnings: PlanWarning[] = [];
  const drafts: Draft[] = [];
  const skip = new Set(policy.skip ?? []);
  const actions = triage.decision.recommendedActions;
  const alert = alertTarget(triage);
  const ruleIds = new Set<string>();
  for (const action of actions) for (const reason of action.reasons) ruleIds.add(reason.ruleId);

  const hasRoleAssignmentAction = actions.some((action) => action.kind === "remove-role-assignments");
  for (const action of actions) {
    if (skip.has(action.kind as StepKind)) {
      warnings.push({ code: RemediationCodes.actionNotPlanned, message: `${action.kind} was recommended but policy.skip leaves it out.` });
      continue;
    }
    drafts.push(...draftsFor(action, { triage, impact, policy, warnings, hasRoleAssignmentAction }));
  }

  const contactAction = actions.find((action): action is ActionOf<"contact-owner"> => action.kind === "contact-owner");
  const { drafts: covered, deferred } = deferUnrotatable(mergeObjectDrafts(drafts), {
    coverage: options.rotation,
    ownerConfirmed: options.ownerConfirmed ?? [],
    impact,
    alertType: triage.alertType,
    evidence: evidenceOf(triage),
    recipients: () => taskRecipients("contact-owner", { triage, impact, policy, warnings, hasRoleAssignmentAction }, () => recipientsOf(contactAction?.parameters.recipients ?? [])),
    warnings,
  });
  drafts.splice(0, drafts.length, ...covered);
  warnings.push(...rotationWarnings(drafts));

  const withAlertState = (policy.manageAlertState ?? true) && !skip.has("update-alert-state") && triage.decision.verdict !== "simulated";
  const trackedStates = actions.filter((action): action is ActionOf<"update-alert-state"> => action.kind === "update-alert-state");
  const changing = drafts.some((draft) => draft.kind !== "contact-owner" && draft.kind !== "escalate-to-admin");
  if (withAlertState && (changing || trackedStates.length > 0)) {
    drafts.push(alertStateDraft(alert, "InProgress", "Response started: remediation plan applied by Keywarden."));
    const finalState = trackedStates.find((action) => action.parameters.state !== "InProgress")?.parameters.state ?? "Resolved";
    // Triage's closing blockers: a finding that waits for the owner's answer (a rotation deferred to the owner) keeps
    // the alert open; no plan closes it before that answer. Containment blockers are enforced by applyPlan, which never
    // runs a closing step after a denied, failed or unrun step.
    const waiting = (triage.decision.closingBlockers ?? []).filter((blocker) => blocker.reason === "owner-confirmation-pending" && blocker.findingId !== undefined);
    if (waiting.length > 0) {
      warnings.push({
        code: RemediationCodes.actionNotPlanned,
        message: `The alert is not closed by this plan: ${waiting.map((blocker) => blocker.message).join(" ")} Close it (a follow-up plan) after the owner confirms.`,
      });
    } else if (deferred.length > 0) {
      warnings.push({
        code: RemediationCodes.actionNotPlanned,
        message: `The alert is not closed by this plan: the rotation of ${deferred.flatMap((entry) => entry.names).join(", ")} waits for the owner. The follow-up plan (ownerConfirmed) closes it.`,
      });
    } else {
      drafts.push({ ...alertStateDraft(alert, finalState, "Every remediation step completed and verified."), reason: "close the alert once every step is done" });
    }
  }

  const ordered = withoutDoneInIncident(drafts, new IncidentHistory(options.incidentJournal ?? [], [triage.alertId]), warnings)
    .map((draft, index) => ({ draft, index }))
    .sort((a, b) => {
      const end = (draft: Draft) => (draft.kind === "update-alert-state" && (draft as DraftOf<"update-alert-state">).parameters.state !== "InProgress" ? 1 : 0);
      return end(a.draft) - end(b.draft) || ORDER.indexOf(a.draft.kind) - ORDER.indexOf(b.draft.kind) || a.index - b.index;
    })
    .map(({ draft }) => draft);

  const steps = ordered.map((draft, index) => {
    const id = `s${String(index + 1).padStart(2, "0")}-${draft.kind}`;
    const step = { id, ...draft } as RemediationStep;
    const auto = policy.autoApprove?.includes(step.kind) === true;
    step.requiresApproval = step.risk === "destructive" ? true : auto ? false : step.requiresApproval;
    return step;
  });
  if (options.objectVersions !== undefined) for (const step of steps) recordVersions(step, steps, options.objectVersions, warnings);
  const lockout = responderLockoutWarning(steps, policy);
  if (lockout !== undefined) warnings.unshift(lockout);
  return withPlanId({
    schemaVersion: PLAN_SCHEMA_VERSION,
    ...(policy.now === undefined ? {} : { createdAt: policy.now }),
    basedOn: { alertIds: [triage.alertId], ruleIds: [...ruleIds].sort(), targets: targetsOf(steps) },
    steps,
    warnings: warnings.map(({ code, message }) => ({ code, message })),
    irreversible: [],
  });
}

interface PlanningContext {
  triage: TriageReport;
  impact: ImpactInput | undefined;
  policy: RemediationPolicy;
  warnings: PlanWarning[];
  hasRoleAssignmentAction: boolean;
}

function alertTarget(triage: TriageReport): AlertTarget {
  const target: AlertTarget = { id: triage.alertId, systemAlertId: triage.systemAlertId };
  const subscription = /\/subscriptions\/([^/]+)/i.exec(triage.alertId)?.[1];
  const resourceGroup = /\/resourceGroups\/([^/]+)/i.exec(triage.alertId)?.[1];
  const location = /\/locations\/([^/]+)/i.exec(triage.alertId)?.[1];
  if (subscription !== undefined) target.subscriptionId = subscription;
  if (resourceGroup !== undefined) target.resourceGroup = resourceGroup;
  if (location !== undefined) target.location = location;
  return target;
}

function alertStateDraft(alert: AlertTarget, state: "InProgress" | "Resolved" | "Dismissed" | "Active", reason: string): DraftOf<"update-alert-state"> {
  return {
    kind: "update-alert-state",
    target: { alert },
    parameters: { state },
    reason,
    risk: "safe",
    reversible: true,
    requiresApproval: false,
    precondition: { summary: "" },
  };
}

/** Triage's targets are core's; a plan also needs the vault's data-plane host, derived from the name when triage did not know it. */
function vaultOf(target: CoreVaultTarget): VaultTarget {
  return { ...target, vaultUri: target.vaultUri ?? vaultUriFromName(target.name) };
}

function base(action: RecommendedAction, risk: StepRisk, reversible: boolean) {
  return {
    reason: `${action.reason.message} (${action.reason.ruleId})`,
    risk,
    reversible,
    requiresApproval: action.requiresApproval,
  };
}

function recipientsOf(recipients: ContactRecipient[]): string[] {
  return [
    ...new Set(
      recipients
        // The suspected principal is never asked to vouch for its own access.
        .filter((recipient) => recipient.role !== "principal")
        .map((recipient) => recipient.ref?.mail ?? recipient.ref?.userPrincipalName ?? recipient.ref?.displayName ?? recipient.ref?.objectId ?? recipient.role),
    ),
  ];
}

/**
 * The recipients of a task: as the policy names them, else as resolved from the tenant (with their sources), else as
 * triage found them. A task that ends up with nobody is a plan warning, before anything is applied.
 */
function taskRecipients(
  kind: "contact-owner" | "escalate-to-admin",
  context: PlanningContext,
  derived: () => string[],
): Pick<NotificationTaskParameters, "recipients" | "recipientSources"> {
  const { policy, warnings } = context;
  const configured = kind === "contact-owner" ? policy.recipients?.owner : policy.recipients?.admin;
  const resolved = policy.resolvedRecipients?.[kind];
  let result: Pick<NotificationTaskParameters, "recipients" | "recipientSources">;
  if (configured !== undefined) result = { recipients: [...configured] };
  else if (resolved !== undefined) {
    result = { recipients: resolved.recipients.map((recipient) => recipient.address), recipientSources: resolved.recipients.map((recipient) => ({ ...recipient })) };
  } else result = { recipients: derived() };
  if (result.recipients.length === 0) {
    const notes = resolved?.notes.length ? ` (${resolved.notes.join("; ")})` : "";
    const excluded = resolved?.excluded.length ? ` The suspected principal (${resolved.excluded.map((recipient) => recipient.address).join(", ")}) is never told about its own alert.` : "";
    warnings.push({
      code: RemediationCodes.taskWithoutRecipient,
      message: `The ${kind} task has no recipient: the vault's owner tags, the principal's manager and owners and the subscription's security contacts named nobody${notes}.${excluded} Add an owner tag to the vault or configure notify.fallbacks.`,
    });
  }
  return result;
}

function evidenceOf(triage: TriageReport): Record<string, JsonValue> {
  const evidence: Record<string, JsonValue> = {
    alertId: triage.alertId,
    alertType: triage.alertType,
    origin: triage.source.origin,
    findings: triage.findings.map((finding) => finding.message),
  };
  if (triage.source.ip.address !== undefined) evidence["ipAddress"] = triage.source.ip.address;
  if (triage.source.ip.location !== undefined) evidence["ipLocation"] = triage.source.ip.location;
  const principal = triage.source.principal;
  if (principal.objectId !== undefined) evidence["principalObjectId"] = principal.objectId;
  if (principal.userPrincipalName !== undefined) evidence["principal"] = principal.userPrincipalName;
  else if (principal.displayName !== undefined) evidence["principal"] = principal.displayName;
  evidence["vault"] = triage.source.vault.name;
  return evidence;
}

function draftsFor(action: RecommendedAction, context: PlanningContext): Draft[] {
  const { triage, impact, policy, warnings } = context;
  switch (action.kind) {
    case "contact-owner":
      return [
        {
          kind: "contact-owner",
          target: {
            vault: vaultOf(action.target.vault),
            ...(action.target.principal === undefined ? {} : { principal: action.target.principal }),
          },
          parameters: {
            ...taskRecipients("contact-owner", context, () => recipientsOf(action.parameters.recipients)),
            subject: `Confirm access to Key Vault ${action.target.vault.name} (${triage.alertType})`,
            // One line per part, each escaped as a line: the message's line breaks are the planner's, never a value's.
            message: [
              `Defender for Key Vault raised ${triage.alertType} on vault ${action.target.vault.name}.`,
              "Please confirm whether this access was expected. A recognised user or app is not proof: stolen credentials look like known users.",
              ...action.parameters.questions,
            ]
              .map((line) => terminalSafe(line, { singleLine: true }))
              .join("\n"),
            evidence: { ...evidenceOf(triage), topics: action.parameters.topics },
          },
          ...base(action, "safe", false),
          precondition: { summary: "" },
        },
      ];
    case "escalate-to-admin":
      return [
        {
          kind: "escalate-to-admin",
          target: { principal: action.target.principal },
          parameters: {
            ...taskRecipients("escalate-to-admin", context, () => []),
            subject: `Review directory roles of ${action.target.principal.userPrincipalName ?? action.target.principal.displayName ?? action.target.principal.objectId}`,
            message: terminalSafe(action.parameters.question, { singleLine: true }),
            evidence: {
              ...evidenceOf(triage),
              directoryRoles: action.parameters.directoryRoles.map((role) => `${role.roleName} (${role.state})`),
            },
          },
          ...base(action, "safe", false),
          precondition: { summary: "" },
        },
      ];
    case "enable-firewall":
      return [firewallDraft(action, context)];
    case "remove-access-policy":
    case "restrict-permissions": {
      if (action.target.vault.authorization === "rbac") {
        warnings.push({
          code: RemediationCodes.actionNotPlanned,
          message: `Vault ${action.target.vault.name} uses Azure RBAC, where access policies are ignored: ${action.kind} is replaced by remove-role-assignments.`,
        });
        if (context.hasRoleAssignmentAction) return [];
        return [
          {
            kind: "remove-role-assignments",
            target: { vault: vaultOf(action.target.vault), principal: action.target.principal },
            parameters: { includeInherited: policy.roleAssignments?.includeInherited ?? false },
            ...base(action, "sensitive", true),
            precondition: { summary: "role assignments read at apply time" },
          },
        ];
      }
      const entries = action.parameters.entries;
      const observed = { entries } as unknown as JsonValue;
      const summary = entries.length === 0 ? "no access-policy entry seen at triage" : entries.map((entry) => `${entry.objectId}: ${describePermissions(entry.permissions)}`).join(" | ");
      const allowVaultPutFallback = policy.accessPolicies?.allowVaultPutFallback ?? true;
      if (action.kind === "remove-access-policy") {
        return [
          {
            kind: "remove-access-policy",
            target: { vault: vaultOf(action.target.vault), principal: action.target.principal },
            parameters: { allowVaultPutFallback },
            ...base(action, "sensitive", true),
            precondition: { summary, observed },
          },
        ];
      }
      return [
        {
          kind: "restrict-permissions",
          target: { vault: vaultOf(action.target.vault), principal: action.target.principal },
          parameters: { remove: action.parameters.remove, allowVaultPutFallback },
          ...base(action, "sensitive", true),
          precondition: { summary, observed },
        },
      ];
    }
    case "remove-role-assignments": {
      const includeInherited =
        policy.roleAssignments?.includeInherited ?? action.parameters.assignments.some((assignment) => assignment.inheritance === "inherited");
      const describe = (assignment: RoleAssignmentRef) => `${assignment.roleName ?? assignment.roleDefinitionGuid} at ${assignment.scope} (${assignment.inheritance})`;
      for (const assignment of action.parameters.reportOnly) {
        warnings.push({
          code: RemediationCodes.inheritedAssignments,
          message: `Inherited assignment ${describe(assignment)} also grants access; it is reported, not deleted (deleting it affects everything under its scope).`,
        });
      }
      return [
        {
          kind: "remove-role-assignments",
          target: { vault: vaultOf(action.target.vault), principal: action.target.principal },
          parameters: {
            includeInherited,
            // Only what triage listed (and the reviewer saw) is ever deleted.
            assignments: action.parameters.assignments.map((assignment) => ({
              id: assignment.id,
              scope: assignment.scope,
              roleDefinitionId: assignment.roleDefinitionId,
              ...(assignment.roleName === undefined ? {} : { roleName: assignment.roleName }),
              inheritance: assignment.inheritance,
            })),
          },
          ...base(action, "sensitive", true),
          precondition: {
            summary: [...action.parameters.assignments, ...action.parameters.reportOnly].map(describe).join("; ") || "no role assignment seen at triage",
            observed: { assignments: action.parameters.assignments.map((assignment) => assignment.id), reportOnly: action.parameters.reportOnly.map((assignment) => assignment.id) },
          },
        },
      ];
    }
    case "revoke-sessions": {
      const principalType = action.target.type ?? "unknown";
      if (principalType !== "user" && principalType !== "unknown") {
        warnings.push({
          code: RemediationCodes.actionNotPlanned,
          message: `revoke-sessions applies to users; ${action.target.objectId} is a ${principalType}. Remove its access and credentials instead.`,
        });
        return [];
      }
      return [
        {
          kind: "revoke-sessions",
          target: { principal: action.target },
          parameters: {},
          ...base(action, "sensitive", false),
          precondition: { summary: "" },
        },
      ];
    }
    case "measure-impact":
      if (impact === undefined) {
        warnings.push({
          code: RemediationCodes.actionNotPlanned,
          message: "Impact was not measured: run @keywarden/impact (measureImpact) and plan again with its report to target the exposed objects and list the callers a firewall would cut off.",
        });
      }
      return [];
    case "rotate-secrets":
    case "disable-secrets":
    case "delete-secrets":
    case "rotate-keys":
      return objectDraft(action, context);
    case "update-alert-state":
      return [];
  }
}

function firewallDraft(action: ActionOf<"enable-firewall">, context: PlanningContext): Draft {
  const { triage, impact, policy, warnings } = context;
  const vaultTarget = action.target;
  const parameters = action.parameters;
  const requested = [...parameters.addIpRules, ...(policy.firewall?.addIpRules ?? [])];
  const addIpRules: string[] = [];
  for (const rule of requested) {
    if (isIpv6(rule)) {
      warnings.push({ code: RemediationCodes.ipv6NotBlockable, message: `${rule} is IPv6; Key Vault IP rules are IPv4 only, so it is not added.` });
    } else if (!addIpRules.includes(rule)) addIpRules.push(rule);
  }
  const addVirtualNetworkRules = [...new Set(policy.firewall?.addVirtualNetworkRules ?? [])];
  const bypass = policy.firewall?.bypass ?? parameters.bypass;
  const consolidate = policy.firewall?.consolidate ?? true;
  const firewall = triage.source.vault.firewall;
  const observed: NetworkAclsSnapshot | undefined =
    firewall === undefined
      ? undefined
      : {
          defaultAction: firewall.defaultAction,
          bypass: firewall.bypass,
          ipRules: [...firewall.ipRules],
          virtualNetworkRules: firewall.virtualNetworkRules.map((id) => ({ id })),
        };
  if (parameters.blockedAddressIsIpv6 === true) {
    warnings.push({
      code: RemediationCodes.ipv6NotBlockable,
      message: `The alert's address ${parameters.blockedAddress ?? ""} is IPv6: it cannot be listed in Key Vault rules; defaultAction Deny keeps it out unless a private endpoint admits it.`,
    });
  }
  let desired: NetworkAclsSnapshot | undefined;
  try {
    desired = planFirewallChange(observed ?? { defaultAction: "Allow", bypass, ipRules: [], virtualNetworkRules: [] }, {
      defaultAction: "Deny",
      bypass,
      addIpRules,
      addVirtualNetworkRules,
      consolidate,
    }).desired;
  } catch (error) {
    warnings.push({ code: RemediationCodes.invalidNetworkRule, message: error instanceof Error ? error.message : String(error) });
  }
  const blocked = parameters.blockedAddress;
  if (desired !== undefined && blocked !== undefined && parseIpv4Cidr(blocked) !== undefined && isAllowedByRules(desired, blocked)) {
    warnings.push({
      code: RemediationCodes.callersCutOff,
      message: `The alert's address ${blocked} stays allowed by an existing or requested rule: closing the firewall does not block it. Remove that rule by hand after review.`,
    });
  }
  const cutOffCallers: CutOffCaller[] = [];
  if (impact !== undefined && desired !== undefined) {
    const seen = new Set<string>();
    for (const caller of impact.callers) {
      const ip = caller.ipAddress;
      if (ip === undefined || ip === blocked || caller.suspicious === true || seen.has(ip)) continue;
      // Callers through a kept VNet rule, a private endpoint or the trusted-services bypass are not affected.
      if (!lockOutVerdict(caller, { desired, privateEndpoints: (firewall?.approvedPrivateEndpoints ?? 0) > 0 }).affected) continue;
      seen.add(ip);
      const entry: CutOffCaller = { ipAddress: ip, operations: caller.count };
      const principal = caller.userPrincipalName ?? caller.objectId ?? caller.applicationId;
      if (principal !== undefined) entry.principal = principal;
      if (caller.lastTime !== undefined) entry.lastSeen = caller.lastTime;
      cutOffCallers.push(entry);
    }
    cutOffCallers.sort((a, b) => (b.operations ?? 0) - (a.operations ?? 0) || (a.ipAddress ?? "").localeCompare(b.ipAddress ?? ""));
    const max = policy.maxCutOffCallers ?? 50;
    if (cutOffCallers.length > 0) {
      warnings.push({
        code: RemediationCodes.callersCutOff,
        message: `${cutOffCallers.length} other caller(s) seen in the logs would be cut off by the firewall (busiest: ${cutOffCallers
          .slice(0, 3)
          .map((caller) => caller.ipAddress)
          .join(", ")}). Add the legitimate ones to policy.firewall.addIpRules.`,
      });
    }
    cutOffCallers.splice(max);
  } else if (impact === undefined) {
    warnings.push({
      code: RemediationCodes.callersCutOff,
      message: "No impact report: the callers a closed firewall would cut off are unknown. Measure impact first to list them.",
    });
  }
  return {
    kind: "enable-firewall",
    target: { vault: vaultOf(vaultTarget) },
    parameters: { defaultAction: "Deny", bypass, addIpRules, addVirtualNetworkRules, consolidate, cutOffCallers },
    ...base(action, "sensitive", true),
    precondition:
      observed === undefined
        ? { summary: "networkAcls not read at triage; read at apply time" }
        : { summary: `networkAcls: ${describeNetworkAcls(observed)}`, observed: observed, readAt: triage.triagedAt },
  };
}

function objectDraft(
  action: ActionOf<"rotate-secrets" | "disable-secrets" | "delete-secrets" | "rotate-keys">,
  context: PlanningContext,
): Draft[] {
  const { impact, policy, warnings } = context;
  const selection: ObjectSelection = action.parameters;
  const defaultType: ObjectTarget["type"] = action.kind === "rotate-keys" ? "key" : "secret";
  const objects = new Map<string, ObjectTarget>();
  const add = (type: ObjectTarget["type"], name: string, versions: string[] | undefined) => {
    const key = `${type}:${name.toLowerCase()}`;
    const existing = objects.get(key);
    if (existing === undefined) {
      objects.set(key, versions === undefined || versions.length === 0 ? { type, name } : { type, name, versions: [...new Set(versions.map((v) => v.toLowerCase()))].sort() });
    } else if (existing.versions !== undefined) {
      if (versions === undefined || versions.length === 0) delete existing.versions;
      else existing.versions = [...new Set([...existing.versions, ...versions.map((v) => v.toLowerCase())])].sort();
    }
  };
  const impactType = (name: string) => impact?.toRotate.find((item) => item.name.toLowerCase() === name.toLowerCase())?.type;
  for (const name of selection.names) {
    const type = action.kind === "rotate-keys" ? "key" : (impactType(name) ?? defaultType);
    // Own properties only: `constructor`, `toString`, `hasOwnProperty` are valid object names.
    add(type, name, Object.hasOwn(selection.versions, name) ? selection.versions[name] : undefined);
  }
  if (selection.includeExposedFromImpact && impact !== undefined) {
    for (const item of impact.toRotate) {
      const fits = action.kind === "rotate-keys" ? item.type === "key" : action.kind === "rotate-secrets" ? item.type !== "key" : true;
      if (fits) add(item.type, item.name, item.versions);
    }
  }
  if (objects.size === 0) {
    warnings.push({
      code: RemediationCodes.actionNotPlanned,
      message: `${action.kind}: the alert names no object${selection.includeExposedFromImpact && impact === undefined ? " and impact was not measured" : ""}; nothing to ${action.kind.split("-")[0] ?? ""}.`,
    });
    return [];
  }
  const vault = vaultOf(action.target);
  const targets = [...objects.values()].sort((a, b) => a.type.localeCompare(b.type) || a.name.localeCompare(b.name));
  const summary = targets.map((object) => `${object.type} ${object.name}${object.versions === undefined ? "" : ` (${object.versions.length} version(s))`}`).join(", ");
  const versionFree = targets.map(({ type, name }) => ({ type, name }));
  switch (action.kind) {
    case "rotate-secrets": {
      // The "applications must pick up the new value" warning is given after deferral (rotationWarnings): a secret
      // whose rotation became its owner's task, or that the owner already rotated, is not rotated by this plan.
      const allowRandomValue = policy.secrets?.allowRandomValue ?? false;
      return [
        {
          kind: "rotate-secrets",
          target: { vault, objects: versionFree },
          parameters: { allowRandomValue, ...(policy.secrets?.rotator === undefined ? {} : { rotator: policy.secrets.rotator }) },
          ...base(action, "sensitive", false),
          precondition: { summary },
        },
      ];
    }
    case "rotate-keys":
      return [
        {
          kind: "rotate-keys",
          target: { vault, objects: versionFree.map((object) => ({ ...object, type: "key" as const })) },
          parameters: {},
          ...base(action, "sensitive", false),
          precondition: { summary },
        },
      ];
    case "disable-secrets":
      return [
        {
          kind: "disable-secrets",
          target: { vault, objects: targets },
          parameters: {},
          ...base(action, "sensitive", true),
          precondition: {
            summary: `${summary}; versions this plan's rotation creates are never disabled`,
          },
        },
      ];
    case "delete-secrets": {
      const purge = policy.secrets?.purge ?? false;
      if (purge) {
        warnings.push({ code: RemediationCodes.irreversibleStep, message: `Purge is on: ${summary} will be gone for good (refused if the vault has purge protection).` });
      }
      return [
        {
          kind: "delete-secrets",
          target: { vault, objects: versionFree },
          parameters: { purge },
          ...base(action, purge ? "destructive" : "sensitive", !purge),
          requiresApproval: true,
          precondition: { summary },
        },
      ];
    }
  }
}

/** One incident, one response: drops what an earlier plan of the incident did, narrows a rotation to the objects left. */
function withoutDoneInIncident(drafts: Draft[], incident: IncidentHistory, warnings: PlanWarning[]): Draft[] {
  if (incident.size === 0) return drafts;
  const kept: Draft[] = [];
  for (const draft of drafts) {
    const match = incident.match(draft);
    if (match.done.length === 0) kept.push(draft);
    else if (match.remaining === undefined) {
      warnings.push({ code: RemediationCodes.doneInIncident, message: `${describeIncidentActions(draft.kind, match.done)}: not planned again.` });
    } else {
      warnings.push({ code: RemediationCodes.doneInIncident, message: `${describeIncidentActions(draft.kind, match.done)}: only the other objects are planned.` });
      const objects = match.remaining;
      kept.push({ ...draft, target: { ...draft.target, objects }, precondition: { ...draft.precondition, summary: objects.map((object) => `${object.type} ${object.name}`).join(", ") } });
    }
  }
  return kept;
}

const OBJECT_KINDS = new Set<StepKind>(["rotate-secrets", "rotate-keys", "disable-secrets", "delete-secrets"]);

/** Several rules may ask for the same object action on one vault: one step per (kind, vault), objects merged. */
function mergeObjectDrafts(drafts: Draft[]): Draft[] {
  const merged: Draft[] = [];
  const byKey = new Map<string, Draft>();
  for (const draft of drafts) {
    const vault = draft.target.vault?.resourceId.toLowerCase();
    if (!OBJECT_KINDS.has(draft.kind) || vault === undefined) {
      merged.push(draft);
      continue;
    }
    const key = `${draft.kind}|${vault}|${JSON.stringify(draft.parameters)}`;
    const existing = byKey.get(key);
    if (existing === undefined) {
      const copy = structuredClone(draft);
      byKey.set(key, copy);
      merged.push(copy);
      continue;
    }
    const objects = new Map((existing.target.objects ?? []).map((object) => [`${object.type}:${object.name.toLowerCase()}`, object]));
    for (const object of draft.target.objects ?? []) {
      const id = `${object.type}:${object.name.toLowerCase()}`;
      const known = objects.get(id);
      if (known === undefined) objects.set(id, structuredClone(object));
      else if (known.versions !== undefined) {
        if (object.versions === undefined) delete known.versions;
        else known.versions = [...new Set([...known.versions, ...object.versions])].sort();
      }
    }
    existing.target.objects = [...objects.values()].sort((a, b) => a.type.localeCompare(b.type) || a.name.localeCompare(b.name));
    existing.requiresApproval ||= draft.requiresApproval;
  }
  return merged;
}

const DATA_PLANE_KINDS: ReadonlySet<RemediationStep["kind"]> = new Set(["rotate-secrets", "rotate-keys", "disable-secrets", "delete-secrets"]);

/**
 * Closing the firewall before data-plane steps locks the responder out of its own vault (403 ForbiddenByFirewall)
 * unless a rule admits the responder's address. The planner cannot know that address: without any policy rule it
 * warns, first in the list.
 */
function responderLockoutWarning(steps: readonly RemediationStep[], policy: RemediationPolicy): PlanWarning | undefined {
  if ((policy.firewall?.addIpRules ?? []).length > 0) return undefined;
  const firewallAt = steps.findIndex((step) => step.kind === "enable-firewall");
  if (firewallAt === -1) return undefined;
  const closed = steps[firewallAt]?.target.vault?.resourceId.toLowerCase();
  const later = steps.slice(firewallAt + 1).filter((step) => DATA_PLANE_KINDS.has(step.kind) && step.target.vault?.resourceId.toLowerCase() === closed);
  if (later.length === 0) return undefined;
  return {
    code: RemediationCodes.responderLockout,
    message:
      `The firewall is closed before ${later.length} data-plane step(s) (${later.map((step) => step.id).join(", ")}) and no rule admits the responder: ` +
      "the responder's address must be added (policy.firewall.addIpRules) or the data-plane steps will fail with 403 ForbiddenByFirewall.",
  };
}

/** KW_REMEDIATION_W0002 for each rotation the plan still makes, naming what it rotates (after owner deferral). */
function rotationWarnings(drafts: readonly Draft[]): PlanWarning[] {
  return drafts.flatMap((draft): PlanWarning[] => {
    if (draft.kind !== "rotate-secrets") return [];
    const step = draft as DraftOf<"rotate-secrets">;
    const names = (step.target.objects ?? []).map((object) => `${object.type} ${object.name}`).join(", ");
    return [
      {
        code: RemediationCodes.consumersMustUpdate,
        message: `Rotating ${names}: applications must pick up the new value${step.parameters.allowRandomValue ? "; the random-value rotator may run, which changes nothing at the secret's source" : ""}.`,
      },
    ];
  });
}
