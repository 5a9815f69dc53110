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
   * NetworkRuleSet). A non-idempotent request (create a version, rotate) is never blindly resent: after a transient
   * failure the whole step starts again from its read, which finds out whether the write happened.
   */
  idempotent: boolean;
  run(abortSignal: AbortSignal): Promise<T>;
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
}

/** Executors by step kind. */
export type ExecutorRegistry = { readonly [K in StepKind]?: StepExecutor<K> };

/** Thrown inside an executor after a transient failure of a non-idempotent write: start the step over. */
export class RestartStepSignal extends Error {
  readonly original: unknown;
  constructor(original: unknown) {
    super("A non-idempotent write failed transiently; the step restarts from its read.");
    this.name = "RestartStepSignal";
    this.original = original;
  }
}
