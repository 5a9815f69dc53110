import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { openStore } from "../src/store/open-store.js";
import type { NewIncident, NewStep, ResponderStore } from "../src/store/store-types.js";
import { freshPostgresDatabase, postgresAvailable } from "./helpers/databases.js";

function incident(n: number, overrides: Partial<NewIncident> = {}): NewIncident {
  return {
    id: `inc-${n}`,
    alertId: `/subscriptions/s/providers/Microsoft.Security/locations/westeurope/alerts/a${n}`,
    systemAlertId: `a${n}`,
    vaultResourceId: `/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv-${n % 3}`,
    vaultName: `kv-${n % 3}`,
    kind: "KV_TORAccess",
    severity: "Medium",
    displayName: `Alert ${n}`,
    pushedAlert: { n },
    receivedAt: 1_000 + n,
    ...overrides,
  };
}

const steps: NewStep[] = [
  { id: "s01-update-alert-state", kind: "update-alert-state", status: "planned", requiresApproval: false, risk: "safe", position: 0 },
  { id: "s02-enable-firewall", kind: "enable-firewall", status: "pending-approval", requiresApproval: true, risk: "sensitive", position: 1 },
  { id: "s03-revoke-sessions", kind: "revoke-sessions", status: "pending-approval", requiresApproval: true, risk: "sensitive", position: 2, principalObjectId: "p1", principalUpn: "p@x" },
];

