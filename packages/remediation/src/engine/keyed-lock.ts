/**
 * Mutual exclusion per key. Key Vault vaults have no etag, so two read-modify-write updates of one vault's
 * properties would silently overwrite each other: every write to a vault's properties holds that vault's lock.
 */
export class KeyedLock {
  readonly #tails = new Map<string, Promise<void>>();

  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const normalized = key.toLowerCase();
    const previous = this.#tails.get(normalized) ?? Promise.resolve();
    let release!: () => void;
    const current = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tail = previous.then(() => current);
    this.#tails.set(normalized, tail);
    await previous;
    try {
      return await task();
    } finally {
      release();
      if (this.#tails.get(normalized) === tail) this.#tails.delete(normalized);
    }
  }
}

/** The process-wide vault locks every `applyPlan` uses unless given its own. */
export const processVaultLocks = new KeyedLock();
