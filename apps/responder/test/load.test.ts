import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { openSandboxEnvironment } from "../src/environment/sandbox-environment.js";
import type { ResponderEnvironment } from "../src/environment/responder-environment.js";
import { manyVaultsSeed } from "./helpers/many-vaults.js";
import { signedHeaders, startTestResponder, type TestResponder } from "./helpers/responder.js";

describe("bounded load on loopback: 1,000 deliveries with duplicates, concurrently, to one process", () => {
  let env: ResponderEnvironment;
  let responder: TestResponder;
  let base: string;
  beforeAll(async () => {
    env = await openSandboxEnvironment({ seed: manyVaultsSeed(20, 700) });
    // Ingest only: processing is not what this measures, and 700 full responses would not be a light test.
    responder = await startTestResponder({ env, worker: false, overrides: { rateLimitPerMinute: 100_000, host: "127.0.0.1", port: 0 } });
    base = await responder.listen();
  });
  afterAll(async () => {
    await responder.cleanup();
    await env.close();
  });

  it("makes exactly one incident per distinct alert and loses none", async () => {
    const alerts = [...env.tenant!.state.alerts.values()];
    // A duplicate is a new delivery (another timestamp, so another signature); one signed twice is a replay.
    const sentAt = Math.floor(Date.now() / 1000);
    const deliveries = [...alerts.map((alert) => ({ alert, timestamp: sentAt })), ...alerts.slice(0, 300).map((alert) => ({ alert, timestamp: sentAt - 1 }))]
      .map((delivery, i) => ({ ...delivery, order: (i * 7919) % 1000 }))
      .sort((a, b) => a.order - b.order);
    expect(deliveries).toHaveLength(1000);
    const incidentOf = new Map<string, Set<string>>();
    const statuses: number[] = [];
    const queue = [...deliveries];
    await Promise.all(
      Array.from({ length: 50 }, async () => {
        for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
          const body = JSON.stringify(next.alert);
          const response = await fetch(`${base}/alerts`, { method: "POST", headers: signedHeaders(body, next.timestamp), body });
          statuses.push(response.status);
          const { incidentId } = (await response.json()) as { incidentId: string };
          const ids = incidentOf.get(next.alert.name) ?? new Set<string>();
          ids.add(incidentId);
          incidentOf.set(next.alert.name, ids);
        }
      }),
    );
    expect(statuses.filter((status) => status !== 202)).toEqual([]);
    expect(incidentOf.size).toBe(700);
    expect([...incidentOf.values()].every((ids) => ids.size === 1)).toBe(true);
    const stored = await responder.store.listIncidents({ limit: 1000 });
    expect(stored).toHaveLength(700);
    expect(new Set(stored.map((incident) => incident.id))).toEqual(new Set([...incidentOf.values()].map((ids) => [...ids][0])));
    expect((await responder.store.queueStats(Date.now())).depth).toBe(700);
  }, 300_000);
});
