import { InMemoryJournal } from "@keywarden/core";
import { hmacPlanKey, planResponse, planWithRecordedVersions, RemediationClients, signPlan, type RemediationPlan, type VersionReadBudget } from "@keywarden/remediation";
import type { FakeAzure } from "@keywarden/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createResponseEngine, type Analysis, type ResponseEngine } from "../src/engine/response-engine.js";
import type { ResponderEnvironment } from "../src/environment/responder-environment.js";
import { openSandboxEnvironment } from "../src/environment/sandbox-environment.js";

/**
 * The responder's planning records the versions of what a plan disables (and does not also rotate), so the apply
 * writes them without listing them again. The engine runs the real SDK clients against the sandbox tenant.
 */
const planKey = hmacPlanKey("responder-recorded-versions-test-key-0123456789");
const SECRETS = ["db-connection-string", "jwt-signing-key", "stripe-api-key"];

let env: ResponderEnvironment;
let tenant: FakeAzure;
let engine: ResponseEngine;
let analysis: Analysis;

beforeAll(async () => {
  env = await openSandboxEnvironment();
  tenant = env.tenant!;
  engine = await createResponseEngine({ env, autoApprove: [], vaultLocks: { withVaultLock: (_vault, task) => task() }, journalKey: "responder-test-journal-key-0123456789", planKey });
  const alertId = [...tenant.state.alerts.values()][0]!.id;
  analysis = await engine.analyse(await engine.readAlert(alertId));
});
afterAll(async () => {
  await env?.close();
});

/** The analysis's triage, answered by disabling the exposed secrets only (their owner rotated them at the source). */
/** Plans as the responder's engine does: with the environment's credential and clock. */
const planRecorded = (budget?: Partial<VersionReadBudget>) =>
  planWithRecordedVersions(disableOnly, {
    clients: new RemediationClients({ credential: env.credential, ...(env.retryOptions === undefined ? {} : { clientOptions: { retryOptions: env.retryOptions } }) }),
    readAt: env.now().toISOString(),
    ...(budget === undefined ? {} : { budget }),
  });

const disableOnly = (objectVersions: Parameters<Parameters<typeof planWithRecordedVersions>[0]>[0]) => {
  const triage = structuredClone(analysis.triage);
  triage.decision.recommendedActions = triage.decision.recommendedActions.filter((action) => action.kind === "disable-secrets");
  return planResponse(triage, analysis.impact, { manageAlertState: false, now: env.now().toISOString() }, objectVersions === undefined ? {} : { objectVersions });
};

const secret = (name: string) => [...tenant.state.vaults.values()][0]!.secrets.get(name)!;
const listings = () =>
  tenant.calls
    .all()
    .filter((call) => call.method === "GET" && call.status !== 401)
    .flatMap((call) => /\/secrets\/([^/]+)\/versions$/.exec(new URL(call.url).pathname)?.slice(1) ?? []);
const approveAll = () => ({ approved: true, by: "test", reason: "recorded versions" });

describe("the responder records the versions of what its plan disables", () => {
  it("the default plan rotates what it disables, so nothing is recorded and nothing extra is read", () => {
    const disable = analysis.plan.steps.find((step) => step.kind === "disable-secrets");
    expect(disable?.precondition.observed).toBeUndefined();
  });

  it("records them, applies without a listing, and leaves a version added since planning alone", async () => {
    const plan: RemediationPlan = await planRecorded();
    const step = plan.steps.find((candidate) => candidate.kind === "disable-secrets")!;
    expect((step.precondition.observed as { objects: { name: string }[] }).objects.map((object) => object.name)).toEqual(SECRETS);
    const [exposed, current] = secret("stripe-api-key").versions.map((version) => version.version);

    // A version created after planning (the owner's new value) is not part of what was reviewed.
    const added = "0123456789abcdef0123456789abcdef";
    const template = secret("stripe-api-key").versions.at(-1)!;
    secret("stripe-api-key").versions.push({ ...structuredClone(template), version: added, attributes: { ...template.attributes, enabled: true } });

    tenant.calls.clear();
    const result = await engine.apply({ plan: await signPlan(plan, planKey), journal: new InMemoryJournal(), decisionFor: approveAll });
    expect(result.status, JSON.stringify(result.steps)).toBe("completed");
    expect(listings()).toEqual([]);
    expect(secret("stripe-api-key").versions.map((version) => [version.version, version.attributes.enabled !== false])).toEqual([
      [exposed, false],
      [current, true],
      [added, true],
    ]);
  });

  it("plans anyway when a listing is refused (403): that object is listed at apply and the plan says so", async () => {
    const fault = tenant.faults.inject({ method: "GET", url: "https://*.vault.azure.net/secrets/jwt-signing-key/versions", status: 403, body: { error: { code: "Forbidden", message: "injected" } } });
    const plan = await planRecorded();
    fault.remove();
    const step = plan.steps.find((candidate) => candidate.kind === "disable-secrets")!;
    expect((step.precondition.observed as { objects: { name: string }[] }).objects.map((object) => object.name)).toEqual(["db-connection-string", "stripe-api-key"]);
    expect(plan.warnings.find((warning) => warning.code === "KW_REMEDIATION_W0042")?.message).toContain("secret jwt-signing-key (vault kv-payments-prod)");
    tenant.calls.clear();
    const result = await engine.apply({ plan: await signPlan(plan, planKey), journal: new InMemoryJournal(), decisionFor: approveAll });
    expect(result.status, JSON.stringify(result.steps)).toBe("completed");
    expect(listings()).toEqual(["jwt-signing-key"]);
  });

  it("stops at the budget and says so; the objects past it are listed at apply", async () => {
    const plan = await planRecorded({ maxObjects: 2, budgetInMs: 30_000, concurrency: 1 });
    const step = plan.steps.find((candidate) => candidate.kind === "disable-secrets")!;
    expect((step.precondition.observed as { objects: unknown[] }).objects).toHaveLength(2);
    expect(plan.warnings.find((warning) => warning.code === "KW_REMEDIATION_W0041")?.message).toContain("the versions of 1 object(s) were not read when planning");
  });
});
