import { SecurityCenter } from "@azure/arm-security";
import { SecretClient } from "@azure/keyvault-secrets";
import { describe, expect, it } from "vitest";
import { useFakeAzure } from "../src/vitest.js";
import { baseSeed, RESOURCE_GROUP, SUBSCRIPTION_ID, VAULT_NAME } from "./fixtures/base-seed.js";
import { fetchWithToken } from "./fixtures/sdk-options.js";

const azure = useFakeAzure({ seed: baseSeed(), throttling: { retryAfter: "milliseconds" } });
const ALERTS_URL = `https://management.azure.com/subscriptions/${SUBSCRIPTION_ID}/providers/Microsoft.Security/alerts?api-version=2022-01-01`;
const arm = (url = ALERTS_URL, init?: RequestInit) => fetchWithToken(azure.credential, "https://management.azure.com/.default", url, init);
const noRetry = { retryOptions: { maxRetries: 0 } };
const retrying = { retryOptions: { maxRetries: 3, retryDelayInMs: 1, maxRetryDelayInMs: 10 } };

describe("calls log", () => {
  it("records method, url and status of every request, including the Key Vault challenge leg", async () => {
    const secrets = new SecretClient(`https://${VAULT_NAME}.vault.azure.net`, azure.credential, retrying);
    await secrets.getSecret("db-password");
    await arm();
    const calls = azure.calls.all();
    expect(calls.map((c) => [c.method, c.status])).toEqual([
      ["GET", 401],
      ["GET", 200],
      ["GET", 200],
    ]);
    expect(calls[0]?.url).toContain(`https://${VAULT_NAME}.vault.azure.net/secrets/db-password`);
    expect(azure.calls.count({ url: "management.azure.com" })).toBe(1);
  });
});

describe("faults", () => {
  it("injects a status N times, then lets requests through", async () => {
    const fault = azure.faults.inject({ method: "GET", url: "/subscriptions/*/providers/Microsoft.Security/alerts", status: 503, times: 2 });
    expect((await arm()).status).toBe(503);
    expect((await arm()).status).toBe(503);
    expect((await arm()).status).toBe(200);
    expect(fault.hits).toBe(2);
    expect(azure.calls.all().map((c) => c.intercepted ?? "-")).toEqual(["fault", "fault", "-"]);
  });

  it("lets the SDK retry through transient faults", async () => {
    azure.faults.inject({ url: "https://management.azure.com/**", status: 503, headers: { "retry-after-ms": "1" }, times: 2 });
    const client = new SecurityCenter(azure.credential, SUBSCRIPTION_ID, retrying);
    const alert = await client.alerts.getResourceGroupLevel("westeurope", "alert-rg-1", RESOURCE_GROUP);
    expect(alert.name).toBe("alert-rg-1");
    expect(azure.calls.all().map((c) => c.status)).toEqual([503, 503, 200]);
  });

  it("resets the connection", async () => {
    azure.faults.inject({ url: /Microsoft\.Security\/alerts/u, reset: true });
    await expect(arm()).rejects.toThrow();
    expect(azure.calls.last()).toMatchObject({ status: 0, intercepted: "fault" });
    const client = new SecurityCenter(azure.credential, SUBSCRIPTION_ID, noRetry);
    await expect(client.alerts.list().next()).rejects.toMatchObject({ code: "REQUEST_SEND_ERROR" });
  });

  it("answers with a malformed body", async () => {
    azure.faults.inject({ method: "GET", url: "/subscriptions/*/providers/Microsoft.Security/alerts", malformed: true, times: 1 });
    const client = new SecurityCenter(azure.credential, SUBSCRIPTION_ID, noRetry);
    await expect(client.alerts.list().next()).rejects.toThrow();
  });

  it("delays a request and then serves it", async () => {
    azure.faults.inject({ url: "/subscriptions/**", delayInMs: 30, times: 1 });
    const started = performance.now();
    expect((await arm()).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
  });

  it("matches the method and refuses empty or invalid specs", () => {
    azure.faults.inject({ method: "POST", url: "/**", status: 500 });
    expect(azure.faults.list()).toHaveLength(1);
    expect(() => azure.faults.inject({ url: "/**" })).toThrow(/at least one/u);
    expect(() => azure.faults.inject({ url: "/**" })).toThrow(expect.objectContaining({ code: "KW_TESTING_E0003" }));
    expect(() => azure.faults.inject({ url: "/**", status: 500, times: 0 })).toThrow(/positive integer/u);
  });
});

describe("throttling", () => {
  it("limits secret creates per vault per window and answers 429 with Retry-After", async () => {
    azure.throttling.options.vault.secretCreate = 2;
    azure.throttling.options.windowInMs = 60_000;
    const client = new SecretClient(`https://${VAULT_NAME}.vault.azure.net`, azure.credential, noRetry);
    await client.setSecret("a", "fake-1");
    await client.setSecret("b", "fake-2");
    const error = await client.setSecret("c", "fake-3").catch((e: unknown) => e);
    expect(error).toMatchObject({ statusCode: 429, code: "Throttled" });
    const throttled = azure.calls.last();
    expect(throttled).toMatchObject({ status: 429, intercepted: "throttled" });
    // Reads are counted separately ("all other transactions").
    expect((await client.getSecret("a")).value).toBe("fake-1");
  });

  it("lets the SDK wait out a scaled-down window", async () => {
    azure.throttling.options.vault.other = 1;
    azure.throttling.options.windowInMs = 40;
    // A time source that moves 15 ms per look, so the outcome does not depend on how busy the machine is.
    let now = 0;
    azure.throttling.options.now = () => (now += 15);
    const client = new SecretClient(`https://${VAULT_NAME}.vault.azure.net`, azure.credential, retrying);
    await client.getSecret("db-password");
    expect((await client.getSecret("db-password")).value).toBe("fake-db-password-1");
    const throttled = azure.calls.filter({ status: 429 });
    expect(throttled.length).toBeGreaterThanOrEqual(1);
    expect(throttled.every((c) => c.intercepted === "throttled")).toBe(true);
    expect(azure.calls.last()?.status).toBe(200);
  });

  it("empties ARM read buckets per subscription and caller", async () => {
    azure.throttling.options.arm.reads = { capacity: 2, refillPerSecond: 0.001 };
    expect((await arm()).status).toBe(200);
    expect((await arm()).status).toBe(200);
    const throttled = await arm();
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await throttled.json()).toMatchObject({ error: { code: "SubscriptionRequestsThrottled" } });
  });

  it("can be turned off", () => {
    azure.throttling.options.enabled = false;
    expect(azure.throttling.armRequest(SUBSCRIPTION_ID, "x", "reads")).toBeUndefined();
  });
});

