import { setMaxListeners } from "node:events";
import type { Journal, JournalEntry, NewJournalEntry } from "@keywarden/core";
import { NotDeliveredError, RemediationError } from "../errors/remediation-error.js";
import { RemediationCodes } from "../errors/remediation-codes.js";
import { logger } from "../log.js";
import type { JsonValue, PlanWarning, RemediationPlan, RemediationStep } from "../plan/remediation-plan.js";
import { validatePlan } from "../plan/validate-plan.js";
import { formatStep } from "../plan/format-plan.js";
import { AbortError } from "@azure/abort-controller";
import { systemClock, vaultLockName, withLock, type Clock, type LockProvider } from "@keywarden/core";
import { stepDigest } from "../plan/plan-id.js";
import { verifyPlanSignature, type PlanVerifier } from "../plan/plan-signing.js";
import { assessStep, type ApplyPolicy, type LiveStepFacts, type StepAssessment } from "./step-assessment.js";
import { journalStateFor } from "./journal-state.js";
import { describeIncidentActions, IncidentHistory, type IncidentAction } from "./incident-history.js";
import { processVaultLocks, type KeyedLock } from "./keyed-lock.js";
import { keyVaultDocumentedLimits, RateBudgets, scaleLimits, type RateLimits } from "./rate-budget.js";
import {
  RestartStepSignal,
  type AzureCall,
  type ExecutionContext,
  type ExecutorRegistry,
  type ProgressNote,
  type StepExecutor,
  type StepInspection,
} from "./step-executor.js";
import { classifyTransient, RequestTimeoutError, statusOf, type TransientFailure } from "@keywarden/core";

/** What the `approve` callback is asked. */
export interface ApprovalRequest {
  planId: string;
  step: RemediationStep;
  /** How the engine judged the step (risk, reversibility, why approval is needed): what the approver must be shown. */
  assessment: StepAssessment;
  /** The step rendered as text (what `formatPlan` prints for it). */
  description: string;
}

/**
 * An approval answer: `true` / `false`, or who decided and why. The journal records the approver (`by`, or
 * "unnamed approver") bound to the plan id, step id and the step's content digest.
 *
 * `{ hold: true, reason }` means "nobody has decided yet" (a person is asked elsewhere, e.g. in a browser): the step
 * is not run and is journaled `awaiting-approval` (not `denied`); its result is `awaiting-approval`. Ordering is
 * as for a denied step: later steps still run, the final `Resolved` alert-state step does not, and the apply is
 * `incomplete`. Applying the same plan again with the same journal asks again.
 */
export type ApprovalDecision = boolean | { approved: boolean; by?: string; comment?: string } | ApprovalHold;

/** The approve callback's "not decided yet": see {@link ApprovalDecision}. */
export interface ApprovalHold {
  /** Nobody has decided yet: hold the step back without refusing it. */
  hold: true;
  /** Why the step waits (who is asked, where); journaled. */
  reason?: string;
}

export interface RetryOptions {
  /** Attempts per request (and restarts per step), first one included. Default 6. */
  maxAttempts?: number;
  /** First back-off; doubled each time (Key Vault's guidance: 1, 2, 4, 8, 16 s). Default 1000 ms. */
  retryDelayInMs?: number;
  /** Longest back-off (Retry-After from the server is honoured even when longer). Default 16000 ms. */
  maxRetryDelayInMs?: number;
}

