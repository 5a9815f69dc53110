import { DefenderAlertsClient } from "@keywarden/alerts";
import { InMemoryJournal, systemClock } from "@keywarden/core";
import type { FakeAzureSeed } from "@keywarden/testing";
import { useFakeAzure } from "@keywarden/testing/vitest";
import { getResponse, http, HttpResponse } from "msw";
import { afterEach, describe, expect, it } from "vitest";
import { alertStateClientFrom, applyPlan, defineRotator, keyVaultDocumentedLimits, planRollback, RateBudgets, RemediationCodes, ROTATION_TAG } from "../src/index.js";
import { buildPlan, common, executorsFor, fastOptions, vaultTarget } from "./support/harness.js";
import { ALERT_ID, ALERT_NAME, RESPONDER_IP, remediationSeed, SUB, VAULT, VAULT_ID } from "./support/seed.js";

/** A secret with five versions (the latest is kept by disable-secrets), and a dozen secrets to rotate. */
const BULK = "bulk-secret";
const BULK_VERSIONS = [1, 2, 3, 4, 5].map((n) => `0c00000000000000000000000000000${n}`);
const ROTATED = Array.from({ length: 8 }, (_, index) => `app-secret-${String(index + 1).padStart(2, "0")}`);

function seed(): FakeAzureSeed {
  const base = remediationSeed();
  const data = base.vaultData?.[VAULT];
  if (data === undefined) throw new Error("the remediation seed has no vault data");
  data.secrets = [
    ...(data.secrets ?? []),
    { name: BULK, versions: BULK_VERSIONS.map((version, index) => ({ value: `bulk-value-${index}`, version, attributes: { created: 1_760_000_000 + index * 1000 } })) },
    ...ROTATED.map((name) => ({ name, versions: [{ value: `old-${name}`, contentType: "application/x-app-secret" }] })),
  ];
  return base;
}

const tenant = useFakeAzure({ seed: seed(), autoAdvanceInMs: 1000 });
afterEach(() => tenant.server.resetHandlers());

const enabledOf = (name: string) =>
  (tenant.state.vaults.get(VAULT_ID)?.secrets.get(name)?.versions ?? []).map((version) => version.attributes.enabled !== false);

const versionUrl = (version: string) => new RegExp(`/secrets/${BULK}/${version}(\\?|$)`);

/** The service handles the request (the write lands), then the connection drops before the answer reaches the client. */
function loseAnswer(method: string, url: RegExp, times = 1): void {
  let left = times;
  tenant.server.use(
    http.all("*", async ({ request }) => {
      if (left === 0 || request.method !== method || !url.test(request.url)) return undefined;
      left -= 1;
      await getResponse([...tenant.handlers], request);
      return HttpResponse.error();
    }),
  );
}

const disablePlan = () =>
  buildPlan([
    {
      kind: "disable-secrets",
      target: { vault: vaultTarget(VAULT), objects: [{ type: "secret", name: BULK, versions: BULK_VERSIONS.slice(0, 4) }] },
      parameters: {},
      ...common,
    },
  ]);

