import type { DefenderAlertsClient, KeyVaultAlert } from "@keywarden/alerts";
import type { Journal, JournalKey } from "@keywarden/core";
import type { ImpactReport } from "@keywarden/impact";
import type { ApplyResult, Notifier, NotificationTask, PlanKey, RemediationPlan, RemediationStep, StepKind } from "@keywarden/remediation";
import { KeyedLock } from "@keywarden/remediation";
import type { TriageReport } from "@keywarden/triage";

import type { ResponderEnvironment } from "../environment/responder-environment.js";

/**
 * The one place the responder touches the remediation engine (planning, applying, the journal, locks) and the
 * analysis libraries. Everything else speaks these small types, so moving to the hardened engine (signed plans,
 * chained journal, the shared lock interface, incident idempotency) changes this folder only.
 */

/** A person's decision on a step, as the store holds it. */
export interface StepDecision {
  approved: boolean;
  by: string;
  reason: string;
}

/** A cross-process lock on one vault's properties (the store's lease row or advisory lock). */
export interface VaultLockProvider {
  /** Runs `task` holding the vault's lock; waits for it. */
  withVaultLock<T>(vaultResourceId: string, task: () => Promise<T>): Promise<T>;
}

export interface Analysis {
  triage: TriageReport;
  impact?: ImpactReport;
  plan: RemediationPlan;
}

export interface ApplyRequest {
  plan: RemediationPlan;
  journal: Journal;
  /** The decision recorded for a step that needs approval; `undefined` while nobody has decided. */
  decisionFor(stepId: string): StepDecision | undefined;
  abortSignal?: AbortSignal;
}

/** Who a step acts against: the self-approval rule compares the approver with this. */
export interface StepPrincipal {
  objectId?: string;
  userPrincipalName?: string;
}

export interface ResponseEngine {
  /** The alert as Defender has it now (the pushed body is never trusted as truth). */
  readAlert(alertId: string, abortSignal?: AbortSignal): Promise<KeyVaultAlert>;
  /** Triage, impact and the plan. */
  analyse(alert: KeyVaultAlert, abortSignal?: AbortSignal): Promise<Analysis>;
  /** Refuses (`KW_REMEDIATION_E0022` / `E0023`) a plan that is unsigned or was changed after it was signed. */
  verifyPlan(plan: RemediationPlan): Promise<void>;
  /** Applies what the policy allows plus what people approved; steps nobody decided yet are held back. */
  apply(request: ApplyRequest): Promise<ApplyResult>;
  /** The plan that undoes what the journal shows as applied. */
  /** The key the incident journals are sealed with (and rollback verifies them with). */
  readonly journalKey: JournalKey;
  planRollback(journal: Journal): Promise<RemediationPlan>;
  describePlan(plan: RemediationPlan): string;
  describeTriage(report: TriageReport): string;
  describeImpact(report: ImpactReport): string;
  describeStep(step: RemediationStep): string;
  stepPrincipal(step: RemediationStep): StepPrincipal | undefined;
  /** Notification tasks raised by applied steps (contact owner, escalate). */
  readonly tasks: readonly NotificationTask[];
}

/** Why a step waits, journaled with the engine's `awaiting-approval` entry (never a denial). */
export const awaitingApprovalReason = "awaiting a person's decision in the responder";

export interface ResponseEngineOptions {
  env: ResponderEnvironment;
  /** Step kinds that run without approval (the engine still requires approval for destructive ones). */
  autoApprove: readonly string[];
  /** Cross-process vault locks (the store's); one instance serves every apply of this engine. */
  vaultLocks: VaultLockProvider;
  /** Seals the incident journals; every replica must be given the same key. */
  journalKey: JournalKey;
  /** Signs every plan (and rollback plan); each apply verifies it first, so an edited stored plan is refused. */
  planKey: PlanKey;
  notifier?: Notifier;
}

class CollectingNotifier implements Notifier {
  readonly tasks: NotificationTask[] = [];
  notify(task: NotificationTask): Promise<{ channel: string; deliveryId: string }> {
    if (!this.tasks.some((existing) => existing.id === task.id)) this.tasks.push(structuredClone(task));
    return Promise.resolve({ channel: "responder", deliveryId: task.id });
  }
}

/** Bridges the engine's `KeyedLock` to the store's cross-process vault lock. */
class StoreBackedVaultLocks extends KeyedLock {
  readonly #provider: VaultLockProvider;
  constructor(provider: VaultLockProvider) {
    super();
    this.#provider = provider;
  }
  override run<T>(key: string, task: () => Promise<T>): Promise<T> {
    // The in-process lock first (cheap, fair), then the shared one across replicas.
    return super.run(key, () => this.#provider.withVaultLock(key.toLowerCase(), task));
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const abort = () => {
      clearTimeout(timer);
      reject(Object.assign(new Error("The operation was aborted."), { name: "AbortError" }));
    };
    if (signal?.aborted === true) return abort();
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", abort);
      resolve();
    }, Math.max(0, ms));
    signal?.addEventListener("abort", abort, { once: true });
  });
}

