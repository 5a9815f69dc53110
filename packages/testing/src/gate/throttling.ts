/** A token bucket as ARM documents it: `capacity` requests, refilled at `refillPerSecond`. */
export interface TokenBucketLimit {
  capacity: number;
  refillPerSecond: number;
}

/**
 * Throttling limits. Defaults are the documented ones (key-vault.md section 4): Key Vault counts per vault per
 * `windowInMs` (10 s) window, with the subscription-wide limit five times the vault limit; ARM uses token buckets per
 * subscription and caller. Scale `windowInMs` and the limits down to provoke 429s in tests and benchmarks.
 */
export interface ThrottlingOptions {
  enabled: boolean;
  /** Key Vault's counting window. Default 10 000 ms. */
  windowInMs: number;
  /** Per-vault limits per window. */
  vault: {
    /** Secret CREATE (`PUT /secrets/{name}`). Default 300. */
    secretCreate: number;
    /** Key CREATE / import / rotate (software RSA 2048 / EC). Default 20. */
    keyCreate: number;
    /** All other transactions. Default 4 000. */
    other: number;
  };
  /** Multiplier of the per-vault limits for all vaults of a subscription together. Default 5. */
  subscriptionMultiplier: number;
  /** ARM buckets per subscription and caller. */
  arm: { reads: TokenBucketLimit; writes: TokenBucketLimit; deletes: TokenBucketLimit };
  /**
   * `"seconds"` (default) sends `Retry-After` in whole seconds as Azure does; `"milliseconds"` also sends
   * `retry-after-ms`, which the Azure SDK prefers, for scaled-down windows.
   */
  retryAfter: "seconds" | "milliseconds";
  /** Time source for windows and buckets (real monotonic time by default, so a frozen tenant clock still lets 429s clear). */
  now: () => number;
}

export const DEFAULT_THROTTLING: ThrottlingOptions = {
  enabled: true,
  windowInMs: 10_000,
  vault: { secretCreate: 300, keyCreate: 20, other: 4000 },
  subscriptionMultiplier: 5,
  arm: {
    reads: { capacity: 250, refillPerSecond: 25 },
    writes: { capacity: 200, refillPerSecond: 10 },
    deletes: { capacity: 200, refillPerSecond: 10 },
  },
  retryAfter: "seconds",
  now: () => performance.now(),
};

export type ThrottlingInput = Partial<Omit<ThrottlingOptions, "vault" | "arm">> & {
  vault?: Partial<ThrottlingOptions["vault"]>;
  arm?: Partial<ThrottlingOptions["arm"]>;
};

export function resolveThrottling(input: ThrottlingInput | false | undefined): ThrottlingOptions {
  if (input === false) return { ...DEFAULT_THROTTLING, enabled: false };
  return {
    ...DEFAULT_THROTTLING,
    ...input,
    vault: { ...DEFAULT_THROTTLING.vault, ...input?.vault },
    arm: { ...DEFAULT_THROTTLING.arm, ...input?.arm },
  };
}

export type VaultTransactionKind = keyof ThrottlingOptions["vault"];
export type ArmOperationKind = keyof ThrottlingOptions["arm"];

/** How Key Vault counts a data-plane request. */
export function classifyVaultRequest(method: string, path: string): VaultTransactionKind {
  const m = method.toUpperCase();
  const segments = path.split("/").filter((s) => s.length > 0);
  if (m === "PUT" && segments[0]?.toLowerCase() === "secrets" && segments.length === 2) return "secretCreate";
  if (segments[0]?.toLowerCase() === "keys") {
    const last = segments[2]?.toLowerCase();
    if (m === "POST" && segments.length === 3 && (last === "create" || last === "rotate")) return "keyCreate";
    if (m === "PUT" && segments.length === 2) return "keyCreate";
  }
  return "other";
}