describe("partial progress is journaled as it lands and rolled back for exactly those writes", () => {
  it("rolls back a step that failed after disabling 3 of 4 versions, one of them with its answer lost", async () => {
    tenant.reset();
    const { executors } = executorsFor(tenant);
    const journal = new InMemoryJournal();
    // Version 2's PATCH lands but its answer is lost; version 4's PATCH is refused: the step fails midway.
    loseAnswer("PATCH", versionUrl(BULK_VERSIONS[1] ?? ""));
    tenant.faults.inject({ method: "PATCH", url: versionUrl(BULK_VERSIONS[3] ?? ""), status: 403, body: { error: { code: "Forbidden", message: "injected" } } });
    const result = await applyPlan(disablePlan(), fastOptions(journal, executors, { concurrency: 1 }));
    expect(result.status).toBe("failed");
    expect(enabledOf(BULK)).toEqual([false, false, false, true, true]);

    const entries = await journal.entries();
    const landed = entries.filter((entry) => entry.event === "landed");
    expect(landed.map((entry) => entry.before)).toEqual(
      BULK_VERSIONS.slice(0, 3).map((version) => ({ objects: [{ type: "secret", name: BULK, versions: [{ version, enabled: true }] }] })),
    );
    expect(landed.map((entry) => entry.data?.["answer"])).toEqual(["received", "lost", "received"]);
    expect(landed.every((entry) => entry.code === RemediationCodes.subWriteLanded)).toBe(true);
    expect(landed[1]?.message).toContain("answer was lost");

    const rollback = await planRollback(journal);
    expect(rollback.steps).toMatchObject([{ kind: "enable-versions", target: { objects: [{ type: "secret", name: BULK, versions: BULK_VERSIONS.slice(0, 3) }] } }]);
    tenant.server.resetHandlers();
    tenant.faults.clear();
    const undone = await applyPlan(rollback, fastOptions(journal, executors));
    expect(undone.status).toBe("completed");
    expect(enabledOf(BULK)).toEqual([true, true, true, true, true]);
  });

  it("finds a write whose answer was lost by reading again before failing, and journals it as landed", async () => {
    tenant.reset();
    const { executors } = executorsFor(tenant);
    const journal = new InMemoryJournal();
    // No retries at all: without reading again, the lost answer would fail the step with the write unrecorded.
    loseAnswer("PATCH", versionUrl(BULK_VERSIONS[0] ?? ""));
    const result = await applyPlan(disablePlan(), fastOptions(journal, executors, { concurrency: 1, retry: { maxAttempts: 1, retryDelayInMs: 1, maxRetryDelayInMs: 1 } }));
    expect(result.status, JSON.stringify(result.steps[0]?.error)).toBe("completed");
    expect(enabledOf(BULK)).toEqual([false, false, false, false, true]);
    const landed = (await journal.entries()).filter((entry) => entry.event === "landed");
    expect(landed).toHaveLength(4);
    expect(landed[0]?.data?.["answer"]).toBe("lost");
  });

  it("a step interrupted after some writes is rolled back for those writes only", async () => {
    tenant.reset();
    const { executors } = executorsFor(tenant);
    const journal = new InMemoryJournal();
    const abort = new AbortController();
    // The third PATCH never answers; the apply is aborted while it hangs (the write is not handled).
    tenant.server.use(
      http.patch(versionUrl(BULK_VERSIONS[2] ?? ""), () => {
        abort.abort();
        return HttpResponse.error();
      }),
    );
    const result = await applyPlan(disablePlan(), fastOptions(journal, executors, { concurrency: 1, abortSignal: abort.signal }));
    expect(result.status).toBe("aborted");
    expect(enabledOf(BULK)).toEqual([false, false, true, true, true]);
    const rollback = await planRollback(journal);
    expect(rollback.steps).toMatchObject([{ kind: "enable-versions", target: { objects: [{ name: BULK, versions: BULK_VERSIONS.slice(0, 2) }] } }]);
    tenant.server.resetHandlers();
    expect((await applyPlan(rollback, fastOptions(journal, executors))).status).toBe("completed");
    expect(enabledOf(BULK)).toEqual([true, true, true, true, true]);
  });
});

describe("a rotation mints once per object and step, even under faults", () => {
  const rotatePlan = (names: readonly string[]) =>
    buildPlan([
      {
        kind: "rotate-secrets",
        target: { vault: vaultTarget(VAULT), objects: names.map((name) => ({ type: "secret" as const, name })) },
        parameters: { allowRandomValue: false },
        ...common,
        reversible: false,
        requiresApproval: true,
      },
    ]);

  function countingRotator() {
    const calls = new Map<string, number>();
    const keys = new Map<string, Set<string>>();
    const rotator = defineRotator({
      name: "app-secrets",
      match: { contentTypes: ["application/x-app-secret"] },
      rotate: (request) => {
        calls.set(request.name, (calls.get(request.name) ?? 0) + 1);
        keys.set(request.name, (keys.get(request.name) ?? new Set()).add(request.idempotencyKey));
        return Promise.resolve({ value: `minted-${request.name}-${calls.get(request.name) ?? 0}` });
      },
    });
    return { rotator, calls, keys };
  }

  const storedValue = (name: string) => tenant.state.vaults.get(VAULT_ID)?.secrets.get(name)?.versions.at(-1);

  it("calls the rotator exactly once per object when setSecret keeps failing, and stores that value", async () => {
    tenant.reset();
    const names = ROTATED.slice(0, 3);
    const { rotator, calls, keys } = countingRotator();
    const { executors } = executorsFor(tenant, { rotators: [rotator] });
    // Each secret's first two PUTs fail with a 500 (outcome unknown: the step re-reads, then writes again).
    for (const name of names) tenant.faults.inject({ method: "PUT", url: new RegExp(`/secrets/${name}(\\?|$)`), status: 500, times: 2 });
    const journal = new InMemoryJournal();
    const result = await applyPlan(rotatePlan(names), fastOptions(journal, executors, { retry: { maxAttempts: 8, retryDelayInMs: 1, maxRetryDelayInMs: 2 }, settleInMs: 1 }));
    expect(result.status, JSON.stringify(result.steps[0]?.error)).toBe("completed");
    expect(Object.fromEntries(calls)).toEqual(Object.fromEntries(names.map((name) => [name, 1])));
    for (const name of names) {
      expect(keys.get(name)?.size).toBe(1);
      const latest = storedValue(name);
      expect(latest?.value).toBe(`minted-${name}-1`);
      expect(latest?.tags?.[ROTATION_TAG]).toBeDefined();
    }
    // The journal says a value was minted, by which rotator and key, and never holds the value.
    const entries = await journal.entries();
    const minted = entries.filter((entry) => entry.event === "landed" && entry.data?.["minted"] !== undefined);
    expect(minted).toHaveLength(3);
    expect(JSON.stringify(entries)).not.toContain("minted-app-secret");
  });

  it("resends a throttled setSecret after Retry-After instead of restarting the step (all rotated, none failed, one mint each)", async () => {
    tenant.reset();
    const { rotator, calls } = countingRotator();
    const { executors } = executorsFor(tenant, { rotators: [rotator] });
    // Every secret's first PUT is answered 429: twice as many as the step could restart, had it restarted for each.
    const throttled = new Set<string>();
    tenant.server.use(
      http.put(/\/secrets\/app-secret-\d+(\?|$)/, ({ request }) => {
        const path = new URL(request.url).pathname;
        if (throttled.has(path)) return undefined;
        throttled.add(path);
        return HttpResponse.json({ error: { code: "Throttled", message: "injected 429" } }, { status: 429, headers: { "retry-after": "0" } });
      }),
    );
    const budgets = new RateBudgets(keyVaultDocumentedLimits, systemClock);
    const journal = new InMemoryJournal();
    const result = await applyPlan(rotatePlan(ROTATED), fastOptions(journal, executors, { budgets }));
    expect(result.status, JSON.stringify(result.steps[0]?.error)).toBe("completed");
    expect(throttled.size).toBe(ROTATED.length);
    expect([...calls.values()]).toEqual(ROTATED.map(() => 1));
    for (const name of ROTATED) expect(storedValue(name)?.value).toBe(`minted-${name}-1`);
    // One "started" entry: the step never started over.
    expect((await journal.entries()).filter((entry) => entry.event === "started")).toHaveLength(1);
  });
});

