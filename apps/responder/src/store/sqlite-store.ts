import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";

import type { JournalEntry, NewJournalEntry } from "@keywarden/core";
import Database from "better-sqlite3";

import { ResponderError, ResponderErrorCode } from "../errors/responder-error.js";
import { latestSchemaVersion, migrations } from "./migrations.js";
import { effectiveStatus, patchColumns, summaryColumns, toIncident, toJournalEntry, toStep, toSummary, type IncidentRow, type StepRow } from "./row-mapping.js";
import type {
  IncidentFilter,
  IncidentPatch,
  IncidentRecord,
  IncidentState,
  IncidentSummary,
  Job,
  JobKind,
  NewIncident,
  NewStep,
  QueueStats,
  ResponderStore,
  StepDecisionRecord,
  StepStatus,
} from "./store-types.js";

/** The embedded store: one process, one file, WAL mode (readers never block the writer). */
export class SqliteStore implements ResponderStore {
  readonly kind = "sqlite" as const;
  readonly #db: Database.Database;

  readonly #statements = new Map<string, Database.Statement>();

  constructor(path: string, options: { synchronous?: "NORMAL" | "FULL" } = {}) {
    const synchronous = options.synchronous ?? "NORMAL";
    if (path !== ":memory:") mkdirSync(dirname(resolve(path)), { recursive: true });
    try {
      this.#db = new Database(path);
      this.#db.pragma("journal_mode = WAL");
      // WAL + NORMAL: a commit is durable against a crash or kill -9 of the process (the WAL is in the OS's page cache
      // and replayed on open); only a power loss or OS crash can lose the last commits. FULL adds one fsync per
      // commit, which capped ingest at the disk's fsync rate (the constructor still takes FULL).
      this.#db.pragma(`synchronous = ${synchronous}`);
      this.#db.pragma("busy_timeout = 5000");
      this.#db.pragma("foreign_keys = ON");
    } catch (error) {
      throw new ResponderError(ResponderErrorCode.StoreUnavailable, "store", `Cannot open the SQLite store at ${path}: ${(error as Error).message}. Check the path in KEYWARDEN_RESPONDER_STORE and that the directory is writable.`, { cause: error });
    }
  }

