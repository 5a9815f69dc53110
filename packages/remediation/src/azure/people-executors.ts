import { classifyTransient } from "@keywarden/core";
import { NotDeliveredError, RemediationError } from "../errors/remediation-error.js";
import { RemediationCodes } from "../errors/remediation-codes.js";
import type { ExecutionContext, StepExecutor } from "../engine/step-executor.js";
import type { JsonValue, RemediationStep, StepOfKind } from "../plan/remediation-plan.js";
import type { NotificationTask, Notifier } from "../notifiers/notifier.js";
import { resolveDeliveryPolicy, type NotifyDeliveryPolicy } from "../notifiers/delivery-policy.js";
import { describeStepAction } from "../plan/format-plan.js";
import { logger } from "../log.js";
import type { RemediationClients } from "./remediation-clients.js";

/** How long one delivery attempt may take before it counts as unreachable. */
const DELIVERY_TIMEOUT_MS = 30_000;

function reasonOf(error: unknown): string {
  const status = (error as { statusCode?: unknown; status?: unknown } | null)?.statusCode ?? (error as { status?: unknown } | null)?.status;
  const message = error instanceof Error ? error.message : String(error);
  const cause = error instanceof Error && error.cause instanceof Error && !message.includes(error.cause.message) ? ` (${error.cause.message})` : "";
  return `${typeof status === "number" && !message.includes(String(status)) ? `${status} ` : ""}${message}${cause}`;
}

export function notifyExecutor<K extends "contact-owner" | "escalate-to-admin">(kind: K, notifier: Notifier, delivery: NotifyDeliveryPolicy = {}): StepExecutor<K> {
  const policy = resolveDeliveryPolicy(delivery);
  return {
    kind,
    vaultPropertyWrite: false,
    inspect(step) {
      const parameters = (step as StepOfKind<"contact-owner">).parameters;
      return Promise.resolve({
        done: false,
        before: null,
        changes: [`send task "${parameters.subject}" to ${parameters.recipients.join(", ") || "(nobody was found)"}`],
        warnings: [],
      });
    },
    async execute(untyped, _inspection, context) {
      const step = untyped as StepOfKind<"contact-owner">;
      const parameters = step.parameters;
      const task: NotificationTask = {
        id: `${context.plan.id}/${step.id}`,
        kind,
        planId: context.plan.id,
        alertIds: context.plan.basedOn.alertIds,
        recipients: parameters.recipients,
        ...(parameters.recipientSources === undefined ? {} : { recipientSources: parameters.recipientSources }),
        subject: parameters.subject,
        message: parameters.message,
        evidence: { ...parameters.evidence, ...objectsInScope(context.plan.steps) },
        ...(step.target.vault === undefined ? {} : { vault: step.target.vault.resourceId }),
        ...(step.target.principal === undefined ? {} : { principal: step.target.principal.objectId }),
        response: context.plan.steps.filter((other) => other.kind !== "contact-owner" && other.kind !== "escalate-to-admin").map(describeStepAction),
      };
      let lastError: unknown;
      let attempt = 0;
      while (attempt < policy.attempts) {
        attempt += 1;
        const signal = AbortSignal.any([context.abortSignal, AbortSignal.timeout(DELIVERY_TIMEOUT_MS)]);
        try {
          const receipt = await notifier.notify(task, { abortSignal: signal });
          logger.info(`task ${task.id} sent through ${receipt.channel} (attempt ${attempt}/${policy.attempts})`);
          // Sent, not verified: the target accepted the task, nobody has confirmed reading it.
          return {
            after: { delivered: true, ...receipt },
            status: "sent",
            data: { delivery: "sent", attempts: attempt, channel: receipt.channel, recipients: task.recipients },
          };
        } catch (error) {
          if (context.abortSignal.aborted) throw error;
          lastError = error;
          // An insecure or misconfigured target is refused before sending: retrying changes nothing.
          if (RemediationError.isInstance(error) && error.code === RemediationCodes.notifyTargetInsecure) throw error;
          const transient = classifyTransient(error, Date.parse(context.now()));
          const timedOut = signal.aborted;
          if ((transient === undefined && !timedOut) || attempt >= policy.attempts) break;
          const wait = transient?.retryAfterInMs ?? Math.min(policy.maxBackoffInMs, policy.backoffInMs * 2 ** (attempt - 1));
          if (wait > policy.maxBackoffInMs) break;
          logger.warning(`task ${task.id}: ${reasonOf(error)}; attempt ${attempt + 1}/${policy.attempts} in ${wait} ms`);
          await context.sleep(wait);
        }
      }
      throw new NotDeliveredError(`task ${task.id} to ${task.recipients.join(", ") || "(nobody)"}: ${reasonOf(lastError)} (after ${attempt} attempt(s)).`, {
        stepId: step.id,
        cause: lastError,
        bestEffort: policy.bestEffort,
        attempts: attempt,
        ...(typeof (lastError as { statusCode?: unknown } | null)?.statusCode === "number" ? { status: (lastError as { statusCode: number }).statusCode } : {}),
      });
    },
  };
}

