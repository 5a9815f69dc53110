import type { Journal, JournalEntry } from "@keywarden/core";
import type { ApplyResult, Notifier, NotifyDeliveryPolicy, PlanVerifier, RemediationPlan, SecretRotator } from "@keywarden/remediation";

import type { AzureEnvironment } from "../environment/azure-environment.js";
import type { CommandContext } from "../runtime/command-context.js";
import { startProgress } from "../runtime/progress.js";
import type { ApproveFunction } from "./approver.js";
import { createExecutors } from "./executors.js";
import { locksFor } from "./trust-keys.js";

export interface RunPlanOptions {
  plan: RemediationPlan;
  env: AzureEnvironment;
  journal: Journal;
  approve: ApproveFunction;
  notifier: Notifier;
  /** Delivery retries and best-effort for tasks (the policy file's `notify.delivery`). */
  notifyDelivery?: NotifyDeliveryPolicy;
  dryRun: boolean;
  signal: AbortSignal;
  /** Verify the plan's signature with this key before anything runs. */
  planKey?: PlanVerifier;
  /** Earlier responses to the same incident: irreversible steps they did are skipped, not repeated. */
  incidentJournal?: Journal;
  /** The policy file's rotators (before the built-in random-value rotator). */
  rotators?: readonly SecretRotator[];
  /** Dry run: the real apply will approve every step (`--yes`), so none is reported as needs-approval. */
  dryRunApproved?: boolean;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(Object.assign(new Error("The operation was aborted."), { name: "AbortError" }));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(Object.assign(new Error("The operation was aborted."), { name: "AbortError" }));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, Math.max(0, ms));
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** A journal that also reports each entry as it is written (progress, --verbose), without changing what is stored. */
function observedJournal(inner: Journal, onEntry: (entry: JournalEntry) => void): Journal {
  return {
    async append(entry) {
      const stored = await inner.append(entry);
      onEntry(stored);
      return stored;
    },
    entries: () => inner.entries(),
    // Whether the chain verified decides what earlier entries prove (approvals, the incident's history): keep it.
    ...(inner.verified === undefined ? {} : { verified: inner.verified }),
  };
}

/**
 * Applies a plan with the Azure executors: journaled, resumable, approval per step, stopped by `signal` after the
 * step in flight. Progress on a TTY; each journal event on stderr with --verbose.
 */
export async function runPlan(context: CommandContext, options: RunPlanOptions): Promise<ApplyResult> {
  const { applyPlan } = await import("@keywarden/remediation");
  const executors = await createExecutors(options.env, options.notifier, options.notifyDelivery, options.rotators ?? []);
  const progress = await startProgress(context.output, options.dryRun ? "Dry run" : "Applying", options.plan.steps.length);
  const finished = new Set<string>();
  const journal = observedJournal(options.journal, (entry) => {
    context.output.debug(`journal #${entry.seq} ${entry.event} ${entry.stepId || "plan"} ${entry.kind}: ${entry.message}`);
    if (entry.stepId !== "" && ["succeeded", "skipped", "failed", "denied"].includes(entry.event) && !finished.has(entry.stepId)) {
      finished.add(entry.stepId);
      progress.update(finished.size, undefined, entry.kind);
    }
  });
  try {
    return await applyPlan(options.plan, {
      journal,
      executors,
      dryRun: options.dryRun,
      ...(options.dryRunApproved === true ? { dryRunApproved: true } : {}),
      // The bar is taken off the screen while a step's approval question is shown, and drawn again after the answer.
      approve: async (request) => {
        progress.pause();
        try {
          return await options.approve(request);
        } finally {
          progress.resume();
        }
      },
      // Ctrl-C: the step in flight finishes and is journaled, then the run stops.
      stopSignal: options.signal,
      ...(options.planKey === undefined ? {} : { planKey: options.planKey }),
      ...(options.incidentJournal === undefined ? {} : { incidentJournal: options.incidentJournal }),
      // Writes to one vault's properties are serialised across processes on this machine.
      locks: locksFor(context),
      clock: { now: () => options.env.now().getTime(), sleep },
      // In the sandbox a write reads back at once; in Azure give eventual consistency the documented second.
      ...(options.env.mode === "sandbox" ? { verify: { attempts: 5, delayInMs: 20 }, retry: { retryDelayInMs: 10, maxRetryDelayInMs: 100 } } : {}),
    });
  } finally {
    progress.stop();
  }
}