describe("faults that must not stop or cut short the response", () => {
  const firewall = {
    kind: "enable-firewall" as const,
    target: { vault: vaultTarget(VAULT) },
    parameters: { defaultAction: "Deny" as const, bypass: "AzureServices" as const, addIpRules: [RESPONDER_IP], addVirtualNetworkRules: [], consolidate: true, cutOffCallers: [] },
    ...common,
  };
  const disable = {
    kind: "disable-secrets" as const,
    target: { vault: vaultTarget(VAULT), objects: [{ type: "secret" as const, name: BULK, versions: BULK_VERSIONS.slice(0, 4) }] },
    parameters: {},
    ...common,
  };
  const armWrites = () => tenant.calls.all().filter((call) => call.url.includes("management.azure.com") && !["GET", "HEAD"].includes(call.method.toUpperCase()) && call.status !== 401);

  it("Ctrl-C mid-step lets the step in flight finish and journal, and the next one does not start", async () => {
    tenant.reset();
    const { executors } = executorsFor(tenant);
    const stop = new AbortController();
    let patches = 0;
    tenant.server.use(
      http.patch(/\/secrets\//, () => {
        patches += 1;
        // Ctrl-C while the second of four versions is being disabled: the request goes on to the service.
        if (patches === 2) stop.abort();
        return undefined;
      }),
    );
    const journal = new InMemoryJournal();
    const result = await applyPlan(buildPlan([disable, firewall]), fastOptions(journal, executors, { concurrency: 1, stopSignal: stop.signal }));
    expect(result.status).toBe("aborted");
    expect(result.steps.map((step) => step.status)).toEqual(["succeeded", "not-run"]);
    expect(enabledOf(BULK)).toEqual([false, false, false, false, true]);
    expect(armWrites()).toEqual([]);
    expect((await journal.entries()).filter((entry) => entry.event === "succeeded").map((entry) => entry.kind)).toEqual(["disable-secrets"]);
  });

  it("a connection reset on every alert-state write leaves containment running", async () => {
    tenant.reset();
    const alerts = alertStateClientFrom(new DefenderAlertsClient(tenant.credential, { retryOptions: { maxRetries: 0 } }));
    const { executors } = executorsFor(tenant, { alerts });
    let resets = 0;
    tenant.server.use(
      http.all(/management\.azure\.com\/.*\/alerts\//i, ({ request }) => {
        if (["GET", "HEAD"].includes(request.method)) return undefined;
        resets += 1;
        return HttpResponse.error();
      }),
    );
    const alert = { alert: { id: ALERT_ID, systemAlertId: ALERT_NAME, subscriptionId: SUB } };
    const plan = buildPlan([{ kind: "update-alert-state", target: alert, parameters: { state: "InProgress" }, ...common, risk: "safe" }, firewall, disable]);
    const result = await applyPlan(plan, fastOptions(new InMemoryJournal(), executors));
    expect(resets).toBeGreaterThan(0);
    expect(result.steps.map((step) => step.status)).toEqual(["failed", "succeeded", "succeeded"]);
    expect(result.status).toBe("incomplete");
    expect(enabledOf(BULK)).toEqual([false, false, false, false, true]);
    expect(tenant.state.vaults.get(VAULT_ID)?.resource.properties.networkAcls?.defaultAction).toBe("Deny");
  });
});
