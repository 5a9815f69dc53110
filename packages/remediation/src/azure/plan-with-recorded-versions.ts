import { RemediationCodes } from "../errors/remediation-codes.js";
import { withPlanId } from "../plan/plan-id.js";
import type { ObservedVaultVersions } from "../plan/recorded-versions.js";
import type { ObjectTarget, PlanWarning, RemediationPlan, VaultTarget } from "../plan/remediation-plan.js";
import { readObjectVersions } from "./read-object-versions.js";
import type { RemediationClients } from "./remediation-clients.js";

/** How much reading the versions of a plan's disable targets may cost before review; the rest is listed at apply. */
export interface VersionReadBudget {
  /** Objects read at most (over every vault). Default 500. */
  maxObjects: number;
  /** Wall-clock time the reads may take, in ms; no listing starts after it. Default 30 s. */
  budgetInMs: number;
  /** Listings in flight at once. Default 8 (well below a vault's limit). */
  concurrency: number;
}

export const DEFAULT_VERSION_READ_BUDGET: Readonly<VersionReadBudget> = Object.freeze({ maxObjects: 500, budgetInMs: 30_000, concurrency: 8 });

export interface PlanWithRecordedVersionsOptions {
  /** The clients to read with (`new RemediationClients({ credential })`). */
  clients: RemediationClients;
  /** When the reads happen (ISO 8601, from the caller's clock): recorded in the plan as each step's `readAt`. */
  readAt: string;
  /** What the reads may cost (default `DEFAULT_VERSION_READ_BUDGET`). */
  budget?: Partial<VersionReadBudget>;
  abortSignal?: AbortSignal;
}

/** Plans with the versions read so far (`undefined`: none); `planResponse(..., { objectVersions })` in practice. */
export type PlanWithVersions = (objectVersions: readonly ObservedVaultVersions[] | undefined) => RemediationPlan;

interface VaultReads {
  vault: VaultTarget;
  objects: Pick<ObjectTarget, "type" | "name">[];
}

const objectKey = (type: string, name: string) => `${type}/${name.toLowerCase()}`;

/**
 * The objects of the plan's disable-secrets steps, per vault, whose versions planning can record: objects a rotation
 * of the same plan targets are left out (which version is kept depends on what the rotation creates, so the apply
 * reads them anyway, and `planResponse` would not record them).
 */
export function versionReadTargets(plan: RemediationPlan): VaultReads[] {
  const byVault = new Map<string, VaultReads & { seen: Set<string>; rotated: Set<string> }>();
  const entry = (vault: VaultTarget) => {
    const id = vault.resourceId.toLowerCase();
    let found = byVault.get(id);
    if (found === undefined) {
      found = { vault, objects: [], seen: new Set(), rotated: new Set() };
      byVault.set(id, found);
    }
    return found;
  };
  for (const step of plan.steps) {
    if ((step.kind === "rotate-secrets" || step.kind === "rotate-keys") && step.target.vault !== undefined) {
      for (const object of step.target.objects ?? []) entry(step.target.vault).rotated.add(objectKey(object.type, object.name));
    }
  }
  for (const step of plan.steps) {
    if (step.kind !== "disable-secrets" || step.target.vault === undefined) continue;
    const reads = entry(step.target.vault);
    for (const object of step.target.objects ?? []) {
      const id = objectKey(object.type, object.name);
      if (reads.rotated.has(id) || reads.seen.has(id)) continue;
      reads.seen.add(id);
      reads.objects.push({ type: object.type, name: object.name });
    }
  }
  return [...byVault.values()].filter((reads) => reads.objects.length > 0).map(({ vault, objects }) => ({ vault, objects }));
}

/**
 * Plans, lists (within the budget) the versions of the objects the plan's disable-secrets steps target, and plans
 * again with them recorded: the apply then writes each version directly, verified by the write's answer, instead of
 * listing them again, and a dry run reports what changed since (`KW_REMEDIATION_W0040`). Never fails planning: an
 * object that cannot be read (403, 404, a failure) or is past the budget is left out, the apply lists it as a plan
 * without recordings does, and the plan's warnings say which and why (`KW_REMEDIATION_W0042`, `KW_REMEDIATION_W0041`).
 */
export async function planWithRecordedVersions(plan: PlanWithVersions, options: PlanWithRecordedVersionsOptions): Promise<RemediationPlan> {
  const first = plan(undefined);
  const targets = versionReadTargets(first);
  if (targets.length === 0) return first;
  const budget = { ...DEFAULT_VERSION_READ_BUDGET, ...options.budget };
  // Real elapsed time, not the tenant's clock: the budget bounds how long the operator waits for the plan.
  const deadline = performance.now() + budget.budgetInMs;
  const observed: ObservedVaultVersions[] = [];
  const unread: string[] = [];
  let allowance = budget.maxObjects;
  let skipped = 0;
  // Batches of a few listings per worker: the time budget is checked between batches, and what a batch read is kept.
  const batchSize = Math.max(1, budget.concurrency) * 4;
  for (const { vault, objects } of targets) {
    const read: ObservedVaultVersions = { vault: vault.resourceId, readAt: options.readAt, objects: [] };
    let index = 0;
    while (index < objects.length && allowance > 0 && performance.now() < deadline && options.abortSignal?.aborted !== true) {
      const batch = objects.slice(index, index + Math.min(batchSize, allowance));
      index += batch.length;
      allowance -= batch.length;
      const result = await readObjectVersions({
        clients: options.clients,
        vault: { resourceId: vault.resourceId, vaultUri: vault.vaultUri },
        objects: batch,
        readAt: options.readAt,
        concurrency: budget.concurrency,
        ...(options.abortSignal === undefined ? {} : { abortSignal: options.abortSignal }),
      });
      const got = new Set(result.objects.map((object) => objectKey(object.type, object.name)));
      for (const object of batch) if (!got.has(objectKey(object.type, object.name))) unread.push(`${object.type} ${object.name} (vault ${vault.name})`);
      read.objects = [...read.objects, ...result.objects];
    }
    skipped += objects.length - index;
    if (read.objects.length > 0) observed.push(read);
  }
  const recorded = observed.length === 0 ? first : plan(observed);
  const warnings = readWarnings(unread, skipped, budget);
  if (warnings.length === 0) return recorded;
  const { id: _id, ...content } = recorded;
  return withPlanId({ ...content, warnings: [...content.warnings, ...warnings] });
}

function readWarnings(unread: readonly string[], skipped: number, budget: VersionReadBudget): PlanWarning[] {
  const warnings: PlanWarning[] = [];
  if (unread.length > 0) {
    warnings.push({
      code: RemediationCodes.versionsNotRead,
      message:
        `The versions of ${unread.length} object(s) could not be read when planning (no permission to list them, the object is gone, or the request failed): ` +
        `${unread.slice(0, 10).join(", ")}${unread.length > 10 ? ", ..." : ""}. The apply lists their versions before disabling them.`,
    });
  }
  if (skipped > 0) {
    warnings.push({
      code: RemediationCodes.versionReadBudgetCutIn,
      message:
        `The planning read budget (${budget.maxObjects} object(s), ${Math.round(budget.budgetInMs / 1000)} s) cut in: the versions of ${skipped} object(s) ` +
        "were not read when planning, and the apply lists them before disabling them. Raise the budget to record them.",
    });
  }
  return warnings;
}
