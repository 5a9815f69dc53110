import type { JournalEntry } from "@keywarden/core";
import type { ObjectTarget, RemediationStep, StepKind, StepTarget } from "../plan/remediation-plan.js";

/**
 * One irreversible action an earlier plan of the same incident already carried out: who was told, whose sessions
 * were revoked, which object got a new value. Repeating it would contact the owner twice, revoke again, or mint one
 * more credential at the secret's source.
 */
export interface IncidentAction {
  kind: StepKind;
  /** The earlier plan and step that did it, and the journal entry that records it. */
  planId: string;
  stepId: string;
  seq: number;
  time: string;
  /** For rotations: the object (`secret/name`) this action covers; absent for whole-step actions. */
  object?: string;
}

/** What an earlier plan of the incident already did of one step. */
export interface IncidentMatch {
  /** The earlier actions that cover (part of) the step. Empty: nothing of it was done in the incident. */
  done: IncidentAction[];
  /**
   * For a rotation that was done for some of its objects only: the objects still to rotate. Absent when the whole
   * step is done or none of it is.
   */
  remaining?: ObjectTarget[];
}

/** Kinds whose effect cannot be taken back and must happen once per incident, whatever plan asks for it again. */
const ONCE_PER_INCIDENT: ReadonlySet<string> = new Set<StepKind>(["contact-owner", "escalate-to-admin", "revoke-sessions", "rotate-secrets", "rotate-keys"]);
const PER_OBJECT: ReadonlySet<string> = new Set<StepKind>(["rotate-secrets", "rotate-keys"]);

/** Whether a step of this kind is done at most once per incident. */
export function isOncePerIncident(kind: string): boolean {
  return ONCE_PER_INCIDENT.has(kind);
}

/**
 * The irreversible actions journaled for an incident (its alert ids), to skip them when the alert is delivered
 * again and planned or applied anew. Pure: reads the entries it is given. Only real (not dry-run) steps that
 * succeeded, or were found written after an interrupted run, count; the step's target is read from the entry
 * itself (`data.target`, journaled by `applyPlan`), so "same targets" is what was actually acted on.
 *
 * Entries are evidence only when they come from a journal whose chain verified: a forged line could otherwise make
 * the engine skip a revocation. `applyPlan` passes only verified journals; a caller of `planResponse` must do the same.
 */
export class IncidentHistory {
  readonly #byKey = new Map<string, IncidentAction>();

  constructor(entries: readonly JournalEntry[], alertIds: readonly string[], options: { excludePlanId?: string } = {}) {
    const alerts = new Set(alertIds.map((id) => id.toLowerCase()));
    if (alerts.size === 0) return;
    for (const entry of entries) {
      if (entry.dryRun === true || entry.planId === options.excludePlanId || !ONCE_PER_INCIDENT.has(entry.kind)) continue;
      const landed = entry.event === "succeeded" || (entry.event === "skipped" && entry.data?.["changed"] === true);
      if (!landed) continue;
      if (!(entry.alertIds ?? []).some((id) => alerts.has(id.toLowerCase()))) continue;
      const target = entry.data?.["target"];
      if (!isTarget(target)) continue;
      const action = { kind: entry.kind as StepKind, planId: entry.planId, stepId: entry.stepId, seq: entry.seq, time: entry.time };
      for (const { key, object } of keysOf(entry.kind, target)) {
        if (!this.#byKey.has(key)) this.#byKey.set(key, object === undefined ? action : { ...action, object });
      }
    }
  }

  /** How much of `step` an earlier plan of the incident already did. */
  match(step: Pick<RemediationStep, "kind" | "target">): IncidentMatch {
    if (!ONCE_PER_INCIDENT.has(step.kind)) return { done: [] };
    const keys = keysOf(step.kind, step.target);
    if (keys.length === 0) return { done: [] };
    const done: IncidentAction[] = [];
    const remaining: ObjectTarget[] = [];
    for (const { key, object } of keys) {
      const earlier = this.#byKey.get(key);
      if (earlier !== undefined) done.push(earlier);
      else if (object !== undefined) {
        const target = step.target.objects?.find((candidate) => objectKey(candidate) === object);
        if (target !== undefined) remaining.push(target);
      }
    }
    if (done.length === 0 || !PER_OBJECT.has(step.kind) || remaining.length === 0) return { done };
    return { done, remaining };
  }

  /** Whether any irreversible action is recorded for the incident. */
  get size(): number {
    return this.#byKey.size;
  }
}

/** One line for people: what the earlier plan did, naming the plan, step and journal entry. */
export function describeIncidentActions(kind: string, done: readonly IncidentAction[]): string {
  const sources = [...new Map(done.map((action) => [`${action.planId}|${action.stepId}`, action])).values()];
  const objects = done.flatMap((action) => (action.object === undefined ? [] : [action.object]));
  const what = objects.length === 0 ? kind : `${kind} of ${objects.join(", ")}`;
  return `${what} was already done for this incident by ${sources.map((action) => `plan ${action.planId} step ${action.stepId} (journal entry ${action.seq}, ${action.time})`).join(", ")}; it is not repeated`;
}

function objectKey(object: Pick<ObjectTarget, "type" | "name">): string {
  return `${object.type}/${object.name.toLowerCase()}`;
}

function keysOf(kind: string, target: StepTarget): { key: string; object?: string }[] {
  const vault = target.vault?.resourceId.toLowerCase() ?? "";
  const principal = target.principal?.objectId.toLowerCase() ?? "";
  switch (kind) {
    case "rotate-secrets":
    case "rotate-keys":
      if (vault === "") return [];
      return (target.objects ?? []).map((object) => {
        const id = objectKey(object);
        // rotate-secrets and rotate-keys both mint a new version of the object: one key for either kind.
        return { key: `rotate|${vault}|${id}`, object: id };
      });
    case "revoke-sessions":
      return principal === "" ? [] : [{ key: `revoke-sessions|${principal}` }];
    case "contact-owner":
    case "escalate-to-admin":
      // A task to rotate secrets at their source (it names them): once per secret, apart from the access question.
      if (kind === "contact-owner" && (target.objects ?? []).length > 0) return (target.objects ?? []).map((object) => ({ key: `contact-owner|rotate|${vault}|${objectKey(object)}` }));
      // One task per kind, principal and vault: the same question to the same people about the same access.
      return [{ key: `${kind}|${principal}|${vault}` }];
    default:
      return [];
  }
}

function isTarget(value: unknown): value is StepTarget {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const target = value as { vault?: unknown; principal?: unknown; objects?: unknown };
  const vaultOk = target.vault === undefined || (typeof target.vault === "object" && target.vault !== null && typeof (target.vault as { resourceId?: unknown }).resourceId === "string");
  const principalOk =
    target.principal === undefined || (typeof target.principal === "object" && target.principal !== null && typeof (target.principal as { objectId?: unknown }).objectId === "string");
  const objectsOk =
    target.objects === undefined ||
    (Array.isArray(target.objects) &&
      target.objects.every((object: unknown) => typeof object === "object" && object !== null && typeof (object as { name?: unknown }).name === "string" && typeof (object as { type?: unknown }).type === "string"));
  return vaultOk && principalOk && objectsOk;
}
