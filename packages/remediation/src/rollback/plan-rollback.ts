import { verifyJournalChain, type Journal, type JournalEntry, type JournalKey } from "@keywarden/core";
import { RemediationError } from "../errors/remediation-error.js";
import { RemediationCodes } from "../errors/remediation-codes.js";
import { withPlanId } from "../plan/plan-id.js";
import { evidenceOf } from "../plan/plan-consistency.js";
import {
  PLAN_SCHEMA_VERSION,
  type AccessPolicyEntrySnapshot,
  type IrreversibleStep,
  type JsonValue,
  type NetworkAclsSnapshot,
  type ObjectTarget,
  type PlanWarning,
  type RemediationPlan,
  type RemediationStep,
  type RoleAssignmentSnapshot,
  type StepTarget,
} from "../plan/remediation-plan.js";
import { describeNetworkAcls } from "../firewall/network-rules.js";

export interface PlanRollbackOptions {
  /**
   * Which plan to roll back when the journal holds several. Default: the only one with applied changes, not counting
   * rollback plans (so a failed rollback can be planned again from the same journal and resumed).
   */
  planId?: string;
  /** Recorded as the rollback plan's `createdAt`. */
  now?: string;
  /**
   * The journal's key, to verify entries passed as an array (a `Journal` says whether it verified itself). Rollback
   * takes `before` state and targets only from verified entries.
   */
  journalKey?: JournalKey;
}

interface AppliedChange {
  stepId: string;
  kind: string;
  before: unknown;
  after: unknown;
  target: StepTarget;
  seq: number;
}

const IRREVERSIBLE_REASONS: Record<string, string> = {
  "rotate-secrets": "the new secret value stays; the old value is not restored (earlier versions remain as they were)",
  "rotate-keys": "the new key version stays; earlier versions remain as they were",
  "revoke-sessions": "revoked sessions cannot be restored; the user signs in again",
  "contact-owner": "a task that was sent cannot be unsent",
  "escalate-to-admin": "a task that was sent cannot be unsent",
};

/**
 * Reads what a plan changed from its journal and plans the way back: firewall rule sets restored exactly, access-policy
 * entries with their original casing, role assignments recreated, disabled versions re-enabled, soft-deleted objects
 * recovered. Changes that cannot be undone are listed in `irreversible`. The result is an ordinary plan: review it,
 * then `applyPlan` it (it is journaled and resumable like any other).
 */
export async function planRollback(journal: Journal | readonly JournalEntry[], options: PlanRollbackOptions = {}): Promise<RemediationPlan> {
  const entries = Array.isArray(journal) ? (journal as readonly JournalEntry[]) : await (journal as Journal).entries();
  // A journal is evidence only when its chain verified: otherwise one forged line could make rollback "restore" an
  // attacker's firewall rule or access-policy entry, or rewrite another vault.
  if (options.journalKey !== undefined) verifyJournalChain(entries, options.journalKey);
  else if (Array.isArray(journal) || (journal as Journal).verified !== true) {
    throw new RemediationError(
      RemediationCodes.journalUnverified,
      "The journal is not sealed with a key, so its before-state cannot be trusted for a rollback. Open it with its key (FileJournal.open(path, { key })) or pass options.journalKey.",
    );
  }
  const changes = appliedChanges(entries, options.planId);
  const warnings: PlanWarning[] = [];
  const irreversible: IrreversibleStep[] = [];
  const steps: RemediationStep[] = [];
  const planId = changes.planId;
  for (const change of [...changes.list].reverse()) {
    const drafts = inverse(change, warnings);
    if (drafts === "irreversible") {
      irreversible.push({ stepId: change.stepId, kind: change.kind, reason: (Object.hasOwn(IRREVERSIBLE_REASONS, change.kind) ? IRREVERSIBLE_REASONS[change.kind] : undefined) ?? "cannot be undone" });
      continue;
    }
    for (const draft of drafts) steps.push({ ...draft, id: `r${String(steps.length + 1).padStart(2, "0")}-${draft.kind}` } as RemediationStep);
  }
  return withPlanId({
    schemaVersion: PLAN_SCHEMA_VERSION,
    ...(options.now === undefined ? {} : { createdAt: options.now }),
    basedOn: { alertIds: changes.alertIds, ruleIds: [], rollbackOf: planId, targets: evidenceOf(steps) },
    steps,
    warnings,
    irreversible,
  });
}

