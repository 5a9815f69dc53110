import { DefenderAlertsClient, type KeyVaultAlert } from "@keywarden/alerts";
import { InMemoryJournal } from "@keywarden/core";
import { measureImpact, type ImpactReport } from "@keywarden/impact";
import { DEFAULT_CALLER_IP, getScenario, SCENARIO_NAMES, type FakeAzureSeed, type ScenarioName } from "@keywarden/testing";
import { useFakeAzure } from "@keywarden/testing/vitest";
import { ArmVaultInspector, AzureNetworkIntelligence, GraphDirectory, triageAlert, type TriageReport } from "@keywarden/triage";
import fc from "fast-check";
import { getResponse, http, HttpResponse } from "msw";
import { afterEach, describe, expect, it } from "vitest";
import {
  alertStateClientFrom,
  applyPlan,
  describeSecretsToRotate,
  planResponse,
  planRollback,
  randomValueRotator,
  readObjectVersions,
  RemediationClients,
  RemediationCodes,
  type PlanResponseOptions,
  type RemediationPlan,
  type RemediationPolicy,
  type StepKind,
} from "../src/index.js";
import { recordedWrites, undeclaredWrites } from "./support/declared-writes.js";
import { executorsFor, fastOptions } from "./support/harness.js";

/**
 * writes ⊆ plan, over real plans: for every built-in scenario of the fake tenant, the triage and the impact are
 * measured through the real SDK clients, then generated policies (which steps, purge, firewall bypass and extra
 * rules, fallbacks, inherited assignments, alert state, which approvals are refused) and generated faults make and
 * apply the plan, then plan and apply its rollback. Every write the fake records must be one the plan (forward or
 * rollback) declares for the targets it names.
 */
const tenant = useFakeAzure({ autoAdvanceInMs: 1000 });
afterEach(() => tenant.server.resetHandlers());

const noRetry = { retryOptions: { maxRetries: 0 } };
/** The triage package's sample Tor exit list: the TOR scenario is then triaged as it is in production. */
const TOR_LIST = new URL("../../triage/src/__fixtures__/tor-exit-nodes.sample.lst", import.meta.url);

interface Measured {
  seed: FakeAzureSeed;
  triage: TriageReport;
  impact: ImpactReport;
  now: string;
}

const measured = new Map<ScenarioName, Measured>();

/** Triage and impact of a scenario, measured once (both only read; every run starts from the same seed). */
async function measure(name: ScenarioName): Promise<Measured> {
  const known = measured.get(name);
  if (known !== undefined) return known;
  const seed = getScenario(name);
  tenant.reset(seed);
  const subscriptionIds = (seed.subscriptions ?? []).map((subscription) => subscription.subscriptionId);
  const alerts: KeyVaultAlert[] = [];
  for await (const alert of new DefenderAlertsClient(tenant.credential, noRetry).listAlerts({ subscriptionIds })) alerts.push(alert);
  const [alert] = alerts;
  if (alert === undefined) throw new Error(`scenario ${name} has no alert`);
  const now = tenant.clock.date();
  const triage = await triageAlert(alert, {
    ...(seed.tenantId === undefined ? {} : { tenantId: seed.tenantId }),
    vaults: new ArmVaultInspector(tenant.credential, noRetry),
    directory: new GraphDirectory(tenant.credential, noRetry),
    network: new AzureNetworkIntelligence(tenant.credential, { subscriptionId: alert.vault.subscriptionId, torExitList: { path: TOR_LIST.pathname }, ...noRetry }),
    now: () => now,
  });
  const impact = await measureImpact(alert, { credential: tenant.credential, clientOptions: noRetry, now });
  const result = { seed, triage, impact, now: now.toISOString() };
  measured.set(name, result);
  return result;
}

/** Kinds a policy may leave out (`policy.skip`) or an approver may refuse. */
const PLANNED_KINDS: StepKind[] = [
  "contact-owner",
  "escalate-to-admin",
  "enable-firewall",
  "revoke-sessions",
  "remove-access-policy",
  "restrict-permissions",
  "remove-role-assignments",
  "rotate-secrets",
  "rotate-keys",
  "disable-secrets",
  "delete-secrets",
];

