import { isNotFound } from "@keywarden/core";
import { PlanStaleError, RemediationError } from "../errors/remediation-error.js";
import { RemediationCodes } from "../errors/remediation-codes.js";
import type { ExecutionContext, StepExecutor } from "../engine/step-executor.js";
import type { ObjectTarget, PlanWarning, RemediationStep, VaultTarget } from "../plan/remediation-plan.js";
import type { RemediationClients } from "./remediation-clients.js";
import { objectStore, type DeletedInfo, type ObjectStore, type VersionInfo } from "./object-stores.js";
import { readVault, requireVault } from "./vault-reads.js";
import { objectKey, recordedVersionsOf, versionStatesFor, type RecordedObjectVersions } from "../plan/recorded-versions.js";

export interface VersionState {
  version: string;
  enabled: boolean;
}

/** One object's versions as a disable-secrets / enable-versions step sees them (its `before`, journaled). */
export type ObjectVersionsState = RecordedObjectVersions;

function requireObjects(step: RemediationStep): ObjectTarget[] {
  const objects = step.target.objects;
  if (objects === undefined || objects.length === 0) {
    throw new RemediationError(RemediationCodes.missingTarget, `Step ${step.id} (${step.kind}) names no secrets, keys or certificates.`, {
      stepId: step.id,
    });
  }
  return objects;
}

function store(clients: RemediationClients, vault: VaultTarget, type: ObjectTarget["type"]): ObjectStore {
  return objectStore(clients, vault.vaultUri, type);
}

function listVersions(clients: RemediationClients, vault: VaultTarget, object: ObjectTarget, context: ExecutionContext) {
  return context.call({
    label: `list versions of ${object.type} ${object.name} in ${vault.name}`,
    budget: "data",
    scope: { vault: vault.name, subscription: vault.subscriptionId },
    idempotent: true,
    run: (abortSignal) => store(clients, vault, object.type).listVersions(object.name, { abortSignal }),
  });
}

function getDeleted(clients: RemediationClients, vault: VaultTarget, object: ObjectTarget, context: ExecutionContext) {
  return context.call({
    label: `get deleted ${object.type} ${object.name} in ${vault.name}`,
    budget: "data",
    scope: { vault: vault.name, subscription: vault.subscriptionId },
    idempotent: true,
    run: (abortSignal) => store(clients, vault, object.type).getDeleted(object.name, { abortSignal }),
  });
}

/** The read path's answer for one object: its listing turned into the step's state; a missing object stops the step. */
async function liveVersionState(
  clients: RemediationClients,
  step: RemediationStep,
  object: ObjectTarget,
  context: ExecutionContext,
  warnings: PlanWarning[],
): Promise<ObjectVersionsState> {
  const vault = requireVault(step);
  const versions = await listVersions(clients, vault, object, context);
  if (versions === undefined) throw await missingObject(clients, step, object, context);
  const kind = step.kind === "disable-secrets" ? "disable-secrets" : "enable-versions";
  return versionStatesFor(kind, object, versions, context.plan.id, step.id, warnings);
}

/** The error for an object that is not there (deleted since planning): recoverable or gone, and what to do. */
async function missingObject(clients: RemediationClients, step: RemediationStep, object: ObjectTarget, context: ExecutionContext): Promise<PlanStaleError> {
  const vault = requireVault(step);
  const deleted = await getDeleted(clients, vault, object, context);
  return new PlanStaleError(
    `${object.type} ${object.name} does not exist in vault ${vault.name}${deleted === undefined ? "" : " (it is deleted but recoverable)"}. ` +
      (deleted === undefined ? "Re-plan." : "Recover it first (a recover-deleted step) or drop it from the plan."),
    { stepId: step.id },
  );
}

/** Where a live listing contradicts what the plan recorded (a dry run reads both): one warning per object. */
function driftFromRecording(recorded: ObjectVersionsState, live: ObjectVersionsState, readAt: string | undefined, stepId: string): PlanWarning[] {
  const describe = (state: ObjectVersionsState) =>
    [
      ...state.versions.map((version) => `${version.version.toLowerCase()} ${version.enabled ? "enabled" : "disabled"}`),
      ...(state.kept ?? []).map((version) => `${version.version.toLowerCase()} kept`),
    ]
      .sort()
      .join(", ");
  const was = describe(recorded);
  const now = describe(live);
  if (was === now) return [];
  return [
    {
      code: RemediationCodes.recordedStateDiffers,
      message: `${recorded.type} ${recorded.name} changed since the plan recorded its versions${readAt === undefined ? "" : ` at ${readAt}`} (then: ${was || "none"}; now: ${now || "none"}). A real apply writes what the plan recorded; re-plan to act on the current state.`,
      stepId,
    },
  ];
}

