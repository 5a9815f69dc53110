import { z } from "zod";
import { RemediationCodes } from "../errors/remediation-codes.js";
import type { ObjectTarget, PlanWarning, RemediationStep } from "./remediation-plan.js";

/** The tag a rotation puts on the version it creates (`<planId>:<stepId>`): how a re-run knows the rotation already happened. */
export const ROTATION_TAG = "keywarden-rotation";

/** A version's attributes as read from the `versions` endpoints (never its value). */
export interface ObservedVersion {
  version: string;
  enabled: boolean;
  createdOn?: string;
  tags?: Record<string, string>;
}

/**
 * One object's versions as they were read when planning (`readObjectVersions`): what `planResponse` records in a
 * disable-secrets step so that `applyPlan` writes without listing them again.
 */
export interface ObservedObjectVersions {
  type: ObjectTarget["type"];
  name: string;
  versions: readonly ObservedVersion[];
}

/** The versions of one vault's objects read at `readAt` (ISO 8601), for `PlanResponseOptions.objectVersions`. */
export interface ObservedVaultVersions {
  /** The vault's resource id. */
  vault: string;
  readAt: string;
  objects: readonly ObservedObjectVersions[];
}

const versionId = z.string().regex(/^[0-9a-fA-F]{32}$/, "a version is 32 hex digits");

/**
 * What a disable-secrets step records in `precondition.observed`: per object, each targeted version with its enabled
 * state, and the version kept because it was the object's current one. The shape is the executor's own `before`.
 */
export const recordedVersionsSchema = z.strictObject({
  objects: z.array(
    z.strictObject({
      type: z.enum(["secret", "key", "certificate"]),
      name: z.string(),
      versions: z.array(z.strictObject({ version: versionId, enabled: z.boolean() })),
      kept: z.array(z.strictObject({ version: versionId, reason: z.string() })).optional(),
    }),
  ),
});
export type RecordedVersions = z.infer<typeof recordedVersionsSchema>;
/** One object's entry in {@link RecordedVersions}. */
export type RecordedObjectVersions = RecordedVersions["objects"][number];

export const objectKey = (type: string, name: string) => `${type}/${name.toLowerCase()}`;

const newest = (list: readonly ObservedVersion[]) =>
  list.reduce<ObservedVersion | undefined>((best, info) => (best === undefined || (info.createdOn ?? "") >= (best.createdOn ?? "") ? info : best), undefined);

/**
 * The version disable-secrets must keep enabled, if any: the object's latest enabled version, unless this plan's own
 * rotation created a newer enabled version (then consumers have somewhere to go and every older version may go).
 * Disabling the only current version after a denied or failed rotation would be an outage, not a containment.
 */
export function versionToKeep(versions: readonly ObservedVersion[], planId: string): ObservedVersion | undefined {
  const ownRotation = (info: ObservedVersion) => planId !== "" && (info.tags?.[ROTATION_TAG] ?? "").startsWith(`${planId}:`);
  const enabled = versions.filter((info) => info.enabled);
  const latestOther = newest(enabled.filter((info) => !ownRotation(info)));
  if (latestOther === undefined) return undefined;
  const latestRotated = newest(enabled.filter(ownRotation));
  if (latestRotated !== undefined && (latestRotated.createdOn ?? "") >= (latestOther.createdOn ?? "")) return undefined;
  return latestOther;
}

export const KEPT_REASON = "it is the object's latest enabled version and this plan did not rotate it to a newer one (disabling it would cut every consumer off)";

/**
 * The state a disable-secrets (or enable-versions) step works on for one object, from a listing of its versions:
 * the targeted versions (all when the target names none) with their enabled state, minus versions this plan's own
 * rotation created, minus the current version disable-secrets keeps. Pure: the executor runs it on a live listing,
 * the planner on the listing read when planning. Targeted versions the listing lacks are reported and skipped.
 */
export function versionStatesFor(
  kind: "disable-secrets" | "enable-versions",
  object: ObjectTarget,
  versions: readonly ObservedVersion[],
  planId: string,
  stepId: string,
  warnings: PlanWarning[],
): RecordedObjectVersions {
  const keep = kind === "disable-secrets" ? versionToKeep(versions, planId) : undefined;
  let selected: readonly ObservedVersion[] = versions;
  if (object.versions !== undefined) {
    const byId = new Map(versions.map((info) => [info.version.toLowerCase(), info]));
    const chosen: ObservedVersion[] = [];
    for (const version of object.versions) {
      const info = byId.get(version.toLowerCase());
      if (info === undefined) {
        warnings.push({ code: RemediationCodes.driftMerged, message: `${object.type} ${object.name} has no version ${version} any more; it is skipped.`, stepId });
      } else chosen.push(info);
    }
    selected = chosen;
  }
  const state: RecordedObjectVersions = { type: object.type, name: object.name, versions: [] };
  for (const info of selected) {
    // Never disable (or re-enable) a version this plan's own rotation created.
    if (planId !== "" && (info.tags?.[ROTATION_TAG] ?? "").startsWith(`${planId}:`)) continue;
    if (keep !== undefined && info.version.toLowerCase() === keep.version.toLowerCase()) {
      state.kept = [{ version: info.version, reason: KEPT_REASON }];
      warnings.push({
        code: RemediationCodes.latestVersionKept,
        message: `${object.type} ${object.name} version ${info.version} stays enabled: ${KEPT_REASON}. Rotate it, then disable it.`,
        stepId,
      });
    } else state.versions.push({ version: info.version, enabled: info.enabled });
  }
  return state;
}