const generatedPolicy = fc.record({
  bypass: fc.option(fc.constantFrom<"AzureServices" | "None">("AzureServices", "None"), { nil: undefined }),
  // The responder's own address is usually kept (a plan without it locks the responder out: also worth a run).
  keepResponder: fc.constantFrom(true, true, true, false),
  extraIpRules: fc.subarray(["192.0.2.0/24", "198.51.100.7", "10.0.0.0/8"]),
  consolidate: fc.boolean(),
  allowVaultPutFallback: fc.boolean(),
  includeInherited: fc.option(fc.boolean(), { nil: undefined }),
  // Usually allowed: without it (and no other rotator) rotation fails and the writes after it never happen.
  allowRandomValue: fc.constantFrom(true, true, false),
  purge: fc.boolean(),
  manageAlertState: fc.boolean(),
  skip: fc.subarray(PLANNED_KINDS, { maxLength: 4 }),
  refused: fc.subarray(PLANNED_KINDS, { maxLength: 3 }),
  // Plan as the CLI does: with the versions to disable read at planning, and with the rotators' coverage known.
  recordVersions: fc.boolean(),
  rotationCoverage: fc.boolean(),
});
type GeneratedPolicy = typeof generatedPolicy extends fc.Arbitrary<infer T> ? T : never;

function policyOf(generated: GeneratedPolicy, now: string, responderIp: string): RemediationPolicy {
  return {
    now,
    firewall: {
      ...(generated.bypass === undefined ? {} : { bypass: generated.bypass }),
      addIpRules: [...(generated.keepResponder ? [responderIp] : []), ...generated.extraIpRules],
      consolidate: generated.consolidate,
    },
    accessPolicies: { allowVaultPutFallback: generated.allowVaultPutFallback },
    ...(generated.includeInherited === undefined ? {} : { roleAssignments: { includeInherited: generated.includeInherited } }),
    secrets: { allowRandomValue: generated.allowRandomValue, purge: generated.purge },
    manageAlertState: generated.manageAlertState,
    skip: generated.skip,
  };
}

type Fault = { index: number; kind: 429 | 503 | "reset" | "lost" };

const generatedFault = fc.option(
  fc.record({ index: fc.integer({ min: 1, max: 6 }), kind: fc.constantFrom<Fault["kind"]>(429, 503, "reset", "lost") }),
  { nil: undefined },
);

/** Fails the `index`-th write: before the service (429/503/reset) or after the service handled it (answer lost). */
function inject(fault: Fault): void {
  let seen = 0;
  tenant.server.use(
    http.all("*", async ({ request }) => {
      if (request.method === "GET" || request.method === "HEAD") return undefined;
      seen += 1;
      if (seen !== fault.index) return undefined;
      if (fault.kind === "reset") return HttpResponse.error();
      if (fault.kind === "lost") {
        await getResponse([...tenant.handlers], request);
        return HttpResponse.error();
      }
      return HttpResponse.json(
        { error: { code: fault.kind === 429 ? "Throttled" : "ServiceUnavailable", message: `injected ${fault.kind}` } },
        { status: fault.kind, headers: { "retry-after": "0" } },
      );
    }),
  );
}

/** The plan for a generated policy, with the planning-time reads the policy asks for (reads only: no write). */
async function makePlan(measuredScenario: Measured, generated: GeneratedPolicy): Promise<RemediationPlan> {
  const { seed, triage, impact, now } = measuredScenario;
  const policy = policyOf(generated, now, seed.network?.defaultCallerIp ?? DEFAULT_CALLER_IP);
  const first = planResponse(triage, impact, policy);
  const options: PlanResponseOptions = {};
  if (generated.rotationCoverage) {
    const secrets = await describeSecretsToRotate(first, { credential: tenant.credential, clientOptions: noRetry });
    options.rotation = { rotators: [randomValueRotator()], secrets };
  }
  const disable = first.steps.find((step) => step.kind === "disable-secrets");
  if (generated.recordVersions && disable?.target.vault !== undefined) {
    const clients = new RemediationClients({ credential: tenant.credential, clientOptions: noRetry });
    const objects = (disable.target.objects ?? []).map(({ type, name }) => ({ type, name }));
    options.objectVersions = [await readObjectVersions({ clients, vault: disable.target.vault, objects, readAt: now })];
  }
  return Object.keys(options).length === 0 ? first : planResponse(triage, impact, policy, options);
}

