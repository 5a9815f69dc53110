import type { KeyVaultAlert } from "@keywarden/alerts";
import { ACTION_KINDS, CHANGING_ACTION_KINDS } from "./action-kind.js";
import { deriveFacts } from "./engine/derive-facts.js";
import { actionKeyAndId, mergeInto } from "./engine/merge-actions.js";
import { checkClosingDeclaration } from "./define-triage-rule.js";
import { InvalidTriageRuleError } from "./errors/invalid-triage-rule-error.js";
import { TriageErrorCodes } from "./errors/triage-error-codes.js";
import type { ActionReason, RecommendedAction } from "./recommended-action.js";
import { builtInRules } from "./rules/built-in-rules.js";
import type { SourceReport } from "./source-report.js";
import type { AddressRange } from "./triage-context.js";
import type { ClosingBlocker, Decision, DisabledRuleNote, Finding, TriageReport, Verdict, WithheldAction } from "./triage-report.js";
import { protectiveBuiltInRuleIds, resolveTriagePolicy, type ResolvedTriagePolicy, type TriagePolicy } from "./triage-policy.js";
import type { ProposedAction, RuleInput, TriageRule } from "./triage-rule.js";

export interface DecideResponseOptions {
  policy?: TriagePolicy;
  /** Defaults to `builtInRules`. */
  rules?: readonly TriageRule[];
  /** The tenant's known address space (kept allowed when the firewall is closed). */
  tenantAddressSpace?: readonly (string | AddressRange)[];
  /** When the decision is made; the report's `triagedAt`. */
  now: Date;
}

const SIMULATED_RULE = "kv/simulated-alert";

/**
 * Step 2 of Microsoft's guidance: decide the response from a source report. Pure and synchronous: the same alert,
 * source report, policy and rules always give the same report. `triageAlert` is `identifySource` + this.
 */
export function decideResponse(alert: KeyVaultAlert, source: SourceReport, options: DecideResponseOptions): TriageReport {
  const { policy, disabledRules, disabledActions, autoApprove } = preparedPolicy(options.policy);
  const rules = options.rules ?? builtInRules;
  const facts = deriveFacts(alert, source, policy);
  const tenantAddressSpace = rangesAsText(options.tenantAddressSpace);
  const input: RuleInput = { alert, source, policy, facts, tenantAddressSpace };
  const reportOnlySimulation = alert.simulated && policy.simulatedAlerts === "report-only";

  const findings: Finding[] = [];
  // Findings per base id, for `#2` suffixes: a decision has a handful, so a list scan until it grows long.
  const findingBases: string[] = [];
  let findingCounts: Map<string, number> | undefined;
  const actions: ActionSet = { keys: [], actions: [], index: undefined };
  const withheld: WithheldAction[] = [];
  const rulesEvaluated: string[] = [];

  // Load every rule first: a rule that would close alerts without requiring approval is refused before any runs.
  const preparedList = rules.map((rule) => preparedRule(rule));
  for (let ruleIndex = 0; ruleIndex < rules.length; ruleIndex++) {
    const rule = rules[ruleIndex]!;
    const ruleId = rule.meta.id;
    if (disabledRules.has(ruleId)) continue;
    rulesEvaluated.push(ruleId);
    const prepared = preparedList[ruleIndex]!;
    for (const report of rule.evaluate(input)) {
      const template = (rule.meta.messages as Record<string, string | undefined>)[report.messageId];
      if (template === undefined) {
        throw new InvalidTriageRuleError(
          ruleId,
          `Rule ${ruleId} reported message "${report.messageId}", which its meta.messages does not declare: add it there.`,
          TriageErrorCodes.RuleContractViolation,
        );
      }
      const baseId = findingBaseId(prepared, ruleId, report.messageId);
      let count = 1;
      if (findingCounts === undefined) {
        for (const seen of findingBases) if (seen === baseId) count++;
        findingBases.push(baseId);
        if (findingBases.length === 32) {
          findingCounts = new Map();
          for (const seen of findingBases) findingCounts.set(seen, (findingCounts.get(seen) ?? 0) + 1);
        }
      } else {
        count = (findingCounts.get(baseId) ?? 0) + 1;
        findingCounts.set(baseId, count);
      }
      const finding: Finding = {
        id: count === 1 ? baseId : `${baseId}#${count}`,
        ruleId,
        messageId: report.messageId,
        message: fillTemplate(template, report.data),
        severity: report.severity,
        evidence: report.evidence ?? [],
      };
      findings.push(finding);
      for (const proposed of report.actions ?? []) {
        if (!prepared.proposes.has(proposed.kind)) {
          throw new InvalidTriageRuleError(
            ruleId,
            `Rule ${ruleId} proposed "${proposed.kind}", which its meta.proposes does not declare: add it there.`,
            TriageErrorCodes.RuleContractViolation,
          );
        }
        if (proposed.kind === "update-alert-state" && isClosingState(proposed.parameters.state) && !prepared.closes.has(proposed.parameters.state)) {
          throw new InvalidTriageRuleError(
            ruleId,
            `Rule ${ruleId} proposed closing the alert (${proposed.parameters.state}), which its meta.closes does not declare: declare it with requiresApproval: true.`,
            TriageErrorCodes.RuleContractViolation,
          );
        }
        const reason: ActionReason = { findingId: finding.id, ruleId, message: finding.message };
        const withholdReason = disabledActions.has(proposed.kind)
          ? `Action kind ${proposed.kind} is disabled by the policy (disabledActions).`
          : reportOnlySimulation && ruleId !== SIMULATED_RULE
            ? "Sample alert: withheld because the policy's simulatedAlerts is report-only."
            : undefined;
        if (withholdReason !== undefined) {
          withheld.push({ kind: proposed.kind, ruleId, reason: withholdReason });
          continue;
        }
        addAction(actions, proposed, reason, autoApprove);
      }
    }
  }

  // The action list is this call's own array: sort it in place.
  // A sample alert under report-only describes what real triage would do: its findings block nothing.
  const closingBlockers = closingBlockersOf(actions.actions, reportOnlySimulation ? [] : findings);
  const recommendedActions = sortActions(withholdClosing(actions.actions, closingBlockers, withheld));
  const verdict: Verdict = reportOnlySimulation
    ? "simulated"
    : recommendedActions.some((action) => CHANGING_ACTION_KINDS.has(action.kind))
      ? "contain"
      : "investigate";
  const decision: Decision = {
    verdict,
    origin: source.origin,
    summary: summarise(alert, source, verdict, recommendedActions),
    recommendedActions,
    withheldActions: withheld,
    closingBlockers,
  };
  return {
    schemaVersion: 1,
    alertId: alert.id,
    systemAlertId: alert.systemAlertId,
    alertType: alert.alertType,
    alertKind: alert.kind,
    simulated: alert.simulated,
    triagedAt: isoTime(options.now),
    source,
    findings,
    decision,
    rulesEvaluated,
    disabledRules: disabledRuleNotes(policy),
  };
}

