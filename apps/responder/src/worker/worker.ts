import { randomUUID } from "node:crypto";

import type { ResponseEngine } from "../engine/response-engine.js";
import type { ResponderMetrics } from "../metrics/metrics.js";
import type { Job, ResponderStore } from "../store/store-types.js";
import { processIncident, rollbackIncident } from "./process-incident.js";

export interface WorkerOptions {
  store: ResponderStore;
  engine: ResponseEngine;
  metrics: ResponderMetrics;
  concurrency: number;
  leaseInMs: number;
  pollIntervalInMs: number;
  maxAttempts: number;
  /** Wall clock for leases (never the sandbox tenant's clock: leases are about this process being alive). */
  now?: () => number;
  log?: (message: string) => void;
}

/**
 * Processes the durable queue: each item is claimed with a lease that the worker renews while it runs; the incident
 * itself is held by a lease too, so two replicas never process one incident at once. A failure gives the item
 * back with back-off; a worker that dies loses its leases and another resumes from the journal.
 */
export class Worker {
  readonly owner = `${process.pid}-${randomUUID().slice(0, 8)}`;
  readonly #options: WorkerOptions;
  readonly #now: () => number;
  #running = false;
  #loops: Promise<void>[] = [];
  readonly #stop = new AbortController();
  #lastError: string | undefined;

  constructor(options: WorkerOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  get running(): boolean {
    return this.#running;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    for (let index = 0; index < this.#options.concurrency; index += 1) this.#loops.push(this.#loop());
  }

  /** Stops claiming; the items in flight finish (or, after `graceMs`, are aborted and resumed by the next worker). */
  async stop(graceMs = 10_000): Promise<void> {
    this.#running = false;
    const timer = setTimeout(() => this.#stop.abort(), graceMs);
    await Promise.all(this.#loops);
    clearTimeout(timer);
    this.#loops = [];
  }

  get lastError(): string | undefined {
    return this.#lastError;
  }

  async #loop(): Promise<void> {
    while (this.#running) {
      let job: Job | undefined;
      // One lease owner per claim, not per process: when an item's lease runs out under load and another loop of
      // this process reclaims it, the first loop can no longer extend, complete or release it.
      const claimOwner = `${this.owner}:${randomUUID().slice(0, 8)}`;
      try {
        job = await this.#options.store.claimJob(claimOwner, this.#options.leaseInMs, this.#now());
      } catch (error) {
        // The store went away: keep trying; nothing is lost, the items wait in the store.
        this.#lastError = (error as Error).message;
        await this.#sleep(Math.max(this.#options.pollIntervalInMs, 500));
        continue;
      }
      if (job === undefined) {
        await this.#sleep(this.#options.pollIntervalInMs);
        continue;
      }
      await this.#run(job, claimOwner);
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const signal = this.#stop.signal;
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener("abort", done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener("abort", done, { once: true });
    });
  }

  async #run(job: Job, claimOwner: string): Promise<void> {
    const { store, leaseInMs } = this.#options;
    const incidentKey = `incident:${job.incidentId}`;
    // One holder per run, not per process: two loops of this process (one reclaiming an item whose lease ran out
    // while the other still works on it) must not both hold the incident.
    const holder = `${claimOwner}:${job.id}:${job.attempts}`;
    if (!(await store.acquireLease(incidentKey, holder, leaseInMs, this.#now()).catch(() => false))) {
      // Another worker is on this incident: try again shortly (this attempt does not count as a failure).
      await store.releaseJob(job.id, claimOwner, this.#now() + this.#options.pollIntervalInMs, undefined, false).catch(() => undefined);
      return;
    }
    const lost = new AbortController();
    const onStop = () => lost.abort();
    this.#stop.signal.addEventListener("abort", onStop, { once: true });
    const heartbeat = setInterval(() => {
      void (async () => {
        try {
          const now = this.#now();
          const kept = (await store.extendLease(job.id, claimOwner, leaseInMs, now)) && (await store.acquireLease(incidentKey, holder, leaseInMs, now));
          if (!kept) lost.abort(); // another worker may already have taken over: stop after the step in flight
        } catch {
          // The store is unreachable: keep working; the lease check repeats.
        }
      })();
    }, Math.max(100, Math.floor(leaseInMs / 3)));
    try {
      const context = { store, engine: this.#options.engine, metrics: this.#options.metrics, now: this.#now, abortSignal: lost.signal };
      if (job.kind === "rollback") await rollbackIncident(context, job.incidentId);
      else await processIncident(context, job.incidentId);
      await store.completeJob(job.id, claimOwner);
      this.#options.metrics.jobs.inc({ outcome: "done" });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.#lastError = message;
      this.#options.log?.(`incident ${job.incidentId} (${job.kind}, attempt ${job.attempts}): ${message}`);
      const dead = job.attempts >= this.#options.maxAttempts;
      const backoff = Math.min(60_000, 500 * 2 ** (job.attempts - 1));
      this.#options.metrics.jobs.inc({ outcome: dead ? "dead" : "retried" });
      try {
        if (dead) {
          await store.updateIncident(job.incidentId, { state: "failed", error: { code: (error as { code?: string }).code ?? "KW_RESPONDER_E0004", message } }, this.#now());
        }
        await store.releaseJob(job.id, claimOwner, this.#now() + backoff, message, dead);
      } catch {
        // The store is gone: the lease runs out and the item is claimed again.
      }
    } finally {
      clearInterval(heartbeat);
      this.#stop.signal.removeEventListener("abort", onStop);
      await store.releaseLease(incidentKey, holder).catch(() => undefined);
    }
  }
}
