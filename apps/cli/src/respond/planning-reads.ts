import type { ObjectTarget, ObservedVaultVersions, PlanVaultTarget, PlanWarning, RemediationPlan } from "@keywarden/remediation";

import type { AzureEnvironment } from "../environment/azure-environment.js";

/** How much reading the versions of a plan's disable targets may cost before review; the rest is listed at apply. */
export interface VersionReadBudget {
  /** Objects read at most (over every vault). Default 500. */
  maxObjects: number;
  /** Wall-clock time the reads may take, in ms; no listing starts after it. Default 30 s. */
  budgetInMs: number;
  /** Listings in flight at once. Default 8 (well below a vault's limit). */
  concurrency: number;
}

export const DEFAULT_VERSION_READ_BUDGET: VersionReadBudget = { maxObjects: 500, budgetInMs: 30_000, concurrency: 8 };

/** Warnings the CLI adds to a plan about its planning-time reads (listed in docs/error-codes.md). */
export const PlanningReadCodes = {
  /** The read budget cut in: the objects past it are listed at apply. */
  budgetCutIn: "KW_CLI_W0001",
  /** An object's versions could not be read when planning (403, 404, a failure): the apply lists them. */
  notRead: "KW_CLI_W0002",
} as const;

interface VaultReads {
  vault: PlanVaultTarget;
  objects: Pick<ObjectTarget, "type" | "name">[];
}

const key = (type: string, name: string) => `${type}/${name.toLowerCase()}`;

/**
 * The objects of the plan's disable-secrets steps, per vault, whose versions planning can record: objects a rotation
 * of the same plan targets are left out (which version is kept depends on what the rotation creates, so the apply
 * reads them anyway, and `planResponse` would not record them).
 */
export function versionReadTargets(plan: RemediationPlan): VaultReads[] {
  const byVault = new Map<string, VaultReads & { seen: Set<string>; rotated: Set<string> }>();
  const entry = (vault: PlanVaultTarget) => {
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
      for (const object of step.target.objects ?? []) entry(step.target.vault).rotated.add(key(object.type, object.name));
    }
  }
  for (const step of plan.steps) {
    if (step.kind !== "disable-secrets" || step.target.vault === undefined) continue;
    const reads = entry(step.target.vault);
    for (const object of step.target.objects ?? []) {
      const id = key(object.type, object.name);
      if (reads.rotated.has(id) || reads.seen.has(id)) continue;
      reads.seen.add(id);
      reads.objects.push({ type: object.type, name: object.name });
    }
  }
  return [...byVault.values()].filter((reads) => reads.objects.length > 0).map(({ vault, objects }) => ({ vault, objects }));
}

/**
 * Lists, within `budget`, the versions of the objects the plan will disable, so that the plan records them and the
 * apply writes each version directly (`planResponse(..., { objectVersions })`). Never fails planning: an object that
 * cannot be read, or is past the budget, is left out (the apply lists it, as a plan without recordings does), and the
 * returned warnings say which and why.
 */
export async function readPlannedVersions(
  env: AzureEnvironment,
  plan: RemediationPlan,
  budget: VersionReadBudget = DEFAULT_VERSION_READ_BUDGET,
): Promise<{ observed: ObservedVaultVersions[]; warnings: PlanWarning[] }> {
  const targets = versionReadTargets(plan);
  if (targets.length === 0) return { observed: [], warnings: [] };
  const { readObjectVersions, RemediationClients } = await import("@keywarden/remediation");
  const clients = new RemediationClients({
    credential: env.credential,
    ...(env.retryOptions === undefined ? {} : { clientOptions: { retryOptions: env.retryOptions } }),
  });
  const readAt = env.now().toISOString();
  // Real elapsed time, not the tenant's clock: the budget bounds how long the operator waits for the plan.
  const deadline = performance.now() + budget.budgetInMs;
  const observed: ObservedVaultVersions[] = [];
  const warnings: PlanWarning[] = [];
  let allowance = budget.maxObjects;
  let skipped = 0;
  const unread: string[] = [];
  // Batches of a few listings per worker: the time budget is checked between batches, and what a batch read is kept.
  const batchSize = Math.max(1, budget.concurrency) * 4;
  for (const { vault, objects } of targets) {
    const read: ObservedVaultVersions = { vault: vault.resourceId, readAt, objects: [] };
    let index = 0;
    while (index < objects.length && allowance > 0 && performance.now() < deadline) {
      const batch = objects.slice(index, index + Math.min(batchSize, allowance));
      index += batch.length;
      allowance -= batch.length;
      const result = await readObjectVersions({ clients, vault: { resourceId: vault.resourceId, vaultUri: vault.vaultUri }, objects: batch, readAt, concurrency: budget.concurrency });
      const got = new Set(result.objects.map((object) => key(object.type, object.name)));
      for (const object of batch) if (!got.has(key(object.type, object.name))) unread.push(`${object.type} ${object.name} (vault ${vault.name})`);
      read.objects = [...read.objects, ...result.objects];
    }
    skipped += objects.length - index;
    if (read.objects.length > 0) observed.push(read);
  }
  if (unread.length > 0) {
    warnings.push({
      code: PlanningReadCodes.notRead,
      message:
        `The versions of ${unread.length} object(s) could not be read when planning (no permission to list them, the object is gone, or the request failed): ` +
        `${unread.slice(0, 10).join(", ")}${unread.length > 10 ? ", ..." : ""}. The apply lists their versions before disabling them.`,
    });
  }
  if (skipped > 0) {
    warnings.push({
      code: PlanningReadCodes.budgetCutIn,
      message:
        `The planning read budget (${budget.maxObjects} object(s), ${Math.round(budget.budgetInMs / 1000)} s) cut in: the versions of ${skipped} object(s) ` +
        "were not read when planning, and the apply lists them before disabling them.",
    });
  }
  return { observed, warnings };
}
