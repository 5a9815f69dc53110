import { InMemoryJournal, type Clock } from "@keywarden/core";
import { createHttpHeaders, createPipelineRequest, RestError } from "@azure/core-rest-pipeline";
import { describe, expect, it } from "vitest";
import {
  applyPlan,
  keyVaultDocumentedLimits,
  RateBudgets,
  scaleLimits,
  type ExecutorRegistry,
  type RemediationStep,
  type StepExecutor,
} from "../src/index.js";
import { TokenBucket } from "../src/internal.js";
import { buildPlan, common } from "./support/harness.js";

/** A clock whose sleeps return at once and move time forward: back-off and budgets become instant and measurable. */
class ManualClock implements Clock {
  time = 1_000_000;
  readonly sleeps: number[] = [];
  now(): number {
    return this.time;
  }
  sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.time += ms;
    return Promise.resolve();
  }
}

/** An executor over an in-memory set of names: the port integrators implement for their own actions. */
function setExecutor<K extends "revoke-sessions" | "enable-versions" = "revoke-sessions">(
  store: Set<string>,
  options: { failWith?: () => unknown; onExecute?: () => void; kind?: K } = {},
): StepExecutor<K> {
  return {
    kind: (options.kind ?? "revoke-sessions") as K,
    vaultPropertyWrite: false,
    inspect: (step) => Promise.resolve({ done: store.has((step as RemediationStep).target.principal?.objectId ?? ""), before: [...store], changes: ["add name"], warnings: [] }),
    async execute(step, _inspection, context) {
      options.onExecute?.();
      await context.call({
        label: "write",
        budget: "graph",
        scope: {},
        idempotent: true,
        run: () => {
          const failure = options.failWith?.();
          if (failure !== undefined) return Promise.reject(failure instanceof Error ? failure : new Error(JSON.stringify(failure)));
          store.add((step as RemediationStep).target.principal?.objectId ?? "");
          return Promise.resolve();
        },
      });
      return { after: [...store] };
    },
  };
}

const step = (objectId: string, requiresApproval = false) => ({
  kind: "revoke-sessions" as const,
  target: { principal: { objectId } },
  parameters: {},
  ...common,
  requiresApproval,
});
const alertStep = (state: "InProgress" | "Resolved" | "Dismissed") => ({
  kind: "update-alert-state" as const,
  target: { alert: { id: "/alerts/a", systemAlertId: "a" } },
  parameters: { state },
  ...common,
  risk: "safe" as const,
});
function alertExecutor(states: string[]): StepExecutor<"update-alert-state"> {
  return {
    kind: "update-alert-state",
    vaultPropertyWrite: false,
    inspect: () => Promise.resolve({ done: false, before: null, changes: [], warnings: [] }),
    execute: (current) => {
      states.push(current.parameters.state);
      return Promise.resolve({ after: { state: current.parameters.state } });
    },
  };
}
const throttled = (status: number, headers: Record<string, string> = {}) =>
  new RestError(`service said ${status}`, {
    statusCode: status,
    response: { status, headers: createHttpHeaders(headers), request: createPipelineRequest({ url: "https://kv.vault.azure.net/x" }) },
  });