export interface ApplyPlanOptions {
  /** The audit journal; also how an interrupted apply resumes. Pass the same journal to resume. */
  journal: Journal;
  /** Executors by step kind: `createAzureExecutors(...)` for Azure. */
  executors: ExecutorRegistry;
  /**
   * Read and journal everything, write nothing, ask nobody. Each step gets a `verdict` from the same checks a real
   * apply makes (live state, preconditions, rotators, purge protection, approval, closing blockers, the responder
   * locked out by the plan's own firewall): `would-succeed`, `would-fail` (with `error`) or `needs-approval`.
   */
  dryRun?: boolean;
  /**
   * Dry run only: the real apply will approve every step that needs it (the CLI's `--yes`), so such steps are
   * `would-succeed` rather than `needs-approval`. `approve` is never called in a dry run. Default false.
   */
  dryRunApproved?: boolean;
  /** Asked for every step that requires approval. Without it such steps are denied. */
  approve?: (request: ApprovalRequest) => Promise<ApprovalDecision> | ApprovalDecision;
  /** Aborts at once, including requests in flight (the step is recorded as aborted). */
  abortSignal?: AbortSignal;
  /** Stops after the step in flight: it finishes (and is journaled), later steps are not started. Ctrl-C. */
  stopSignal?: AbortSignal;
  /**
   * Verifies the plan's signature before anything else; with a key, an unsigned or edited plan is refused
   * (`KW_REMEDIATION_E0022` / `E0023`) before a single request.
   */
  planKey?: PlanVerifier;
  /** What may run without approval. Destructive and irreversible steps always need an approval given in this apply. */
  policy?: ApplyPolicy;
  /**
   * Locks across processes (or machines) for writes to one vault's properties, e.g. core's `FileLockProvider`.
   * Default: in-process only.
   */
  locks?: LockProvider;
  /** How long to wait for another writer's vault lock. Default 600000 ms. */
  lockWaitInMs?: number;
  clock?: Clock;
  /** Rate budgets: the documented Key Vault/ARM limits (scaled by `rateShare`) unless given. Share an instance across concurrent applies. */
  budgets?: RateBudgets;
  /** Limits to build budgets from when `budgets` is not given. Default: `keyVaultDocumentedLimits`. */
  rateLimits?: RateLimits;
  /** Share of each limit this run may use (other callers use the vault too). Default 0.9. */
  rateShare?: number;
  retry?: RetryOptions;
  /** Per-request timeout. Default 60000 ms. */
  requestTimeoutInMs?: number;
  /**
   * After a non-idempotent write timed out or lost its connection, its outcome is unknown: it may still land. The
   * step waits this long before reading again to find out. Default: twice `requestTimeoutInMs`.
   */
  settleInMs?: number;
  /** Concurrent requests within one bulk step (the rate budgets still apply). Default 16. */
  concurrency?: number;
  /** Read-back attempts and delay before a write counts as "did not take effect". Default 5 × 1000 ms. */
  verify?: { attempts?: number; delayInMs?: number };
  /** Vault locks; default: one process-wide set, so concurrent applies in a process never interleave vault writes. */
  vaultLocks?: KeyedLock;
  /**
   * The journal of earlier responses to the same incident, when it is not `journal` itself (a re-delivered alert
   * planned anew, applied with a fresh journal). Irreversible steps (contact-owner, escalate-to-admin,
   * revoke-sessions, rotate-secrets / rotate-keys per object) that an earlier plan for the same alert id already did
   * to the same target are skipped (`skipped`, naming the earlier plan and entry). `journal`'s own earlier entries
   * always count. Only a journal whose chain verified (`verified: true`) counts: an unsealed line could otherwise
   * make the engine skip a revocation.
   */
  incidentJournal?: Journal;
}

export type StepStatus =
  | "succeeded"
  /** A task handed to its notifier and accepted: sent, not verified (nobody confirmed reading it). */
  | "sent"
  /** A task its notifier could not deliver (unreachable, 4xx) after the delivery retries; the plan went on. */
  | "not-delivered"
  | "already-done"
  | "completed-earlier"
  | "skipped"
  | "would-change"
  | "denied"
  | "awaiting-approval"
  | "failed"
  | "not-run";

/**
 * A dry run's answer for one step: what a real apply with the same options would do with it. `needs-approval`: the
 * checks pass but a person must approve it (or `dryRunApproved`); `would-fail`: `error` says why, with its code.
 */
export type DryRunVerdict = "would-succeed" | "would-fail" | "needs-approval";

export interface StepResult {
  stepId: string;
  kind: RemediationStep["kind"];
  status: StepStatus;
  /** Dry runs only: whether the real apply would succeed with this step. */
  verdict?: DryRunVerdict;
  /** Dry runs only, with `needs-approval`: why the engine asks a person (the reasons the approver would be shown). */
  approvalReasons?: string[];
  /** The engine's judgement of the step (never the plan's flags). */
  risk?: RemediationStep["risk"];
  reversible?: boolean;
  changes: string[];
  warnings: PlanWarning[];
  error?: { code: string; message: string; status?: number };
  /** Transient failures retried during the step. */
  retries: number;
  /** `skipped`, or a rotation narrowed to the objects not yet rotated: what earlier plans of the incident already did. */
  doneInIncident?: IncidentAction[];
  /** Why the step was skipped (`skipped`): the earlier plan, step and journal entry that did it. */
  skipReason?: string;
}

export interface ApplyResult {
  planId: string;
  dryRun: boolean;
  /**
   * `completed`: every step succeeded or was already done; `incomplete`: some were denied, awaiting approval or held back;
   * `failed`: a step failed and the rest were not run; `aborted`: the abort signal stopped the run. A dry run is
   * `failed` when any step would fail, `incomplete` when any needs approval, `completed` only when every step would
   * succeed.
   */
  status: "completed" | "incomplete" | "failed" | "aborted";
  steps: StepResult[];
}

interface StepStats {
  retries: number;
}

/**
 * Applies a plan: validates it, then runs its steps in order, each one reading current state first (idempotent),
 * writing only what differs, reading every write back, journaling everything. Resumes from the journal, holds a
 * vault's lock for writes to its properties, keeps within rate budgets and retries throttling and transient failures.
 */
