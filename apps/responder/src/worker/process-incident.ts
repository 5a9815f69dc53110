import type { KeyVaultAlert } from "@keywarden/alerts";
import type { JournalEntry } from "@keywarden/core";
import { InvalidPlanError, type ApplyResult, type RemediationPlan, type StepResult } from "@keywarden/remediation";

import type { ResponseEngine } from "../engine/response-engine.js";
import { storeJournal } from "../engine/store-journal.js";
import { ResponderError, ResponderErrorCode } from "../errors/responder-error.js";
import type { ResponderMetrics } from "../metrics/metrics.js";
import type { IncidentRecord, IncidentState, ResponderStore, StepStatus } from "../store/store-types.js";
import { alertDifferences } from "./alert-differences.js";

export interface ProcessContext {
  store: ResponderStore;
  engine: ResponseEngine;
  metrics: ResponderMetrics;
  /** Wall-clock time for the store's timestamps. */
  now: () => number;
  abortSignal: AbortSignal;
}

function stepStatusOf(result: StepResult, previous: StepStatus | undefined): StepStatus {
  switch (result.status) {
    case "succeeded":
    case "sent":
      return "applied";
    case "not-delivered":
      return "failed";
    case "already-done":
    case "skipped":
      return "skipped";
    case "completed-earlier":
      return previous === "skipped" ? "skipped" : "applied";
    case "awaiting-approval":
      return "pending-approval";
    case "denied":
      return "pending-approval"; // a person rejected it: the store keeps "rejected" (a decided step never goes back)
    case "failed":
      return "failed";
    case "not-run":
    case "would-change":
      return "planned";
  }
}

/** Runs the plan once: what policy allows, plus what people approved; records step statuses and the incident state. */
async function applyPass(context: ProcessContext, incident: IncidentRecord, plan: RemediationPlan): Promise<ApplyResult> {
  const { store, engine, metrics } = context;
  const journal = storeJournal(store, incident.id, engine.journalKey, async (entry: JournalEntry) => {
    if (entry.stepId === "" || entry.planId !== plan.id) return;
    if (entry.event === "started") await store.setStepStatuses(incident.id, [{ stepId: entry.stepId, status: "running" }]);
    if (entry.event === "succeeded") metrics.steps.inc({ outcome: "applied" });
    if (entry.event === "failed") metrics.steps.inc({ outcome: "failed" });
  });
  const decisions = new Map(incident.steps.filter((step) => step.decision !== undefined).map((step) => [step.id, step.decision!]));
  const timer = metrics.applyDuration.startTimer();
  const result = await engine.apply({
    plan,
    journal,
    decisionFor: (stepId) => {
      const decision = decisions.get(stepId);
      return decision === undefined ? undefined : { approved: decision.approved, by: decision.by, reason: decision.reason };
    },
    abortSignal: context.abortSignal,
  });
  timer({ result: result.status });
  const previous = new Map(incident.steps.map((step) => [step.id, step.status]));
  await store.setStepStatuses(
    incident.id,
    result.steps.map((step) => ({ stepId: step.stepId, status: stepStatusOf(step, previous.get(step.stepId)) })),
  );
  return result;
}

/**
 * One pass over an incident, from wherever it is: re-read the alert from Defender and record differences, triage,
 * impact and plan (once), then apply what may run now and wait for people. Safe to run again at any point: the
 * plan is made once, and the engine resumes from the journal and skips what is done.
 */
