/**
 * The audit journal shared by remediation and suppression: an append-only record of every step of a plan, the
 * trail a SOC uses to tie each change in Azure to the alert that caused it, and the input of rollback.
 *
 * Entries hold `before` / `after` state for review and rollback. They never hold a secret's value.
 */

/**
 * What happened to a step. `landed` records one sub-write of a step (a version disabled, a rule added, an assignment
 * deleted, a value minted at its source) as it takes effect, with the `before` state needed to undo exactly that
 * write: a step that fails or is interrupted after some writes can be rolled back for those writes.
 */
export type JournalEvent = "planned" | "approved" | "denied" | "started" | "landed" | "succeeded" | "failed" | "skipped";

/** The error recorded with a `failed` (or `denied`) entry. */
export interface JournalError {
  code: string;
  message: string;
  /** HTTP status of the upstream failure, when there was one. */
  status?: number;
}

export interface JournalEntry {
  /** 1-based position in the journal, assigned by the journal on append. */
  seq: number;
  /** ISO 8601 UTC time of the event, from the caller's clock. */
  time: string;
  planId: string;
  /** The step's id within the plan; `""` for plan-level entries. */
  stepId: string;
  /** The step's kind (`enable-firewall`, `suppression-create`, ...), or `plan` for plan-level entries. */
  kind: string;
  event: JournalEvent;
  /** Stable code, `KW_<AREA>_<E|W|I><nnnn>`. */
  code: string;
  message: string;
  alertIds?: string[];
  /** State read before the write (never a secret value). */
  before?: unknown;
  /** State read back after the write (never a secret value). */
  after?: unknown;
  error?: JournalError;
  /** `true` when the entry was written by a dry run: nothing was changed in Azure. */
  dryRun?: boolean;
  data?: Record<string, unknown>;
  /**
   * Set by a sealed journal: HMAC-SHA256 over the previous entry's `mac` and this entry's canonical content (see
   * `verifyJournalChain`).
   */
  mac?: string;
}

/** What a caller appends; the journal assigns `seq` (and `mac`, when sealed). */
export type NewJournalEntry = Omit<JournalEntry, "seq" | "mac">;

/** An append-only journal. Implementations must make `append` durable before it resolves. */
export interface Journal {
  append(entry: NewJournalEntry): Promise<JournalEntry>;
  /** Every entry so far, in append order. */
  entries(): Promise<JournalEntry[]>;
  /**
   * `true` when every entry was sealed by this journal's key and verified (a sealed `FileJournal`, an `InMemoryJournal`).
   * Absent or false: the entries are claims, not evidence; the engine does not honour approvals from them and
   * rollback does not take `before` state from them.
   */
  readonly verified?: boolean;
}
