import { InMemoryJournal, type Journal, type JournalEntry } from "@keywarden/core";
import type { FakeAzure } from "@keywarden/testing";
import {
  applyPlan,
  createAzureExecutors,
  MemoryNotifier,
  PLAN_SCHEMA_VERSION,
  type AlertStateClient,
  type ApplyPlanOptions,
  type ApplyResult,
  type AzureExecutorsOptions,
  type ExecutorRegistry,
  type RemediationPlan,
  type RemediationStep,
  type PlanVaultTarget as VaultTarget,
} from "../../src/index.js";
import { computePlanId } from "../../src/plan/plan-id.js";
import { RG, SUB } from "./seed.js";

export function vaultTarget(name: string): VaultTarget {
  return {
    resourceId: `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.KeyVault/vaults/${name}`,
    subscriptionId: SUB,
    resourceGroup: RG,
    name,
    vaultUri: `https://${name}.vault.azure.net/`,
  };
}

type StepDraft = RemediationStep extends infer S ? (S extends RemediationStep ? Omit<S, "id"> & { id?: string } : never) : never;

/** A plan from hand-written steps (ids `s01-<kind>` unless given), with its content-derived id. */
export function buildPlan(steps: StepDraft[], alertIds = ["/subscriptions/x/alerts/test"]): RemediationPlan {
  const content = {
    schemaVersion: PLAN_SCHEMA_VERSION,
    basedOn: { alertIds, ruleIds: ["kv/test"] },
    steps: steps.map((step, index) => ({ ...step, id: step.id ?? `s${String(index + 1).padStart(2, "0")}-${step.kind}` })),
    warnings: [],
    irreversible: [],
  } as Omit<RemediationPlan, "id">;
  return { id: computePlanId(content), ...content };
}

export const common = { reason: "test", risk: "sensitive" as const, reversible: true, requiresApproval: false, precondition: { summary: "" } };

export interface Harness {
  executors: ExecutorRegistry;
  notifier: MemoryNotifier;
}

export function executorsFor(tenant: FakeAzure, options: Partial<AzureExecutorsOptions> & { alerts?: AlertStateClient } = {}): Harness {
  const notifier = new MemoryNotifier();
  const executors = createAzureExecutors({ credential: tenant.credential, pollIntervalInMs: 1, notifier, ...options });
  return { executors, notifier };
}

/**
 * Apply options tuned for tests: tiny back-off and verify delays, everything approved. The request timeout is generous:
 * no test here is about timeouts except the fault matrix (which sets its own), and a loaded CI runner can stall an
 * ordinary in-process request for hundreds of milliseconds.
 */
export function fastOptions(journal: Journal, executors: ExecutorRegistry, extra: Partial<ApplyPlanOptions> = {}): ApplyPlanOptions {
  return {
    journal,
    executors,
    approve: () => true,
    retry: { maxAttempts: 6, retryDelayInMs: 1, maxRetryDelayInMs: 4 },
    requestTimeoutInMs: 10_000,
    verify: { attempts: 4, delayInMs: 1 },
    ...extra,
  };
}

export async function applyFast(
  tenant: FakeAzure,
  plan: RemediationPlan,
  journal: Journal = new InMemoryJournal(),
  extra: Partial<ApplyPlanOptions> = {},
  harness: Harness = executorsFor(tenant),
): Promise<{ result: ApplyResult; journal: Journal; entries: JournalEntry[] }> {
  const result = await applyPlan(plan, fastOptions(journal, harness.executors, extra));
  return { result, journal, entries: await journal.entries() };
}

/** Counts requests that changed something in Azure (everything but GET/HEAD and the challenge legs). */
export function writeCalls(tenant: FakeAzure): number {
  return tenant.calls.all().filter((call) => !["GET", "HEAD"].includes(call.method.toUpperCase()) && call.status !== 401).length;
}