function isClosingState(state: string): state is "Resolved" | "Dismissed" {
  return state === "Resolved" || state === "Dismissed";
}

function isClosingAction(action: RecommendedAction): boolean {
  return action.kind === "update-alert-state" && isClosingState(action.parameters.state);
}

/** Findings that mean the response waits for the owner before anything is concluded. */
const WAITING_FINDINGS = new Set(["kv/secrets-exposed/deferred"]);

/**
 * What must happen before the alert may close: every owner question (contact-owner), every containment step (a
 * changing action), and every finding that defers a step to the owner's answer.
 */
function closingBlockersOf(actions: readonly RecommendedAction[], findings: readonly Finding[]): ClosingBlocker[] {
  const blockers: ClosingBlocker[] = [];
  for (const action of actions) {
    if (action.kind === "contact-owner") {
      blockers.push({ reason: "owner-confirmation-pending", actionId: action.id, message: "The owner has not confirmed this access yet." });
    } else if (CHANGING_ACTION_KINDS.has(action.kind)) {
      blockers.push({ reason: "containment-pending", actionId: action.id, message: `Containment step ${action.id} has to succeed first; if it is denied or fails, the alert stays open.` });
    }
  }
  for (const finding of findings) {
    if (WAITING_FINDINGS.has(finding.id.split("#")[0]!)) {
      blockers.push({ reason: "owner-confirmation-pending", findingId: finding.id, message: finding.message });
    }
  }
  return blockers;
}

/** Closing steps leave the recommendation while anything blocks them; they are listed as withheld, with why. */
function withholdClosing(actions: RecommendedAction[], blockers: readonly ClosingBlocker[], withheld: WithheldAction[]): RecommendedAction[] {
  if (blockers.length === 0 || !actions.some(isClosingAction)) return actions;
  const kept: RecommendedAction[] = [];
  const first = blockers[0]!;
  for (const action of actions) {
    if (!isClosingAction(action)) {
      kept.push(action);
      continue;
    }
    withheld.push({
      kind: action.kind,
      ruleId: action.reason.ruleId,
      reason: `Closing the alert waits: ${first.message}${blockers.length > 1 ? ` (and ${blockers.length - 1} more step(s))` : ""} Close it after they complete.`,
    });
  }
  return kept;
}

