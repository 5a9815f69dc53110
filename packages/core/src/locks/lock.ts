/**
 * Mutual exclusion that holds across processes (and, with a shared store, across machines): one journal writer at
 * a time, one writer of a vault's properties at a time. The engine takes locks only through this interface; a
 * file implementation serves one machine, the responder's database implements it for several.
 */

/** Who holds a lock, as recorded with it, so a refusal can name the holder. */
export interface LockHolder {
  /** Unique per acquisition. */
  id: string;
  host: string;
  pid: number;
  /** ISO 8601 time of acquisition. */
  acquiredAt: string;
  /** What the holder is doing (`apply plan 3f2a…`), for people. */
  purpose?: string;
}

export interface AcquireLockOptions {
  /** How long to wait for a lock someone else holds. Default 0: refuse at once with `KW_CORE_E0010`. */
  waitInMs?: number;
  /** Between two attempts while waiting. Default 100 ms. */
  pollIntervalInMs?: number;
  /** Recorded with the lock and shown to anyone refused. */
  purpose?: string;
  abortSignal?: AbortSignal;
}

/** A lock this process holds. */
export interface LockHandle {
  readonly name: string;
  readonly holder: LockHolder;
  /** Releases the lock. Idempotent. Rejects with `KW_CORE_E0012` when the lock was broken or taken over meanwhile. */
  release(): Promise<void>;
}

/** Hands out named locks. */
export interface LockProvider {
  /** Takes the named lock, waiting up to `waitInMs`; rejects with `KW_CORE_E0010` naming the holder otherwise. */
  acquire(name: string, options?: AcquireLockOptions): Promise<LockHandle>;
}

/** Runs `work` holding the named lock, and releases it whatever happens. */
export async function withLock<T>(locks: LockProvider, name: string, work: (lock: LockHandle) => Promise<T>, options?: AcquireLockOptions): Promise<T> {
  const lock = await locks.acquire(name, options);
  try {
    return await work(lock);
  } finally {
    await lock.release();
  }
}

/** The lock name for writes to one vault's properties (case-insensitive on the resource id, as ARM is). */
export function vaultLockName(vaultResourceId: string): string {
  return `vault:${vaultResourceId.toLowerCase()}`;
}

/** The lock name for the single writer of one journal. */
export function journalLockName(journalId: string): string {
  return `journal:${journalId}`;
}
