import { randomUUID, createHash } from "node:crypto";
import { linkSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { CoreError } from "../errors/core-error.js";
import { coreErrorCodes } from "../errors/core-error-codes.js";
import { systemClock, type Clock } from "../time/clock.js";
import { describeHolder } from "./describe-holder.js";
import type { AcquireLockOptions, LockHandle, LockHolder, LockProvider } from "./lock.js";

export interface FileLockProviderOptions {
  clock?: Clock;
}

/**
 * Locks across processes on one machine: a lock is a file created exclusively (`O_CREAT | O_EXCL`) in `directory`,
 * holding its holder as JSON. A lock whose holding process is gone (same host, pid no longer alive) is stale and is
 * taken over, so a crashed apply never blocks the next one forever. Lock names are hashed into file names, so a
 * name from outside (a vault id) never becomes a path.
 */
export class FileLockProvider implements LockProvider {
  readonly directory: string;
  readonly #clock: Clock;

  constructor(directory: string, options: FileLockProviderOptions = {}) {
    this.directory = directory;
    this.#clock = options.clock ?? systemClock;
  }

  /** The file that holds the named lock. */
  pathOf(name: string): string {
    return join(this.directory, `${createHash("sha256").update(name).digest("hex").slice(0, 32)}.lock`);
  }

  async acquire(name: string, options: AcquireLockOptions = {}): Promise<LockHandle> {
    try {
      mkdirSync(this.directory, { recursive: true });
    } catch (error) {
      throw new CoreError(coreErrorCodes.lockUnavailable, `Cannot create the lock directory ${this.directory}. Make it writable, or choose another.`, { cause: error });
    }
    const path = this.pathOf(name);
    const deadline = this.#clock.now() + (options.waitInMs ?? 0);
    const holder: LockHolder = {
      id: randomUUID(),
      host: hostname(),
      pid: process.pid,
      acquiredAt: new Date(this.#clock.now()).toISOString(),
      ...(options.purpose === undefined ? {} : { purpose: options.purpose }),
    };
    for (;;) {
      if (this.#tryCreate(path, name, holder)) break;
      const current = readHolder(path);
      if (current !== undefined && isStale(current)) {
        this.#breakStale(path, current);
        continue;
      }
      if (this.#clock.now() >= deadline) {
        const who = current === undefined ? "another process" : describeHolder(current);
        throw new CoreError(
          coreErrorCodes.lockHeld,
          `Lock ${name} is held by ${who} (lock file ${path}). Wait for it to finish, or retry with a wait (--wait).`,
        );
      }
      await this.#clock.sleep(Math.min(options.pollIntervalInMs ?? 100, Math.max(1, deadline - this.#clock.now())), options.abortSignal);
    }
    let released = false;
    return {
      name,
      holder,
      release: () => {
        if (released) return Promise.resolve();
        released = true;
        const current = readHolder(path);
        if (current?.id !== holder.id) {
          return Promise.reject(new CoreError(coreErrorCodes.lockLost, `Lock ${name} (${path}) was taken over before this process released it.`));
        }
        try {
          unlinkSync(path);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== "ENOENT") return Promise.reject(error instanceof Error ? error : new Error(String(error)));
        }
        return Promise.resolve();
      },
    };
  }

  #tryCreate(path: string, name: string, holder: LockHolder): boolean {
    try {
      writeFileSync(path, `${JSON.stringify({ name, ...holder })}\n`, { flag: "wx", mode: 0o600 });
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
      throw new CoreError(coreErrorCodes.lockUnavailable, `Cannot create the lock file ${path}. Check the directory's permissions.`, { cause: error });
    }
  }

  /** Moves a stale lock aside atomically, so two processes breaking it at once cannot both win. */
  #breakStale(path: string, stale: LockHolder): void {
    const aside = `${path}.stale-${randomUUID()}`;
    try {
      renameSync(path, aside);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
      throw error;
    }
    // Between our read and the rename another process may have broken the stale lock and taken a fresh one: if
    // what we moved is not the stale holder, put it back (link fails if someone holds the path by now).
    if (readHolder(aside)?.id !== stale.id) {
      try {
        linkSync(aside, path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      }
    }
    unlinkSync(aside);
  }
}

function readHolder(path: string): LockHolder | undefined {
  try {
    const value = JSON.parse(readFileSync(path, "utf8")) as Partial<LockHolder>;
    if (typeof value.id !== "string" || typeof value.host !== "string" || typeof value.pid !== "number" || typeof value.acquiredAt !== "string") {
      return undefined;
    }
    return value as LockHolder;
  } catch {
    return undefined;
  }
}

/** A holder on this host whose process no longer exists. Holders on other hosts are never judged stale here. */
function isStale(holder: LockHolder): boolean {
  if (holder.host !== hostname()) return false;
  if (holder.pid === process.pid) return false;
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}
