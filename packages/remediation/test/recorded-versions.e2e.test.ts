import { InMemoryJournal } from "@keywarden/core";
import type { RecommendedAction, TriageReport } from "@keywarden/triage";
import { useFakeAzure } from "@keywarden/testing/vitest";
import { getResponse, http, HttpResponse } from "msw";
import { afterEach, describe, expect, it } from "vitest";
import {
  applyPlan,
  formatPlan,
  hmacPlanKey,
  InvalidPlanError,
  planResponse,
  planRollback,
  randomValueRotator,
  readObjectVersions,
  RemediationClients,
  RemediationCodes,
  signPlan,
  validatePlan,
  type ObjectTarget,
  type RemediationPlan,
  type RemediationStep,
} from "../src/index.js";
import { computePlanId } from "../src/plan/plan-id.js";
import { buildPlan, common, executorsFor, fastOptions, vaultTarget } from "./support/harness.js";
import { remediationSeed, VAULT, VAULT_ID, VERSIONS } from "./support/seed.js";
import reportFixture from "./fixtures/triage-report.json" with { type: "json" };

const tenant = useFakeAzure({ seed: remediationSeed(), autoAdvanceInMs: 1000 });
afterEach(() => {
  tenant.server.resetHandlers();
  tenant.faults.clear();
});

const READ_AT = "2026-12-02T10:00:00.000Z";
const [A1, A2, A3] = VERSIONS.dbPassword;
const [B1, B2] = VERSIONS.apiToken;

const secret = (name: string) => tenant.state.vaults.get(VAULT_ID)?.secrets.get(name);
const enabledOf = (name: string) => (secret(name)?.versions ?? []).map((version) => version.attributes.enabled !== false);

/** Requests the tenant saw on the vault's data plane (challenge legs excluded), as "METHOD /path". */
const dataPlaneCalls = () =>
  tenant.calls
    .all()
    .filter((call) => call.status !== 401 && new URL(call.url).host === `${VAULT}.vault.azure.net`)
    .map((call) => `${call.method.toUpperCase()} ${new URL(call.url).pathname}`);

/** A triage report whose only action disables db-password's versions a1 and a2 and every version of api-token. */
function triage(): TriageReport {
  const report = structuredClone(reportFixture) as unknown as TriageReport;
  const firewall = report.decision.recommendedActions.find((action) => action.kind === "enable-firewall");
  if (firewall?.kind !== "enable-firewall") throw new Error("the fixture has no enable-firewall action");
  const reason = { findingId: "f1", ruleId: "kv/test", message: "exposed versions" };
  const disable: RecommendedAction = {
    id: "d",
    kind: "disable-secrets",
    target: firewall.target,
    parameters: { names: ["db-password", "api-token"], versions: { "db-password": [A1 ?? "", A2 ?? ""] }, includeExposedFromImpact: false },
    reason,
    reasons: [reason],
    requiresApproval: true,
  };
  report.decision.recommendedActions = [disable];
  return report;
}

/** Plans the response with the versions read from the tenant now (as the CLI does before review). */
async function plannedWithRecording(): Promise<RemediationPlan> {
  const clients = new RemediationClients({ credential: tenant.credential });
  const objects: ObjectTarget[] = [
    { type: "secret", name: "db-password" },
    { type: "secret", name: "api-token" },
  ];
  const observed = await readObjectVersions({ clients, vault: vaultTarget(VAULT), objects, readAt: READ_AT });
  return planResponse(triage(), undefined, { manageAlertState: false, now: READ_AT }, { objectVersions: [observed] });
}

const disableStep = (plan: RemediationPlan) => {
  const step = plan.steps.find((candidate) => candidate.kind === "disable-secrets");
  if (step === undefined) throw new Error("the plan has no disable-secrets step");
  return step;
};

