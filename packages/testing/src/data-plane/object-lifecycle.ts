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

function sweep<T>(deleted: CaseInsensitiveMap<DeletedObject<T>>, nowSeconds: number): void {
  for (const [name, entry] of [...deleted.entries()]) {
    if (entry.scheduledPurgeDate <= nowSeconds) deleted.delete(name);
  }
}

/** Purges, as the service does, deleted objects past their `scheduledPurgeDate`, and forgets completed purges. */
export function purgeExpired(vault: VaultState, nowMs: number): void {
  const nowSeconds = Math.floor(nowMs / 1000);
  sweep(vault.deletedSecrets, nowSeconds);
  sweep(vault.deletedKeys, nowSeconds);
  sweep(vault.deletedCertificates, nowSeconds);
  for (const [key, until] of [...vault.purging.entries()]) if (until <= nowMs) vault.purging.delete(key);
}

/** Whether a purge of `kind` `name` is still in progress (the name is not free yet). */
export function isBeingPurged(vault: VaultState, kind: string, name: string, nowMs: number): boolean {
  const until = vault.purging.get(`${kind}/${name}`);
  return until !== undefined && until > nowMs;
}

/** Starts the purge of `kind` `name`: in progress for the vault's `purgeDelayMs`. */
export function startPurge(vault: VaultState, kind: string, name: string, nowMs: number): void {
  const delay = vault.settings.purgeDelayMs;
  if (delay > 0) vault.purging.set(`${kind}/${name}`, nowMs + delay);
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