export async function processIncident(context: ProcessContext, incidentId: string): Promise<void> {
  const { store, engine } = context;
  let incident = await store.getIncident(incidentId);
  if (incident === undefined) return;
  if (incident.plan === undefined) {
    await store.updateIncident(incidentId, { state: "triaging" }, context.now());
    let alert: KeyVaultAlert;
    try {
      alert = await engine.readAlert(incident.alertId, context.abortSignal);
    } catch (error) {
      throw new ResponderError(
        ResponderErrorCode.AlertReadFailed,
        "upstream",
        `Cannot re-read alert ${incident.alertId} from Defender: ${(error as Error).message}. The responder needs Security Reader on the alert's subscription; the item is retried.`,
        { cause: error },
      );
    }
    const differences = alertDifferences(incident.pushedAlert as KeyVaultAlert, alert);
    const analysis = await engine.analyse(alert, context.abortSignal);
    // Steps first, then the plan: a crash in between leaves no plan, and the next pass plans again (same id).
    await store.putSteps(
      incidentId,
      analysis.plan.steps.map((step, position) => {
        const principal = engine.stepPrincipal(step);
        return {
          id: step.id,
          kind: step.kind,
          status: step.requiresApproval ? "pending-approval" : "planned",
          requiresApproval: step.requiresApproval,
          risk: step.risk,
          position,
          ...(principal?.objectId === undefined ? {} : { principalObjectId: principal.objectId }),
          ...(principal?.userPrincipalName === undefined ? {} : { principalUpn: principal.userPrincipalName }),
        };
      }),
    );
    await store.updateIncident(
      incidentId,
      { alert, differences, triage: analysis.triage, ...(analysis.impact === undefined ? {} : { impact: analysis.impact }), plan: analysis.plan, state: "applying" },
      context.now(),
    );
    incident = (await store.getIncident(incidentId))!;
  } else {
    await store.updateIncident(incidentId, { state: "applying" }, context.now());
  }
  const plan = incident.plan as RemediationPlan;
  let result: ApplyResult;
  try {
    result = await applyPass(context, incident, plan);
  } catch (error) {
    // An unsigned, edited or otherwise invalid stored plan is refused before a single request; retrying cannot fix it.
    if (!InvalidPlanError.isInstance(error)) throw error;
    await store.updateIncident(incidentId, { state: "failed", error: { code: error.code, message: error.message } }, context.now());
    return;
  }
  if (result.status === "aborted") {
    throw new ResponderError(ResponderErrorCode.ProcessingFailed, "processing", `Applying the plan of ${incidentId} was interrupted; the item is retried and resumes from the journal.`);
  }
  const after = (await store.getIncident(incidentId))!;
  const failed = result.steps.find((step) => step.status === "failed");
  const waiting = after.steps.some((step) => step.status === "pending-approval");
  const state: IncidentState = failed !== undefined ? "failed" : waiting ? "awaiting-approval" : "resolved";
  await store.updateIncident(
    incidentId,
    { state, error: failed === undefined ? null : { code: failed.error?.code ?? ResponderErrorCode.ProcessingFailed, message: `${failed.stepId}: ${failed.error?.message ?? "failed"}` } },
    context.now(),
  );
}

/** Rolls back what the incident's journal shows as applied, approved by the admin who asked. */
export async function rollbackIncident(context: ProcessContext, incidentId: string): Promise<void> {
  const { store, engine } = context;
  const incident = await store.getIncident(incidentId);
  if (incident?.rollback === undefined) return;
  const requested = incident.rollback;
  const journal = storeJournal(store, incidentId, engine.journalKey);
  const plan = await engine.planRollback(journal);
  await store.updateIncident(incidentId, { rollback: { ...requested, status: "running", planId: plan.id } }, context.now());
  const result = await engine.apply({
    plan,
    journal,
    decisionFor: () => ({ approved: true, by: requested.requestedBy, reason: "rollback requested in the responder" }),
    abortSignal: context.abortSignal,
  });
  if (result.status === "aborted") throw new ResponderError(ResponderErrorCode.ProcessingFailed, "processing", `The rollback of ${incidentId} was interrupted; the item is retried.`);
  const failed = result.steps.find((step) => step.status === "failed");
  await store.updateIncident(
    incidentId,
    {
      rollback: {
        ...requested,
        planId: plan.id,
        status: failed !== undefined ? "failed" : result.status === "completed" ? "completed" : "incomplete",
        ...(failed === undefined ? {} : { error: { code: failed.error?.code ?? "", message: failed.error?.message ?? "failed" } }),
      },
    },
    context.now(),
  );
}
