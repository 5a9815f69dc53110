import { describe, expect, it } from "vitest";
import { retryAfterMs } from "../azure/rest-error-status.js";
import { withThrottleRetry } from "./throttle-retry.js";

const throttled = (headers: Record<string, string> = {}) =>
  Object.assign(new Error("Too Many Requests"), { statusCode: 429, response: { headers: { get: (name: string) => headers[name.toLowerCase()] } } });
const now = Date.parse("2026-06-01T00:00:00Z");

describe("retryAfterMs", () => {
  it("reads retry-after-ms, x-ms-retry-after-ms, Retry-After seconds and Retry-After dates", () => {
    expect(retryAfterMs(throttled({ "retry-after-ms": "250" }), now)).toBe(250);
    expect(retryAfterMs(throttled({ "x-ms-retry-after-ms": "40" }), now)).toBe(40);
    expect(retryAfterMs(throttled({ "retry-after": "7" }), now)).toBe(7000);
    expect(retryAfterMs(throttled({ "retry-after": "Mon, 01 Jun 2026 00:00:30 GMT" }), now)).toBe(30_000);
    expect(retryAfterMs(throttled({ "retry-after": "soon" }), now)).toBeUndefined();
    expect(retryAfterMs(new Error("plain"), now)).toBeUndefined();
  });
});

describe("withThrottleRetry", () => {
  it("waits as asked (capped) and retries only 429", async () => {
    const waits: number[] = [];
    let calls = 0;
    const result = await withThrottleRetry(
      () => {
        calls += 1;
        if (calls === 1) return Promise.reject(throttled({ "retry-after": "600" }));
        if (calls === 2) return Promise.reject(throttled());
        return Promise.resolve("done");
      },
      { now: () => now, maxDelayMs: 5000, sleep: (ms) => Promise.resolve(void waits.push(ms)) },
    );
    expect(result).toBe("done");
    expect(waits).toEqual([5000, 1000 * 2]);
    await expect(withThrottleRetry(() => Promise.reject(Object.assign(new Error("no"), { statusCode: 403 })), { now: () => now })).rejects.toMatchObject({ statusCode: 403 });
  });

  it("gives up after maxRetries with the last 429", async () => {
    let calls = 0;
    const failing = () => {
      calls += 1;
      return Promise.reject(throttled({ "retry-after-ms": "0" }));
    };
    await expect(withThrottleRetry(failing, { now: () => now, maxRetries: 2, sleep: () => Promise.resolve() })).rejects.toMatchObject({ statusCode: 429 });
    expect(calls).toBe(3);
  });

  it("stops waiting when aborted", async () => {
    const controller = new AbortController();
    const pending = withThrottleRetry(() => Promise.reject(throttled({ "retry-after": "60" })), { now: () => now, signal: controller.signal });
    controller.abort(new Error("cancelled"));
    await expect(pending).rejects.toThrow("cancelled");
  });
});