function appliedChanges(entries: readonly JournalEntry[], wanted: string | undefined) {
  const byPlan = new Map<string, AppliedChange[]>();
  const alertIds = new Map<string, Set<string>>();
  const seen = new Set<string>();
  // Plans that are themselves rollbacks (their "planned" entry names the plan they undo). A rollback writes into the
  // journal it undoes; its entries must not count as changes to undo, so the same rollback plan is derived again on a
  // retry and resumes where it stopped.
  const rollbacks = new Set<string>();
  for (const entry of entries) {
    if (entry.stepId === "" && entry.event === "planned" && typeof entry.data?.["rollbackOf"] === "string") rollbacks.add(entry.planId);
  }
  // Sub-writes of steps that never finished (failed midway, interrupted, answer lost): undone for exactly those writes.
  const partial = new Map<string, { planId: string; change: AppliedChange; alertIds: readonly string[] }>();
  const record = (planId: string, change: AppliedChange, ids: readonly string[]) => {
    const list = byPlan.get(planId) ?? [];
    list.push(change);
    byPlan.set(planId, list);
    const known = alertIds.get(planId) ?? new Set<string>();
    for (const id of ids) known.add(id);
    alertIds.set(planId, known);
  };
  for (const entry of entries) {
    if (entry.dryRun === true || entry.stepId === "") continue;
    const data = entry.data ?? {};
    const key = `${entry.planId}/${entry.stepId}`;
    if (entry.event === "landed") {
      // Progress that cannot be undone (a value minted at its source) still marks the step as having changed something.
      const earlier = partial.get(key);
      const target = (earlier?.change.target ?? data["target"] ?? {}) as StepTarget;
      const before = earlier === undefined ? entry.before : mergeBefore(entry.kind, earlier.change.before, entry.before);
      partial.set(key, {
        planId: entry.planId,
        change: { stepId: entry.stepId, kind: entry.kind, before, after: undefined, target, seq: earlier?.change.seq ?? entry.seq },
        alertIds: entry.alertIds ?? [],
      });
      continue;
    }
    const changed = entry.event === "succeeded" || (entry.event === "skipped" && data["changed"] === true);
    if (!changed) continue;
    if (seen.has(key)) continue;
    seen.add(key);
    record(entry.planId, { stepId: entry.stepId, kind: entry.kind, before: entry.before, after: entry.after, target: (data["target"] ?? {}), seq: entry.seq }, entry.alertIds ?? []);
  }
  // A step that finished later (a resumed run) is undone from its finished entry, whose before covers every write.
  for (const [key, { planId, change, alertIds: ids }] of partial) if (!seen.has(key)) record(planId, change, ids);
  let planId: string;
  if (wanted !== undefined) planId = wanted;
  else {
    const candidates = [...byPlan.keys()].filter((candidate) => !rollbacks.has(candidate));
    if (candidates.length !== 1) {
      throw new RemediationError(
        RemediationCodes.rollbackUnavailable,
        candidates.length === 0
          ? "The journal records no applied change to roll back (changes made by rollbacks are not counted)."
          : `The journal holds changes of ${candidates.length} plans (${candidates.join(", ")}); pass options.planId to choose one.`,
      );
    }
    planId = candidates[0] ?? "";
  }
  const list = (byPlan.get(planId) ?? []).sort((a, b) => a.seq - b.seq);
  if (list.length === 0) {
    throw new RemediationError(RemediationCodes.rollbackUnavailable, `The journal records no applied change of plan ${planId}.`);
  }
  return { planId, list, alertIds: [...(alertIds.get(planId) ?? [])] };
}

/** Steps whose sub-write replaces one whole document: the first landed write's `before` is the state before all of it. */
const WHOLE_DOCUMENT_KINDS = new Set(["enable-firewall", "restore-firewall"]);

/**
 * Joins the `before` of two sub-writes of one step: lists (`objects` by type and name with their `versions`,
 * `entries`, `assignments`) are concatenated; anything else keeps the first write's state. A step whose write
 * replaces one whole document (a firewall rule set, landed again by a resumed run) keeps the first write's state
 * whole: concatenating its rule lists would "restore" rules the step added.
 */
function mergeBefore(kind: string, first: unknown, next: unknown): unknown {
  if (first === undefined) return next;
  if (WHOLE_DOCUMENT_KINDS.has(kind)) return first;
  if (next === undefined || typeof first !== "object" || first === null || typeof next !== "object" || next === null) return first;
  const merged: Record<string, unknown> = { ...(first as Record<string, unknown>) };
  for (const [field, value] of Object.entries(next as Record<string, unknown>)) {
    const existing = Object.hasOwn(merged, field) ? merged[field] : undefined;
    if (!Array.isArray(value) || !Array.isArray(existing)) {
      if (existing === undefined) merged[field] = value;
      continue;
    }
    if (field !== "objects") {
      merged[field] = [...(existing as unknown[]), ...(value as unknown[])];
      continue;
    }
    type Versioned = { type: string; name: string; versions?: unknown[] };
    const objects = (existing as Versioned[]).map((object) => ({ ...object, versions: [...(object.versions ?? [])] }));
    for (const object of value as Versioned[]) {
      const same = objects.find((candidate) => candidate.type === object.type && candidate.name.toLowerCase() === object.name.toLowerCase());
      if (same === undefined) objects.push({ ...object, versions: [...(object.versions ?? [])] });
      else same.versions.push(...(object.versions ?? []));
    }
    merged[field] = objects;
  }
  return merged;
}