/**
 * Every targeted object's versions. A disable-secrets step that recorded them when it was planned (signed with the
 * plan, checked against its target) is not listed again: each recorded version is written directly and verified by the
 * write's own answer. A dry run lists anyway and reports where the live state differs from the recording.
 */
async function readTargetVersions(
  clients: RemediationClients,
  step: RemediationStep,
  context: ExecutionContext,
  warnings: PlanWarning[],
): Promise<{ states: ObjectVersionsState[]; recorded: number }> {
  const objects = requireObjects(step);
  const recording = recordedVersionsOf(step, context.plan.steps);
  const states: ObjectVersionsState[] = new Array<ObjectVersionsState>(objects.length);
  const toRead: { object: ObjectTarget; index: number; recorded?: ObjectVersionsState }[] = [];
  let recorded = 0;
  for (const [index, object] of objects.entries()) {
    const entry = recording?.get(objectKey(object.type, object.name));
    if (entry === undefined) {
      toRead.push({ object, index });
      continue;
    }
    states[index] = structuredClone(entry);
    recorded += 1;
    for (const kept of entry.kept ?? []) {
      warnings.push({
        code: RemediationCodes.latestVersionKept,
        message: `${object.type} ${object.name} version ${kept.version} stays enabled: ${kept.reason}. Rotate it, then disable it.`,
        stepId: step.id,
      });
    }
    // A dry run shows what the apply would write (the recording) and reads the live state to report any drift.
    if (context.dryRun) toRead.push({ object, index, recorded: entry });
  }
  await context.forEach(toRead, async ({ object, index, recorded: entry }) => {
    const live = await liveVersionState(clients, step, object, context, entry === undefined ? warnings : []);
    if (entry === undefined) states[index] = live;
    else warnings.push(...driftFromRecording(entry, live, step.precondition.readAt, step.id));
  });
  return { states, recorded };
}

function countVersions(states: ObjectVersionsState[], enabled: boolean): number {
  return states.reduce((sum, state) => sum + state.versions.filter((version) => version.enabled === enabled).length, 0);
}

