import type { JournalEntry, NewJournalEntry } from "@keywarden/core";
import pg from "pg";

import { ResponderError, ResponderErrorCode } from "../errors/responder-error.js";
import { latestSchemaVersion, migrations } from "./migrations.js";
import { patchColumns, summaryColumns, toIncident, toJournalEntry, toSummary, type IncidentRow, type StepRow } from "./row-mapping.js";
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

/** A constant key for the migration advisory lock: replicas starting together migrate one at a time. */
const migrationLockKey = 0x6b77_7264;

export interface PostgresStoreOptions {
  connectionString: string;
  /** Pool size per process. Default 10. */
  max?: number;
}

/**
 * The shared store for several replicas. The queue is claimed with `FOR UPDATE SKIP LOCKED` and a lease; the
 * per-vault lock is a lease row, so a replica that dies loses it after its ttl and another resumes the plan.
 */
export class PostgresStore implements ResponderStore {
  readonly kind = "postgres" as const;
  readonly #pool: pg.Pool;
  /** When this process last purged expired deliveries (at most once a second, inside an ingest statement). */
  #lastPurge = Number.NEGATIVE_INFINITY;

  constructor(options: PostgresStoreOptions) {
    this.#pool = new pg.Pool({ connectionString: options.connectionString, max: options.max ?? 10, connectionTimeoutMillis: 10_000 });
    // An idle client losing its connection must not crash the process: the next query reconnects.
    this.#pool.on("error", () => undefined);
  }