  /** Prepared once per distinct SQL text (constant texts, plus the few hundred combinations of list filters and patched columns at most). */
  #sql(text: string): Database.Statement {
    let statement = this.#statements.get(text);
    if (statement === undefined) {
      statement = this.#db.prepare(text);
      this.#statements.set(text, statement);
    }
    return statement;
  }

  migrate(): Promise<number> {
    const db = this.#db;
    db.exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)");
    const current = (this.#sql("SELECT MAX(version) AS v FROM schema_migrations").get() as { v: number | null }).v ?? 0;
    if (current > latestSchemaVersion) {
      throw new ResponderError(ResponderErrorCode.StoreTooNew, "store", `The store's schema is version ${current}, newer than this responder's ${latestSchemaVersion}: run the newer responder.`);
    }
    for (const migration of migrations) {
      if (migration.version <= current) continue;
      db.transaction(() => {
        db.exec(migration.sqlite);
        this.#sql("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)").run(migration.version, migration.name, new Date().toISOString());
      }).immediate();
    }
    return Promise.resolve(latestSchemaVersion);
  }

  ping(): Promise<void> {
    this.#sql("SELECT 1").get();
    return Promise.resolve();
  }

  close(): Promise<void> {
    if (this.#db.open) this.#db.close();
    return Promise.resolve();
  }

  ingest(incident: NewIncident, replay?: { key: string; expiresAt: number }): Promise<{ incidentId: string; created: boolean; replayed?: boolean }> {
    const db = this.#db;
    return Promise.resolve(
      db
        .transaction(() => {
          if (replay !== undefined && !this.#remember(replay.key, replay.expiresAt, incident.receivedAt)) return { incidentId: "", created: false, replayed: true };
          const existing = this.#sql("SELECT id FROM incidents WHERE system_alert_id = ?").get(incident.systemAlertId) as { id: string } | undefined;
          if (existing !== undefined) return { incidentId: existing.id, created: false };
          this.#sql(
            `INSERT INTO incidents (id, alert_id, system_alert_id, vault_resource_id, vault_name, kind, severity, display_name, state, received_at, updated_at, pushed_alert)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'received', ?, ?, ?)`,
          ).run(
            incident.id,
            incident.alertId,
            incident.systemAlertId,
            incident.vaultResourceId,
            incident.vaultName,
            incident.kind,
            incident.severity,
            incident.displayName,
            incident.receivedAt,
            incident.receivedAt,
            JSON.stringify(incident.pushedAlert),
          );
          this.#sql("INSERT INTO jobs (incident_id, kind, state, available_at, created_at) VALUES (?, 'process', 'ready', ?, ?)").run(incident.id, incident.receivedAt, incident.receivedAt);
          return { incidentId: incident.id, created: true };
        })
        .immediate(),
    );
  }

  getIncident(id: string): Promise<IncidentRecord | undefined> {
    const row = this.#sql("SELECT * FROM incidents WHERE id = ?").get(id) as IncidentRow | undefined;
    if (row === undefined) return Promise.resolve(undefined);
    const steps = this.#sql("SELECT * FROM steps WHERE incident_id = ? ORDER BY position").all(id) as StepRow[];
    return Promise.resolve(toIncident(row, steps));
  }

  listIncidents(filter: IncidentFilter = {}): Promise<IncidentSummary[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.state !== undefined) {
      where.push("i.state = ?");
      params.push(filter.state);
    }
    if (filter.vault !== undefined) {
      where.push("(lower(i.vault_name) = lower(?) OR lower(i.vault_resource_id) = lower(?))");
      params.push(filter.vault, filter.vault);
    }
    if (filter.text !== undefined && filter.text !== "") {
      // instr, not LIKE: the text is a literal, its % and _ mean nothing.
      where.push("(instr(lower(i.display_name), lower(?)) > 0 OR instr(lower(i.kind), lower(?)) > 0 OR instr(lower(i.vault_name), lower(?)) > 0 OR instr(lower(i.alert_id), lower(?)) > 0)");
      params.push(filter.text, filter.text, filter.text, filter.text);
    }
    params.push(Math.min(Math.max(filter.limit ?? 100, 1), 1000));
    const rows = this.#db
      .prepare(
        `SELECT ${summaryColumns}, (SELECT COUNT(*) FROM steps s WHERE s.incident_id = i.id AND s.status = 'pending-approval') AS pending_approvals
         FROM incidents i ${where.length === 0 ? "" : `WHERE ${where.join(" AND ")}`} ORDER BY i.received_at DESC, i.id LIMIT ?`,
      )
      .all(...params) as IncidentRow[];
    return Promise.resolve(rows.map(toSummary));
  }

  updateIncident(id: string, patch: IncidentPatch, now: number): Promise<void> {
    const sets = ["updated_at = ?"];
    const params: unknown[] = [now];
    for (const [key, column] of patchColumns) {
      if (!Object.hasOwn(patch, key)) continue;
      const value = patch[key];
      sets.push(`${column} = ?`);
      params.push(key === "state" ? value : value === null || value === undefined ? null : JSON.stringify(value));
    }
    params.push(id);
    this.#sql(`UPDATE incidents SET ${sets.join(", ")} WHERE id = ?`).run(...params);
    return Promise.resolve();
  }

  countIncidentsByState(): Promise<Map<IncidentState, number>> {
    const rows = this.#sql("SELECT state, COUNT(*) AS n FROM incidents GROUP BY state").all() as Array<{ state: IncidentState; n: number }>;
    return Promise.resolve(new Map(rows.map((row) => [row.state, Number(row.n)])));
  }

  countPendingApprovals(): Promise<number> {
    return Promise.resolve(Number((this.#sql("SELECT COUNT(*) AS n FROM steps WHERE status = 'pending-approval'").get() as { n: number }).n));
  }

  putSteps(incidentId: string, steps: readonly NewStep[]): Promise<void> {
    const insert = this.#sql(
      `INSERT INTO steps (incident_id, step_id, position, kind, status, requires_approval, risk, principal_object_id, principal_upn)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (incident_id, step_id) DO NOTHING`,
    );
    this.#db.transaction(() => {
      for (const step of steps) {
        insert.run(incidentId, step.id, step.position, step.kind, step.status, step.requiresApproval ? 1 : 0, step.risk, step.principalObjectId ?? null, step.principalUpn ?? null);
      }
    }).immediate();
    return Promise.resolve();
  }

  setStepStatuses(incidentId: string, statuses: ReadonlyArray<{ stepId: string; status: StepStatus }>): Promise<void> {
    const db = this.#db;
    const read = this.#sql("SELECT * FROM steps WHERE incident_id = ? AND step_id = ?");
    const write = this.#sql("UPDATE steps SET status = ? WHERE incident_id = ? AND step_id = ?");
    db.transaction(() => {
      for (const { stepId, status } of statuses) {
        const row = read.get(incidentId, stepId) as StepRow | undefined;
        if (row === undefined) continue;
        write.run(effectiveStatus(status, toStep(row).decision), incidentId, stepId);
      }
    }).immediate();
    return Promise.resolve();
  }

  decideStep(incidentId: string, stepId: string, decision: StepDecisionRecord): Promise<"decided" | "not-pending" | "not-found"> {
    const db = this.#db;
    return Promise.resolve(
      db
        .transaction(() => {
          const changed = db
            .prepare(
              `UPDATE steps SET status = ?, decided_approved = ?, decided_by = ?, decided_reason = ?, decided_at = ?
               WHERE incident_id = ? AND step_id = ? AND status = 'pending-approval' AND decided_at IS NULL`,
            )
            .run(decision.approved ? "planned" : "rejected", decision.approved ? 1 : 0, decision.by, decision.reason, decision.at, incidentId, stepId).changes;
          if (changed === 0) {
            const exists = this.#sql("SELECT 1 FROM steps WHERE incident_id = ? AND step_id = ?").get(incidentId, stepId);
            return exists === undefined ? "not-found" : "not-pending";
          }
          this.#enqueue(incidentId, "process", decision.at);
          return "decided";
        })
        .immediate(),
    );
  }

  appendJournal(incidentId: string, entry: NewJournalEntry): Promise<JournalEntry> {
    const db = this.#db;
    return Promise.resolve(
      db
        .transaction(() => {
          const seq = ((this.#sql("SELECT MAX(seq) AS s FROM journal WHERE incident_id = ?").get(incidentId) as { s: number | null }).s ?? 0) + 1;
          const stored: JournalEntry = { ...structuredClone(entry), seq };
          this.#sql("INSERT INTO journal (incident_id, seq, entry) VALUES (?, ?, ?)").run(incidentId, seq, JSON.stringify(entry));
          return stored;
        })
        .immediate(),
    );
  }

  journal(incidentId: string): Promise<JournalEntry[]> {
    const rows = this.#sql("SELECT seq, entry FROM journal WHERE incident_id = ? ORDER BY seq").all(incidentId) as Array<{ seq: number; entry: string }>;
    return Promise.resolve(rows.map((row) => toJournalEntry(row.seq, row.entry)));
  }

  #enqueue(incidentId: string, kind: JobKind, availableAt: number): void {
    const waiting = this.#sql("SELECT 1 FROM jobs WHERE incident_id = ? AND kind = ? AND state = 'ready'").get(incidentId, kind);
    if (waiting !== undefined) return;
    this.#sql("INSERT INTO jobs (incident_id, kind, state, available_at, created_at) VALUES (?, ?, 'ready', ?, ?)").run(incidentId, kind, availableAt, availableAt);
  }

  enqueue(incidentId: string, kind: JobKind, availableAt: number): Promise<void> {
    this.#db.transaction(() => this.#enqueue(incidentId, kind, availableAt)).immediate();
    return Promise.resolve();
  }

  claimJob(owner: string, leaseInMs: number, now: number): Promise<Job | undefined> {
    const db = this.#db;
    return Promise.resolve(
      db
        .transaction(() => {
          // A leased item whose lease expired is claimable again: its worker died or lost the store.
          const row = db
            .prepare(
              `SELECT id, incident_id, kind, attempts, created_at FROM jobs j
               WHERE ((j.state = 'ready' AND j.available_at <= ?) OR (j.state = 'leased' AND j.lease_expires_at < ?))
                 AND NOT EXISTS (SELECT 1 FROM jobs o WHERE o.incident_id = j.incident_id AND o.id <> j.id AND o.state = 'leased' AND o.lease_expires_at >= ?)
               ORDER BY j.available_at, j.id LIMIT 1`,
            )
            .get(now, now, now) as { id: number; incident_id: string; kind: JobKind; attempts: number; created_at: number } | undefined;
          if (row === undefined) return undefined;
          this.#sql("UPDATE jobs SET state = 'leased', lease_owner = ?, lease_expires_at = ?, attempts = attempts + 1 WHERE id = ?").run(owner, now + leaseInMs, row.id);
          return { id: row.id, incidentId: row.incident_id, kind: row.kind, attempts: row.attempts + 1, createdAt: Number(row.created_at) };
        })
        .immediate(),
    );
  }

  extendLease(jobId: number, owner: string, leaseInMs: number, now: number): Promise<boolean> {
    const changes = this.#sql("UPDATE jobs SET lease_expires_at = ? WHERE id = ? AND state = 'leased' AND lease_owner = ?").run(now + leaseInMs, jobId, owner).changes;
    return Promise.resolve(changes === 1);
  }

  completeJob(jobId: number, owner: string): Promise<void> {
    this.#sql("UPDATE jobs SET state = 'done', lease_owner = NULL, lease_expires_at = NULL WHERE id = ? AND lease_owner = ?").run(jobId, owner);
    return Promise.resolve();
  }

  releaseJob(jobId: number, owner: string, availableAt: number, error: string | undefined, dead: boolean): Promise<void> {
    this.#db
      .prepare("UPDATE jobs SET state = ?, available_at = ?, last_error = ?, lease_owner = NULL, lease_expires_at = NULL WHERE id = ? AND lease_owner = ?")
      .run(dead ? "dead" : "ready", availableAt, error ?? null, jobId, owner);
    return Promise.resolve();
  }

  queueStats(now: number): Promise<QueueStats> {
    const row = this.#sql("SELECT COUNT(*) AS n, MIN(created_at) AS oldest FROM jobs WHERE state IN ('ready', 'leased')").get() as { n: number; oldest: number | null };
    return Promise.resolve({ depth: Number(row.n), oldestAgeMs: row.oldest === null ? 0 : Math.max(0, now - Number(row.oldest)) });
  }

  acquireLease(key: string, owner: string, ttlInMs: number, now: number): Promise<boolean> {
    const row = this.#db
      .prepare(
        `INSERT INTO leases (key, owner, expires_at) VALUES (?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
         WHERE leases.owner = excluded.owner OR leases.expires_at < ?
         RETURNING owner`,
      )
      .get(key, owner, now + ttlInMs, now) as { owner: string } | undefined;
    return Promise.resolve(row?.owner === owner);
  }

  releaseLease(key: string, owner: string): Promise<void> {
    this.#sql("DELETE FROM leases WHERE key = ? AND owner = ?").run(key, owner);
    return Promise.resolve();
  }

  #remember(key: string, expiresAt: number, now: number): boolean {
    this.#sql("DELETE FROM deliveries WHERE expires_at < ?").run(now);
    return this.#sql("INSERT INTO deliveries (key, expires_at) VALUES (?, ?) ON CONFLICT (key) DO NOTHING").run(key, expiresAt).changes === 1;
  }

  rememberDelivery(key: string, expiresAt: number, now: number): Promise<boolean> {
    return Promise.resolve(this.#db.transaction(() => this.#remember(key, expiresAt, now)).immediate());
  }
}
