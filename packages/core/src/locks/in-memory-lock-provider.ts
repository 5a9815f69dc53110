import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { CoreError } from "../errors/core-error.js";
import { coreErrorCodes } from "../errors/core-error-codes.js";
import { systemClock, type Clock } from "../time/clock.js";
import { describeHolder } from "./describe-holder.js";
import type { AcquireLockOptions, LockHandle, LockHolder, LockProvider } from "./lock.js";

/** Locks inside one process: for tests and for embedding where one process is the only writer. */
export class InMemoryLockProvider implements LockProvider {
  readonly #held = new Map<string, LockHolder>();
  readonly #clock: Clock;

  constructor(options: { clock?: Clock } = {}) {
    this.#clock = options.clock ?? systemClock;
  }

  async acquire(name: string, options: AcquireLockOptions = {}): Promise<LockHandle> {
    const deadline = this.#clock.now() + (options.waitInMs ?? 0);
    for (;;) {
      const current = this.#held.get(name);
      if (current === undefined) break;
      if (this.#clock.now() >= deadline) {
        throw new CoreError(coreErrorCodes.lockHeld, `Lock ${name} is held by ${describeHolder(current)}. Wait for it to finish, or retry with a wait.`);
      }
      await this.#clock.sleep(Math.min(options.pollIntervalInMs ?? 100, Math.max(1, deadline - this.#clock.now())), options.abortSignal);
    }
    const holder: LockHolder = {
      id: randomUUID(),
      host: hostname(),
      pid: process.pid,
      acquiredAt: new Date(this.#clock.now()).toISOString(),
      ...(options.purpose === undefined ? {} : { purpose: options.purpose }),
    };
    this.#held.set(name, holder);
    let released = false;
    return {
      name,
      holder,
      release: () => {
        if (released) return Promise.resolve();
        released = true;
        if (this.#held.get(name)?.id !== holder.id) {
          return Promise.reject(new CoreError(coreErrorCodes.lockLost, `Lock ${name} was no longer held by this process when it was released.`));
        }
        this.#held.delete(name);
        return Promise.resolve();
      },
    };
  }
}