function executors() {
  const alerts = alertStateClientFrom(new DefenderAlertsClient(tenant.credential, { retryOptions: { maxRetries: 0 }, maxThrottleRetries: 0 }));
  return executorsFor(tenant, { rotators: [randomValueRotator()], alerts }).executors;
}

const retry = { maxAttempts: 3, retryDelayInMs: 1, maxRetryDelayInMs: 2 };

/** Applies a plan under an optional fault, then resumes it on the same journal without the fault. */
async function applyWithFault(plan: RemediationPlan, journal: InMemoryJournal, fault: Fault | undefined, refused: ReadonlySet<string>): Promise<void> {
  tenant.server.resetHandlers();
  if (fault !== undefined) inject(fault);
  const options = fastOptions(journal, executors(), { retry, settleInMs: 1, approve: ({ step }) => !refused.has(step.kind) });
  await applyPlan(plan, options);
  tenant.server.resetHandlers();
  await applyPlan(plan, options);
}

function describeRun(plan: RemediationPlan, fault: Fault | undefined): string {
  return `plan ${plan.steps.map((step) => step.kind).join(", ")}; fault ${JSON.stringify(fault)}`;
}

describe("writes ⊆ plan, over the plans planResponse and planRollback make for every built-in scenario", () => {
  const totals = { forward: 0, rollback: 0, rollbackPlans: 0 };

  it.each([...SCENARIO_NAMES])("%s: generated policies, approvals and faults write only what the plan and its rollback declare", async (name) => {
    const scenario = await measure(name);
    const { seed, now } = scenario;
    const before = { ...totals };
    await fc.assert(
      fc.asyncProperty(generatedPolicy, generatedFault, generatedFault, async (generated, fault, rollbackFault) => {
        tenant.reset(seed);
        const plan = await makePlan(scenario, generated);
        const journal = new InMemoryJournal();
        await applyWithFault(plan, journal, fault, new Set(generated.refused));
        const forward = recordedWrites(tenant);
        expect(undeclaredWrites(plan, forward), describeRun(plan, fault)).toEqual([]);
        totals.forward += forward.length;

        let rollback: RemediationPlan;
        try {
          rollback = await planRollback(journal, { now });
        } catch (error) {
          // Nothing reversible was applied (every such step skipped, refused or failed before writing): no rollback.
          if ((error as { code?: string }).code === RemediationCodes.rollbackUnavailable) return;
          throw error;
        }
        totals.rollbackPlans += 1;
        const mark = tenant.calls.all().length;
        await applyWithFault(rollback, new InMemoryJournal(), rollbackFault, new Set());
        const undo = recordedWrites(tenant, mark);
        expect(undeclaredWrites(rollback, undo), `rollback of ${describeRun(plan, fault)}: ${describeRun(rollback, rollbackFault)}`).toEqual([]);
        totals.rollback += undo.length;
      }),
      { numRuns: 10 },
    );
    // Not vacuous: the scenario's plans wrote (so the subset check compared something).
    expect(totals.forward - before.forward, "forward writes").toBeGreaterThan(0);
  }, 120_000);

  it("compared writes of forward and rollback plans (the property did not pass by writing nothing)", () => {
    expect(totals.forward).toBeGreaterThan(30);
    expect(totals.rollbackPlans).toBeGreaterThan(5);
    expect(totals.rollback).toBeGreaterThan(5);
  });
});
