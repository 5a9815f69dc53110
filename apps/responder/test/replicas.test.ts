import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { freshPostgresDatabase, postgresAvailable } from "./helpers/databases.js";
import { manyVaultsSeed } from "./helpers/many-vaults.js";
import { startResponderProcess, startSharedTenant, type ResponderProcess } from "./helpers/processes.js";
import { admin, eventually, signedHeaders } from "./helpers/responder.js";

const alertCount = Number(process.env["KEYWARDEN_REPLICAS_ALERTS"] ?? 300);
const vaultCount = 20;
// Kinds the engine lets run without a person (restrict-permissions, like every access removal, always needs one).
const autoKinds = ["update-alert-state", "contact-owner", "enable-firewall"];

describe.skipIf(!postgresAvailable())("replicas: three responder processes on one PostgreSQL", () => {
  let shared: Awaited<ReturnType<typeof startSharedTenant>>;
  let database: string;
  const replicas: ResponderProcess[] = [];

  beforeAll(async () => {
    shared = await startSharedTenant(manyVaultsSeed(vaultCount, alertCount));
    database = await freshPostgresDatabase();
    const env = {
      KEYWARDEN_RESPONDER_STORE: database,
      KEYWARDEN_RESPONDER_SANDBOX_TENANT_URL: shared.url,
      KEYWARDEN_RESPONDER_AUTO_APPROVE: autoKinds.join(","),
      KEYWARDEN_RESPONDER_WORKER_CONCURRENCY: "2",
    };
    // Started one after the other: migrations run once under the advisory lock either way.
    for (let i = 0; i < 3; i += 1) replicas.push(await startResponderProcess(env));
  }, 180_000);
  afterAll(async () => {
    for (const replica of replicas) await replica.kill();
    await shared?.close();
  });

  it(`${alertCount} alerts for ${vaultCount} vaults, with duplicates, one replica killed mid-run: one incident each, auto steps once, one writer per vault`, async () => {
    const alerts = [...shared.tenant.state.alerts.values()];
    // Every alert once, a fifth of them twice more (workflow automation retries), shuffled deterministically.
    const deliveries = [...alerts, ...alerts.filter((_, i) => i % 5 === 0), ...alerts.filter((_, i) => i % 5 === 0)];
    deliveries.sort((a, b) => ((a.name.charCodeAt(a.name.length - 1) * 7919) % 13) - ((b.name.charCodeAt(b.name.length - 1) * 7919) % 13));
    const alive = new Set([0, 1, 2]);
    let next = 0;
    let sent = 0;
    const incidentOf = new Map<string, Set<string>>();
    // Each delivery is its own signed request (a retry of workflow automation is signed anew): an identical
    // timestamp and signature would be a replay, which the responder refuses (409).
    const copies = new Map<string, number>();
    const post = async (alert: (typeof alerts)[number], attempt: number, copy = 0): Promise<void> => {
      if (attempt === 0) {
        copy = copies.get(alert.name) ?? 0;
        copies.set(alert.name, copy + 1);
      }
      const candidates = [...alive];
      const replica = replicas[candidates[(next++ + attempt) % candidates.length]!]!;
      const body = JSON.stringify(alert);
      const timestamp = Math.floor(Date.now() / 1000) - copy * 10 - attempt;
      try {
        const response = await fetch(`${replica.url}/alerts`, { method: "POST", headers: signedHeaders(body, timestamp), body });
        expect(response.status).toBe(202);
        const { incidentId } = (await response.json()) as { incidentId: string };
        const ids = incidentOf.get(alert.name) ?? new Set<string>();
        ids.add(incidentId);
        incidentOf.set(alert.name, ids);
      } catch (error) {
        if (attempt > 5) throw error;
        await post(alert, attempt + 1, copy); // the replica is gone: the load balancer sends it elsewhere
      }
    };
    const queue = [...deliveries];
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let alert = queue.shift(); alert !== undefined; alert = queue.shift()) {
          await post(alert, 0);
          sent += 1;
          if (sent === Math.floor(deliveries.length / 3)) {
            alive.delete(1);
            await replicas[1]!.kill("SIGKILL");
          }
        }
      }),
    );
    expect(incidentOf.size).toBe(alertCount);
    for (const [name, ids] of incidentOf) expect(ids.size, name).toBe(1);

    const survivor = replicas[0]!;
    const settled = await eventually(
      async () => {
        const list = ((await (await fetch(`${survivor.url}/incidents?limit=1000`, { headers: admin })).json()) as { incidents: Array<{ id: string; state: string }> }).incidents;
        return list.length === alertCount && list.every((incident) => incident.state === "awaiting-approval" || incident.state === "resolved" || incident.state === "failed") ? list : undefined;
      },
      600_000,
      "every incident processed",
    );
    expect(settled.filter((incident) => incident.state === "failed")).toEqual([]);

    const client = new pg.Client({ connectionString: database });
    await client.connect();
    try {
      const incidents = (await client.query<{ n: string; d: string }>("SELECT COUNT(*) AS n, COUNT(DISTINCT system_alert_id) AS d FROM incidents")).rows[0]!;
      expect([Number(incidents.n), Number(incidents.d)]).toEqual([alertCount, alertCount]);
      const steps = (await client.query<{ incident_id: string; step_id: string; kind: string; status: string; position: number }>("SELECT incident_id, step_id, kind, status, position FROM steps")).rows;
      // The closing alert-state step (Resolved) waits, by design, for the steps people must decide.
      for (const step of steps.filter((s) => autoKinds.includes(s.kind) && !(s.kind === "update-alert-state" && s.position > 0))) {
        expect(["applied", "skipped"], `${step.incident_id} ${step.step_id}`).toContain(step.status);
      }
      const entries = (await client.query<{ incident_id: string; entry: string }>("SELECT incident_id, entry FROM journal")).rows.map((row) => ({ incident: row.incident_id, ...(JSON.parse(row.entry) as { stepId: string; kind: string; event: string; data?: { target?: { vault?: { name?: string } } } }) }));
      const succeeded = new Map<string, number>();
      for (const entry of entries.filter((e) => e.event === "succeeded")) succeeded.set(`${entry.incident}/${entry.stepId}`, (succeeded.get(`${entry.incident}/${entry.stepId}`) ?? 0) + 1);
      expect([...succeeded.values()].every((count) => count === 1)).toBe(true);
      // Per vault the firewall was closed by exactly one incident; the other incidents found it closed.
      const firewallWrites = new Map<string, number>();
      for (const entry of entries.filter((e) => e.event === "succeeded" && e.kind === "enable-firewall")) {
        const vault = entry.data?.target?.vault?.name ?? "?";
        firewallWrites.set(vault, (firewallWrites.get(vault) ?? 0) + 1);
      }
      expect(firewallWrites.size).toBe(vaultCount);
      expect([...firewallWrites.values()].every((count) => count === 1)).toBe(true);
    } finally {
      await client.end();
    }
    // The tenant side: never two writes to one vault's properties at once; each alert moved to In progress once.
    const concurrency = shared.maxConcurrentVaultWrites();
    expect(concurrency.size).toBe(vaultCount);
    expect(Math.max(...concurrency.values())).toBe(1);
    const inProgress = shared.tenant.calls.filter({ method: "POST", url: /\/inProgress/i });
    expect(new Set(inProgress.map((call) => call.url)).size).toBe(inProgress.length);
    for (const vault of shared.tenant.state.vaults.values()) {
      if (vault.resource.name?.startsWith("kv-rep-")) expect(vault.resource.properties.networkAcls?.defaultAction, vault.resource.name).toBe("Deny");
    }
  }, 900_000);
});
