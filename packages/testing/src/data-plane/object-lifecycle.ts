import type { DeletedObject } from "../state/data-plane-types.js";
import type { CaseInsensitiveMap } from "../state/case-insensitive-map.js";
import type { VaultState } from "../state/tenant-state.js";

/**
 * Soft delete and eventual consistency. Key Vault answers a DELETE at once, but the deleted object becomes readable
 * under `/deleted*` only seconds later; after a recover the object answers 404 for a while too (recorded). The fake
 * keeps a `visibleAt` clock time on both and sweeps deleted objects whose `scheduledPurgeDate` has passed.
 */

export function isVisible(entry: { visibleAt?: number | undefined }, nowMs: number): boolean {
  return entry.visibleAt === undefined || entry.visibleAt <= nowMs;
}

function sweep<T>(deleted: CaseInsensitiveMap<DeletedObject<T>>, nowMs: number): void {
  const nowSeconds = Math.floor(nowMs / 1000);
  for (const [name, entry] of [...deleted.entries()]) {
    if (entry.scheduledPurgeDate <= nowSeconds || (entry.purgingUntil !== undefined && entry.purgingUntil <= nowMs)) deleted.delete(name);
  }
}

/** Drops purges that have completed, and purges, as the service does, deleted objects past their `scheduledPurgeDate`. */
export function purgeExpired(vault: VaultState, nowMs: number): void {
  sweep(vault.deletedSecrets, nowMs);
  sweep(vault.deletedKeys, nowMs);
  sweep(vault.deletedCertificates, nowMs);
}

/** A deleted entry readable under `/deleted*`: the delete has settled and no purge is in progress. */
export function isDeletedVisible(entry: DeletedObject<unknown>, nowMs: number): boolean {
  return entry.purgingUntil === undefined && isVisible(entry, nowMs);
}

const DAY_SECONDS = 86_400;

/** `scheduledPurgeDate` of an object deleted now. */
export function scheduledPurgeDateOf(vault: VaultState, deletedDate: number): number {
  return deletedDate + (vault.resource.properties.softDeleteRetentionInDays ?? 90) * DAY_SECONDS;
}

/** Whether DELETE keeps a recoverable copy (soft delete is on unless the vault explicitly turned it off). */
export function softDeleteEnabled(vault: VaultState): boolean {
  return vault.resource.properties.enableSoftDelete !== false;
}