function disabledRuleNotes(policy: ResolvedTriagePolicy): DisabledRuleNote[] {
  if (policy.disabledRules.length === 0) return [];
  const protective = protectiveBuiltInRuleIds();
  const acknowledged = new Set(policy.acknowledge);
  return policy.disabledRules.map((ruleId) => {
    const isProtective = protective.has(ruleId);
    const ack = acknowledged.has(ruleId);
    return {
      ruleId,
      protective: isProtective,
      acknowledged: ack,
      message: isProtective
        ? `${ruleId} is disabled by the policy (acknowledged): the owner contact and containment it proposes are missing from this report.`
        : `${ruleId} is disabled by the policy.`,
    };
  });
}

/**
 * The actions of one decision, in first-proposed order, with their keys. A decision has a handful of actions, so
 * a linear scan (kinds compared first) beats hashing every freshly built key; a Map takes over for long lists.
 */
interface ActionSet {
  keys: string[];
  actions: RecommendedAction[];
  index: Map<string, RecommendedAction> | undefined;
}

function findAction(set: ActionSet, kind: string, key: string): RecommendedAction | undefined {
  if (set.index !== undefined) return set.index.get(key);
  const { actions, keys } = set;
  for (let i = 0; i < actions.length; i++) if (actions[i]!.kind === kind && keys[i] === key) return actions[i];
  return undefined;
}

function addAction(actions: ActionSet, proposed: ProposedAction, reason: ActionReason, autoApprove: ReadonlySet<string>): void {
  const { key, id } = actionKeyAndId(proposed);
  const existing = findAction(actions, proposed.kind, key);
  if (existing !== undefined) {
    mergeInto(existing, proposed, reason);
    return;
  }
  // Targets embed the shared facts (vault, principal, alert): copy them so no two actions alias one object.
  // Parameters are built fresh by each rule (see TriageRule) and are taken as they are.
  const action = {
    id,
    kind: proposed.kind,
    target: copyTarget(proposed),
    parameters: proposed.parameters,
    reason,
    reasons: [reason],
    // Closing an alert is never automatic, whatever the policy's autoApprove says.
    requiresApproval: (proposed.kind === "update-alert-state" && isClosingState(proposed.parameters.state)) || !autoApprove.has(proposed.kind),
  } as RecommendedAction;
  actions.keys.push(key);
  actions.actions.push(action);
  if (actions.index !== undefined) actions.index.set(key, action);
  else if (actions.actions.length === 16) actions.index = new Map(actions.keys.map((k, i) => [k, actions.actions[i]!]));
}

/** What the engine derives once per rule object: its declared action kinds as a Set and its finding ids. */
interface PreparedRule {
  proposes: ReadonlySet<string>;
  /** The closing alert states the rule declared (with requiresApproval). */
  closes: ReadonlySet<string>;
  baseIds: Map<string, string>;
}

const preparedRules = new WeakMap<TriageRule, PreparedRule>();

function preparedRule(rule: TriageRule): PreparedRule {
  let prepared = preparedRules.get(rule);
  if (prepared === undefined) {
    checkClosingDeclaration(rule.meta);
    prepared = { proposes: new Set(rule.meta.proposes), closes: new Set(rule.meta.closes ?? []), baseIds: new Map() };
    // Rules from defineTriageRule are frozen; a rule object someone mutates later is re-read every time.
    if (Object.isFrozen(rule) && Object.isFrozen(rule.meta) && Object.isFrozen(rule.meta.proposes)) preparedRules.set(rule, prepared);
  }
  return prepared;
}

/** `<ruleId>/<messageId>`, built once per message. */
function findingBaseId(prepared: PreparedRule, ruleId: string, messageId: string): string {
  let baseId = prepared.baseIds.get(messageId);
  if (baseId === undefined) {
    baseId = `${ruleId}/${messageId}`;
    if (prepared.baseIds.size < 256) prepared.baseIds.set(messageId, baseId);
  }
  return baseId;
}

/** `Date.toISOString` formats anew on every call; a run decides many alerts with the same `now`. */
let lastTime = Number.NaN;
let lastIso = "";
function isoTime(date: Date): string {
  const time = date.getTime();
  if (time !== lastTime) {
    lastIso = date.toISOString();
    lastTime = time;
  }
  return lastIso;
}

/** Message templates split once into literal text and placeholder names (odd indexes). */
const compiledTemplates = new Map<string, string[]>();