describe("applyPlan engine", () => {
  it("never runs a closing step (Resolved or Dismissed) after containment was denied or failed", async () => {
    for (const closing of ["Resolved", "Dismissed"] as const) {
      const states: string[] = [];
      const failing: StepExecutor<"revoke-sessions"> = {
        kind: "revoke-sessions",
        vaultPropertyWrite: false,
        inspect: () => Promise.resolve({ done: false, before: null, changes: ["revoke"], warnings: [] }),
        execute: () => Promise.reject(new RestError("bad request", { statusCode: 400 })),
      };
      const denied = await applyPlan(buildPlan([alertStep("InProgress"), step("a"), alertStep(closing)]), {
        journal: new InMemoryJournal(),
        executors: { "revoke-sessions": setExecutor(new Set()), "update-alert-state": alertExecutor(states) },
        approve: ({ step: asked }) => asked.kind !== "revoke-sessions",
        clock: new ManualClock(),
      });
      expect(denied.steps.map((each) => each.status)).toEqual(["succeeded", "denied", "not-run"]);
      const failed = await applyPlan(buildPlan([alertStep("InProgress"), step("b"), alertStep(closing)]), {
        journal: new InMemoryJournal(),
        executors: { "revoke-sessions": failing, "update-alert-state": alertExecutor(states) },
        approve: () => true,
        clock: new ManualClock(),
      });
      expect(failed.steps.map((each) => each.status)).toEqual(["succeeded", "failed", "not-run"]);
      expect(states).toEqual(["InProgress", "InProgress"]);
    }
  });

  it("denies approval-gated steps without an approve callback and then does not resolve the alert", async () => {
    const store = new Set<string>();
    const states: string[] = [];
    const executors: ExecutorRegistry = { "revoke-sessions": setExecutor(store), "update-alert-state": alertExecutor(states) };
    const journal = new InMemoryJournal();
    // Step b's plan flags say "no approval": revoke-sessions is irreversible, so the engine asks anyway.
    const plan = buildPlan([alertStep("InProgress"), step("a", true), step("b"), alertStep("Resolved")]);
    const result = await applyPlan(plan, { journal, executors, clock: new ManualClock() });
    expect(result.status).toBe("incomplete");
    expect(result.steps.map((each) => each.status)).toEqual(["succeeded", "denied", "denied", "not-run"]);
    expect([...store]).toEqual([]);
    expect(states).toEqual(["InProgress"]);
    const denied = (await journal.entries()).find((entry) => entry.event === "denied");
    expect(denied).toMatchObject({ stepId: "s02-revoke-sessions", code: "KW_REMEDIATION_E0009" });
  });

  it("holds a step awaiting a person (not a denial): journaled awaiting-approval, later steps still run, asked again on resume", async () => {
    const store = new Set<string>();
    const states: string[] = [];
    const executors: ExecutorRegistry = { "revoke-sessions": setExecutor(store), "update-alert-state": alertExecutor(states) };
    const journal = new InMemoryJournal();
    const plan = buildPlan([alertStep("InProgress"), step("a", true), step("b", true), alertStep("Resolved")]);
    // a: nobody has decided yet; b: approved.
    const first = await applyPlan(plan, {
      journal,
      executors,
      clock: new ManualClock(),
      approve: ({ step: asked }) => (asked.target.principal?.objectId === "a" ? { hold: true, reason: "waiting for the on-call approver" } : { approved: true, by: "carol" }),
    });
    expect(first.status).toBe("incomplete");
    expect(first.steps.map((each) => each.status)).toEqual(["succeeded", "awaiting-approval", "succeeded", "not-run"]);
    expect([...store]).toEqual(["b"]);
    expect(states).toEqual(["InProgress"]);
    const entries = await journal.entries();
    expect(entries.some((entry) => entry.event === "denied")).toBe(false);
    const held = entries.find((entry) => entry.event === "awaiting-approval");
    expect(held).toMatchObject({ stepId: "s02-revoke-sessions", code: "KW_REMEDIATION_I0008" });
    expect(held?.message).toContain("waiting for the on-call approver");
    expect(held?.error).toBeUndefined();

    // The person approves: the same plan and journal again asks again and applies it, then resolves the alert.
    const second = await applyPlan(plan, { journal, executors, clock: new ManualClock(), approve: () => ({ approved: true, by: "dana" }) });
    expect(second.status).toBe("completed");
    expect(second.steps.map((each) => each.status)).toEqual(["completed-earlier", "succeeded", "completed-earlier", "succeeded"]);
    expect([...store].sort()).toEqual(["a", "b"]);
  });

  it("journals approvals with who decided, and does not ask again when resuming the same plan", async () => {
    const store = new Set<string>();
    const controller = new AbortController();
    let asked = 0;
    const executors: ExecutorRegistry = {
      "enable-versions": setExecutor(store, { kind: "enable-versions", onExecute: () => (store.size === 0 ? controller.abort() : undefined) }),
    };
    const journal = new InMemoryJournal();
    const plan = buildPlan([{ ...step("a", true), kind: "enable-versions" }]);
    const approve = () => {
      asked += 1;
      return { approved: true, by: "soc-analyst@contoso.example", comment: "ticket 42" };
    };
    const first = await applyPlan(plan, { journal, executors, approve, abortSignal: controller.signal, clock: new ManualClock() });
    expect(first.status).toBe("aborted");
    const second = await applyPlan(plan, { journal, executors, approve, clock: new ManualClock() });
    expect(second.status).toBe("completed");
    expect(asked).toBe(1);
    const approved = (await journal.entries()).filter((entry) => entry.event === "approved");
    expect(approved).toHaveLength(1);
    expect(approved[0]?.data).toMatchObject({ by: "soc-analyst@contoso.example", comment: "ticket 42", approvedPlanId: plan.id, approvedStepId: "s01-enable-versions" });
    expect(approved[0]?.data?.["stepDigest"]).toMatch(/^[0-9a-f]{64}$/);
  });

  it("dry run never writes or asks, and marks every entry", async () => {
    const store = new Set<string>();
    let executed = 0;
    const executors: ExecutorRegistry = { "revoke-sessions": setExecutor(store, { onExecute: () => (executed += 1) }) };
    const journal = new InMemoryJournal();
    const result = await applyPlan(buildPlan([step("a", true)]), { journal, executors, dryRun: true, approve: () => Promise.reject(new Error("asked")) });
    // Revoking sessions always needs a person: the dry run says so (incomplete) instead of calling it completed.
    expect(result).toMatchObject({ dryRun: true, status: "incomplete", steps: [{ status: "would-change", verdict: "needs-approval", changes: ["add name"] }] });
    const approved = await applyPlan(buildPlan([step("a", true)]), { journal, executors, dryRun: true, dryRunApproved: true, approve: () => Promise.reject(new Error("asked")) });
    expect(approved).toMatchObject({ status: "completed", steps: [{ verdict: "would-succeed" }] });
    expect(executed).toBe(0);
    expect((await journal.entries()).every((entry) => entry.dryRun === true)).toBe(true);
  });

  it("retries transient failures within budget, then fails the step and says so in the journal", async () => {
    const clock = new ManualClock();
    const store = new Set<string>();
    const executors: ExecutorRegistry = { "revoke-sessions": setExecutor(store, { failWith: () => throttled(503) }) };
    const journal = new InMemoryJournal();
    const result = await applyPlan(buildPlan([step("a"), step("b")]), {
      journal,
      executors,
      approve: () => true,
      clock,
      retry: { maxAttempts: 4, retryDelayInMs: 1000, maxRetryDelayInMs: 16_000 },
    });
    expect(result.status).toBe("failed");
    expect(result.steps.map((each) => each.status)).toEqual(["failed", "not-run"]);
    expect(result.steps[0]).toMatchObject({ retries: 4, error: { code: "KW_REMEDIATION_E0005", status: 503 } });
    expect(clock.sleeps).toEqual([1000, 2000, 4000]);
    const failed = (await journal.entries()).find((entry) => entry.event === "failed");
    expect(failed?.error).toMatchObject({ code: "KW_REMEDIATION_E0005", status: 503 });
  });

  it("honours Retry-After from a 429 before trying again", async () => {
    const clock = new ManualClock();
    const store = new Set<string>();
    let calls = 0;
    const executors: ExecutorRegistry = {
      "revoke-sessions": setExecutor(store, { failWith: () => (++calls === 1 ? throttled(429, { "retry-after": "7" }) : undefined) }),
    };
    const result = await applyPlan(buildPlan([step("a")]), { journal: new InMemoryJournal(), executors, clock, approve: () => true });
    expect(result.status).toBe("completed");
    expect(clock.sleeps).toContain(7000);
  });

  it("fails a step no executor handles, with a message saying what to pass", async () => {
    const result = await applyPlan(buildPlan([step("a")]), { journal: new InMemoryJournal(), executors: {} });
    expect(result.steps[0]?.error?.code).toBe("KW_REMEDIATION_E0011");
    expect(result.steps[0]?.error?.message).toContain("createAzureExecutors");
  });

  it("rejects an invalid plan before anything is journaled or written", async () => {
    const journal = new InMemoryJournal();
    const plan = buildPlan([step("a")]);
    await expect(applyPlan({ ...plan, id: "kwp_00000000000000000000000000000000" }, { journal, executors: {} })).rejects.toMatchObject({
      code: "KW_REMEDIATION_E0002",
    });
    expect(await journal.entries()).toEqual([]);
  });
});