/** The objects the response is about (exposed, rotated, disabled), so the person told sees what was at stake. */
function objectsInScope(steps: readonly RemediationStep[]): Record<string, JsonValue> {
  const objects = [...new Set(steps.flatMap((step) => (step.target.objects ?? []).map((object) => `${object.type}/${object.name}`)))];
  return objects.length === 0 ? {} : { objectsRead: objects };
}

export function revokeSessionsExecutor(clients: RemediationClients): StepExecutor<"revoke-sessions"> {
  const userOf = (step: StepOfKind<"revoke-sessions">) => {
    const principal = step.target.principal;
    if (principal === undefined) {
      throw new RemediationError(RemediationCodes.missingTarget, `Step ${step.id} has no principal whose sessions to revoke.`, { stepId: step.id });
    }
    if (principal.type !== undefined && principal.type !== "user" && principal.type !== "unknown") {
      throw new RemediationError(
        RemediationCodes.missingTarget,
        `revoke-sessions applies to users; ${principal.objectId} is a ${principal.type}. Remove its credentials or access instead.`,
        { stepId: step.id },
      );
    }
    return principal;
  };
  const readValidFrom = (objectId: string, context: ExecutionContext) =>
    context.call({
      label: `GET /users/${objectId} signInSessionsValidFromDateTime`,
      budget: "graph",
      scope: {},
      idempotent: true,
      run: (abortSignal) => clients.graph().getSignInSessionsValidFrom(objectId, { abortSignal }),
    });
  return {
    kind: "revoke-sessions",
    vaultPropertyWrite: false,
    async inspect(step, context) {
      const principal = userOf(step);
      const validFrom = await readValidFrom(principal.objectId, context);
      return {
        // Revoking is always done again on a fresh run: sessions may have been created since the last revocation.
        done: false,
        before: { signInSessionsValidFrom: validFrom ?? null },
        changes: [`revoke sign-in sessions of ${principal.userPrincipalName ?? principal.objectId}`],
        warnings: [
          {
            code: RemediationCodes.revocationDelay,
            message: "Refresh tokens are revoked now; access tokens already issued stay valid until they expire (about an hour).",
            stepId: step.id,
          },
        ],
      };
    },
    async execute(step, inspection, context) {
      const principal = userOf(step);
      const before = (inspection.before as { signInSessionsValidFrom: string | null }).signInSessionsValidFrom;
      const accepted = await context.call({
        label: `POST /users/${principal.objectId}/revokeSignInSessions`,
        budget: "graph",
        scope: {},
        idempotent: true,
        run: (abortSignal) => clients.graph().revokeSignInSessions(principal.objectId, { abortSignal }),
      });
      const after = await readValidFrom(principal.objectId, context);
      // The revocation is proven only by the valid-from time moving forward; an unchanged time means nothing was revoked.
      if (!accepted || after === undefined || (before !== null && !movedForward(before, after))) {
        throw new RemediationError(
          RemediationCodes.notVerified,
          `Microsoft Graph did not confirm the revocation for ${principal.objectId} (signInSessionsValidFromDateTime ${after ?? "unset"}).`,
          { stepId: step.id },
        );
      }
      return { after: { signInSessionsValidFrom: after } };
    },
  };
}