/**
 * The versions a disable-secrets step recorded when it was planned, by object (`type/name`, name lower-cased), or
 * undefined when the step recorded none (it then reads them at apply time). Objects that a rotate step of the same plan
 * targets on the same vault are left out: which version to keep then depends on what the rotation creates, so the
 * executor lists those again.
 */
export function recordedVersionsOf(step: RemediationStep, steps: readonly RemediationStep[]): Map<string, RecordedObjectVersions> | undefined {
  if (step.kind !== "disable-secrets" || step.precondition.observed === undefined) return undefined;
  const parsed = recordedVersionsSchema.safeParse(step.precondition.observed);
  if (!parsed.success) return undefined;
  const rotated = rotatedObjects(step, steps);
  const recorded = new Map<string, RecordedObjectVersions>();
  for (const object of parsed.data.objects) {
    const key = objectKey(object.type, object.name);
    if (!rotated.has(key)) recorded.set(key, object);
  }
  return recorded;
}

/** `type/name` of every object a rotation step of the plan targets on `step`'s vault. */
export function rotatedObjects(step: RemediationStep, steps: readonly RemediationStep[]): Set<string> {
  const vault = step.target.vault?.resourceId.toLowerCase();
  const rotated = new Set<string>();
  for (const other of steps) {
    if ((other.kind !== "rotate-secrets" && other.kind !== "rotate-keys") || other.target.vault?.resourceId.toLowerCase() !== vault) continue;
    for (const object of other.target.objects ?? []) rotated.add(objectKey(object.type, object.name));
  }
  return rotated;
}

/**
 * Why a disable-secrets step's recorded versions contradict its own target, or an empty list: a recorded object must
 * be one the step targets, each recorded or kept version one the target names (when it names versions), and no
 * object may be recorded twice. The recorded data can only narrow what the target already allows.
 */
export function recordedVersionsProblems(step: RemediationStep): string[] {
  if (step.precondition.observed === undefined || step.kind !== "disable-secrets") return [];
  const parsed = recordedVersionsSchema.safeParse(step.precondition.observed);
  if (!parsed.success) return [`step ${step.id}: precondition.observed is not a record of object versions (${parsed.error.issues[0]?.message ?? "invalid"})`];
  if (step.precondition.readAt === undefined) return [`step ${step.id}: recorded versions carry no readAt`];
  const targets = new Map((step.target.objects ?? []).map((object) => [objectKey(object.type, object.name), object]));
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const object of parsed.data.objects) {
    const key = objectKey(object.type, object.name);
    const target = targets.get(key);
    if (target === undefined) {
      problems.push(`step ${step.id} records versions of ${object.type} ${object.name}, which it does not target`);
      continue;
    }
    if (seen.has(key)) problems.push(`step ${step.id} records ${object.type} ${object.name} twice`);
    seen.add(key);
    if (target.versions === undefined) continue;
    const named = new Set(target.versions.map((version) => version.toLowerCase()));
    for (const version of [...object.versions, ...(object.kept ?? [])]) {
      if (!named.has(version.version.toLowerCase())) problems.push(`step ${step.id} records ${object.type} ${object.name} version ${version.version}, which its target does not name`);
    }
  }
  return problems;
}

/**
 * Records in a disable-secrets step what planning read of its objects' versions (`PlanResponseOptions.objectVersions`),
 * in place. Only objects the step targets and the plan does not rotate, only the versions the target names: the
 * recording narrows what the apply reads, never what it may write. Versions the listing lacks become plan warnings.
 */
export function recordVersions(step: RemediationStep, steps: readonly RemediationStep[], observed: readonly ObservedVaultVersions[], warnings: PlanWarning[]): void {
  if (step.kind !== "disable-secrets" || step.target.vault === undefined) return;
  const vault = step.target.vault.resourceId.toLowerCase();
  const read = observed.find((entry) => entry.vault.toLowerCase() === vault);
  if (read === undefined) return;
  const listings = new Map(read.objects.map((object) => [objectKey(object.type, object.name), object.versions]));
  const rotated = rotatedObjects(step, steps);
  const recorded: RecordedObjectVersions[] = [];
  // Kept versions are reported when the step runs (and shown by formatPlan); planning keeps its own warnings short.
  const notes: PlanWarning[] = [];
  for (const object of step.target.objects ?? []) {
    const key = objectKey(object.type, object.name);
    const versions = listings.get(key);
    if (versions === undefined || rotated.has(key)) continue;
    recorded.push(versionStatesFor("disable-secrets", object, versions, "", step.id, notes));
  }
  warnings.push(...notes.filter((note) => note.code !== RemediationCodes.latestVersionKept));
  if (recorded.length === 0) return;
  step.precondition = { ...step.precondition, observed: { objects: recorded }, readAt: read.readAt };
}