function setEnabledExecutor<K extends "disable-secrets" | "enable-versions">(
  clients: RemediationClients,
  kind: K,
  enabled: boolean,
): StepExecutor<K> {
  const verb = enabled ? "enable" : "disable";
  return {
    kind,
    vaultPropertyWrite: false,
    async inspect(step, context) {
      const warnings: PlanWarning[] = [];
      const { states, recorded } = await readTargetVersions(clients, step, context, warnings);
      const pending = countVersions(states, !enabled);
      if (!enabled && pending > 0) {
        warnings.push({
          code: RemediationCodes.consumersMustUpdate,
          message: "Applications still using a disabled version get 403 SecretDisabled; make sure they use a new version.",
          stepId: (step as RemediationStep).id,
        });
      }
      const readAt = (step as RemediationStep).precondition.readAt;
      const source = recorded === 0 ? "" : ` (${recorded === states.length ? "every" : recorded} object's versions as the plan recorded them${readAt === undefined ? "" : ` at ${readAt}`}, not listed again)`;
      return {
        done: pending === 0,
        before: { objects: states },
        changes: pending === 0 ? [] : [`${verb} ${pending} version(s) of ${states.filter((state) => state.versions.some((v) => v.enabled !== enabled)).length} object(s)${source}`],
        warnings,
      };
    },
    async execute(step, inspection, context) {
      const vault = requireVault(step);
      const { objects } = inspection.before as { objects: ObjectVersionsState[] };
      const work = objects.flatMap((state) =>
        state.versions.filter((version) => version.enabled !== enabled).map((version) => ({ state, version: version.version })),
      );
      const mismatched: string[] = [];
      const gone = new Set<string>();
      const warnings: PlanWarning[] = [];
      const after = new Map<string, boolean>();
      await context.forEach(work, async ({ state, version }) => {
        const key = `${state.type}/${state.name}/${version}`;
        let stored: VersionInfo;
        try {
          // PATCH of attributes is idempotent. Its response is the version as the service stored it after the write:
          // that is the read-back (a second GET per version would halve what a bulk response gets done per budget).
          stored = await context.call({
            label: `${verb} ${state.type} ${state.name} version ${version}`,
            budget: "data",
            scope: { vault: vault.name, subscription: vault.subscriptionId },
            idempotent: true,
            run: (abortSignal) => store(clients, vault, state.type).setEnabled(state.name, version, enabled, { abortSignal }),
            subWrite: {
              // Exactly this version, as it was: what rollback restores if the step stops before the others.
              before: { objects: [{ type: state.type, name: state.name, versions: [{ version, enabled: !enabled }] }] },
              probe: async (abortSignal) => {
                const versions = await store(clients, vault, state.type).listVersions(state.name, { abortSignal });
                const info = versions?.find((candidate) => candidate.version.toLowerCase() === version.toLowerCase());
                return info !== undefined && info.enabled === enabled ? info : undefined;
              },
            },
          });
        } catch (error) {
          if (!isNotFound(error)) throw error;
          // 404: the version (or the whole object) is gone since it was read or recorded. Only now is the object
          // listed, to tell the two apart: a missing object stops the step as on the read path, a missing version
          // has nothing left to disable and is reported.
          const object: ObjectTarget = { type: state.type, name: state.name };
          const versions = await listVersions(clients, vault, object, context);
          if (versions === undefined) throw await missingObject(clients, step, object, context);
          if (versions.some((info) => info.version.toLowerCase() === version.toLowerCase())) throw error;
          gone.add(key);
          warnings.push({
            code: RemediationCodes.driftMerged,
            message: `${state.type} ${state.name} has no version ${version} any more (404 on the update); there is nothing left to ${verb}, so it is skipped.`,
            stepId: (step as RemediationStep).id,
          });
          return;
        }
        after.set(key, stored.enabled);
        if (stored.enabled !== enabled || stored.version.toLowerCase() !== version.toLowerCase()) mismatched.push(`${state.type} ${state.name}/${version}`);
      });
      if (mismatched.length > 0) {
        throw new RemediationError(
          RemediationCodes.notVerified,
          `${mismatched.length} version(s) still read as ${enabled ? "disabled" : "enabled"} after the update: ${mismatched.slice(0, 10).join(", ")}${mismatched.length > 10 ? ", ..." : ""}. Apply again.`,
          { stepId: (step as RemediationStep).id },
        );
      }
      const afterStates = objects.map((state) => ({
        ...state,
        versions: state.versions
          .filter((version) => !gone.has(`${state.type}/${state.name}/${version.version}`))
          .map((version) => ({ version: version.version, enabled: after.get(`${state.type}/${state.name}/${version.version}`) ?? version.enabled })),
      }));
      return { after: { objects: afterStates }, warnings, data: { versionsChanged: work.length - gone.size } };
    },
  };
}

export const disableSecretsExecutor = (clients: RemediationClients) => setEnabledExecutor(clients, "disable-secrets", false);
export const enableVersionsExecutor = (clients: RemediationClients) => setEnabledExecutor(clients, "enable-versions", true);

interface ObjectPresence {
  type: ObjectTarget["type"];
  name: string;
  state: "live" | "deleted" | "absent";
  recoveryLevel?: string;
  versions?: VersionState[];
}

async function readPresence(clients: RemediationClients, vault: VaultTarget, object: ObjectTarget, context: ExecutionContext): Promise<ObjectPresence> {
  const versions = await listVersions(clients, vault, object, context);
  if (versions !== undefined) {
    const presence: ObjectPresence = {
      type: object.type,
      name: object.name,
      state: "live",
      versions: versions.map(({ version, enabled }) => ({ version, enabled })),
    };
    const level = versions.find((version) => version.recoveryLevel !== undefined)?.recoveryLevel;
    if (level !== undefined) presence.recoveryLevel = level;
    return presence;
  }
  const deleted: DeletedInfo | undefined = await getDeleted(clients, vault, object, context);
  if (deleted === undefined) return { type: object.type, name: object.name, state: "absent" };
  const presence: ObjectPresence = { type: object.type, name: object.name, state: "deleted" };
  if (deleted.recoveryLevel !== undefined) presence.recoveryLevel = deleted.recoveryLevel;
  return presence;
}