  async #tx<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.#pool.connect();
    try {
      await client.query("BEGIN");
      const result = await work(client);
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async migrate(): Promise<number> {
    try {
      return await this.#tx(async (client) => {
        await client.query("SELECT pg_advisory_xact_lock($1)", [migrationLockKey]);
        await client.query("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)");
        const current = Number((await client.query<{ v: number | null }>("SELECT MAX(version) AS v FROM schema_migrations")).rows[0]?.v ?? 0);
        if (current > latestSchemaVersion) {
          throw new ResponderError(ResponderErrorCode.StoreTooNew, "store", `The store's schema is version ${current}, newer than this responder's ${latestSchemaVersion}: run the newer responder.`);
        }
        for (const migration of migrations) {
          if (migration.version <= current) continue;
          await client.query(migration.postgres);
          await client.query("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)", [migration.version, migration.name, new Date().toISOString()]);
        }
        return latestSchemaVersion;
      });
    } catch (error) {
      if (error instanceof ResponderError) throw error;
      throw new ResponderError(ResponderErrorCode.StoreUnavailable, "store", `Cannot migrate the PostgreSQL store: ${(error as Error).message}. Check KEYWARDEN_RESPONDER_STORE and that the server is reachable.`, { cause: error });
    }
  }

  async ping(): Promise<void> {
    await this.#pool.query("SELECT 1");
  }

  async close(): Promise<void> {
    await this.#pool.end();
  }

  /**
   * One statement, one round trip (it is atomic on its own): remember the delivery (an expired entry of the same
   * key is taken over), insert the incident unless its system alert id is known, queue it, and purge expired
   * deliveries. Only a lost race with a concurrent delivery of the same alert needs a second query: the statement's
   * snapshot predates the winner's commit.
   */
  async ingest(incident: NewIncident, replay?: { key: string; expiresAt: number }): Promise<{ incidentId: string; created: boolean; replayed?: boolean }> {
    const now = incident.receivedAt;
    const purge = replay !== undefined && now - this.#lastPurge >= 1_000;
    if (purge) this.#lastPurge = now;
    const result = await this.#pool.query<{ allowed: boolean; inserted_id: string | null; existing_id: string | null }>({
      name: "kw-ingest",
      text: `WITH remembered AS (
           INSERT INTO deliveries (key, expires_at) SELECT $11::text, $12::bigint WHERE $11::text IS NOT NULL
           ON CONFLICT (key) DO UPDATE SET expires_at = EXCLUDED.expires_at WHERE deliveries.expires_at < $9
           RETURNING 1
         ), allowed AS (
           SELECT ($11::text IS NULL OR EXISTS (SELECT 1 FROM remembered)) AS ok
         ), inserted AS (
           INSERT INTO incidents (id, alert_id, system_alert_id, vault_resource_id, vault_name, kind, severity, display_name, state, received_at, updated_at, pushed_alert)
           SELECT $1, $2, $3, $4, $5, $6, $7, $8, 'received', $9, $9, $10 FROM allowed WHERE allowed.ok
           ON CONFLICT (system_alert_id) DO NOTHING RETURNING id
         ), queued AS (
           INSERT INTO jobs (incident_id, kind, state, available_at, created_at) SELECT id, 'process', 'ready', $9, $9 FROM inserted RETURNING id
         ), purged AS (
           DELETE FROM deliveries WHERE $13::boolean AND expires_at < $9 AND key IS DISTINCT FROM $11::text RETURNING 1
         )
         SELECT (SELECT ok FROM allowed) AS allowed, (SELECT id FROM inserted) AS inserted_id,
                (SELECT id FROM incidents WHERE system_alert_id = $3) AS existing_id,
                (SELECT COUNT(*) FROM queued) + (SELECT COUNT(*) FROM purged) AS touched`,
      values: [
        incident.id,
        incident.alertId,
        incident.systemAlertId,
        incident.vaultResourceId,
        incident.vaultName,
        incident.kind,
        incident.severity,
        incident.displayName,
        now,
        JSON.stringify(incident.pushedAlert),
        replay?.key ?? null,
        replay?.expiresAt ?? null,
        purge,
      ],
    });
    const row = result.rows[0]!;
    if (!row.allowed) return { incidentId: "", created: false, replayed: true };
    if (row.inserted_id !== null) return { incidentId: row.inserted_id, created: true };
    if (row.existing_id !== null) return { incidentId: row.existing_id, created: false };
    // Another delivery of this alert committed while this statement ran: its incident is this one.
    const existing = await this.#pool.query<{ id: string }>("SELECT id FROM incidents WHERE system_alert_id = $1", [incident.systemAlertId]);
    return { incidentId: existing.rows[0]!.id, created: false };
  }

  async getIncident(id: string): Promise<IncidentRecord | undefined> {
    const row = (await this.#pool.query<IncidentRow>("SELECT * FROM incidents WHERE id = $1", [id])).rows[0];
    if (row === undefined) return undefined;
    const steps = (await this.#pool.query<StepRow>("SELECT * FROM steps WHERE incident_id = $1 ORDER BY position", [id])).rows;
    return toIncident(row, steps);
  }

  async listIncidents(filter: IncidentFilter = {}): Promise<IncidentSummary[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    if (filter.state !== undefined) where.push(`i.state = ${param(filter.state)}`);
    if (filter.vault !== undefined) {
      const vault = param(filter.vault);
      where.push(`(lower(i.vault_name) = lower(${vault}) OR lower(i.vault_resource_id) = lower(${vault}))`);
    }
    if (filter.text !== undefined && filter.text !== "") {
      // strpos, not LIKE: the text is a literal, its % and _ mean nothing.
      const text = param(filter.text);
      where.push(`(strpos(lower(i.display_name), lower(${text})) > 0 OR strpos(lower(i.kind), lower(${text})) > 0 OR strpos(lower(i.vault_name), lower(${text})) > 0 OR strpos(lower(i.alert_id), lower(${text})) > 0)`);
    }
    const limit = param(Math.min(Math.max(filter.limit ?? 100, 1), 1000));
    const rows = (
      await this.#pool.query<IncidentRow>(
        `SELECT ${summaryColumns}, (SELECT COUNT(*) FROM steps s WHERE s.incident_id = i.id AND s.status = 'pending-approval') AS pending_approvals
         FROM incidents i ${where.length === 0 ? "" : `WHERE ${where.join(" AND ")}`} ORDER BY i.received_at DESC, i.id LIMIT ${limit}`,
        params,
      )
    ).rows;
    return rows.map(toSummary);
  }

  async updateIncident(id: string, patch: IncidentPatch, now: number): Promise<void> {
    const params: unknown[] = [now];
    const sets = ["updated_at = $1"];
    for (const [key, column] of patchColumns) {
      if (!Object.hasOwn(patch, key)) continue;
      const value = patch[key];
      params.push(key === "state" ? value : value === null || value === undefined ? null : JSON.stringify(value));
      sets.push(`${column} = $${params.length}`);
    }
    params.push(id);
    await this.#pool.query(`UPDATE incidents SET ${sets.join(", ")} WHERE id = $${params.length}`, params);
  }

  async countIncidentsByState(): Promise<Map<IncidentState, number>> {
    const rows = (await this.#pool.query<{ state: IncidentState; n: string }>("SELECT state, COUNT(*) AS n FROM incidents GROUP BY state")).rows;
    return new Map(rows.map((row) => [row.state, Number(row.n)]));
  }

  async countPendingApprovals(): Promise<number> {
    return Number((await this.#pool.query<{ n: string }>("SELECT COUNT(*) AS n FROM steps WHERE status = 'pending-approval'")).rows[0]?.n ?? 0);
  }

  async putSteps(incidentId: string, steps: readonly NewStep[]): Promise<void> {
    await this.#tx(async (client) => {
      for (const step of steps) {
        await client.query(
          `INSERT INTO steps (incident_id, step_id, position, kind, status, requires_approval, risk, principal_object_id, principal_upn)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (incident_id, step_id) DO NOTHING`,
          [incidentId, step.id, step.position, step.kind, step.status, step.requiresApproval ? 1 : 0, step.risk, step.principalObjectId ?? null, step.principalUpn ?? null],
        );
      }
    });
  }

  async setStepStatuses(incidentId: string, statuses: ReadonlyArray<{ stepId: string; status: StepStatus }>): Promise<void> {
    await this.#tx(async (client) => {
      for (const { stepId, status } of statuses) {
        // A decided step never goes back to pending-approval (same rule as effectiveStatus).
        await client.query(
          `UPDATE steps SET status = CASE WHEN $1 = 'pending-approval' AND decided_at IS NOT NULL
                                          THEN CASE WHEN decided_approved = 1 THEN 'planned' ELSE 'rejected' END
                                          ELSE $1 END
           WHERE incident_id = $2 AND step_id = $3`,
          [status, incidentId, stepId],
        );
      }
    });
  }

  decideStep(incidentId: string, stepId: string, decision: StepDecisionRecord): Promise<"decided" | "not-pending" | "not-found"> {
    return this.#tx(async (client) => {
      const changed = await client.query(
        `UPDATE steps SET status = $1, decided_approved = $2, decided_by = $3, decided_reason = $4, decided_at = $5
         WHERE incident_id = $6 AND step_id = $7 AND status = 'pending-approval' AND decided_at IS NULL`,
        [decision.approved ? "planned" : "rejected", decision.approved ? 1 : 0, decision.by, decision.reason, decision.at, incidentId, stepId],
      );
      if (changed.rowCount === 0) {
        const exists = await client.query("SELECT 1 FROM steps WHERE incident_id = $1 AND step_id = $2", [incidentId, stepId]);
        return exists.rowCount === 0 ? "not-found" : "not-pending";
      }
      await this.#enqueue(client, incidentId, "process", decision.at);
      return "decided";
    });
  }

  appendJournal(incidentId: string, entry: NewJournalEntry): Promise<JournalEntry> {
    return this.#tx(async (client) => {
      // The incident row lock serialises appenders of one incident; (incident_id, seq) is the primary key anyway.
      await client.query("SELECT 1 FROM incidents WHERE id = $1 FOR UPDATE", [incidentId]);
      const seq = Number((await client.query<{ s: string | null }>("SELECT MAX(seq) AS s FROM journal WHERE incident_id = $1", [incidentId])).rows[0]?.s ?? 0) + 1;
      await client.query("INSERT INTO journal (incident_id, seq, entry) VALUES ($1, $2, $3)", [incidentId, seq, JSON.stringify(entry)]);
      return { ...structuredClone(entry), seq };
    });
  }

  async journal(incidentId: string): Promise<JournalEntry[]> {
    const rows = (await this.#pool.query<{ seq: number; entry: string }>("SELECT seq, entry FROM journal WHERE incident_id = $1 ORDER BY seq", [incidentId])).rows;
    return rows.map((row) => toJournalEntry(row.seq, row.entry));
  }

  async #enqueue(client: pg.PoolClient, incidentId: string, kind: JobKind, availableAt: number): Promise<void> {
    await client.query(
      `INSERT INTO jobs (incident_id, kind, state, available_at, created_at)
       SELECT $1, $2, 'ready', $3, $3 WHERE NOT EXISTS (SELECT 1 FROM jobs WHERE incident_id = $1 AND kind = $2 AND state = 'ready')`,
      [incidentId, kind, availableAt],
    );
  }

  async enqueue(incidentId: string, kind: JobKind, availableAt: number): Promise<void> {
    await this.#tx((client) => this.#enqueue(client, incidentId, kind, availableAt));
  }

  async claimJob(owner: string, leaseInMs: number, now: number): Promise<Job | undefined> {
    // SKIP LOCKED: replicas claiming at once take different items instead of queueing on one row. Two items of one
    // incident can still be claimed by two replicas; the worker's per-incident lease serialises them.
    const rows = (
      await this.#pool.query<{ id: string; incident_id: string; kind: JobKind; attempts: number; created_at: string }>(
        `UPDATE jobs SET state = 'leased', lease_owner = $1, lease_expires_at = $2, attempts = attempts + 1
         WHERE id = (
           SELECT j.id FROM jobs j
           WHERE ((j.state = 'ready' AND j.available_at <= $3) OR (j.state = 'leased' AND j.lease_expires_at < $3))
           ORDER BY j.available_at, j.id
           FOR UPDATE SKIP LOCKED LIMIT 1
         )
         RETURNING id, incident_id, kind, attempts, created_at`,
        [owner, now + leaseInMs, now],
      )
    ).rows;
    const row = rows[0];
    return row === undefined ? undefined : { id: Number(row.id), incidentId: row.incident_id, kind: row.kind, attempts: Number(row.attempts), createdAt: Number(row.created_at) };
  }

  async extendLease(jobId: number, owner: string, leaseInMs: number, now: number): Promise<boolean> {
    const result = await this.#pool.query("UPDATE jobs SET lease_expires_at = $1 WHERE id = $2 AND state = 'leased' AND lease_owner = $3", [now + leaseInMs, jobId, owner]);
    return result.rowCount === 1;
  }

  async completeJob(jobId: number, owner: string): Promise<void> {
    await this.#pool.query("UPDATE jobs SET state = 'done', lease_owner = NULL, lease_expires_at = NULL WHERE id = $1 AND lease_owner = $2", [jobId, owner]);
  }

  async releaseJob(jobId: number, owner: string, availableAt: number, error: string | undefined, dead: boolean): Promise<void> {
    await this.#pool.query(
      "UPDATE jobs SET state = $1, available_at = $2, last_error = $3, lease_owner = NULL, lease_expires_at = NULL WHERE id = $4 AND lease_owner = $5",
      [dead ? "dead" : "ready", availableAt, error ?? null, jobId, owner],
    );
  }

  async queueStats(now: number): Promise<QueueStats> {
    const row = (await this.#pool.query<{ n: string; oldest: string | null }>("SELECT COUNT(*) AS n, MIN(created_at) AS oldest FROM jobs WHERE state IN ('ready', 'leased')")).rows[0]!;
    return { depth: Number(row.n), oldestAgeMs: row.oldest === null ? 0 : Math.max(0, now - Number(row.oldest)) };
  }

  async acquireLease(key: string, owner: string, ttlInMs: number, now: number): Promise<boolean> {
    const rows = (
      await this.#pool.query<{ owner: string }>(
        `INSERT INTO leases (key, owner, expires_at) VALUES ($1, $2, $3)
         ON CONFLICT (key) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
         WHERE leases.owner = excluded.owner OR leases.expires_at < $4
         RETURNING owner`,
        [key, owner, now + ttlInMs, now],
      )
    ).rows;
    return rows[0]?.owner === owner;
  }

  async releaseLease(key: string, owner: string): Promise<void> {
    await this.#pool.query("DELETE FROM leases WHERE key = $1 AND owner = $2", [key, owner]);
  }

  async rememberDelivery(key: string, expiresAt: number, now: number): Promise<boolean> {
    await this.#pool.query("DELETE FROM deliveries WHERE expires_at < $1", [now]);
    const result = await this.#pool.query("INSERT INTO deliveries (key, expires_at) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING", [key, expiresAt]);
    return result.rowCount === 1;
  }
}
