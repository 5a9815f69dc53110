import type { ObservedObjectVersions, ObservedVaultVersions } from "../plan/recorded-versions.js";
import type { ObjectTarget } from "../plan/remediation-plan.js";
import { logger } from "../log.js";
import { objectStore } from "./object-stores.js";
import type { RemediationClients } from "./remediation-clients.js";

export interface ReadObjectVersionsOptions {
  /** The clients to read with (`new RemediationClients({ credential })`). */
  clients: RemediationClients;
  /** The vault: its resource id (what the plan names) and data-plane URI. */
  vault: { resourceId: string; vaultUri: string };
  /** The objects to list (type and name; their versions are all listed). */
  objects: readonly Pick<ObjectTarget, "type" | "name">[];
  /** When the read happens (ISO 8601, from the caller's clock): recorded in the plan as the step's `readAt`. */
  readAt: string;
  /** Listings in flight at once. Default 8. */
  concurrency?: number;
  abortSignal?: AbortSignal;
}

/**
 * Lists the versions (attributes only, never values) of the objects a plan will disable, for
 * `planResponse(..., { objectVersions: [await readObjectVersions(...)] })`: the plan then records them and `applyPlan`
 * writes without listing them again. An object that does not exist or cannot be read is left out (logged): its step
 * lists it at apply time, as without a recording.
 */
export async function readObjectVersions(options: ReadObjectVersionsOptions): Promise<ObservedVaultVersions> {
  const objects: ObservedObjectVersions[] = [];
  const queue = [...options.objects];
  const abortSignal = options.abortSignal ?? new AbortController().signal;
  const worker = async () => {
    for (let object = queue.shift(); object !== undefined; object = queue.shift()) {
      if (abortSignal.aborted) return;
      try {
        const versions = await objectStore(options.clients, options.vault.vaultUri, object.type).listVersions(object.name, { abortSignal });
        if (versions === undefined) continue;
        objects.push({
          type: object.type,
          name: object.name,
          versions: versions.map((info) => ({
            version: info.version,
            enabled: info.enabled,
            ...(info.createdOn === undefined ? {} : { createdOn: info.createdOn }),
            ...(info.tags === undefined ? {} : { tags: info.tags }),
          })),
        });
      } catch (error) {
        if (abortSignal.aborted) return;
        logger.warning(`${object.type} ${object.name}: its versions could not be listed when planning (${error instanceof Error ? error.message : String(error)}); the apply lists them.`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 8, queue.length)) }, worker));
  if (abortSignal.aborted) throw abortSignal.reason instanceof Error ? abortSignal.reason : new Error("The operation was aborted.");
  // Sorted, so the same reads give the same plan (and plan id) whatever order the listings finished in.
  objects.sort((a, b) => a.type.localeCompare(b.type) || a.name.localeCompare(b.name));
  return { vault: options.vault.resourceId, readAt: options.readAt, objects };
}
