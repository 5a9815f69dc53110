import { FakeAzureError } from "../errors/fake-azure-error.js";

/**
 * The tenant's clock. Every time the fake reads (alert times, soft-delete delays, token expiry, throttling windows,
 * `created`/`updated` attributes) comes from here, so tests decide when time passes.
 */
export interface FakeClock {
  /** Milliseconds since the epoch, like `Date.now()`. */
  now(): number;
  /** The current time as a `Date`. */
  date(): Date;
  /** The current time as an ISO 8601 string (`2026-01-15T12:00:00.000Z`). */
  iso(): string;
  /** Whole seconds since the epoch: the unit of Key Vault data-plane attributes. */
  unixSeconds(): number;
  /** Moves the clock forward by `ms` milliseconds (negative values are refused). */
  advance(ms: number): void;
  /** Jumps to an absolute time. */
  set(time: Date | number | string): void;
  /** `true` when time passes only through `advance`/`set`; `false` when it also follows the system clock. */
  readonly frozen: boolean;
}

export interface FakeClockOptions {
  /** Start time. Default `2026-01-15T12:00:00.000Z`. */
  start?: Date | number | string;
  /**
   * Keep time still between explicit `advance`/`set` calls (default `true`). With `false` the clock runs at real
   * speed from `start`, which suits sandboxes and benchmarks; `advance` still jumps ahead.
   */
  frozen?: boolean;
}

export const DEFAULT_CLOCK_START = "2026-01-15T12:00:00.000Z";

function toMillis(time: Date | number | string): number {
  const ms = time instanceof Date ? time.getTime() : typeof time === "number" ? time : Date.parse(time);
  if (!Number.isFinite(ms)) {
    throw new FakeAzureError("KW_TESTING_E0004", `Invalid clock time ${JSON.stringify(time)}: pass a Date, epoch milliseconds or an ISO 8601 string.`);
  }
  return ms;
}

export function createFakeClock(options: FakeClockOptions = {}): FakeClock {
  const frozen = options.frozen ?? true;
  let base = toMillis(options.start ?? DEFAULT_CLOCK_START);
  // For a running clock, `base` is the fake time at the system instant `anchor`.
  let anchor = Date.now();
  const now = (): number => (frozen ? base : base + (Date.now() - anchor));
  return {
    frozen,
    now,
    date: () => new Date(now()),
    iso: () => new Date(now()).toISOString(),
    unixSeconds: () => Math.floor(now() / 1000),
    advance(ms: number) {
      if (!Number.isFinite(ms) || ms < 0) {
        throw new FakeAzureError("KW_TESTING_E0004", `clock.advance(${ms}): pass a finite, non-negative number of milliseconds.`);
      }
      base = now() + ms;
      anchor = Date.now();
    },
    set(time) {
      base = toMillis(time);
      anchor = Date.now();
    },
  };
}