describe("rate budgets", () => {
  it("budgets secret CREATE at Key Vault's secret limit (300 per 10 s), not at the key CREATE limit (20 per 10 s)", async () => {
    const scope = { vault: "kv1", subscription: "s" };
    const waited = async (kind: "secret-create" | "key-create", creates: number): Promise<number> => {
      const clock = new ManualClock();
      const budgets = new RateBudgets(scaleLimits(keyVaultDocumentedLimits, 0.9), clock);
      const start = clock.now();
      for (let i = 0; i < creates; i += 1) await budgets.acquire(kind, scope);
      return clock.now() - start;
    };
    expect(keyVaultDocumentedLimits.secretCreate).toEqual({ capacity: 300, windowInMs: 10_000 });
    expect(keyVaultDocumentedLimits.keyCreate).toEqual({ capacity: 20, windowInMs: 10_000 });
    // 90% of 300 per 10 s: one every ~37 ms. Three rotations of a burst wait ~74 ms, not the ~1.1 s of the key rate.
    expect(await waited("secret-create", 3)).toBeLessThan(100);
    expect(await waited("key-create", 3)).toBeGreaterThanOrEqual(1000);
  });

  it("starts a new bucket with its burst (5% of a window), then spreads requests at its rate", async () => {
    const clock = new ManualClock();
    // ARM reads at the documented 250 per 10 s with the default 90% share: a burst of 12, then one every ~44 ms.
    const bucket = new TokenBucket(scaleLimits(keyVaultDocumentedLimits, 0.9).armReads, clock);
    expect(bucket.burst).toBe(12);
    for (let i = 0; i < 12; i += 1) await bucket.acquire();
    expect(clock.sleeps).toEqual([]);
    await bucket.acquire();
    expect(clock.sleeps.reduce((sum, ms) => sum + ms, 0)).toBeGreaterThanOrEqual(44);
  });

  it("spreads requests at the budget's rate and pauses everyone after a 429", async () => {
    const clock = new ManualClock();
    const bucket = new TokenBucket({ capacity: 10, windowInMs: 1000 }, clock);
    const start = clock.now();
    for (let i = 0; i < 21; i += 1) await bucket.acquire();
    expect(clock.now() - start).toBeGreaterThanOrEqual(1900);
    expect(clock.now() - start).toBeLessThanOrEqual(2100);
    bucket.pause(5000);
    const paused = clock.now();
    await bucket.acquire();
    expect(clock.now() - paused).toBeGreaterThanOrEqual(5000);
  });

  it("charges data-plane requests to the vault and the subscription", () => {
    const one = { capacity: 1, windowInMs: 1 };
    const budgets = new RateBudgets(
      { vault: one, secretCreate: { capacity: 2, windowInMs: 1 }, keyCreate: { capacity: 3, windowInMs: 1 }, subscription: one, armReads: one, armWrites: one },
      new ManualClock(),
    );
    expect(budgets.bucketsFor("data", { vault: "KV1", subscription: "S" })).toHaveLength(2);
    expect(budgets.bucketsFor("secret-create", { vault: "kv1", subscription: "s" }).map((bucket) => bucket.spec.capacity)).toEqual([1, 2, 1]);
    expect(budgets.bucketsFor("key-create", { vault: "kv1", subscription: "s" }).map((bucket) => bucket.spec.capacity)).toEqual([1, 3, 1]);
    expect(budgets.bucketsFor("data", { vault: "kv1", subscription: "s" })[0]).toBe(budgets.bucketsFor("data", { vault: "KV1", subscription: "S" })[0]);
  });
});