/** The alert-state operations remediation needs; `DefenderAlertsClient` from `@keywarden/alerts` satisfies it via `alertStateClientFrom`. */
export interface AlertStateClient {
  /** The alert's current status (`Active`, `InProgress`, `Resolved`, `Dismissed`), or undefined when not found. */
  getAlertState(alertId: string, options?: { abortSignal?: AbortSignal }): Promise<string | undefined>;
  setAlertState(alertId: string, state: "Active" | "InProgress" | "Resolved" | "Dismissed", options?: { abortSignal?: AbortSignal }): Promise<void>;
}

export function updateAlertStateExecutor(alerts: AlertStateClient): StepExecutor<"update-alert-state"> {
  const alertIdOf = (step: StepOfKind<"update-alert-state">): string => {
    const id = step.target.alert?.id;
    if (id === undefined) throw new RemediationError(RemediationCodes.missingTarget, `Step ${step.id} names no alert.`, { stepId: step.id });
    return id;
  };
  const read = (step: StepOfKind<"update-alert-state">, context: Parameters<StepExecutor["inspect"]>[1]) =>
    context.call({
      label: `GET alert ${step.target.alert?.systemAlertId ?? "?"}`,
      budget: "arm-read",
      scope: { ...(step.target.alert?.subscriptionId === undefined ? {} : { subscription: step.target.alert.subscriptionId }) },
      idempotent: true,
      run: (abortSignal) => alerts.getAlertState(alertIdOf(step), { abortSignal }),
    });
  return {
    kind: "update-alert-state",
    vaultPropertyWrite: false,
    async inspect(step, context) {
      const state = await read(step, context);
      if (state === undefined) {
        throw new RemediationError(RemediationCodes.missingTarget, `Alert ${alertIdOf(step)} was not found.`, { stepId: step.id, status: 404 });
      }
      // Marking an alert InProgress is how a response starts; an alert someone already closed is never reopened by it
      // (re-applying a finished plan with a new journal must not move it Resolved -> InProgress -> Resolved).
      const closed = ["resolved", "dismissed"].includes(state.toLowerCase());
      if (step.parameters.state === "InProgress" && closed) {
        return {
          done: true,
          before: { state },
          changes: [],
          warnings: [
            {
              code: RemediationCodes.alertAlreadyClosed,
              message: `Alert ${alertIdOf(step)} is already ${state}; it is left as it is (a response never reopens a closed alert).`,
              stepId: step.id,
            },
          ],
        };
      }
      return {
        done: state.toLowerCase() === step.parameters.state.toLowerCase(),
        before: { state },
        changes: [`alert state ${state} → ${step.parameters.state}`],
        warnings: [],
      };
    },
    async execute(step, _inspection, context) {
      await context.call({
        label: `set alert ${step.target.alert?.systemAlertId ?? "?"} to ${step.parameters.state}`,
        budget: "arm-write",
        scope: { ...(step.target.alert?.subscriptionId === undefined ? {} : { subscription: step.target.alert.subscriptionId }) },
        idempotent: true,
        run: (abortSignal) => alerts.setAlertState(alertIdOf(step), step.parameters.state, { abortSignal }),
      });
      const state = await read(step, context);
      if (state?.toLowerCase() !== step.parameters.state.toLowerCase()) {
        throw new RemediationError(RemediationCodes.notVerified, `Alert ${alertIdOf(step)} reads ${state ?? "nothing"} after the update to ${step.parameters.state}.`, {
          stepId: step.id,
        });
      }
      return { after: { state } };
    },
  };
}

/** Compares as instants, not strings: Graph may return the same time with different fractional-second precision. */
function movedForward(before: string, after: string): boolean {
  const from = Date.parse(before);
  const to = Date.parse(after);
  if (Number.isNaN(from) || Number.isNaN(to)) return after !== before;
  return to > from;
}
