import { InMemoryJournal } from "@keywarden/core";
import { useFakeAzure } from "@keywarden/testing/vitest";
import { delay, getResponse, http, HttpResponse } from "msw";
import { afterEach, describe, expect, it } from "vitest";
import { applyPlan } from "../src/index.js";
import { fastOptions } from "./support/harness.js";
import { actionScenarios } from "./support/scenarios.js";
import { remediationSeed } from "./support/seed.js";
import { responseState } from "./support/snapshot.js";

const tenant = useFakeAzure({ seed: remediationSeed(), autoAdvanceInMs: 1000 });
afterEach(() => tenant.server.resetHandlers());

type Fault = 429 | 500 | 503 | "reset" | "timeout";
const FAULTS: Fault[] = [429, 500, 503, "reset", "timeout"];
/**
 * Real time is involved only where a timeout is the fault under test. Ordinary requests to the in-process fake take
 * milliseconds, but a loaded CI runner (several packages' tests on 2 cores) can stall one for hundreds: this margin
 * keeps them from timing out by accident.
 */
const REQUEST_TIMEOUT_MS = 1000;
/** How long an injected "timeout" holds its answer: far beyond the request timeout, so the client always gives up first. */
const TIMEOUT_FAULT_HOLD_MS = 30 * REQUEST_TIMEOUT_MS;
/**
 * The injected timeout lets the service handle the write before the client gives up, so the write has always landed
 * when the engine reads again: the settle wait need not cover any real-time race and stays short.
 */
const SETTLE_MS = 20;

/** Fails exactly the `index`-th request (1-based) the tenant sees, before the service handles it. */
function failRequest(index: number, fault: Fault): void {
  let seen = 0;
  tenant.server.use(
    http.all("*", async ({ request }) => {
      seen += 1;
      if (seen !== index) return undefined;
      if (fault === "reset") return HttpResponse.error();
      if (fault === "timeout") {
        // The service handles the request (a write lands), but its answer never reaches the client, which gives up
        // after its request timeout: exactly the case where a blind retry would do the write twice. The answer is
        // held until the client aborts (or far beyond its timeout), so the outcome never depends on machine speed.
        const response = await getResponse([...tenant.handlers], request);
        await heldUntilAbort(request.signal, TIMEOUT_FAULT_HOLD_MS);
        return response;
      }
      return HttpResponse.json(
        { error: { code: fault === 429 ? "Throttled" : "InternalServerError", message: `injected ${fault}` } },
        { status: fault, headers: fault === 429 || fault === 503 ? { "retry-after": "0" } : {} },
      );
    }),
  );
}

function heldUntilAbort(signal: AbortSignal, capMs: number): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return Promise.race([delay(capMs), new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }))]);
}

describe("fault matrix: every action, every request, every failure", () => {
  for (const scenario of actionScenarios.filter((candidate) => process.env["KW_SCENARIO"] === undefined || candidate.name === process.env["KW_SCENARIO"])) {
    it(`${scenario.name} reaches the fault-free final state after 429/500/503/reset/timeout on each request`, async () => {
      const plan = scenario.plan();
      const apply = (journal: InMemoryJournal) =>
        applyPlan(plan, fastOptions(journal, scenario.harness(tenant).executors, { requestTimeoutInMs: REQUEST_TIMEOUT_MS, settleInMs: SETTLE_MS, retry: { maxAttempts: 8, retryDelayInMs: 1, maxRetryDelayInMs: 4 } }));

      tenant.reset();
      const clean = await apply(new InMemoryJournal());
      expect(clean.status, JSON.stringify(clean.steps[0]?.error)).toBe("completed");
      const expected = responseState(tenant);
      const requests = tenant.calls.length;
      expect(requests).toBeGreaterThan(0);

      for (let index = 1; index <= requests; index += 1) {
        for (const fault of FAULTS) {
          tenant.reset();
          tenant.server.resetHandlers();
          failRequest(index, fault);
          const journal = new InMemoryJournal();
          const first = await apply(journal);
          tenant.server.resetHandlers();
          const second = await apply(journal);
          const where = `${scenario.name}, request ${index}/${requests}, ${fault}: ${first.steps[0]?.error?.message ?? first.status}`;
          expect(second.status, where).toBe("completed");
          expect(responseState(tenant), where).toEqual(expected);
          // Journal consistency: each step finished exactly once, and nothing was written twice.
          const entries = await journal.entries();
          for (const step of plan.steps) {
            const own = entries.filter((entry) => entry.stepId === step.id);
            expect(own.filter((entry) => entry.event === "succeeded").length, where).toBeLessThanOrEqual(1);
            expect(own.some((entry) => entry.event === "succeeded" || entry.event === "skipped"), where).toBe(true);
            expect(own.filter((entry) => entry.event === "failed").every((entry) => entry.error?.code !== undefined), where).toBe(true);
          }
          expect(entries.map((entry) => entry.seq)).toEqual(entries.map((_, i) => i + 1));
        }
      }
      // Each injected timeout costs one real request timeout; the rest is fast. Budget for a loaded runner.
    }, 600_000);
  }
});
