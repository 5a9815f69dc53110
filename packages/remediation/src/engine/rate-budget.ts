import type { Clock } from "@keywarden/core";

/** A budget: `capacity` operations per `windowInMs`, refilled continuously (a token bucket). */
export interface BudgetSpec {
  capacity: number;
  windowInMs: number;
}

/**
 * Key Vault's documented limits (learn.microsoft.com/azure/key-vault/general/service-limits), used as defaults.
 * They are shared by every caller of the vault, so the defaults keep a safety margin (`share`).
 */
export interface RateLimits {
  /** Data-plane transactions per vault (secrets "all other transactions": 4,000 per 10 s). */
  vault: BudgetSpec;
  /** Secret/key CREATE per vault (secret CREATE: 300 per 10 s; software key CREATE: 20 per 10 s). */
  vaultCreate: BudgetSpec;
  /** All data-plane transactions per subscription (five times the vault limit). */
  subscription: BudgetSpec;
  /** ARM writes per subscription and principal (token bucket 200, refill 10/s). */
  armWrites: BudgetSpec;
  /** ARM reads per subscription and principal (token bucket 250, refill 25/s). */
  armReads: BudgetSpec;
}

export const keyVaultDocumentedLimits: RateLimits = {
  vault: { capacity: 4000, windowInMs: 10_000 },
  vaultCreate: { capacity: 20, windowInMs: 10_000 },
  subscription: { capacity: 20_000, windowInMs: 10_000 },
  armWrites: { capacity: 200, windowInMs: 20_000 },
  armReads: { capacity: 250, windowInMs: 10_000 },
};

/** Scales every budget by `share` (0-1]: other callers of the vault use the same limits. */
export function scaleLimits(limits: RateLimits, share: number): RateLimits {
  const scale = (spec: BudgetSpec): BudgetSpec => ({ capacity: Math.max(1, Math.floor(spec.capacity * share)), windowInMs: spec.windowInMs });
  return {
    vault: scale(limits.vault),
    vaultCreate: scale(limits.vaultCreate),
    subscription: scale(limits.subscription),
    armWrites: scale(limits.armWrites),
    armReads: scale(limits.armReads),
  };
}

/**
 * One token bucket refilled at `capacity / windowInMs`. It holds at most 5% of a window's worth, never a whole window:
 * Key Vault counts fixed windows, and a bucket that saved up a full window during a lull could then send two windows'
 * worth inside one server window and be throttled. With a small burst, any server window sees at most
 * `capacity × 1.05` requests, which the default 90% share keeps under the limit.
 */
export class TokenBucket {
  readonly spec: BudgetSpec;
  #tokens: number;
  #updatedAt: number;
  #pausedUntil = 0;
  readonly #clock: Clock;
  #queue: Promise<void> = Promise.resolve();

  constructor(spec: BudgetSpec, clock: Clock) {
    this.spec = spec;
    this.#clock = clock;
    this.#updatedAt = clock.now();
    this.#tokens = 1;
  }

  /** The most tokens the bucket holds. */
  get burst(): number {
    return Math.max(1, Math.ceil(this.spec.capacity / 20));
  }

  get ratePerMs(): number {
    return this.spec.capacity / this.spec.windowInMs;
  }

  /** Waits until `cost` tokens are available (in arrival order), then takes them. */
  acquire(cost = 1, abortSignal?: AbortSignal): Promise<void> {
    const turn = this.#queue.then(() => this.#take(cost, abortSignal));
    this.#queue = turn.catch(() => undefined);
    return turn;
  }

  /** The server said "slow down" (429 + Retry-After): nobody takes a token before `ms` from now. */
  pause(ms: number): void {
    this.#pausedUntil = Math.max(this.#pausedUntil, this.#clock.now() + ms);
    this.#tokens = Math.min(this.#tokens, 0);
  }

  async #take(cost: number, abortSignal?: AbortSignal): Promise<void> {
    for (;;) {
      const now = this.#clock.now();
      if (now < this.#pausedUntil) {
        await this.#clock.sleep(this.#pausedUntil - now, abortSignal);
        this.#updatedAt = this.#clock.now();
        continue;
      }
      this.#tokens = Math.min(this.burst, this.#tokens + (now - this.#updatedAt) * this.ratePerMs);
      this.#updatedAt = now;
      if (this.#tokens >= cost) {
        this.#tokens -= cost;
        return;
      }
      await this.#clock.sleep(Math.max(1, Math.ceil((cost - this.#tokens) / this.ratePerMs)), abortSignal);
    }
  }
}

export type BudgetKind = "data" | "data-create" | "arm-read" | "arm-write" | "graph" | "none";

/**
 * Budgets per vault and per subscription, shared by everything one `applyPlan` (or several, when the caller passes
 * the same instance) sends to Azure.
 */
export class RateBudgets {
  readonly limits: RateLimits;
  readonly #clock: Clock;
  readonly #buckets = new Map<string, TokenBucket>();

  constructor(limits: RateLimits, clock: Clock) {
    this.limits = limits;
    this.#clock = clock;
  }

  bucket(key: string, spec: BudgetSpec): TokenBucket {
    let bucket = this.#buckets.get(key);
    if (bucket === undefined) {
      bucket = new TokenBucket(spec, this.#clock);
      this.#buckets.set(key, bucket);
    }
    return bucket;
  }

  /** The buckets one request of `kind` on `vault` / `subscription` draws from. */
  bucketsFor(kind: BudgetKind, scope: { vault?: string; subscription?: string }): TokenBucket[] {
    const vault = scope.vault?.toLowerCase();
    const subscription = scope.subscription?.toLowerCase() ?? "default";
    switch (kind) {
      case "data":
      case "data-create": {
        const buckets: TokenBucket[] = [];
        if (vault !== undefined) buckets.push(this.bucket(`vault:${vault}`, this.limits.vault));
        if (kind === "data-create" && vault !== undefined) {
          buckets.push(this.bucket(`vault-create:${vault}`, this.limits.vaultCreate));
        }
        buckets.push(this.bucket(`subscription-data:${subscription}`, this.limits.subscription));
        return buckets;
      }
      case "arm-read":
        return [this.bucket(`arm-read:${subscription}`, this.limits.armReads)];
      case "arm-write":
        return [this.bucket(`arm-write:${subscription}`, this.limits.armWrites)];
      case "graph":
      case "none":
        return [];
    }
  }

  async acquire(kind: BudgetKind, scope: { vault?: string; subscription?: string }, abortSignal?: AbortSignal): Promise<void> {
    for (const bucket of this.bucketsFor(kind, scope)) await bucket.acquire(1, abortSignal);
  }

  pause(kind: BudgetKind, scope: { vault?: string; subscription?: string }, ms: number): void {
    for (const bucket of this.bucketsFor(kind, scope)) bucket.pause(ms);
  }
}