/** The plan with its disable-secrets step changed by `edit`, re-identified (as a hand edit would be). */
function edited(plan: RemediationPlan, edit: (step: RemediationStep) => void): RemediationPlan {
  const copy = structuredClone(plan);
  edit(disableStep(copy));
  const { id: _id, signature: _signature, ...content } = copy;
  return { ...content, id: computePlanId(content), ...(copy.signature === undefined ? {} : { signature: copy.signature }) };
}

describe("disable-secrets with the versions recorded at planning", () => {
  it("records each targeted version and the kept current one in the plan, and the apply writes them without listing again", async () => {
    tenant.reset();
    const plan = await plannedWithRecording();
    const step = disableStep(plan);
    expect(step.precondition.readAt).toBe(READ_AT);
    expect(step.precondition.observed).toEqual({
      objects: [
        { type: "secret", name: "api-token", versions: [{ version: B1, enabled: true }], kept: [{ version: B2, reason: expect.stringContaining("latest enabled version") }] },
        { type: "secret", name: "db-password", versions: [{ version: A1, enabled: true }, { version: A2, enabled: true }] },
      ],
    });
    // The reviewer sees what was recorded and that it is written as recorded.
    expect(formatPlan(plan)).toContain(`recorded at ${READ_AT} for 2 object(s): 3 version(s) enabled (to disable), 0 already disabled; written as recorded, not listed again`);
    expect(formatPlan(plan)).toContain(`keeps 1 current version(s) enabled: secret api-token ${B2?.slice(0, 8)}`);

    tenant.calls.clear();
    const journal = new InMemoryJournal();
    const { executors } = executorsFor(tenant);
    const result = await applyPlan(plan, fastOptions(journal, executors));
    expect(result.status, JSON.stringify(result.steps)).toBe("completed");
    expect(enabledOf("db-password")).toEqual([false, false, true]);
    expect(enabledOf("api-token")).toEqual([false, true]);
    // One PATCH per recorded version, nothing else: no listing, no read-back.
    expect(dataPlaneCalls().sort()).toEqual([`PATCH /secrets/api-token/${B1}`, `PATCH /secrets/db-password/${A1}`, `PATCH /secrets/db-password/${A2}`]);
    expect(result.steps[0]?.warnings.map((warning) => warning.code)).toContain(RemediationCodes.latestVersionKept);
    expect(result.steps[0]?.changes.join(" ")).toContain(`as the plan recorded them at ${READ_AT}, not listed again`);
    // Every write is journaled as it lands, with exactly what it changed.
    const landed = (await journal.entries()).filter((entry) => entry.event === "landed");
    expect(landed).toHaveLength(3);
    expect(landed.every((entry) => entry.data?.["answer"] === "received")).toBe(true);

    // Rollback re-enables exactly those three.
    const rollback = await planRollback(journal);
    const undone = await applyPlan(rollback, fastOptions(journal, executors));
    expect(undone.status).toBe("completed");
    expect(enabledOf("db-password")).toEqual([true, true, true]);
    expect(enabledOf("api-token")).toEqual([true, true]);
  });

  it("reports a version deleted since planning (404 on its update) and skips it; the other versions are disabled", async () => {
    tenant.reset();
    const plan = await plannedWithRecording();
    const versions = secret("db-password")?.versions ?? [];
    versions.splice(versions.findIndex((version) => version.version === A1), 1);
    const { executors } = executorsFor(tenant);
    const result = await applyPlan(plan, fastOptions(new InMemoryJournal(), executors));
    expect(result.status, JSON.stringify(result.steps)).toBe("completed");
    expect(enabledOf("db-password")).toEqual([false, true]);
    expect(enabledOf("api-token")).toEqual([false, true]);
    const gone = result.steps[0]?.warnings.find((warning) => warning.code === RemediationCodes.driftMerged);
    expect(gone?.message).toBe(`secret db-password has no version ${A1} any more (404 on the update); there is nothing left to disable, so it is skipped.`);
  });

  it("stops with a stale-plan error when a recorded secret was deleted since planning", async () => {
    tenant.reset();
    const plan = await plannedWithRecording();
    tenant.state.vaults.get(VAULT_ID)?.secrets.delete("api-token");
    const { executors } = executorsFor(tenant);
    const result = await applyPlan(plan, fastOptions(new InMemoryJournal(), executors, { concurrency: 1 }));
    expect(result.status).toBe("failed");
    expect(result.steps[0]?.error).toMatchObject({ code: RemediationCodes.preconditionFailed, message: expect.stringContaining("secret api-token does not exist in vault kv-prod") });
  });

  it("a dry run shows what the apply would write and reports where the live state differs from the recording", async () => {
    tenant.reset();
    const plan = await plannedWithRecording();
    const drifted = secret("db-password")?.versions.find((version) => version.version === A2);
    if (drifted === undefined) throw new Error("no version a2");
    drifted.attributes.enabled = false;
    tenant.calls.clear();
    const { executors } = executorsFor(tenant);
    const result = await applyPlan(plan, { ...fastOptions(new InMemoryJournal(), executors), dryRun: true });
    expect(result.steps[0]?.status).toBe("would-change");
    expect(result.steps[0]?.changes.join(" ")).toContain("disable 3 version(s) of 2 object(s)");
    const drift = result.steps[0]?.warnings.filter((warning) => warning.code === RemediationCodes.recordedStateDiffers) ?? [];
    expect(drift.map((warning) => warning.message)).toEqual([
      `secret db-password changed since the plan recorded its versions at ${READ_AT} (then: ${A1} enabled, ${A2} enabled; now: ${A1} enabled, ${A2} disabled). A real apply writes what the plan recorded; re-plan to act on the current state.`,
    ]);
    expect(dataPlaneCalls().every((call) => call.startsWith("GET "))).toBe(true);
  });

  it("refuses, before any write, a recording that names a version or an object the step does not target", async () => {
    tenant.reset();
    const plan = await plannedWithRecording();
    const extraVersion = edited(plan, (step) => {
      const observed = step.precondition.observed as { objects: { name: string; versions: { version: string; enabled: boolean }[] }[] };
      observed.objects.find((object) => object.name === "db-password")?.versions.push({ version: A3 ?? "", enabled: true });
    });
    const extraObject = edited(plan, (step) => {
      (step.precondition.observed as { objects: unknown[] }).objects.push({ type: "secret", name: "payroll", versions: [] });
    });
    for (const [candidate, expected] of [
      [extraVersion, `records secret db-password version ${A3}, which its target does not name`],
      [extraObject, "records versions of secret payroll, which it does not target"],
    ] as const) {
      expect(() => validatePlan(candidate)).toThrow(InvalidPlanError);
      expect(() => validatePlan(candidate)).toThrow(expected);
      tenant.calls.clear();
      const { executors } = executorsFor(tenant);
      await expect(applyPlan(candidate, fastOptions(new InMemoryJournal(), executors))).rejects.toMatchObject({ code: RemediationCodes.planInconsistent });
      expect(dataPlaneCalls()).toEqual([]);
    }
    expect(enabledOf("db-password")).toEqual([true, true, true]);
  });

  it("refuses a signed plan whose recording was edited (the kept current version moved to the versions to disable)", async () => {
    tenant.reset();
    const key = hmacPlanKey("plan-signing-key-for-tests-0123456789abcdef");
    const signed = await signPlan(await plannedWithRecording(), key);
    const tampered = edited(signed, (step) => {
      const observed = step.precondition.observed as { objects: { name: string; versions: { version: string; enabled: boolean }[]; kept?: unknown[] }[] };
      const token = observed.objects.find((object) => object.name === "api-token");
      if (token === undefined) throw new Error("no api-token entry");
      token.versions.push({ version: B2 ?? "", enabled: true });
      delete token.kept;
    });
    tenant.calls.clear();
    const { executors } = executorsFor(tenant);
    await expect(applyPlan(tampered, { ...fastOptions(new InMemoryJournal(), executors), planKey: key })).rejects.toMatchObject({ code: RemediationCodes.planSignatureInvalid });
    expect(dataPlaneCalls()).toEqual([]);
    expect(enabledOf("api-token")).toEqual([true, true]);
  });

  it("lists again, at apply, the objects the plan also rotates: the rotation decides which version is kept", async () => {
    tenant.reset();
    const observed = { objects: [{ type: "secret", name: "api-token", versions: [{ version: B1 ?? "", enabled: true }], kept: [{ version: B2 ?? "", reason: "current when planned" }] }] };
    const plan = buildPlan([
      { kind: "rotate-secrets", target: { vault: vaultTarget(VAULT), objects: [{ type: "secret", name: "api-token" }] }, parameters: { allowRandomValue: true }, ...common, reversible: false },
      {
        kind: "disable-secrets",
        target: { vault: vaultTarget(VAULT), objects: [{ type: "secret", name: "api-token" }] },
        parameters: {},
        ...common,
        precondition: { summary: "", observed, readAt: READ_AT },
      },
    ]);
    const { executors } = executorsFor(tenant, { rotators: [randomValueRotator()] });
    const result = await applyPlan(plan, fastOptions(new InMemoryJournal(), executors));
    expect(result.status, JSON.stringify(result.steps)).toBe("completed");
    // The listing after the rotation sees the plan's own new version: the old current one goes too.
    expect(enabledOf("api-token")).toEqual([false, false, true]);
  });

  it("journals partial progress as it lands and rolls back exactly those writes when the step fails midway", async () => {
    tenant.reset();
    const plan = await plannedWithRecording();
    const journal = new InMemoryJournal();
    const { executors } = executorsFor(tenant);
    // api-token's b1 update lands but its answer is lost (found by reading again); db-password's a2 is refused.
    let lost = false;
    tenant.server.use(
      http.all("*", async ({ request }) => {
        if (lost || request.method !== "PATCH" || !new RegExp(`/secrets/api-token/${B1}(\\?|$)`).test(request.url)) return undefined;
        const answer = await getResponse([...tenant.handlers], request);
        // The challenge leg (401) is not the write: only an update the service handled loses its answer.
        if (answer === undefined || answer.status === 401) return answer;
        lost = true;
        return HttpResponse.error();
      }),
    );
    tenant.faults.inject({ method: "PATCH", url: new RegExp(`/secrets/db-password/${A2}(\\?|$)`), status: 403, body: { error: { code: "Forbidden", message: "injected" } } });
    const result = await applyPlan(plan, fastOptions(journal, executors, { concurrency: 1 }));
    expect(result.status).toBe("failed");
    expect(enabledOf("db-password")).toEqual([false, true, true]);
    expect(enabledOf("api-token")).toEqual([false, true]);
    const landed = (await journal.entries()).filter((entry) => entry.event === "landed");
    expect(landed.map((entry) => [entry.before, entry.data?.["answer"]])).toEqual([
      [{ objects: [{ type: "secret", name: "api-token", versions: [{ version: B1, enabled: true }] }] }, "lost"],
      [{ objects: [{ type: "secret", name: "db-password", versions: [{ version: A1, enabled: true }] }] }, "received"],
    ]);
    tenant.server.resetHandlers();
    tenant.faults.clear();
    const rollback = await planRollback(journal);
    expect(rollback.steps).toMatchObject([{ kind: "enable-versions", target: { objects: [{ name: "api-token", versions: [B1] }, { name: "db-password", versions: [A1] }] } }]);
    expect((await applyPlan(rollback, fastOptions(journal, executors))).status).toBe("completed");
    expect(enabledOf("db-password")).toEqual([true, true, true]);
    expect(enabledOf("api-token")).toEqual([true, true]);
  });
});
