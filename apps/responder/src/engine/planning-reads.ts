import type { ObservedVaultVersions, PlanWarning, RemediationPlan } from "@keywarden/remediation";

import type { ResponderEnvironment } from "../environment/responder-environment.js";

/** What planning may spend listing the versions of the objects a plan disables; the rest is listed at apply. */
export interface VersionReadBudget {
  maxObjects: number;
  budgetInMs: number;
  concurrency: number;
}

export const DEFAULT_VERSION_READ_BUDGET: VersionReadBudget = { maxObjects: 500, budgetInMs: 30_000, concurrency: 8 };

/** The plan warnings this adds (listed in docs/error-codes.md). */
export const PlanningReadCodes = {
  budgetCutIn: "KW_RESPONDER_W0001",
  notRead: "KW_RESPONDER_W0002",
} as const;

type Planner = (objectVersions: readonly ObservedVaultVersions[] | undefined) => RemediationPlan;

const key = (type: string, name: string) => `${type}/${name.toLowerCase()}`;

/**
 * Plans, reads (within `budget`) the versions of the objects the plan's disable-secrets steps target and the plan does
 * not also rotate, and plans again with them recorded (`planResponse(..., { objectVersions })`): the apply then
 * writes each version directly, verified by the write's answer, instead of listing them again. A read that fails
 * (403, 404) or is past the budget never fails planning: that object is listed at apply, and the plan says so.
 */
export async function planWithRecordedVersions(env: ResponderEnvironment, plan: Planner, budget: VersionReadBudget = DEFAULT_VERSION_READ_BUDGET): Promise<RemediationPlan> {
  const first = plan(undefined);
  const targets = new Map<string, { resourceId: string; vaultUri: string; name: string; objects: { type: "secret" | "key" | "certificate"; name: string }[]; seen: Set<string> }>();
  const rotated = new Set<string>();
  for (const step of first.steps) {
    if ((step.kind === "rotate-secrets" || step.kind === "rotate-keys") && step.target.vault !== undefined) {
      for (const object of step.target.objects ?? []) rotated.add(`${step.target.vault.resourceId.toLowerCase()}|${key(object.type, object.name)}`);
    }
  }
  for (const step of first.steps) {
    const vault = step.target.vault;
    if (step.kind !== "disable-secrets" || vault === undefined) continue;
    const id = vault.resourceId.toLowerCase();
    let entry = targets.get(id);
    if (entry === undefined) {
      entry = { resourceId: vault.resourceId, vaultUri: vault.vaultUri, name: vault.name, objects: [], seen: new Set() };
      targets.set(id, entry);
    }
    for (const object of step.target.objects ?? []) {
      const objectKey = key(object.type, object.name);
      if (rotated.has(`${id}|${objectKey}`) || entry.seen.has(objectKey)) continue;
      entry.seen.add(objectKey);
      entry.objects.push({ type: object.type, name: object.name });
    }
  }
  if ([...targets.values()].every((entry) => entry.objects.length === 0)) return first;

  const { readObjectVersions, RemediationClients, withPlanId } = await import("@keywarden/remediation");
  const clients = new RemediationClients({ credential: env.credential, ...(env.retryOptions === undefined ? {} : { clientOptions: { retryOptions: env.retryOptions } }) });
  const readAt = env.now().toISOString();
  const deadline = performance.now() + budget.budgetInMs;
  const observed: ObservedVaultVersions[] = [];
  const unread: string[] = [];
  let allowance = budget.maxObjects;
  let skipped = 0;
  const batchSize = Math.max(1, budget.concurrency) * 4;
  for (const vault of targets.values()) {
    const read: ObservedVaultVersions = { vault: vault.resourceId, readAt, objects: [] };
    let index = 0;
    // The time budget is checked between batches; what a finished batch read is kept.
    while (index < vault.objects.length && allowance > 0 && performance.now() < deadline) {
      const batch = vault.objects.slice(index, index + Math.min(batchSize, allowance));
      index += batch.length;
      allowance -= batch.length;
      const result = await readObjectVersions({ clients, vault: { resourceId: vault.resourceId, vaultUri: vault.vaultUri }, objects: batch, readAt, concurrency: budget.concurrency });
      const got = new Set(result.objects.map((object) => key(object.type, object.name)));
      for (const object of batch) if (!got.has(key(object.type, object.name))) unread.push(`${object.type} ${object.name} (vault ${vault.name})`);
      read.objects = [...read.objects, ...result.objects];
    }
    skipped += vault.objects.length - index;
    if (read.objects.length > 0) observed.push(read);
  }
  const recorded = observed.length === 0 ? first : plan(observed);
  const warnings: PlanWarning[] = [];
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
      message: `The planning read budget (${budget.maxObjects} object(s), ${Math.round(budget.budgetInMs / 1000)} s) cut in: the versions of ${skipped} object(s) were not read when planning, and the apply lists them before disabling them.`,
    });
  }
  if (warnings.length === 0) return recorded;
  const { id: _id, ...content } = recorded;
  return withPlanId({ ...content, warnings: [...content.warnings, ...warnings] });
}