export function classifyArmRequest(method: string): ArmOperationKind {
  const m = method.toUpperCase();
  if (m === "GET" || m === "HEAD") return "reads";
  if (m === "DELETE") return "deletes";
  return "writes";
}

export interface ThrottleDecision {
  retryAfterInMs: number;
  reason: string;
}

function copyOptions(options: ThrottlingOptions): ThrottlingOptions {
  return {
    ...options,
    vault: { ...options.vault },
    arm: { reads: { ...options.arm.reads }, writes: { ...options.arm.writes }, deletes: { ...options.arm.deletes } },
  };
}

/** Counts requests and decides when to answer 429. Mutable limits: tests may change `options` at any time. */
export class Throttler {
  options: ThrottlingOptions;
  readonly #initial: ThrottlingOptions;
  readonly #windows = new Map<string, { start: number; count: number }>();
  readonly #buckets = new Map<string, { tokens: number; at: number }>();

  constructor(options: ThrottlingOptions) {
    this.#initial = copyOptions(options);
    this.options = copyOptions(options);
  }

  /** Forgets all counts and restores the limits the tenant was created with. */
  reset(): void {
    this.options = copyOptions(this.#initial);
    this.#windows.clear();
    this.#buckets.clear();
  }

  /** Counts a vault transaction; returns a decision when it must be refused (refused requests are not counted). */
  vaultTransaction(vaultName: string, subscriptionId: string | undefined, kind: VaultTransactionKind): ThrottleDecision | undefined {
    if (!this.options.enabled) return undefined;
    const now = this.options.now();
    const limit = this.options.vault[kind];
    const keys: Array<[string, number, string]> = [[`vault:${vaultName.toLowerCase()}:${kind}`, limit, "VaultRequestTypeLimitReached"]];
    if (subscriptionId) {
      keys.push([
        `sub:${subscriptionId.toLowerCase()}:${kind}`,
        limit * this.options.subscriptionMultiplier,
        "SubscriptionRequestTypeLimitReached",
      ]);
    }
    const windows = keys.map(([key, max, reason]) => {
      let window = this.#windows.get(key);
      if (!window || now - window.start >= this.options.windowInMs) {
        window = { start: now, count: 0 };
        this.#windows.set(key, window);
      }
      return { window, max, reason };
    });
    for (const { window, max, reason } of windows) {
      if (window.count >= max) return { retryAfterInMs: Math.max(0, window.start + this.options.windowInMs - now), reason };
    }
    for (const { window } of windows) window.count += 1;
    return undefined;
  }

  /** Takes an ARM token; returns a decision when the bucket is empty. */
  armRequest(subscriptionId: string, caller: string, kind: ArmOperationKind): ThrottleDecision | undefined {
    if (!this.options.enabled) return undefined;
    const now = this.options.now();
    const limit = this.options.arm[kind];
    const key = `arm:${subscriptionId.toLowerCase()}:${caller.toLowerCase()}:${kind}`;
    const bucket = this.#buckets.get(key) ?? { tokens: limit.capacity, at: now };
    bucket.tokens = Math.min(limit.capacity, bucket.tokens + ((now - bucket.at) / 1000) * limit.refillPerSecond);
    bucket.at = now;
    this.#buckets.set(key, bucket);
    if (bucket.tokens < 1) {
      return { retryAfterInMs: ((1 - bucket.tokens) / limit.refillPerSecond) * 1000, reason: `subscription ${kind}` };
    }
    bucket.tokens -= 1;
    return undefined;
  }

  /** Tokens left in an ARM bucket (for `x-ms-ratelimit-remaining-subscription-*` headers). */
  armRemaining(subscriptionId: string, caller: string, kind: ArmOperationKind): number {
    const bucket = this.#buckets.get(`arm:${subscriptionId.toLowerCase()}:${caller.toLowerCase()}:${kind}`);
    return Math.floor(bucket?.tokens ?? this.options.arm[kind].capacity);
  }
}
