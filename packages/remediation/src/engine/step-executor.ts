import type { JsonValue, PlanWarning, RemediationPlan, StepKind, StepOfKind } from "../plan/remediation-plan.js";
import type { BudgetKind } from "./rate-budget.js";
import type { LiveStepFacts } from "./step-assessment.js";

/** One request to Azure, as the engine runs it: within budget, with a timeout, retried when that is safe. */
export interface AzureCall<T> {
  /** What the request does, for the journal and errors ("PATCH vault kv1 networkAcls"). Never a secret value. */
  label: string;
  budget: BudgetKind;
  scope: { vault?: string; subscription?: string };
  /**
   * `true` when sending the request twice has the same effect as once (reads, PATCH of attributes, a whole
   * NetworkRuleSet). A non-idempotent request (create a version, rotate) is resent only after a failure that proves it
   * was not processed (429, connection refused before sending), after `Retry-After`; after any other transient
   * failure the whole step starts again from its read, which finds out whether the write happened.
   */
  idempotent: boolean;
  run(abortSignal: AbortSignal): Promise<T>;
  /**
   * Marks the request as one of the step's sub-writes (a version disabled, a rule added, an assignment deleted): the
   * engine journals it (`landed`, sealed) as soon as it takes effect, with `before`, so a step that fails or is
   * interrupted later can be rolled back for exactly the writes that landed.
   */
  subWrite?: SubWrite<T>;
}

/** A sub-write of a step, as `AzureCall.subWrite` describes it. */
export interface SubWrite<T> {
  /**
   * The state this one write changes, as it was before it, in the shape of the step's own `before` (for
   * disable-secrets `{ objects: [{ type, name, versions: [{ version, enabled: true }] }] }`): enough to undo it alone.
   */
  before: unknown;
  /**
   * After a failure that may have come after the write landed (a timeout, a reset after sending, a 5xx), reads whether
   * it took effect and returns what the write would have answered, or `undefined` when it did not land. Called before
   * the request is retried or the step fails; a write found this way is journaled as landed with its answer lost.
   */
  probe?: (abortSignal: AbortSignal) => Promise<T | undefined>;
}

/** A secret-free note about progress inside a step, journaled as `landed` (e.g. "a new value was minted at its source"). */
export interface ProgressNote {
  message: string;
  /** What to restore to undo this progress, in the shape of the step's `before`; omit when it cannot be undone. */
  before?: unknown;
  data?: Record<string, JsonValue>;
}

export interface ExecutionContext {
  readonly plan: RemediationPlan;
  readonly dryRun: boolean;
  readonly abortSignal: AbortSignal;
  /** ISO 8601 time from the engine's clock. */
  now(): string;
  call<T>(call: AzureCall<T>): Promise<T>;
  /** Runs `task` for every item, concurrently up to the engine's concurrency (budgets still apply per request). */
  forEach<T>(items: readonly T[], task: (item: T) => Promise<void>): Promise<void>;
  /** Waits between read-back attempts (eventual consistency). */
  sleep(ms: number): Promise<void>;
  /**
   * The state this step read when it first started (in this run or an earlier one, from the journal), or undefined.
   * Lets a re-run recognise a write that landed although its answer was lost (a timeout, a crash).
   */
  readonly startedBefore: unknown;
  /** Read-back attempts before a write counts as "did not take effect". */
  readonly verifyAttempts: number;
  readonly verifyDelayInMs: number;
  /** Journals progress inside the step as it happens (sealed `landed` entries). Never pass a secret value. */
  recordProgress(note: ProgressNote): Promise<void>;
}

/** What an executor found before writing. */
export interface StepInspection {
  /** The current state is already the step's goal: nothing will be written. */
  done: boolean;
  /** The state read now (JSON, never a secret value); journaled as `before`. */
  before: unknown;
  /** What the write will change, in words, for dry runs and the journal. */
  changes: string[];
  warnings: PlanWarning[];
}

export interface StepOutcome {
  /** The state read back after the write (JSON, never a secret value); journaled as `after`. */
  after: unknown;
  warnings?: PlanWarning[];
  /** Extra secret-free facts for the journal (versions created, tasks sent...). */
  data?: Record<string, JsonValue>;
}

/** Runs one kind of step. `inspect` only reads; `execute` writes and reads every write back. */
export interface StepExecutor<K extends StepKind = StepKind> {
  readonly kind: K;
  /** Whether steps of this kind change a vault's properties (and so hold the vault's lock). */
  readonly vaultPropertyWrite: boolean;
  inspect(step: StepOfKind<K>, context: ExecutionContext): Promise<StepInspection>;
  /**
   * Reads the live facts that make a step riskier than its kind says (a delete on a vault without soft delete is
   * irreversible). Called before approval is asked, so the approver is told.
   */
  assess?(step: StepOfKind<K>, context: ExecutionContext): Promise<LiveStepFacts>;
  execute(step: StepOfKind<K>, inspection: StepInspection, context: ExecutionContext): Promise<StepOutcome>;
  /**
   * Called once the engine is done with the step in this apply (it succeeded, failed, was aborted or stopped): drop
   * anything kept in memory for it across restarts (a minted secret value that was never stored).
   */
  release?(step: StepOfKind<K>, context: ExecutionContext): void;
}

/** Executors by step kind. */
export type ExecutorRegistry = { readonly [K in StepKind]?: StepExecutor<K> };

/**
 * Thrown inside an executor after a transient failure of a non-idempotent write whose outcome is unknown (a timeout,
 * a reset after sending, a 5xx): start the step over from its read, which finds out whether the write happened. A
 * failure that proves the request was not processed (429, connection refused) is resent instead.
 */
export class RestartStepSignal extends Error {
  readonly original: unknown;
  constructor(original: unknown) {
    super("A non-idempotent write failed transiently; the step restarts from its read.");
    this.name = "RestartStepSignal";
    this.original = original;
  }
}