/** One contract, every store: the SQLite and the PostgreSQL implementation must behave the same. */
function describeStoreContract(name: string, open: () => Promise<{ store: ResponderStore; reopen: () => Promise<ResponderStore>; cleanup: () => void }>, skip: string | false) {
  describe.skipIf(skip !== false)(`store contract: ${name}`, () => {
    let store: ResponderStore;
    let reopen: () => Promise<ResponderStore>;
    let cleanup: () => void;
    beforeEach(async () => {
      ({ store, reopen, cleanup } = await open());
    });
    afterEach(async () => {
      await store.close();
      cleanup();
    });

    it("migrates once; migrating again changes nothing", async () => {
      expect(await store.migrate()).toBe(1);
      expect(await store.migrate()).toBe(1);
      await store.ingest(incident(1));
      await store.close();
      store = await reopen();
      expect((await store.getIncident("inc-1"))?.systemAlertId).toBe("a1");
    });

    it("ingests an alert once: the same system alert id is the same incident and one queue item", async () => {
      expect(await store.ingest(incident(1))).toEqual({ incidentId: "inc-1", created: true });
      expect(await store.ingest(incident(1, { id: "inc-other" }))).toEqual({ incidentId: "inc-1", created: false });
      expect(await store.getIncident("inc-other")).toBeUndefined();
      expect((await store.queueStats(2_000)).depth).toBe(1);
      const record = await store.getIncident("inc-1");
      expect(record).toMatchObject({ id: "inc-1", state: "received", pushedAlert: { n: 1 }, steps: [] });
    });

    it("keeps one incident when the same alert arrives concurrently", async () => {
      const results = await Promise.all(Array.from({ length: 12 }, (_, i) => store.ingest(incident(7, { id: `race-${i}` }))));
      expect(new Set(results.map((r) => r.incidentId)).size).toBe(1);
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect((await store.queueStats(2_000)).depth).toBe(1);
    });

    it("lists newest first with state, vault and literal text filters", async () => {
      for (const n of [1, 2, 3, 4]) await store.ingest(incident(n));
      await store.ingest(incident(5, { displayName: "100% of reads_x" }));
      await store.updateIncident("inc-2", { state: "resolved" }, 5_000);
      expect((await store.listIncidents()).map((i) => i.id)).toEqual(["inc-5", "inc-4", "inc-3", "inc-2", "inc-1"]);
      expect((await store.listIncidents({ state: "resolved" })).map((i) => i.id)).toEqual(["inc-2"]);
      expect((await store.listIncidents({ vault: "KV-1" })).map((i) => i.id)).toEqual(["inc-4", "inc-1"]);
      expect((await store.listIncidents({ text: "100%" })).map((i) => i.id)).toEqual(["inc-5"]);
      expect((await store.listIncidents({ text: "%" })).map((i) => i.id)).toEqual(["inc-5"]);
      expect((await store.listIncidents({ text: "s_x" })).map((i) => i.id)).toEqual(["inc-5"]);
      expect(await store.listIncidents({ limit: 2 })).toHaveLength(2);
    });

    it("patches an incident and counts incidents by state", async () => {
      await store.ingest(incident(1));
      await store.ingest(incident(2));
      await store.updateIncident("inc-1", { state: "failed", error: { code: "X", message: "m" }, plan: { id: "p" }, differences: [{ field: "status", pushed: "Active", defender: "InProgress" }] }, 9_000);
      const record = await store.getIncident("inc-1");
      expect(record).toMatchObject({ state: "failed", error: { code: "X" }, plan: { id: "p" }, updatedAt: 9_000 });
      expect(record?.differences).toEqual([{ field: "status", pushed: "Active", defender: "InProgress" }]);
      await store.updateIncident("inc-1", { error: null, state: "resolved" }, 9_001);
      expect((await store.getIncident("inc-1"))?.error).toBeUndefined();
      expect(Object.fromEntries(await store.countIncidentsByState())).toEqual({ resolved: 1, received: 1 });
    });

    it("decides a pending step once (compare-and-set) and queues the incident", async () => {
      await store.ingest(incident(1));
      const first = await store.claimJob("w", 1_000, 2_000);
      await store.completeJob(first!.id, "w");
      await store.putSteps("inc-1", steps);
      expect(await store.decideStep("inc-1", "s01-update-alert-state", { approved: true, by: "a", reason: "r", at: 3_000 })).toBe("not-pending");
      expect(await store.decideStep("inc-1", "nope", { approved: true, by: "a", reason: "r", at: 3_000 })).toBe("not-found");
      const decisions = await Promise.all(
        Array.from({ length: 8 }, (_, i) => store.decideStep("inc-1", "s02-enable-firewall", { approved: i % 2 === 0, by: `u${i}`, reason: "r", at: 3_000 + i })),
      );
      expect(decisions.filter((d) => d === "decided")).toHaveLength(1);
      const decided = (await store.getIncident("inc-1"))!.steps.find((s) => s.id === "s02-enable-firewall")!;
      expect(decided.status).toBe(decided.decision!.approved ? "planned" : "rejected");
      expect((await store.queueStats(4_000)).depth).toBe(1);
      // The worker reporting "still waiting" (it ran before the decision) never undoes the decision.
      await store.setStepStatuses("inc-1", [{ stepId: "s02-enable-firewall", status: "pending-approval" }, { stepId: "s01-update-alert-state", status: "applied" }]);
      const after = (await store.getIncident("inc-1"))!.steps;
      expect(after.map((s) => s.status)).toEqual(["applied", decided.decision!.approved ? "planned" : "rejected", "pending-approval"]);
      expect(after[2]).toMatchObject({ principalObjectId: "p1", principalUpn: "p@x", requiresApproval: true });
      // Recording the plan again keeps statuses and decisions.
      await store.putSteps("inc-1", steps);
      expect((await store.getIncident("inc-1"))!.steps.map((s) => s.status)).toEqual(after.map((s) => s.status));
    });

    it("journals with consecutive sequence numbers, also under concurrent appends", async () => {
      await store.ingest(incident(1));
      await store.ingest(incident(2));
      const entry = (i: number) => ({ time: "2026-01-01T00:00:00Z", planId: "p", stepId: `s${i}`, kind: "k", event: "started" as const, code: "C", message: `m${i}` });
      const appended = await Promise.all(Array.from({ length: 10 }, (_, i) => store.appendJournal("inc-1", entry(i))));
      expect(appended.map((e) => e.seq).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      await store.appendJournal("inc-2", entry(99));
      const entries = await store.journal("inc-1");
      expect(entries.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect(entries[0]).toMatchObject({ planId: "p", event: "started", code: "C" });
      expect((await store.journal("inc-2")).map((e) => e.seq)).toEqual([1]);
    });

    it("leases queue items: one claimer each, expired leases come back, owners are checked", async () => {
      for (const n of [1, 2]) await store.ingest(incident(n));
      const a = await store.claimJob("w1", 1_000, 2_000);
      const b = await store.claimJob("w2", 1_000, 2_000);
      expect([a?.incidentId, b?.incidentId]).toEqual(["inc-1", "inc-2"]);
      expect(await store.claimJob("w3", 1_000, 2_000)).toBeUndefined();
      expect(await store.extendLease(a!.id, "w3", 1_000, 2_500)).toBe(false);
      expect(await store.extendLease(a!.id, "w1", 1_000, 2_500)).toBe(true);
      // w2 died: its lease runs out at 3000 and the item is claimable again, with the attempt counted.
      const again = await store.claimJob("w3", 1_000, 3_001);
      expect(again).toMatchObject({ id: b!.id, incidentId: "inc-2", attempts: 2 });
      await store.completeJob(b!.id, "w2"); // the dead worker's late completion is ignored
      expect((await store.queueStats(3_100)).depth).toBe(2);
      await store.completeJob(again!.id, "w3");
      await store.releaseJob(a!.id, "w1", 10_000, "boom", false);
      expect(await store.claimJob("w1", 1_000, 9_999)).toBeUndefined();
      const retried = await store.claimJob("w1", 1_000, 10_000);
      expect(retried).toMatchObject({ id: a!.id, attempts: 2 });
      await store.releaseJob(retried!.id, "w1", 10_000, "boom", true);
      expect(await store.claimJob("w1", 1_000, 20_000)).toBeUndefined();
      expect(await store.queueStats(20_000)).toEqual({ depth: 0, oldestAgeMs: 0 });
    });

    it("owns a lease per claim: a claim whose lease ran out and was taken over cannot extend, complete or release the new claim", async () => {
      // Two loops of one process (same process prefix, one owner per claim, as the worker names them).
      await store.ingest(incident(1));
      const first = await store.claimJob("proc-1:claim-a", 1_000, 2_000);
      expect(first).toMatchObject({ incidentId: "inc-1", attempts: 1 });
      // claim-a stalls past its lease; claim-b of the same process takes the item over.
      const second = await store.claimJob("proc-1:claim-b", 1_000, 3_001);
      expect(second).toMatchObject({ id: first!.id, attempts: 2 });
      // The stale claim can do nothing to the new one.
      expect(await store.extendLease(first!.id, "proc-1:claim-a", 60_000, 3_100)).toBe(false);
      await store.completeJob(first!.id, "proc-1:claim-a");
      expect((await store.queueStats(3_200)).depth).toBe(1);
      await store.releaseJob(first!.id, "proc-1:claim-a", 3_200, "late failure", true);
      // Not released (nor made dead): nobody else can claim it while claim-b's lease runs…
      expect(await store.claimJob("proc-2:claim-c", 1_000, 3_500)).toBeUndefined();
      // …and claim-b still owns it: it extends, and the item comes back only when claim-b's lease runs out.
      expect(await store.extendLease(second!.id, "proc-1:claim-b", 1_000, 3_900)).toBe(true);
      expect(await store.claimJob("proc-2:claim-c", 1_000, 4_500)).toBeUndefined();
      await store.completeJob(second!.id, "proc-1:claim-b");
      expect((await store.queueStats(5_000)).depth).toBe(0);
      expect(await store.claimJob("proc-2:claim-c", 1_000, 10_000)).toBeUndefined();
    });

    it("never hands one queue item to two concurrent claimers", async () => {
      for (let n = 0; n < 20; n += 1) await store.ingest(incident(100 + n));
      const claimed: number[] = [];
      await Promise.all(
        Array.from({ length: 5 }, async (_, w) => {
          for (;;) {
            const job = await store.claimJob(`w${w}`, 60_000, 5_000);
            if (job === undefined) return;
            claimed.push(job.id);
            await store.completeJob(job.id, `w${w}`);
          }
        }),
      );
      expect(claimed).toHaveLength(20);
      expect(new Set(claimed).size).toBe(20);
    });

    it("skips queueing a second waiting item for the same incident", async () => {
      await store.ingest(incident(1));
      await store.enqueue("inc-1", "process", 2_000);
      expect((await store.queueStats(2_000)).depth).toBe(1);
      const job = await store.claimJob("w", 1_000, 2_000);
      await store.enqueue("inc-1", "process", 2_100); // while the first one runs: one more pass is needed
      await store.enqueue("inc-1", "rollback", 2_100);
      expect((await store.queueStats(2_200)).depth).toBe(3);
      await store.completeJob(job!.id, "w");
    });

    it("holds a named lease for one owner until it expires or is released", async () => {
      expect(await store.acquireLease("vault:kv-1", "a", 1_000, 0)).toBe(true);
      expect(await store.acquireLease("vault:kv-1", "b", 1_000, 500)).toBe(false);
      expect(await store.acquireLease("vault:kv-1", "a", 1_000, 900)).toBe(true); // renewal
      expect(await store.acquireLease("vault:kv-1", "b", 1_000, 1_800)).toBe(false);
      expect(await store.acquireLease("vault:kv-1", "b", 1_000, 1_901)).toBe(true); // a's lease ran out
      await store.releaseLease("vault:kv-1", "a"); // not a's any more: nothing happens
      expect(await store.acquireLease("vault:kv-1", "a", 1_000, 2_000)).toBe(false);
      await store.releaseLease("vault:kv-1", "b");
      expect(await store.acquireLease("vault:kv-1", "a", 1_000, 2_000)).toBe(true);
      const racers = await Promise.all(Array.from({ length: 6 }, (_, i) => store.acquireLease("vault:kv-2", `r${i}`, 1_000, 0)));
      expect(racers.filter(Boolean)).toHaveLength(1);
    });

    it("remembers a delivery in the ingest transaction: the same delivery again is a replay and stores nothing", async () => {
      expect(await store.ingest(incident(1), { key: "sig-9", expiresAt: 5_000 })).toEqual({ incidentId: "inc-1", created: true });
      expect(await store.ingest(incident(2), { key: "sig-9", expiresAt: 5_000 })).toMatchObject({ created: false, replayed: true });
      expect(await store.getIncident("inc-2")).toBeUndefined();
      expect(await store.ingest(incident(1, { id: "x" }), { key: "sig-10", expiresAt: 5_000 })).toEqual({ incidentId: "inc-1", created: false });
      expect(await store.rememberDelivery("sig-10", 5_000, 2_000)).toBe(false);
      // Once expired, a key is free again (a stale delivery is refused by its timestamp before it gets here).
      expect(await store.ingest(incident(3, { receivedAt: 6_000 }), { key: "sig-9", expiresAt: 9_000 })).toEqual({ incidentId: "inc-3", created: true });
      expect(await store.ingest(incident(4, { receivedAt: 6_001 }), { key: "sig-9", expiresAt: 9_000 })).toMatchObject({ replayed: true });
    });

    it("remembers deliveries to refuse replays until they expire", async () => {
      expect(await store.rememberDelivery("sig-1", 1_000, 0)).toBe(true);
      expect(await store.rememberDelivery("sig-1", 1_000, 500)).toBe(false);
      expect(await store.rememberDelivery("sig-1", 3_000, 1_001)).toBe(true);
    });
  });
}

describeStoreContract(
  "sqlite",
  () => {
    const dir = mkdtempSync(join(tmpdir(), "kw-store-"));
    const spec = `sqlite:${join(dir, "responder.db")}`;
    return openStore(spec).then((store) => ({ store, reopen: () => openStore(spec), cleanup: () => rmSync(dir, { recursive: true, force: true }) }));
  },
  false,
);

describeStoreContract(
  "postgres",
  async () => {
    const url = await freshPostgresDatabase();
    return { store: await openStore(url), reopen: () => openStore(url), cleanup: () => undefined };
  },
  postgresAvailable() ? false : "no PostgreSQL",
);
