import { randomUUID } from "node:crypto";

import type { ResponderStore } from "../store/store-types.js";
import type { VaultLockProvider } from "./response-engine.js";

export interface StoreVaultLocksOptions {
  /** How long a holder keeps the lock without renewing it (a dead replica loses it after this). Default 30 s. */
  ttlInMs?: number;
  /** How often a waiter tries again. Default 50 ms. */
  retryInMs?: number;
  /** Give up waiting after this long. Default 5 min. */
  maxWaitInMs?: number;
  now?: () => number;
}

/**
 * Per-vault locks as lease rows in the shared store: two replicas never write one vault's properties at once. The
 * holder renews its lease while the write runs; a replica that dies loses it after `ttlInMs`.
 */
export function storeVaultLocks(store: ResponderStore, options: StoreVaultLocksOptions = {}): VaultLockProvider {
  const ttlInMs = options.ttlInMs ?? 30_000;
  const retryInMs = options.retryInMs ?? 50;
  const maxWaitInMs = options.maxWaitInMs ?? 300_000;
  const now = options.now ?? Date.now;
  return {
    async withVaultLock(vault, task) {
      const key = `vault:${vault.toLowerCase()}`;
      const owner = `${process.pid}:${randomUUID()}`;
      const started = now();
      while (!(await store.acquireLease(key, owner, ttlInMs, now()))) {
        if (now() - started > maxWaitInMs) throw new Error(`Waited ${Math.round(maxWaitInMs / 1000)} s for the lock of vault ${vault}; another responder holds it. Try again later.`);
        await new Promise((resolve) => setTimeout(resolve, retryInMs));
      }
      const renew = setInterval(() => {
        store.acquireLease(key, owner, ttlInMs, now()).catch(() => undefined);
      }, Math.max(100, Math.floor(ttlInMs / 3)));
      try {
        return await task();
      } finally {
        clearInterval(renew);
        await store.releaseLease(key, owner).catch(() => undefined);
      }
    },
  };
}