type Draft = Omit<RemediationStep, "id">;

function common(change: AppliedChange, observed?: JsonValue) {
  return {
    reason: `roll back ${change.stepId} (${change.kind})`,
    risk: "sensitive" as const,
    reversible: true,
    requiresApproval: true,
    precondition:
      observed === undefined
        ? { summary: `state after ${change.stepId}` }
        : { summary: `state after ${change.stepId}`, observed },
  };
}

function inverse(change: AppliedChange, warnings: PlanWarning[]): Draft[] | "irreversible" {
  const vault = change.target.vault;
  switch (change.kind) {
    case "enable-firewall": {
      const before = change.before as NetworkAclsSnapshot | undefined;
      if (vault === undefined || before === undefined) return missing(change, warnings);
      return [
        {
          kind: "restore-firewall",
          target: { vault },
          parameters: { networkAcls: before },
          ...common(change, change.after as JsonValue),
          reason: `restore the firewall to ${describeNetworkAcls(before)} (before ${change.stepId})`,
        },
      ];
    }
    case "remove-access-policy":
    case "restrict-permissions": {
      const entries = (change.before as { entries?: AccessPolicyEntrySnapshot[] } | undefined)?.entries;
      if (vault === undefined || entries === undefined) return missing(change, warnings);
      if (entries.length === 0) return [];
      return [
        {
          kind: "restore-access-policy",
          target: { vault, ...(change.target.principal === undefined ? {} : { principal: change.target.principal }) },
          parameters: { entries },
          ...common(change),
        },
      ];
    }
    case "remove-role-assignments": {
      const assignments = (change.before as { assignments?: RoleAssignmentSnapshot[] } | undefined)?.assignments;
      if (vault === undefined || assignments === undefined) return missing(change, warnings);
      if (assignments.length === 0) return [];
      return [
        {
          kind: "restore-role-assignments",
          target: { vault, ...(change.target.principal === undefined ? {} : { principal: change.target.principal }) },
          parameters: { assignments },
          ...common(change),
        },
      ];
    }
    case "disable-secrets": {
      const objects = (change.before as { objects?: { type: ObjectTarget["type"]; name: string; versions: { version: string; enabled: boolean }[] }[] } | undefined)
        ?.objects;
      if (vault === undefined || objects === undefined) return missing(change, warnings);
      const targets: ObjectTarget[] = objects
        .map((object) => ({ type: object.type, name: object.name, versions: object.versions.filter((version) => version.enabled).map((version) => version.version) }))
        .filter((object) => object.versions.length > 0);
      if (targets.length === 0) return [];
      return [{ kind: "enable-versions", target: { vault, objects: targets }, parameters: {}, ...common(change) }];
    }
    case "delete-secrets": {
      const objects = (change.before as { objects?: { type: ObjectTarget["type"]; name: string; state: string }[] } | undefined)?.objects;
      const after = (change.after as { objects?: { state: string }[] } | undefined)?.objects;
      if (vault === undefined || objects === undefined) return missing(change, warnings);
      if (after?.some((object) => object.state === "absent") === true) {
        warnings.push({ code: RemediationCodes.irreversibleStep, message: `${change.stepId} purged objects; they cannot be recovered.` });
        return "irreversible";
      }
      const live = objects.filter((object) => object.state === "live").map(({ type, name }) => ({ type, name }));
      if (live.length === 0) return [];
      return [{ kind: "recover-deleted", target: { vault, objects: live }, parameters: {}, ...common(change) }];
    }
    case "update-alert-state": {
      const state = (change.before as { state?: string } | undefined)?.state;
      const alert = change.target.alert;
      if (alert === undefined || (state !== "Active" && state !== "InProgress" && state !== "Resolved" && state !== "Dismissed")) return [];
      return [
        {
          kind: "update-alert-state",
          target: { alert },
          parameters: { state },
          reason: `put the alert back to ${state} (before ${change.stepId})`,
          risk: "safe",
          reversible: true,
          requiresApproval: false,
          precondition: { summary: "" },
        },
      ];
    }
    default:
      return "irreversible";
  }
}

function missing(change: AppliedChange, warnings: PlanWarning[]): "irreversible" {
  warnings.push({
    code: RemediationCodes.rollbackUnavailable,
    message: `${change.stepId} (${change.kind}) has no recorded target or before-state in the journal; it cannot be rolled back automatically.`,
  });
  return "irreversible";
}