export async function createResponseEngine(options: ResponseEngineOptions): Promise<ResponseEngine> {
  const [alertsModule, triageModule, impactModule, remediation] = await Promise.all([
    import("@keywarden/alerts"),
    import("@keywarden/triage"),
    import("@keywarden/impact"),
    import("@keywarden/remediation"),
  ]);
  const { env } = options;
  const clientOptions = env.retryOptions === undefined ? {} : { retryOptions: env.retryOptions };
  const alerts: DefenderAlertsClient = new alertsModule.DefenderAlertsClient(env.credential, clientOptions);
  const notifier = new CollectingNotifier();
  const executors = remediation.createAzureExecutors({
    credential: env.credential,
    clientOptions,
    ...(env.pollIntervalInMs === undefined ? {} : { pollIntervalMs: env.pollIntervalInMs }),
    notifier: options.notifier ?? notifier,
    rotators: [remediation.randomValueRotator()],
    alerts: remediation.alertStateClientFrom(alerts),
  });
  const clock = { now: () => env.now().getTime(), sleep };
  // One set of budgets for every apply in this process: concurrent incidents share Key Vault's limits.
  const budgets = new remediation.RateBudgets(remediation.scaleLimits(remediation.keyVaultDocumentedLimits, 0.9), clock);
  const sandbox = env.mode === "sandbox";
  const vaultLocks = new StoreBackedVaultLocks(options.vaultLocks);

  return {
    tasks: notifier.tasks,
    readAlert: (alertId, abortSignal) => alerts.getAlert(alertId, abortSignal === undefined ? {} : { abortSignal }),

    async analyse(alert, abortSignal) {
      const triage = await triageModule.triageAlert(
        alert,
        {
          ...(env.tenantId === undefined ? {} : { tenantId: env.tenantId }),
          directory: new triageModule.GraphDirectory(env.credential, clientOptions),
          vaults: new triageModule.ArmVaultInspector(env.credential, clientOptions),
          network: new triageModule.AzureNetworkIntelligence(env.credential, { ...clientOptions, subscriptionId: alert.vault.subscriptionId }),
          publicIps: new triageModule.ArmPublicIpReader(env.credential, clientOptions),
          now: () => env.now(),
          ...(abortSignal === undefined ? {} : { abortSignal }),
        },
      );
      let impact: ImpactReport | undefined;
      try {
        impact = await impactModule.measureImpact(alert, {
          credential: env.credential,
          ...(env.retryOptions === undefined ? {} : { clientOptions: { retryOptions: env.retryOptions } }),
          now: env.now(),
          ...(abortSignal === undefined ? {} : { abortSignal }),
        });
      } catch (error) {
        // Without diagnostic logs the plan still contains and escalates; only the object-level steps are missing.
        if (abortSignal?.aborted === true) throw error;
        impact = undefined;
      }
      const addIpRules = [...new Set(env.responderAddresses)];
      const policy = {
        autoApprove: options.autoApprove as never,
        // The sandbox's secrets back nothing outside the vault, so a random value is a faithful rotation there.
        ...(sandbox ? { secrets: { allowRandomValue: true } } : {}),
        ...(addIpRules.length === 0 ? {} : { firewall: { addIpRules } }),
        now: env.now().toISOString(),
      };
      // The versions of what the plan disables are read now and recorded in the signed plan: the apply writes them
      // directly instead of listing them again (and a dry run reports what changed since).
      const unsigned = await remediation.planWithRecordedVersions(
        (objectVersions) => remediation.planResponse(triage, impact, policy, objectVersions === undefined ? {} : { objectVersions }),
        {
          clients: new remediation.RemediationClients({ credential: env.credential, ...(env.retryOptions === undefined ? {} : { clientOptions: { retryOptions: env.retryOptions } }) }),
          readAt: env.now().toISOString(),
          ...(abortSignal === undefined ? {} : { abortSignal }),
        },
      );
      const plan = await remediation.signPlan(unsigned, options.planKey);
      return impact === undefined ? { triage, plan } : { triage, impact, plan };
    },

    verifyPlan: (plan) => remediation.verifyPlanSignature(plan, options.planKey),

    apply(request) {
      return remediation.applyPlan(request.plan, {
        // Verified before a single request: a plan edited in the store after it was signed is never applied.
        planKey: options.planKey,
        journal: request.journal,
        executors,
        budgets,
        vaultLocks,
        // The engine decides what may run without approval: these kinds, when they are not among the steps that
        // always need a person (purge, revoke, rotate, access removal, Dismissed).
        policy: { autoApprove: options.autoApprove as StepKind[] },
        approve: ({ step }) => {
          const decision = request.decisionFor(step.id);
          if (decision === undefined) return { hold: true, reason: awaitingApprovalReason };
          return { approved: decision.approved, by: decision.by, comment: decision.reason };
        },
        clock,
        ...(request.abortSignal === undefined ? {} : { abortSignal: request.abortSignal }),
        ...(sandbox ? { verify: { attempts: 5, delayInMs: 20 }, retry: { retryDelayInMs: 10, maxRetryDelayInMs: 100 }, requestTimeoutInMs: 10_000 } : {}),
      });
    },

    journalKey: options.journalKey,
    planRollback: async (journal) => remediation.signPlan(await remediation.planRollback(journal, { now: env.now().toISOString(), journalKey: options.journalKey }), options.planKey),
    describePlan: (plan) => remediation.formatPlan(plan),
    describeTriage: (report) => triageModule.formatTriageReport(report),
    describeImpact: (report) => impactModule.formatImpactReport(report),
    describeStep: (step) => remediation.formatStep(step),
    stepPrincipal(step) {
      const principal = step.target.principal;
      if (principal === undefined) return undefined;
      return {
        objectId: principal.objectId,
        ...(principal.userPrincipalName === undefined ? {} : { userPrincipalName: principal.userPrincipalName }),
      };
    },
  };
}
