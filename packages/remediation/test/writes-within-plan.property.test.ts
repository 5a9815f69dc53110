import { DefenderAlertsClient } from "@keywarden/alerts";
import { InMemoryJournal } from "@keywarden/core";
import { useFakeAzure } from "@keywarden/testing/vitest";
import fc from "fast-check";
import { getResponse, http, HttpResponse } from "msw";
import { afterEach, describe, expect, it } from "vitest";
import { alertStateClientFrom, applyPlan, randomValueRotator, type RemediationPlan, type RemediationStep } from "../src/index.js";
import { recordVersions } from "../src/internal.js";
import { buildPlan, common, executorsFor, fastOptions, vaultTarget } from "./support/harness.js";
import { actionScenarios } from "./support/scenarios.js";
import { ATTACKER, KEY_VAULT_SECRETS_USER, RBAC_VAULT, RBAC_VAULT_ID, remediationSeed, SUB, TENANT, VAULT, VAULT_ID, VERSIONS } from "./support/seed.js";

const tenant = useFakeAzure({ seed: remediationSeed(), autoAdvanceInMs: 1000 });
afterEach(() => tenant.server.resetHandlers());

/**
 * The writes a plan declares, derived from its steps alone (deliberately not from the executors' code): each step
 * kind's documented requests, limited to the targets the step names. A write is "METHOD path" (lower-case, no query).
 */
function declaredWrites(plan: RemediationPlan): ((write: { method: string; host: string; path: string }) => boolean)[] {
  const escape = (text: string) => text.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const rule = (method: string, host: string, path: string) => {
    const pattern = new RegExp(`^${path}$`);
    return (write: { method: string; host: string; path: string }) => write.method === method && write.host === host && pattern.test(write.path);
  };
  const rules: ((write: { method: string; host: string; path: string }) => boolean)[] = [];
  const arm = "management.azure.com";
  for (const step of plan.steps) {
    const vault = step.target.vault;
    const vaultId = vault === undefined ? "" : escape(vault.resourceId);
    const dataHost = vault === undefined ? "" : new URL(vault.vaultUri).host.toLowerCase();
    const objects = step.target.objects ?? [];
    switch (step.kind) {
      case "enable-firewall":
        rules.push(rule("patch", arm, vaultId), rule("put", arm, vaultId));
        break;
      case "remove-access-policy":
      case "restrict-permissions":
        rules.push(rule("put", arm, `${vaultId}/accesspolicies/(remove|replace|add)`));
        if (step.parameters.allowVaultPutFallback) rules.push(rule("put", arm, vaultId));
        break;
      case "remove-role-assignments":
        for (const assignment of step.parameters.assignments ?? []) rules.push(rule("delete", arm, escape(assignment.id)));
        break;
      case "revoke-sessions":
        rules.push(rule("post", "graph.microsoft.com", `/v1\\.0/users/${escape(step.target.principal?.objectId ?? "-")}/revokesigninsessions`));
        break;
      case "rotate-secrets":
        for (const object of objects) {
          if (object.type === "certificate") rules.push(rule("post", dataHost, `/certificates/${escape(object.name)}/create`));
          else rules.push(rule("put", dataHost, `/secrets/${escape(object.name)}`));
        }
        break;
      case "rotate-keys":
        for (const object of objects) rules.push(rule("post", dataHost, `/keys/${escape(object.name)}/rotate`), rule("patch", dataHost, `/keys/${escape(object.name)}/[0-9a-f]+`));
        break;
      case "disable-secrets":
      case "enable-versions":
        for (const object of objects) {
          const versions = object.versions === undefined ? "[0-9a-f]+" : `(${object.versions.map(escape).join("|")})`;
          rules.push(rule("patch", dataHost, `/${object.type}s/${escape(object.name)}/${versions}`));
        }
        break;
      case "delete-secrets":
        for (const object of objects) {
          rules.push(rule("delete", dataHost, `/${object.type}s/${escape(object.name)}`));
          if (step.parameters.purge) rules.push(rule("delete", dataHost, `/deleted${object.type}s/${escape(object.name)}`));
        }
        break;
      case "update-alert-state": {
        const action = { Active: "activate", InProgress: "inprogress", Resolved: "resolve", Dismissed: "dismiss" }[step.parameters.state];
        const alert = step.target.alert;
        if (alert !== undefined) {
          rules.push(rule("post", arm, `/subscriptions/${escape(alert.subscriptionId ?? SUB)}/resourcegroups/[^/]+/providers/microsoft\\.security/locations/[^/]+/alerts/${escape(alert.systemAlertId ?? "-")}/${action}`));
        }
        break;
      }
      default:
        // Tasks (contact-owner, escalate-to-admin) go to a notifier, not to Azure; other kinds are not generated here.
        break;
    }
  }
  return rules;
}

