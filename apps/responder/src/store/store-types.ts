import type { JournalEntry, NewJournalEntry } from "@keywarden/core";

/** Incident states (contract). */
export const incidentStates = ["received", "triaging", "awaiting-approval", "applying", "resolved", "failed"] as const;
export type IncidentState = (typeof incidentStates)[number];

/** Step statuses (contract). */
export const stepStatuses = ["pending-approval", "applied", "rejected", "failed", "skipped", "running", "planned"] as const;
export type StepStatus = (typeof stepStatuses)[number];

export interface StepDecisionRecord {
  approved: boolean;
  by: string;
  reason: string;
  at: number;
}

export interface StepRecord {
  id: string;
  kind: string;
  status: StepStatus;
  requiresApproval: boolean;
  risk: string;
  position: number;
  principalObjectId?: string;
  principalUpn?: string;
  decision?: StepDecisionRecord;
}

export type NewStep = Omit<StepRecord, "status" | "decision"> & { status: StepStatus };

export interface NewIncident {
  id: string;
  /** The alert's ARM id, as re-read from Defender. */
  alertId: string;
  /** Defender's system alert id, lower-cased: the dedupe key. */
  systemAlertId: string;
  vaultResourceId: string;
  vaultName: string;
  kind: string;
  severity: string;
  displayName: string;
  /** The alert as pushed (parsed), kept to compare with Defender's copy. */
  pushedAlert: unknown;
  receivedAt: number;
}

export interface IncidentError {
  code: string;
  message: string;
}

export interface RollbackRecord {
  requestedBy: string;
  requestedAt: number;
  status: "requested" | "running" | "completed" | "incomplete" | "failed";
  planId?: string;
  error?: IncidentError;
}

export interface IncidentRecord extends NewIncident {
  state: IncidentState;
  updatedAt: number;
  alert?: unknown;
  differences?: AlertDifference[];
  triage?: unknown;
  impact?: unknown;
  plan?: unknown;
  error?: IncidentError;
  rollback?: RollbackRecord;
  steps: StepRecord[];
}

export type IncidentSummary = Omit<IncidentRecord, "pushedAlert" | "alert" | "triage" | "impact" | "plan" | "steps" | "differences"> & {
  pendingApprovals: number;
};

/** A field where the pushed alert and Defender's copy disagree. */
export interface AlertDifference {
  field: string;
  pushed: unknown;
  defender: unknown;
}

export interface IncidentPatch {
  state?: IncidentState;
  alert?: unknown;
  differences?: AlertDifference[];
  triage?: unknown;
  impact?: unknown;
  plan?: unknown;
  error?: IncidentError | null;
  rollback?: RollbackRecord;
}

export interface IncidentFilter {
  state?: IncidentState;
  vault?: string;
  /** Matches the display name, kind, vault name or alert id (case-insensitive substring). */
  text?: string;
  limit?: number;
}

export type JobKind = "process" | "rollback";

export interface Job {
  id: number;
  incidentId: string;
  kind: JobKind;
  attempts: number;
  createdAt: number;
}

export interface QueueStats {
  depth: number;
  oldestAgeMs: number;
}

/**
 * The responder's durable state: incidents, plans, the journal, the dedupe index, the work queue with leases and
 * the per-vault lock. SQLite (one process) and PostgreSQL (replicas) implement it and pass one contract suite.
 * Times are epoch milliseconds from the caller's clock.
 */
export interface ResponderStore {
  readonly kind: "sqlite" | "postgres";
  /** Runs pending migrations; returns the schema version. */
  migrate(): Promise<number>;
  ping(): Promise<void>;
  close(): Promise<void>;

  /**
   * Creates the incident and its first queue item, or returns the incident already holding this system alert id.
   * With `replay`, the delivery is remembered in the same transaction; one seen before is `replayed` (nothing stored).
   */
  ingest(incident: NewIncident, replay?: { key: string; expiresAt: number }): Promise<{ incidentId: string; created: boolean; replayed?: boolean }>;
  getIncident(id: string): Promise<IncidentRecord | undefined>;
  listIncidents(filter?: IncidentFilter): Promise<IncidentSummary[]>;
  updateIncident(id: string, patch: IncidentPatch, now: number): Promise<void>;
  countIncidentsByState(): Promise<Map<IncidentState, number>>;
  /** Steps waiting for a person, across incidents. */
  countPendingApprovals(): Promise<number>;

  /** Records the plan's steps; steps already recorded keep their status and decision. */
  putSteps(incidentId: string, steps: readonly NewStep[]): Promise<void>;
  /** Sets statuses; a step a person already decided never goes back to `pending-approval`. */
  setStepStatuses(incidentId: string, statuses: ReadonlyArray<{ stepId: string; status: StepStatus }>): Promise<void>;
  /**
   * A person's decision: only a `pending-approval` step nobody decided yet can be decided (compare-and-set), and the
   * incident is queued for processing in the same transaction.
   */
  decideStep(incidentId: string, stepId: string, decision: StepDecisionRecord): Promise<"decided" | "not-pending" | "not-found">;

  appendJournal(incidentId: string, entry: NewJournalEntry): Promise<JournalEntry>;
  journal(incidentId: string): Promise<JournalEntry[]>;

  /** Queues work for an incident (skipped when an equal item is already waiting). */
  enqueue(incidentId: string, kind: JobKind, availableAt: number): Promise<void>;
  /** Claims the oldest available item (or one whose lease expired) with a lease. */
  claimJob(owner: string, leaseInMs: number, now: number): Promise<Job | undefined>;
  extendLease(jobId: number, owner: string, leaseInMs: number, now: number): Promise<boolean>;
  completeJob(jobId: number, owner: string): Promise<void>;
  /** Gives an item back: available again at `availableAt`, or dead when `dead`. */
  releaseJob(jobId: number, owner: string, availableAt: number, error: string | undefined, dead: boolean): Promise<void>;
  queueStats(now: number): Promise<QueueStats>;

  /** A named lease (per-vault lock, per-incident processing): true when `owner` holds it until now + ttl. */
  acquireLease(key: string, owner: string, ttlInMs: number, now: number): Promise<boolean>;
  releaseLease(key: string, owner: string): Promise<void>;

  /** Remembers a signed delivery until `expiresAt`; false when it was seen before (a replay). */
  rememberDelivery(key: string, expiresAt: number, now: number): Promise<boolean>;
}
