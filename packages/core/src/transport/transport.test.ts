import { createHttpHeaders, createPipelineRequest, RestError, type PipelineResponse, type SendRequest } from "@azure/core-rest-pipeline";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RequestTimeoutError } from "../errors/core-error.js";
import { createManualClock } from "../time/manual-clock.js";
import { classifyTransient } from "./classify-transient.js";
import { retryAfterMs, retryAfterMsOf } from "./retry-after.js";
import { retryOnThrottle } from "./retry-on-throttle.js";
import { isNotFound, serviceCodeOf, statusOf } from "./status-of.js";
import { throttleRetryPolicy } from "./throttle-retry-policy.js";

const headers = (values: Record<string, string>) => createHttpHeaders(values);

function restError(status: number, extra: Record<string, string> = {}, code?: string): RestError {
  const request = createPipelineRequest({ url: "https://kv.vault.azure.net/secrets/a" });
  const response: PipelineResponse = { request, status, headers: headers(extra) };
  return new RestError(`HTTP ${status}`, { statusCode: status, request, response, ...(code === undefined ? {} : { code }) });
}

describe("retryAfterMs", () => {
  it("prefers retry-after-ms, then x-ms-retry-after-ms, then Retry-After seconds or date", () => {
    expect(retryAfterMs(headers({ "retry-after-ms": "250", "retry-after": "9" }), 0)).toBe(250);
    expect(retryAfterMs(headers({ "x-ms-retry-after-ms": "40" }), 0)).toBe(40);
    expect(retryAfterMs(headers({ "retry-after": "2" }), 0)).toBe(2000);
    const now = Date.parse("2026-12-01T10:00:00Z");
    expect(retryAfterMs(headers({ "retry-after": "Tue, 01 Dec 2026 10:00:05 GMT" }), now)).toBe(5000);
    expect(retryAfterMs(headers({ "retry-after": "Tue, 01 Dec 2026 09:00:00 GMT" }), now)).toBe(0);
  });

  it("ignores garbage and never answers a negative or NaN wait", () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        const value = retryAfterMs(headers({ "retry-after-ms": a, "retry-after": b }), 0);
        return value === undefined || (Number.isFinite(value) && value >= 0);
      }),
    );
    expect(retryAfterMs(headers({ "retry-after": "soon" }), 0)).toBeUndefined();
    expect(retryAfterMs(undefined, 0)).toBeUndefined();
  });

  it("reads an error's response headers", () => {
    expect(retryAfterMsOf(restError(429, { "retry-after": "3" }), 0)).toBe(3000);
  });
});

describe("statusOf / isNotFound / serviceCodeOf", () => {
  it("reads RestError and Keywarden-shaped errors", () => {
    expect(statusOf(restError(404))).toBe(404);
    expect(isNotFound(restError(404))).toBe(true);
    expect(statusOf({ status: 409 })).toBe(409);
    expect(statusOf(new Error("x"))).toBeUndefined();
    expect(serviceCodeOf(restError(403, {}, "ForbiddenByFirewall"))).toBe("ForbiddenByFirewall");
  });
});

describe("classifyTransient", () => {
  it("classifies throttling, server errors, timeouts and connection failures", () => {
    expect(classifyTransient(restError(429, { "retry-after": "1" }), 0)).toEqual({ reason: "throttled", status: 429, retryAfterInMs: 1000, notProcessed: true });
    expect(classifyTransient(restError(503), 0)).toMatchObject({ reason: "server", notProcessed: false });
    expect(classifyTransient(restError(501), 0)).toBeUndefined();
    expect(classifyTransient(restError(404), 0)).toBeUndefined();
    expect(classifyTransient(new RequestTimeoutError("GET", 5), 0)).toMatchObject({ reason: "timeout" });
    expect(classifyTransient(Object.assign(new Error("refused"), { code: "ECONNREFUSED" }), 0)).toEqual({ reason: "connection", notProcessed: true });
    expect(classifyTransient(Object.assign(new Error("reset"), { code: "ECONNRESET" }), 0)).toEqual({ reason: "connection", notProcessed: false });
    expect(classifyTransient(new Error("boom"), 0)).toBeUndefined();
  });
});

describe("retryOnThrottle", () => {
  it("waits as long as the service asks, on the injected clock, then succeeds", async () => {
    const clock = createManualClock(0);
    let calls = 0;
    const done = retryOnThrottle(
      () => {
        calls += 1;
        return calls < 3 ? Promise.reject(restError(429, { "retry-after": "2" })) : Promise.resolve("ok");
      },
      { clock },
    );
    while (await clock.advanceToNextSleep());
    await expect(done).resolves.toBe("ok");
    expect(calls).toBe(3);
    expect(clock.now()).toBe(4000);
  });

  it("does not retry other failures and gives up after maxRetries", async () => {
    await expect(retryOnThrottle(() => Promise.reject(restError(400)))).rejects.toMatchObject({ statusCode: 400 });
    let calls = 0;
    const clock = createManualClock(0);
    const done = retryOnThrottle(
      () => {
        calls += 1;
        return Promise.reject(restError(429, { "retry-after-ms": "1" }));
      },
      { clock, maxRetries: 2 },
    );
    const settled = done.catch((error: unknown) => error);
    while (await clock.advanceToNextSleep());
    expect(await settled).toMatchObject({ statusCode: 429 });
    expect(calls).toBe(3);
  });
});

describe("throttleRetryPolicy", () => {
  it("resends a 429 after Retry-After and returns the next answer", async () => {
    const clock = createManualClock(0);
    const statuses = [429, 429, 200];
    const seen: number[] = [];
    const next: SendRequest = (request) => {
      const status = statuses.shift()!;
      seen.push(clock.now());
      return Promise.resolve({ request, status, headers: headers(status === 429 ? { "retry-after-ms": "500" } : {}) });
    };
    const policy = throttleRetryPolicy({ clock });
    const pending = policy.sendRequest(createPipelineRequest({ url: "https://kv.vault.azure.net/" }), next);
    while (await clock.advanceToNextSleep());
    expect((await pending).status).toBe(200);
    expect(seen).toEqual([0, 500, 1000]);
  });
});