/**
 * `recoveryLevel` says whether purge protection is on: without "Purgeable" only the service can purge. When the read
 * carries no recovery level, the guard fails closed: purgeable only if a read of the vault showed purge protection
 * not enabled (`vaultPurgeProtection === false`); without such a read (undefined) it is not purgeable.
 */
export function isPurgeable(recoveryLevel: string | undefined, vaultPurgeProtection?: boolean): boolean {
  if (recoveryLevel !== undefined) return recoveryLevel.includes("Purgeable");
  return vaultPurgeProtection === false;
}

/** Whether the vault has purge protection, read through ARM; a failed read refuses the purge rather than guessing. */
async function readPurgeProtection(clients: RemediationClients, vault: VaultTarget, step: RemediationStep, context: ExecutionContext): Promise<boolean> {
  try {
    const read = await readVault(clients, vault, context);
    return read.properties.enablePurgeProtection === true;
  } catch (error) {
    if (error instanceof Error && error.name === "AbortError") throw error;
    throw new RemediationError(
      RemediationCodes.purgeRefused,
      `Purge refused: the objects in vault ${vault.name} carry no recoveryLevel and reading the vault to check ` +
        "enablePurgeProtection failed, so purge protection cannot be ruled out. Grant the responder read access to the " +
        "vault resource (Microsoft.KeyVault/vaults/read) or re-plan without purge.",
      { stepId: step.id, cause: error },
    );
  }
}

export function deleteSecretsExecutor(clients: RemediationClients): StepExecutor<"delete-secrets"> {
  const goal = (purge: boolean) => (presence: ObjectPresence) => (purge ? presence.state === "absent" : presence.state !== "live");
  return {
    kind: "delete-secrets",
    vaultPropertyWrite: false,
    async assess(step, context) {
      if (step.parameters.purge) return { irreversible: true, destructive: true, reason: "a purge destroys the objects for good" };
      const vault = requireVault(step);
      // A vault without soft delete deletes for good: the same step is then destructive. An unreadable vault counts
      // as one without soft delete (fail closed: ask rather than assume recoverable).
      const read = await readVault(clients, vault, context).catch((error: unknown) => {
        if (error instanceof Error && error.name === "AbortError") throw error;
        return undefined;
      });
      const softDelete = read?.properties.enableSoftDelete;
      if (softDelete === false || read === undefined) {
        return {
          irreversible: true,
          destructive: true,
          reason: read === undefined ? `vault ${vault.name} could not be read to confirm soft delete, so deleting may be permanent` : `vault ${vault.name} has soft delete disabled: deleting is permanent`,
        };
      }
      return {};
    },
    async inspect(step, context) {
      const vault = requireVault(step);
      const objects = requireObjects(step);
      const states: ObjectPresence[] = new Array<ObjectPresence>(objects.length);
      await context.forEach(
        objects.map((object, index) => ({ object, index })),
        async ({ object, index }) => {
          states[index] = await readPresence(clients, vault, object, context);
        },
      );
      if (step.parameters.purge) {
        const present = states.filter((state) => state.state !== "absent");
        // Only when a read omits the recovery level is the vault itself consulted (fail closed, never assume purgeable).
        const vaultPurgeProtection = present.some((state) => state.recoveryLevel === undefined)
          ? await readPurgeProtection(clients, vault, step, context)
          : undefined;
        const protectedObjects = present.filter((state) => !isPurgeable(state.recoveryLevel, vaultPurgeProtection));
        if (protectedObjects.length > 0) {
          const level = protectedObjects[0]?.recoveryLevel;
          throw new RemediationError(
            RemediationCodes.purgeRefused,
            `Purge refused: vault ${vault.name} has purge protection (${level === undefined ? "enablePurgeProtection is true" : `recoveryLevel ${level}`}); ` +
              `${protectedObjects.map((state) => state.name).join(", ")} can only be soft-deleted and will be purged by the service after the retention period. Re-plan without purge.`,
            { stepId: step.id },
          );
        }
      }
      const pending = states.filter((state) => !goal(step.parameters.purge)(state));
      return {
        done: pending.length === 0,
        before: { objects: states },
        changes: pending.map((state) => `${step.parameters.purge ? "delete and purge" : "soft delete"} ${state.type} ${state.name}`),
        warnings: [],
      };
    },
    async execute(step, inspection, context) {
      const vault = requireVault(step);
      const { objects } = inspection.before as { objects: ObjectPresence[] };
      await context.forEach(objects, async (presence) => {
        const target = store(clients, vault, presence.type);
        if (presence.state === "live") {
          await context.call({
            label: `delete ${presence.type} ${presence.name}`,
            budget: "data",
            scope: { vault: vault.name, subscription: vault.subscriptionId },
            // A second DELETE of a deleted object answers 404: after a transient failure the step re-reads instead.
            idempotent: false,
            run: (abortSignal) => target.delete(presence.name, { abortSignal }),
          });
        }
        if (step.parameters.purge && presence.state !== "absent") {
          await context.call({
            label: `purge ${presence.type} ${presence.name}`,
            budget: "data",
            scope: { vault: vault.name, subscription: vault.subscriptionId },
            idempotent: true,
            run: async (abortSignal) => {
              try {
                await target.purge(presence.name, { abortSignal });
              } catch (error) {
                if (!isNotFound(error)) throw error;
              }
            },
          });
        }
      });
      const after: ObjectPresence[] = [];
      for (const object of requireObjects(step)) {
        let presence = await readPresence(clients, vault, object, context);
        for (let attempt = 1; attempt < context.verifyAttempts && !goal(step.parameters.purge)(presence); attempt += 1) {
          await context.sleep(context.verifyDelayInMs);
          presence = await readPresence(clients, vault, object, context);
        }
        if (!goal(step.parameters.purge)(presence)) {
          throw new RemediationError(
            RemediationCodes.notVerified,
            `${object.type} ${object.name} still reads as ${presence.state} after the ${step.parameters.purge ? "purge" : "delete"}.`,
            { stepId: step.id },
          );
        }
        after.push(presence);
      }
      return { after: { objects: after } };
    },
  };
}

