import type { HttpClient, PipelineRequest } from "@azure/core-rest-pipeline";
import { createHttpHeaders } from "@azure/core-rest-pipeline";
import { describe, expect, it } from "vitest";
import { JsonClient } from "./json-client.js";
import { requestTimeoutPolicy } from "./request-timeout-policy.js";
import { createClientLogger } from "@azure/logger";

const credential = { getToken: () => Promise.resolve({ token: "t", expiresOnTimestamp: Date.now() + 3_600_000 }) };
const identity = { packageName: "core", packageVersion: "0.0.0", logger: createClientLogger("keywarden-core-test") };

/** An HTTP client that records the timeout each attempt was sent with, and answers 503 once, then 200. */
function recordingClient(): HttpClient & { timeouts: number[] } {
  const timeouts: number[] = [];
  return {
    timeouts,
    sendRequest(request: PipelineRequest) {
      timeouts.push(request.timeout);
      const status = timeouts.length === 1 ? 503 : 200;
      return Promise.resolve({ request, status, headers: createHttpHeaders({ "retry-after-ms": "1" }), bodyAsText: "{}" });
    },
  };
}

describe("requestTimeoutInMs", () => {
  it("gives every attempt of a JsonClient request the timeout, retries included", async () => {
    const httpClient = recordingClient();
    const client = new JsonClient(credential, "https://example.test/.default", "https://example.test", identity, {
      httpClient,
      requestTimeoutInMs: 1_500,
      retryOptions: { maxRetries: 2, retryDelayInMs: 1, maxRetryDelayInMs: 2 },
    });
    await client.get("/thing");
    expect(httpClient.timeouts).toEqual([1_500, 1_500]);
  });

  it("leaves a timeout the caller set per call alone, and sends none when not configured", async () => {
    const configured = recordingClient();
    await new JsonClient(credential, "s", "https://example.test", identity, { httpClient: configured, requestTimeoutInMs: 1_500, retryOptions: { maxRetries: 2, retryDelayInMs: 1 } }).get("/x", { requestOptions: { timeout: 99 } });
    expect(configured.timeouts).toEqual([99, 99]);
    const unset = recordingClient();
    await new JsonClient(credential, "s", "https://example.test", identity, { httpClient: unset, retryOptions: { maxRetries: 2, retryDelayInMs: 1 } }).get("/x");
    expect(unset.timeouts).toEqual([0, 0]);
  });

  it("refuses a timeout that is not a positive number of milliseconds", () => {
    expect(() => requestTimeoutPolicy(0)).toThrow(/positive number of milliseconds/);
    expect(() => requestTimeoutPolicy(Number.NaN)).toThrow(expect.objectContaining({ code: "KW_CORE_E0040", category: "invalid-input" }));
  });
});
