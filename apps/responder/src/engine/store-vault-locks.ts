import { randomUUID } from "node:crypto";

import type { ResponderStore } from "../store/store-types.js";
import type { VaultLockProvider } from "./response-engine.js";

export interface StoreVaultLocksOptions {
  /** How long a holder keeps the lock without renewing it (a dead replica loses it after this). Default 30 s. */
  ttlMs?: number;
  /** How often a waiter tries again. Default 50 ms. */
  retryMs?: number;
  /** Give up waiting after this long. Default 5 min. */
  maxWaitMs?: number;
  now?: () => number;
}

/**
 * Per-vault locks as lease rows in the shared store: two replicas never write one vault's properties at once. The
 * holder renews its lease while the write runs; a replica that dies loses it after `ttlMs`.
 */
export function storeVaultLocks(store: ResponderStore, options: StoreVaultLocksOptions = {}): VaultLockProvider {
  const ttlMs = options.ttlMs ?? 30_000;
  const retryMs = options.retryMs ?? 50;
  const maxWaitMs = options.maxWaitMs ?? 300_000;
  const now = options.now ?? Date.now;
  return {
    async withVaultLock(vault, task) {
      const key = `vault:${vault.toLowerCase()}`;
      const owner = `${process.pid}:${randomUUID()}`;
      const started = now();
      while (!(await store.acquireLease(key, owner, ttlMs, now()))) {
        if (now() - started > maxWaitMs) throw new Error(`Waited ${Math.round(maxWaitMs / 1000)} s for the lock of vault ${vault}; another responder holds it. Try again later.`);
        await new Promise((resolve) => setTimeout(resolve, retryMs));
      }
      const renew = setInterval(() => {
        store.acquireLease(key, owner, ttlMs, now()).catch(() => undefined);
      }, Math.max(100, Math.floor(ttlMs / 3)));
      try {
        return await task();
      } finally {
        clearInterval(renew);
        await store.releaseLease(key, owner).catch(() => undefined);
      }
    },
  };
}
