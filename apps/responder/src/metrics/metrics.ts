import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

import { incidentStates, type ResponderStore } from "../store/store-types.js";

/** The responder's Prometheus metrics, in a registry of its own (several servers in one test process). */
export class ResponderMetrics {
  readonly registry = new Registry();
  readonly alertsReceived: Counter<"outcome">;
  readonly approvals: Counter<"decision">;
  readonly approvalsRefused: Counter<"reason">;
  readonly steps: Counter<"outcome">;
  readonly applyDuration: Histogram<"result">;
  readonly jobs: Counter<"outcome">;

  constructor(store: ResponderStore, clock: () => number, options: { defaultMetrics?: boolean } = {}) {
    const registers = [this.registry];
    if (options.defaultMetrics === true) collectDefaultMetrics({ register: this.registry });
    this.alertsReceived = new Counter({
      name: "keywarden_responder_alerts_received_total",
      help: "Alert deliveries by outcome (accepted, duplicate, unauthenticated, bad-signature, stale, replayed, bad-token, oversize, invalid, unsupported).",
      labelNames: ["outcome"],
      registers,
    });
    this.approvals = new Counter({ name: "keywarden_responder_approvals_total", help: "Step decisions recorded, by decision.", labelNames: ["decision"], registers });
    this.approvalsRefused = new Counter({
      name: "keywarden_responder_approvals_refused_total",
      help: "Refused approval or rejection attempts (no session, wrong role, CSRF, self-approval, not pending).",
      labelNames: ["reason"],
      registers,
    });
    this.steps = new Counter({ name: "keywarden_responder_steps_total", help: "Plan steps finished by this process, by outcome (applied, failed).", labelNames: ["outcome"], registers });
    this.applyDuration = new Histogram({
      name: "keywarden_responder_apply_duration_seconds",
      help: "Duration of one apply pass over an incident's plan.",
      labelNames: ["result"],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
      registers,
    });
    this.jobs = new Counter({ name: "keywarden_responder_jobs_total", help: "Queue items processed by this process, by outcome.", labelNames: ["outcome"], registers });
    new Gauge({
      name: "keywarden_responder_incidents",
      help: "Incidents in the store by state.",
      labelNames: ["state"],
      registers,
      async collect() {
        const counts = await store.countIncidentsByState();
        for (const state of incidentStates) this.set({ state }, counts.get(state) ?? 0);
      },
    });
    new Gauge({
      name: "keywarden_responder_steps_awaiting_approval",
      help: "Plan steps waiting for a person's decision.",
      registers,
      async collect() {
        this.set(await store.countPendingApprovals());
      },
    });
    new Gauge({
      name: "keywarden_responder_queue_depth",
      help: "Queue items waiting or running.",
      registers,
      async collect() {
        this.set((await store.queueStats(clock())).depth);
      },
    });
    new Gauge({
      name: "keywarden_responder_queue_oldest_age_seconds",
      help: "Age of the oldest queue item waiting or running.",
      registers,
      async collect() {
        this.set((await store.queueStats(clock())).oldestAgeMs / 1000);
      },
    });
  }
}