/** Rollback of a soft delete: recovers the objects (every version comes back with its attributes). */
export function recoverDeletedExecutor(clients: RemediationClients): StepExecutor<"recover-deleted"> {
  return {
    kind: "recover-deleted",
    vaultPropertyWrite: false,
    async inspect(step, context) {
      const vault = requireVault(step);
      const states: ObjectPresence[] = [];
      for (const object of requireObjects(step)) states.push(await readPresence(clients, vault, object, context));
      const absent = states.filter((state) => state.state === "absent");
      if (absent.length > 0) {
        throw new PlanStaleError(
          `${absent.map((state) => `${state.type} ${state.name}`).join(", ")} cannot be recovered: not found live or deleted (purged?).`,
          { stepId: step.id },
        );
      }
      const pending = states.filter((state) => state.state === "deleted");
      return {
        done: pending.length === 0,
        before: { objects: states },
        changes: pending.map((state) => `recover ${state.type} ${state.name}`),
        warnings: [],
      };
    },
    async execute(step, inspection, context) {
      const vault = requireVault(step);
      const { objects } = inspection.before as { objects: ObjectPresence[] };
      await context.forEach(
        objects.filter((state) => state.state === "deleted"),
        async (presence) => {
          await context.call({
            label: `recover ${presence.type} ${presence.name}`,
            budget: "data",
            scope: { vault: vault.name, subscription: vault.subscriptionId },
            idempotent: false,
            run: (abortSignal) => store(clients, vault, presence.type).recover(presence.name, { abortSignal }),
          });
        },
      );
      const after: ObjectPresence[] = [];
      for (const object of requireObjects(step)) {
        let presence = await readPresence(clients, vault, object, context);
        for (let attempt = 1; attempt < context.verifyAttempts && presence.state !== "live"; attempt += 1) {
          await context.sleep(context.verifyDelayInMs);
          presence = await readPresence(clients, vault, object, context);
        }
        if (presence.state !== "live") {
          throw new RemediationError(RemediationCodes.notVerified, `${object.type} ${object.name} is still ${presence.state} after recover.`, { stepId: step.id });
        }
        after.push(presence);
      }
      return { after: { objects: after } };
    },
  };
}