describe("clock", () => {
  it("is frozen at the seed's time and moves only when told", async () => {
    expect(azure.clock.iso()).toBe("2026-01-15T12:00:00.000Z");
    azure.clock.advance(90_000);
    await arm(`https://management.azure.com/subscriptions/${SUBSCRIPTION_ID}/providers/Microsoft.Security/alertsSuppressionRules/r1?api-version=2019-01-01-preview`, {
      method: "PUT",
      body: JSON.stringify({ properties: { alertType: "KV_TORAccess", reason: "Other", state: "Enabled" } }),
    });
    expect(azure.state.suppressionRules.get(`/subscriptions/${SUBSCRIPTION_ID}/providers/Microsoft.Security/alertsSuppressionRules/r1`)?.properties.lastModifiedUtc).toBe(
      "2026-01-15T12:01:30.0000000Z",
    );
    expect(() => azure.clock.advance(-1)).toThrow(expect.objectContaining({ code: "KW_TESTING_E0004" }));
  });

  it("is reset to the seed's time between tests", () => {
    expect(azure.clock.iso()).toBe("2026-01-15T12:00:00.000Z");
    expect(azure.calls.length).toBe(0);
  });
});

describe("requests the fake does not understand", () => {
  it("answer 501 naming the request on ARM", async () => {
    const response = await arm(`https://management.azure.com/subscriptions/${SUBSCRIPTION_ID}/providers/Microsoft.Compute/virtualMachines?api-version=2024-03-01`);
    expect(response.status).toBe(501);
    expect(await response.json()).toMatchObject({ error: { code: "FakeAzureUnsupportedRequest", message: expect.stringContaining("Microsoft.Compute/virtualMachines") } });
  });

  it("answer 405 for a known path with an unsupported method", async () => {
    expect((await arm(ALERTS_URL, { method: "DELETE" })).status).toBe(405);
  });
});

describe("reset", () => {
  it("restores the throttling limits the tenant was created with", () => {
    expect(azure.throttling.options.enabled).toBe(true);
    expect(azure.throttling.options.vault.secretCreate).toBe(300);
    expect(azure.throttling.options.arm.reads.capacity).toBe(250);
  });
});

describe("requests to hosts the fake does not serve", () => {
  it("fail loudly through msw (onUnhandledRequest: error) and show as unhandled in the call log", async () => {
    await expect(fetch("https://example.invalid/anything")).rejects.toThrow();
    expect(azure.calls.last()).toMatchObject({ host: "example.invalid", unhandled: true });
  });
});