/** Every request the tenant saw that was not a read (challenge legs excluded): what the fake's call log recorded. */
function recordedWrites() {
  return tenant.calls
    .all()
    .filter((call) => !["GET", "HEAD"].includes(call.method.toUpperCase()) && call.status !== 401)
    .map((call) => {
      const url = new URL(call.url);
      return { method: call.method.toLowerCase(), host: url.host.toLowerCase(), path: decodeURIComponent(url.pathname).toLowerCase().replace(/\/$/, "") };
    });
}

/** One step of every built-in action scenario, plus a role-assignment removal that names one of two assignments. */
const pool: RemediationStep[] = [
  ...actionScenarios.flatMap((scenario) => scenario.plan().steps),
  buildPlan([
    {
      kind: "remove-role-assignments",
      target: { vault: vaultTarget(RBAC_VAULT), principal: { objectId: ATTACKER, tenantId: TENANT, type: "user" } },
      parameters: {
        includeInherited: false,
        assignments: [
          {
            id: `${RBAC_VAULT_ID}/providers/Microsoft.Authorization/roleAssignments/11111111-0000-4000-8000-000000000001`,
            scope: RBAC_VAULT_ID,
            roleDefinitionId: `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/${KEY_VAULT_SECRETS_USER}`,
          },
        ],
      },
      ...common,
    },
    { kind: "disable-secrets", target: { vault: vaultTarget(VAULT), objects: [{ type: "secret", name: "db-password" }] }, parameters: {}, ...common },
  ]).steps,
].flat();

/** A disable-secrets step that recorded db-password's versions at planning (as the seed has them): written without listing. */
function recordedDisable(): RemediationStep {
  const [step] = buildPlan([
    {
      kind: "disable-secrets",
      target: { vault: vaultTarget(VAULT), objects: [{ type: "secret", name: "db-password", versions: VERSIONS.dbPassword.slice(0, 2) }] },
      parameters: {},
      ...common,
    },
  ]).steps;
  if (step === undefined) throw new Error("no step");
  const versions = VERSIONS.dbPassword.map((version, index) => ({ version, enabled: true, createdOn: new Date((1_760_000_000 + index * 1000) * 1000).toISOString() }));
  recordVersions(step, [step], [{ vault: VAULT_ID, readAt: "2026-12-02T10:00:00.000Z", objects: [{ type: "secret", name: "db-password", versions }] }], []);
  if (step.precondition.observed === undefined) throw new Error("nothing was recorded");
  return step;
}
pool.push(recordedDisable());

type Fault = { index: number; kind: 429 | 500 | 503 | "reset" | "lost" };

/** Fails the `index`-th non-GET request: before the service (429/500/503/reset) or after it handled it (answer lost). */
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
        { error: { code: fault.kind === 429 ? "Throttled" : "InternalServerError", message: `injected ${fault.kind}` } },
        { status: fault.kind, headers: fault.kind === 500 ? {} : { "retry-after": "0" } },
      );
    }),
  );
}

const generatedPlan = fc
  .shuffledSubarray(pool.map((_, index) => index), { minLength: 1, maxLength: 6 })
  .map((indexes) => buildPlan(indexes.map((index) => {
    const { id: _id, ...draft } = pool[index] as RemediationStep;
    return draft;
  })));
const generatedFault = fc.option(fc.record({ index: fc.integer({ min: 1, max: 8 }), kind: fc.constantFrom<Fault["kind"]>(429, 500, 503, "reset", "lost") }), { nil: undefined });

describe("writes ⊆ plan", () => {
  let checkedWrites = 0;
  it("the writes the tenant records are a subset of the writes the plan declares, for generated plans under faults", async () => {
    await fc.assert(
      fc.asyncProperty(generatedPlan, generatedFault, async (plan, fault) => {
        tenant.reset();
        tenant.server.resetHandlers();
        if (fault !== undefined) inject(fault);
        const alerts = alertStateClientFrom(new DefenderAlertsClient(tenant.credential, { retryOptions: { maxRetries: 0 }, maxThrottleRetries: 0 }));
        const { executors } = executorsFor(tenant, { rotators: [randomValueRotator()], alerts });
        const journal = new InMemoryJournal();
        const options = fastOptions(journal, executors, { retry: { maxAttempts: 3, retryDelayInMs: 1, maxRetryDelayInMs: 2 }, settleInMs: 1 });
        await applyPlan(plan, options);
        tenant.server.resetHandlers();
        await applyPlan(plan, options);
        const declared = declaredWrites(plan);
        const writes = recordedWrites();
        checkedWrites += writes.length;
        const outside = writes.filter((write) => !declared.some((allowed) => allowed(write)));
        expect(outside, `plan ${plan.steps.map((step) => step.kind).join(", ")}; fault ${JSON.stringify(fault)}`).toEqual([]);
      }),
      { numRuns: 30 },
    );
    // Not vacuous: the generated plans wrote (so the subset check compared something).
    expect(checkedWrites).toBeGreaterThan(30);
  }, 300_000);
});