export async function applyPlan(input: RemediationPlan, options: ApplyPlanOptions): Promise<ApplyResult> {
  const plan = validatePlan(input);
  if (options.planKey !== undefined) await verifyPlanSignature(plan, options.planKey);
  const clock = options.clock ?? systemClock;
  const dryRun = options.dryRun ?? false;
  const budgets =
    options.budgets ?? new RateBudgets(scaleLimits(options.rateLimits ?? keyVaultDocumentedLimits, options.rateShare ?? 0.9), clock);
  const retry = {
    maxAttempts: Math.max(1, options.retry?.maxAttempts ?? 6),
    retryDelayInMs: options.retry?.retryDelayInMs ?? 1000,
    maxRetryDelayInMs: options.retry?.maxRetryDelayInMs ?? 16_000,
  };
  const requestTimeoutInMs = options.requestTimeoutInMs ?? 60_000;
  const settleInMs = options.settleInMs ?? 2 * requestTimeoutInMs;
  const concurrency = Math.max(1, options.concurrency ?? 16);
  const locks = options.vaultLocks ?? processVaultLocks;
  // One internal signal follows the caller's, so concurrent requests do not each add a listener to the caller's signal.
  const internal = new AbortController();
  setMaxListeners(0, internal.signal);
  const abortSignal = internal.signal;
  if (options.abortSignal?.aborted === true) internal.abort();
  const forwardAbort = () => internal.abort();
  options.abortSignal?.addEventListener("abort", forwardAbort, { once: true });
  const journal = options.journal;
  const alertIds = plan.basedOn.alertIds;
  const iso = () => new Date(clock.now()).toISOString();
  const backoff = (attempt: number) => Math.min(retry.maxRetryDelayInMs, retry.retryDelayInMs * 2 ** Math.max(0, attempt - 1));

  const append = (entry: Omit<NewJournalEntry, "time" | "planId" | "alertIds">): Promise<JournalEntry> =>
    journal.append({
      time: iso(),
      planId: plan.id,
      alertIds,
      ...entry,
      ...(dryRun ? { dryRun: true } : {}),
    });

  const prior = await journal.entries();
  // Approvals from earlier runs are honoured only from a journal whose chain verified (an unsealed line is a claim).
  const journalState = journalStateFor(prior, plan.id, { trustApprovals: options.journal.verified === true });
  const incident = await incidentHistoryFor(prior);
  if (!dryRun && !prior.some((entry) => entry.planId === plan.id && entry.stepId === "" && entry.event === "planned" && entry.dryRun !== true)) {
    await append({
      stepId: "",
      kind: "plan",
      event: "planned",
      code: RemediationCodes.stepPlanned,
      message: `Plan ${plan.id} with ${plan.steps.length} step(s) for alert(s) ${alertIds.join(", ") || "(none)"}.`,
      data: {
        ruleIds: plan.basedOn.ruleIds,
        // Marks a rollback's entries, so planning the rollback again from this journal ignores them.
        ...(plan.basedOn.rollbackOf === undefined ? {} : { rollbackOf: plan.basedOn.rollbackOf }),
        steps: plan.steps.map((step) => ({ id: step.id, kind: step.kind })),
      },
    });
  }

  const results: StepResult[] = [];
  let status: ApplyResult["status"] = "completed";

  const makeContext = (step: RemediationStep, stats: StepStats, progress: { before: unknown }): ExecutionContext => {
    // The step's target without its object list: `before` names the objects one write touched, and copying a bulk
    // step's thousands of objects into every landed entry would make journaling quadratic.
    const { objects: _objects, ...landedTarget } = step.target as unknown as Record<string, JsonValue>;
    const recordProgress = async (note: ProgressNote, answer?: "received" | "lost"): Promise<void> => {
      if (dryRun) return;
      await append({
        stepId: step.id,
        kind: step.kind,
        event: "landed",
        code: RemediationCodes.subWriteLanded,
        message: `Step ${step.id} (${step.kind}): ${note.message}${answer === "lost" ? " (its answer was lost; reading again showed it had landed)" : ""}.`,
        ...(note.before === undefined ? {} : { before: note.before }),
        data: { ...(note.data ?? {}), ...(answer === undefined ? {} : { answer }), target: landedTarget },
      });
    };
    const landed = (request: AzureCall<unknown>, answer: "received" | "lost") =>
      recordProgress({ message: `${request.label} landed`, before: request.subWrite?.before, data: { write: request.label } }, answer);
    // A read of whether a write took effect, after its answer was lost. Its own failure only means "not known".
    const probe = async <T>(request: AzureCall<T>): Promise<T | undefined> => {
      const read = request.subWrite?.probe;
      if (read === undefined) return undefined;
      try {
        await budgets.acquire("data", request.scope, abortSignal);
        return await runWithTimeout({ ...request, run: read }, abortSignal, requestTimeoutInMs);
      } catch (error) {
        if (abortSignal.aborted) throw new AbortError("The operation was aborted.");
        logger.warning(`${request.label}: could not find out whether it landed (${error instanceof Error ? error.message : String(error)}).`);
        return undefined;
      }
    };
    const call = async <T>(request: AzureCall<T>): Promise<T> => {
      for (let attempt = 1; ; attempt += 1) {
        if (abortSignal.aborted) throw new AbortError("The operation was aborted.");
        await budgets.acquire(request.budget, request.scope, abortSignal);
        let value: T;
        try {
          value = await runWithTimeout(request, abortSignal, requestTimeoutInMs);
        } catch (error) {
          if (abortSignal.aborted) throw new AbortError("The operation was aborted.");
          const transient = classifyTransient(error, clock.now());
          if (transient === undefined) throw error;
          stats.retries += 1;
          const wait = transient.retryAfterInMs ?? backoff(attempt);
          if (transient.reason === "throttled") budgets.pause(request.budget, request.scope, wait);
          logger.warning(`${request.label}: ${describeTransient(transient)} (attempt ${attempt}/${retry.maxAttempts}).`);
          if (!transient.notProcessed && request.subWrite?.probe !== undefined) {
            // The write may have landed although its answer was lost: find out before retrying or failing, so the
            // journal records it (and rollback undoes it) even if every later attempt fails.
            const found = await probe(request);
            if (found !== undefined) {
              await landed(request, "lost");
              return found;
            }
          }
          if (attempt >= retry.maxAttempts) throw exhausted(request.label, transient, attempt, error);
          // A 429 or a connection refused before sending was not processed: resend the same request after the wait.
          // Any other failure of a non-idempotent write leaves its outcome unknown: the step re-reads first.
          if (!request.idempotent && !transient.notProcessed) throw new RestartStepSignal(error);
          await clock.sleep(wait, abortSignal);
          continue;
        }
        if (request.subWrite !== undefined) await landed(request, "received");
        return value;
      }
    };
    return {
      plan,
      dryRun,
      abortSignal,
      get startedBefore() {
        return progress.before;
      },
      now: iso,
      call,
      sleep: (ms) => clock.sleep(ms, abortSignal),
      forEach: (items, task) => forEachConcurrent(items, concurrency, task, abortSignal),
      verifyAttempts: Math.max(1, options.verify?.attempts ?? 5),
      verifyDelayInMs: options.verify?.delayInMs ?? 1000,
      recordProgress: (note) => recordProgress(note),
    };
  };

  let incomplete = false;
  // Dry run: vaults whose firewall an earlier step would close while the plan admits no responder address (W0011).
  const lockedOut = new Map<string, string>();
  const responderLockout = plan.warnings.some((warning) => warning.code === RemediationCodes.responderLockout);
  for (const [index, planStep] of plan.steps.entries()) {
    let step = planStep;
    const result: StepResult = { stepId: step.id, kind: step.kind, status: "not-run", changes: [], warnings: [], retries: 0 };
    results.push(result);
    if (abortSignal.aborted || options.stopSignal?.aborted === true) {
      status = "aborted";
      markNotRun(index);
      break;
    }
    const earlier = journalState.get(step.id);
    if (!dryRun && earlier?.completed === true) {
      result.status = "completed-earlier";
      await append({
        stepId: step.id,
        kind: step.kind,
        event: "skipped",
        code: RemediationCodes.completedInJournal,
        message: `Step ${step.id} (${step.kind}) already completed in an earlier run of this plan.`,
      });
      continue;
    }
    // One incident, one response: an irreversible step an earlier plan of the same alert already did is not repeated.
    const inIncident = incident.match(step);
    if (inIncident.done.length > 0 && inIncident.remaining === undefined) {
      result.status = "skipped";
      result.doneInIncident = inIncident.done;
      result.skipReason = `${describeIncidentActions(step.kind, inIncident.done)}.`;
      await append({
        stepId: step.id,
        kind: step.kind,
        event: "skipped",
        code: RemediationCodes.doneInIncident,
        message: `Step ${step.id} skipped: ${result.skipReason}`,
        data: { changed: false, target: step.target, doneInIncident: inIncident.done.map((action) => ({ ...action })) },
      });
      if (dryRun) result.verdict = "would-succeed";
      continue;
    }
    if (inIncident.remaining !== undefined) {
      result.doneInIncident = inIncident.done;
      result.warnings.push({ code: RemediationCodes.doneInIncident, message: `${describeIncidentActions(step.kind, inIncident.done)}; only the other objects are rotated.`, stepId: step.id });
    }
    // A rotation done for some objects runs for the rest only: a subset of what was reviewed, never more.
    if (inIncident.remaining !== undefined) step = { ...step, target: { ...step.target, objects: inIncident.remaining } };
    // A closing step (Resolved, Dismissed) never runs after containment was denied, failed or held back.
    const closing = step.kind === "update-alert-state" && (step.parameters.state === "Resolved" || step.parameters.state === "Dismissed");
    if (closing && (incomplete || results.some((earlierResult) => earlierResult !== result && (earlierResult.status === "denied" || earlierResult.status === "failed" || earlierResult.status === "not-run" || earlierResult.verdict === "would-fail")))) {
      result.status = "not-run";
      const message = `The alert is not ${step.kind === "update-alert-state" ? step.parameters.state.toLowerCase() : "closed"} because earlier steps were denied, failed, not run or not delivered; close it after they are done.`;
      result.warnings.push({ code: RemediationCodes.notRun, message, stepId: step.id });
      if (dryRun) {
        // The same closing blocker a real apply has: the dry run says the step would not run, and why.
        result.verdict = "would-fail";
        result.error = { code: RemediationCodes.notRun, message: `Dry run: ${message}` };
      }
      incomplete = true;
      continue;
    }
    if (closing && dryRun && results.some((earlierResult) => earlierResult.verdict === "needs-approval")) {
      result.warnings.push({ code: RemediationCodes.notRun, message: "The alert is closed only if every earlier step that needs approval is approved and succeeds.", stepId: step.id });
    }
    const executor = options.executors[step.kind] as StepExecutor | undefined;
    if (executor === undefined) {
      const error = new RemediationError(
        RemediationCodes.noExecutor,
        `No executor handles "${step.kind}" steps. Pass executors from createAzureExecutors (or your own) to applyPlan.`,
        { stepId: step.id },
      );
      await recordFailure(step, result, error);
      if (dryRun) {
        result.verdict = "would-fail";
        continue;
      }
      status = "failed";
      markNotRun(index);
      break;
    }

    const stats: StepStats = { retries: 0 };
    const progress = { before: earlier?.firstBefore };
    const context = makeContext(step, stats, progress);
    let assessment: StepAssessment;
    try {
      const live: LiveStepFacts = executor.assess === undefined ? {} : await executor.assess(step, context);
      assessment = assessStep(step, options.policy, live);
    } catch (error) {
      await recordFailure(step, result, error);
      if (dryRun && !abortSignal.aborted) {
        result.verdict = "would-fail";
        continue;
      }
      status = abortSignal.aborted ? "aborted" : "failed";
      markNotRun(index);
      break;
    }
    result.risk = assessment.risk;
    result.reversible = assessment.reversible;
    // An earlier run's approval counts only for steps whose approval is not mandatory, only from a verified
    // journal, and only for exactly this step's content.
    const approvedEarlier = !assessment.approvalMandatory && earlier?.approvedDigest === stepDigest(step);
    // A dry run asks nobody: it says which steps a person must approve, unless the caller says the apply will.
    const needsApproval = dryRun && assessment.requiresApproval && !approvedEarlier && options.dryRunApproved !== true;
    const closedBy = dryRun && step.target.vault !== undefined && DATA_PLANE_KINDS.has(step.kind) ? lockedOut.get(step.target.vault.resourceId.toLowerCase()) : undefined;
    if (closedBy !== undefined) {
      // The plan's own firewall step closes the vault first and no rule admits the responder: the reads now pass,
      // but in a real apply this step gets 403 ForbiddenByFirewall.
      await recordFailure(
        step,
        result,
        new RemediationError(
          RemediationCodes.forbiddenByFirewall,
          `Dry run: step ${closedBy} closes the firewall of vault ${step.target.vault?.name ?? "?"} before step ${step.id} and no rule admits the ` +
            "responder's address, so this data-plane step would get 403 ForbiddenByFirewall. The responder's address must be added (policy.firewall.addIpRules) and the plan made again.",
          { stepId: step.id },
        ),
      );
      result.verdict = "would-fail";
      continue;
    }
    if (needsApproval) {
      result.verdict = "needs-approval";
      result.approvalReasons = [...assessment.reasons];
    } else if (dryRun) result.verdict = "would-succeed";
    if (!dryRun && assessment.requiresApproval) {
      if (!approvedEarlier) {
        const decision = await decide(step, assessment);
        if (!decision.approved) {
          result.status = decision.held ? "awaiting-approval" : "denied";
          incomplete = true;
          continue;
        }
      }
    }

    try {
      const run = () => runStep(step, executor, context, progress, result);
      const vault = step.target.vault?.resourceId;
      if (executor.vaultPropertyWrite && vault !== undefined && !dryRun) {
        const crossProcess = options.locks;
        await locks.run(vault, () =>
          crossProcess === undefined
            ? run()
            : withLock(crossProcess, vaultLockName(vault), run, {
                waitInMs: options.lockWaitInMs ?? 600_000,
                purpose: `apply plan ${plan.id} step ${step.id}`,
                abortSignal,
              }),
        );
      } else await run();
      result.retries = stats.retries;
      if (dryRun) {
        if (step.kind === "enable-firewall" && result.status === "would-change" && responderLockout && step.target.vault !== undefined) {
          lockedOut.set(step.target.vault.resourceId.toLowerCase(), step.id);
        }
      }
    } catch (error) {
      result.retries = stats.retries;
      const aborted = abortSignal.aborted || (error instanceof Error && error.name === "AbortError");
      await recordFailure(step, result, aborted ? new RemediationError(RemediationCodes.aborted, `Step ${step.id} was aborted; apply the same plan with the same journal to resume.`, { stepId: step.id, cause: error }) : error);
      if (dryRun && !aborted) {
        result.verdict = "would-fail";
        continue;
      }
      // A task that could not be delivered never blocks containment: recorded, and the plan goes on.
      if (!aborted && NotDeliveredError.isInstance(error)) {
        result.status = "not-delivered";
        if (error.bestEffort) {
          result.warnings.push({ code: RemediationCodes.taskNotDeliveredBestEffort, message: `Not delivered (notification is best-effort): ${error.message}`, stepId: step.id });
        } else incomplete = true;
        continue;
      }
      // Alert-state bookkeeping never blocks containment: its failure is recorded and the plan goes on.
      if (!aborted && step.kind === "update-alert-state" && step.parameters.state === "InProgress") {
        incomplete = true;
        continue;
      }
      status = aborted ? "aborted" : "failed";
      markNotRun(index);
      break;
    } finally {
      executor.release?.(step, context);
    }
  }
  if (status === "completed" && (incomplete || results.some((result) => result.status === "denied" || result.status === "awaiting-approval" || result.status === "not-run"))) {
    status = "incomplete";
  }
  if (dryRun && status !== "aborted") {
    // A dry run is only `completed` when the real apply would be: a step that would fail fails the dry run.
    status = results.some((result) => result.verdict === "would-fail") ? "failed" : results.some((result) => result.verdict === "needs-approval") ? "incomplete" : "completed";
  }
  options.abortSignal?.removeEventListener("abort", forwardAbort);
  return { planId: plan.id, dryRun, status, steps: results };

  async function incidentHistoryFor(own: readonly JournalEntry[]): Promise<IncidentHistory> {
    const trusted: JournalEntry[] = [];
    // This plan's own entries in this journal are a resume (the journal state handles them); in another journal, the same plan applied before counts.
    if (journal.verified === true) trusted.push(...own.filter((entry) => entry.planId !== plan.id));
    else if (own.length > 0) logger.warning(`The journal is not sealed and verified: its entries are not used to skip steps already done for the incident.`);
    const other = options.incidentJournal;
    if (other !== undefined && other !== journal) {
      if (other.verified === true) trusted.push(...(await other.entries()));
      else logger.warning(`The incident journal is not sealed and verified: irreversible steps it records are not skipped.`);
    }
    return new IncidentHistory(trusted, alertIds);
  }

  function markNotRun(index: number): void {
    for (const step of plan.steps.slice(index + 1)) {
      results.push({ stepId: step.id, kind: step.kind, status: "not-run", changes: [], warnings: [], retries: 0 });
    }
  }

  async function decide(step: RemediationStep, assessment: StepAssessment): Promise<{ approved: boolean; held: boolean }> {
    let decision: ApprovalDecision = false;
    let failure: unknown;
    if (options.approve !== undefined) {
      try {
        decision = await options.approve({ planId: plan.id, step: { ...step, risk: assessment.risk, reversible: assessment.reversible, requiresApproval: true }, assessment, description: formatStep({ ...step, risk: assessment.risk, reversible: assessment.reversible, requiresApproval: true }) });
      } catch (error) {
        failure = error;
        decision = false;
      }
    }
    if (typeof decision === "object" && "hold" in decision && decision.hold === true) {
      const reason = typeof decision.reason === "string" && decision.reason !== "" ? decision.reason : "no decision yet";
      await append({
        stepId: step.id,
        kind: step.kind,
        event: "awaiting-approval",
        code: RemediationCodes.awaitingApproval,
        message: `Step ${step.id} (${step.kind}, ${assessment.risk}) needs approval (${assessment.reasons.join("; ")}) and waits for it: ${reason}.`,
        data: { approvedPlanId: plan.id, approvedStepId: step.id, stepDigest: stepDigest(step), risk: assessment.risk, reversible: assessment.reversible, reasons: assessment.reasons, reason },
      });
      return { approved: false, held: true };
    }
    const normalized = typeof decision === "boolean" ? { approved: decision } : (decision as { approved: boolean; by?: string; comment?: string });
    // The approval is bound to who approved, the plan, the step and the step's exact content.
    const data: Record<string, unknown> = {
      by: typeof decision === "object" && "by" in decision && decision.by !== undefined ? decision.by : "unnamed approver",
      approvedPlanId: plan.id,
      approvedStepId: step.id,
      stepDigest: stepDigest(step),
      risk: assessment.risk,
      reversible: assessment.reversible,
      reasons: assessment.reasons,
    };
    if (typeof decision === "object" && "comment" in decision && decision.comment !== undefined) data["comment"] = decision.comment;
    if (normalized.approved) {
      await append({ stepId: step.id, kind: step.kind, event: "approved", code: RemediationCodes.stepApproved, message: `Step ${step.id} (${step.kind}) approved.`, data });
    } else {
      const reason =
        options.approve === undefined
          ? "no approve callback was given"
          : failure !== undefined
            ? `the approve callback failed: ${failure instanceof Error ? failure.message : JSON.stringify(failure)}`
            : "the approver said no";
      await append({
        stepId: step.id,
        kind: step.kind,
        event: "denied",
        code: RemediationCodes.approvalDenied,
        message: `Step ${step.id} (${step.kind}, ${assessment.risk}) needs approval (${assessment.reasons.join("; ")}) and was not run: ${reason}.`,
        error: { code: RemediationCodes.approvalDenied, message: reason },
        data,
      });
    }
    return { approved: normalized.approved, held: false };
  }

  async function runStep(
    step: RemediationStep,
    executor: StepExecutor,
    context: ExecutionContext,
    progress: { before: unknown },
    result: StepResult,
  ): Promise<void> {
    for (let restart = 1; ; restart += 1) {
      let inspection: StepInspection;
      try {
        inspection = await executor.inspect(step, context);
        result.warnings = dedupeWarnings([...result.warnings, ...inspection.warnings]);
        result.changes = inspection.changes;
        if (dryRun) {
          result.status = inspection.done ? "already-done" : "would-change";
          await append({
            stepId: step.id,
            kind: step.kind,
            event: inspection.done ? "skipped" : "planned",
            code: inspection.done ? RemediationCodes.alreadyDone : RemediationCodes.dryRunWouldChange,
            message:
              (inspection.done
                ? `Dry run: step ${step.id} (${step.kind}) is already done.`
                : `Dry run: step ${step.id} (${step.kind}) would ${inspection.changes.join("; ") || "change nothing visible"}.`) +
              (result.verdict === "needs-approval" ? ` It needs approval (${(result.approvalReasons ?? []).join("; ")}).` : ""),
            before: inspection.before,
            data: { changes: inspection.changes, warnings: inspection.warnings, verdict: result.verdict ?? "would-succeed" },
          });
          return;
        }
        if (inspection.done) {
          result.status = "already-done";
          const resumed = progress.before !== undefined;
          await append({
            stepId: step.id,
            kind: step.kind,
            event: "skipped",
            code: RemediationCodes.alreadyDone,
            message: resumed
              ? `Step ${step.id} (${step.kind}) had been written before the previous run stopped; verified in place.`
              : `Step ${step.id} (${step.kind}) is already done; nothing was written.`,
            before: resumed ? progress.before : inspection.before,
            after: inspection.before,
            data: { changed: resumed, warnings: inspection.warnings, target: step.target },
          });
          return;
        }
        await append({
          stepId: step.id,
          kind: step.kind,
          event: "started",
          code: RemediationCodes.stepStarted,
          message: `Step ${step.id} (${step.kind}): ${inspection.changes.join("; ")}.`,
          before: progress.before ?? inspection.before,
          data: { changes: inspection.changes, attempt: restart, target: step.target },
        });
        progress.before ??= inspection.before;
        const outcome = await executor.execute(step, inspection, context);
        const sent = outcome.status === "sent";
        result.status = sent ? "sent" : "succeeded";
        result.warnings = dedupeWarnings([...result.warnings, ...(outcome.warnings ?? [])]);
        await append({
          stepId: step.id,
          kind: step.kind,
          event: "succeeded",
          code: sent ? RemediationCodes.taskSent : RemediationCodes.stepSucceeded,
          // A delivered message is sent, not verified: nobody has confirmed reading it.
          message: sent
            ? `Step ${step.id} (${step.kind}) sent: ${inspection.changes.join("; ")}.`
            : `Step ${step.id} (${step.kind}) done and verified: ${inspection.changes.join("; ")}.`,
          before: progress.before,
          after: outcome.after,
          data: { changed: true, changes: inspection.changes, warnings: result.warnings, target: step.target, ...(outcome.data ?? {}) },
        });
        return;
      } catch (error) {
        if (!(error instanceof RestartStepSignal)) throw error;
        const transient = classifyTransient(error.original, clock.now());
        if (restart >= retry.maxAttempts) {
          throw exhausted(`step ${step.id}`, transient ?? { reason: "server", notProcessed: false }, restart, error.original);
        }
        const unknownOutcome = transient?.reason === "timeout" || transient?.reason === "connection";
        await clock.sleep(Math.max(transient?.retryAfterInMs ?? backoff(restart), unknownOutcome ? settleInMs : 0), abortSignal);
      }
    }
  }

  async function recordFailure(step: RemediationStep, result: StepResult, failure: unknown): Promise<void> {
    const error = lockedOutByFirewall(step, failure);
    const code = RemediationError.isInstance(error) ? error.code : RemediationCodes.azureRequestFailed;
    const message = error instanceof Error ? error.message : String(error);
    const httpStatus = RemediationError.isInstance(error) ? error.status ?? statusOf(error.cause) : statusOf(error);
    result.status = "failed";
    result.error = httpStatus === undefined ? { code, message } : { code, message, status: httpStatus };
    await append({
      stepId: step.id,
      kind: step.kind,
      event: "failed",
      code,
      message: NotDeliveredError.isInstance(error) ? `Step ${step.id} (${step.kind}) not delivered: ${message}` : `Step ${step.id} (${step.kind}) failed: ${message}`,
      error: result.error,
      data: { retries: result.retries },
    });
  }
}