function fillTemplate(template: string, data: Record<string, string | number> | undefined): string {
  let parts = compiledTemplates.get(template);
  if (parts === undefined) {
    parts = template.split(/\{\{\s*(\w+)\s*\}\}/);
    compiledTemplates.set(template, parts);
  }
  if (parts.length === 1) return template;
  let text = "";
  for (let index = 0; index < parts.length; index++) {
    const part = parts[index] ?? "";
    if (index % 2 === 0) text += part;
    else {
      const value = data?.[part];
      text += value === undefined ? `{{${part}}}` : String(value);
    }
  }
  return text;
}

/** Copies a target so no two actions share (and a consumer cannot mutate through) the same facts object. */
function copyTarget(action: ProposedAction): ProposedAction["target"] {
  switch (action.kind) {
    case "contact-owner": {
      const { vault, principal, alert } = action.target;
      return principal === undefined ? { vault: { ...vault }, alert: { ...alert } } : { vault: { ...vault }, principal: { ...principal }, alert: { ...alert } };
    }
    case "escalate-to-admin":
      return { principal: { ...action.target.principal }, alert: { ...action.target.alert } };
    case "remove-access-policy":
    case "restrict-permissions":
    case "remove-role-assignments":
      return { vault: { ...action.target.vault }, principal: { ...action.target.principal } };
    case "measure-impact":
      return { vault: { ...action.target.vault }, alert: { ...action.target.alert } };
    case "enable-firewall":
    case "rotate-secrets":
    case "disable-secrets":
    case "delete-secrets":
    case "rotate-keys":
    case "revoke-sessions":
    case "update-alert-state":
      return { ...action.target };
  }
}

/** Action kind order, then id. A decision has a handful of actions: a stable insertion sort in place. */
function sortActions(list: RecommendedAction[]): RecommendedAction[] {
  if (list.length > 32) return list.sort(compareActions);
  for (let i = 1; i < list.length; i++) {
    const item = list[i]!;
    let j = i - 1;
    while (j >= 0 && compareActions(list[j]!, item) > 0) {
      list[j + 1] = list[j]!;
      j--;
    }
    list[j + 1] = item;
  }
  return list;
}

function compareActions(a: RecommendedAction, b: RecommendedAction): number {
  return KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

const KIND_ORDER = Object.fromEntries(ACTION_KINDS.map((kind, index) => [kind, index])) as Record<RecommendedAction["kind"], number>;

interface PreparedPolicy {
  policy: ResolvedTriagePolicy;
  disabledRules: ReadonlySet<string>;
  disabledActions: ReadonlySet<string>;
  autoApprove: ReadonlySet<string>;
}

/** Policies are usually one object reused for a whole run: resolve it once. */
const preparedPolicies = new WeakMap<object, PreparedPolicy>();
let defaultPolicy: PreparedPolicy | undefined;

function preparedPolicy(input: TriagePolicy | undefined): PreparedPolicy {
  if (input === undefined && defaultPolicy !== undefined) return defaultPolicy;
  const cached = input === undefined ? undefined : preparedPolicies.get(input);
  if (cached !== undefined) return cached;
  const policy = resolveTriagePolicy(input);
  const prepared: PreparedPolicy = {
    policy,
    disabledRules: new Set(policy.disabledRules),
    disabledActions: new Set(policy.disabledActions),
    autoApprove: new Set(policy.autoApprove),
  };
  if (input === undefined) defaultPolicy = prepared;
  else preparedPolicies.set(input, prepared);
  return prepared;
}

const rangeTexts = new WeakMap<object, readonly string[]>();

function rangesAsText(ranges: readonly (string | AddressRange)[] | undefined): readonly string[] {
  if (ranges === undefined) return [];
  let texts = rangeTexts.get(ranges);
  if (texts === undefined) {
    texts = ranges.map((entry) => (typeof entry === "string" ? entry : entry.range));
    rangeTexts.set(ranges, texts);
  }
  return texts;
}

function summarise(alert: KeyVaultAlert, source: SourceReport, verdict: Verdict, actions: readonly RecommendedAction[]): string {
  const subject = `${alert.kind === "unknown" ? alert.alertType : alert.kind} on ${alert.vault.name}`;
  const origin = source.origin === "unknown" ? "origin unknown" : source.origin;
  let approvals = 0;
  for (const action of actions) if (action.requiresApproval) approvals++;
  const lead =
    verdict === "simulated"
      ? "sample alert, nothing changes in Azure"
      : verdict === "contain"
        ? "contain"
        : "investigate";
  return `${subject}: ${origin}; ${lead}; ${actions.length} action(s), ${approvals} awaiting approval.`;
}