/** Steps that talk to the vault's data plane, which a closed firewall stops unless it admits the responder. */
const DATA_PLANE_KINDS: ReadonlySet<string> = new Set(["rotate-secrets", "rotate-keys", "disable-secrets", "delete-secrets", "enable-versions", "recover-deleted"]);

function dedupeWarnings(warnings: PlanWarning[]): PlanWarning[] {
  const seen = new Set<string>();
  return warnings.filter((warning) => {
    const key = `${warning.code}|${warning.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function describeTransient(failure: TransientFailure): string {
  const status = failure.status === undefined ? "" : ` ${failure.status}`;
  const wait = failure.retryAfterInMs === undefined ? "" : `, server asked to wait ${failure.retryAfterInMs} ms`;
  return `${failure.reason}${status}${wait}`;
}

/**
 * A data-plane 403 `ForbiddenByFirewall` after the plan closed the firewall means the responder locked itself out:
 * say so, and how to fix it, instead of a bare "Azure rejected the request".
 */
function lockedOutByFirewall(step: RemediationStep, error: unknown): unknown {
  if (RemediationError.isInstance(error) || statusOf(error) !== 403) return error;
  const details = error as { code?: unknown; message?: unknown; details?: unknown };
  let text = `${String(details.code)} ${String(details.message)}`;
  try {
    text += JSON.stringify(details.details ?? null);
  } catch {
    // Unserialisable details: the code and message are enough.
  }
  if (!text.includes("ForbiddenByFirewall")) return error;
  return new RemediationError(
    RemediationCodes.forbiddenByFirewall,
    `Step ${step.id} (${step.kind}) got 403 ForbiddenByFirewall from vault ${step.target.vault?.name ?? "?"}: the responder's ` +
      "own address is not allowed by the vault firewall. The responder's address must be added (policy.firewall.addIpRules) " +
      "or the data-plane steps will fail: add it to the vault's IP rules, then apply the same plan with the same journal.",
    { stepId: step.id, status: 403, cause: error },
  );
}

function exhausted(label: string, failure: TransientFailure, attempts: number, cause: unknown): RemediationError {
  const options: { cause: unknown; status?: number } = { cause };
  if (failure.status !== undefined) options.status = failure.status;
  return new RemediationError(
    RemediationCodes.retriesExhausted,
    `${label} kept failing (${describeTransient(failure)}) after ${attempts} attempt(s). Nothing was lost: apply the ` +
      "same plan with the same journal later, or raise retry.maxAttempts.",
    options,
  );
}

async function runWithTimeout<T>(request: AzureCall<T>, abortSignal: AbortSignal, timeoutMs: number): Promise<T> {
  const controller = new AbortController();
  const forward = () => controller.abort();
  abortSignal.addEventListener("abort", forward, { once: true });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new RequestTimeoutError(request.label, timeoutMs));
    }, timeoutMs);
  });
  const running = request.run(controller.signal);
  running.catch(() => undefined);
  try {
    return await Promise.race([running, timeout]);
  } finally {
    clearTimeout(timer);
    abortSignal.removeEventListener("abort", forward);
  }
}

async function forEachConcurrent<T>(
  items: readonly T[],
  concurrency: number,
  task: (item: T) => Promise<void>,
  abortSignal: AbortSignal,
): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (failure === undefined && next < items.length) {
      if (abortSignal.aborted) throw new AbortError("The operation was aborted.");
      const item = items[next] as T;
      next += 1;
      try {
        await task(item);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  if (failure !== undefined) throw failure.error;
}

