import { type TokenCredential } from "@azure/core-auth";
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DefenderAlertsClient, DefenderAlertsError, type DefenderAlertsClientOptions } from "../src/index.js";
import { fixture } from "./load-fixture.js";

/*
 * Small local msw handlers for the Alerts API (list with nextLink paging, get, state POSTs, simulate), with a
 * per-path 429 fault switch. The @keywarden/testing fake tenant replaces them once its alerts API is stable.
 */

const ARM = "https://management.azure.com";
const subA = "0f907ea4-bc8b-4c11-9d7e-805c2fd144fb";
const subB = "6b1f1a3c-2d4e-4f5a-8b9c-0d1e2f3a4b5c";
const credential: TokenCredential = { getToken: () => Promise.resolve({ token: "fake-token", expiresOnTimestamp: Date.now() + 3_600_000 }) };
const clientOptions: DefenderAlertsClientOptions = { clientOptions: { retryOptions: { maxRetries: 3, retryDelayInMs: 1, maxRetryDelayInMs: 10 } } };

interface ArmAlert {
  id: string;
  name: string;
  properties: { status: string; alertType: string; [key: string]: unknown };
}

let alerts: ArmAlert[];
let requests: { method: string; url: URL }[];
/** Remaining 429 answers per `METHOD path` (lower-case path). */
let throttle: Map<string, number>;
/** State POSTs that answer 204 but change nothing (azure-cli #20487). */
let ignorePosts: boolean;
/** Alert ids (lower-case) whose POSTs answer 403. */
let forbidden: Set<string>;
let simulateBodies: unknown[];

function vmAlert(): ArmAlert {
  const alert = structuredClone(fixture("GetAlertsSubscription_example.json").responses["200"].body.value[0]) as ArmAlert;
  alert.id = `/subscriptions/${subA}/resourceGroups/myRg1/providers/Microsoft.Security/locations/westeurope/alerts/vm-alert-1`;
  alert.name = "vm-alert-1";
  return alert;
}

function realAlert(name: string, subscriptionId: string, resourceGroup: string | undefined, generated: string): ArmAlert {
  const alert = structuredClone(fixture("cross-channel/arm.json")) as ArmAlert;
  const scope = resourceGroup === undefined ? `/subscriptions/${subscriptionId}` : `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}`;
  alert.id = `${scope}/providers/Microsoft.Security/locations/westeurope/alerts/${name}`;
  alert.name = name;
  alert.properties.systemAlertId = name;
  alert.properties.timeGeneratedUtc = generated;
  return alert;
}

function resetTenant(): void {
  const simulated = (fixture("kv-simulated-alerts.xsoar-excerpt.json").value as ArmAlert[]).slice(0, 3);
  alerts = [
    ...simulated,
    vmAlert(),
    realAlert("real-1", subA, "prod-secrets-rg", "2025-03-14T21:49:02.6627291Z"),
    realAlert("real-2", subA, undefined, "2025-03-10T08:00:00.1234567Z"),
    realAlert("real-3", subB, "prod-secrets-rg", "2025-03-15T10:00:00Z"),
  ];
  requests = [];
  throttle = new Map();
  ignorePosts = false;
  forbidden = new Set();
  simulateBodies = [];
}

const pageSize = 3;

const server = setupServer(
  http.all(`${ARM}/*`, async ({ request }) => {
    const url = new URL(request.url);
    requests.push({ method: request.method, url });
    if (request.headers.get("authorization") !== "Bearer fake-token") return new HttpResponse(null, { status: 401 });
    const path = decodeURIComponent(url.pathname);
    const key = `${request.method} ${path.toLowerCase()}`;
    const remaining = throttle.get(key) ?? 0;
    if (remaining > 0) {
      throttle.set(key, remaining - 1);
      return HttpResponse.json({ error: { code: "TooManyRequests", message: "Rate limit" } }, { status: 429, headers: { "Retry-After": "0" } });
    }
    const apiVersion = url.searchParams.get("api-version");

    const list = /^\/subscriptions\/([^/]+)\/providers\/Microsoft\.Security\/alerts$/i.exec(path);
    if (list !== null && request.method === "GET") {
      expect(apiVersion).toBe("2021-11-01");
      const mine = alerts.filter((alert) => alert.id.toLowerCase().startsWith(`/subscriptions/${list[1]!.toLowerCase()}/`));
      const skip = Number(url.searchParams.get("$skiptoken") ?? "0");
      const value = mine.slice(skip, skip + pageSize);
      const nextLink = skip + pageSize < mine.length ? `${ARM}${path}?api-version=2021-11-01&$skiptoken=${skip + pageSize}` : undefined;
      return HttpResponse.json(nextLink === undefined ? { value } : { value, nextLink });
    }

    const simulate = /^\/subscriptions\/[^/]+\/providers\/Microsoft\.Security\/locations\/([^/]+)\/alerts\/default\/simulate$/i.exec(path);
    if (simulate !== null && request.method === "POST") {
      simulateBodies.push({ location: simulate[1], body: await request.json() });
      // The 2022-01-01 example answers 202; arm-security 5's spec (2021-11-01) says 204. Alternate to cover both.
      return new HttpResponse(null, { status: simulateBodies.length % 2 === 1 ? 202 : 204 });
    }

    const action = /^(.*\/providers\/Microsoft\.Security\/locations\/[^/]+\/alerts\/[^/]+)\/(dismiss|resolve|activate|inProgress)$/i.exec(path);
    if (action !== null && request.method === "POST") {
      expect(apiVersion).toBe(action[2] === "inProgress" ? "2022-01-01" : "2021-11-01");
      const alert = alerts.find((candidate) => candidate.id.toLowerCase() === action[1]!.toLowerCase());
      if (alert === undefined) return HttpResponse.json({ error: { code: "NotFound", message: "No alert" } }, { status: 404 });
      if (forbidden.has(alert.id.toLowerCase())) return HttpResponse.json({ error: { code: "AuthorizationFailed", message: "No" } }, { status: 403 });
      const statuses: Record<string, string> = { dismiss: "Dismissed", resolve: "Resolved", activate: "Active", inprogress: "InProgress" };
      if (!ignorePosts) alert.properties.status = statuses[action[2]!.toLowerCase()]!;
      return new HttpResponse(null, { status: 204 });
    }

    if (request.method === "GET") {
      const alert = alerts.find((candidate) => candidate.id.toLowerCase() === path.toLowerCase());
      if (alert !== undefined) return HttpResponse.json(alert);
      return HttpResponse.json({ error: { code: "NotFound", message: "No alert" } }, { status: 404 });
    }
    return HttpResponse.json({ error: { code: "BadRequest", message: `Unexpected ${request.method} ${path}` } }, { status: 400 });
  }),
);

beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
beforeEach(resetTenant);
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const idOf = (name: string): string => alerts.find((alert) => alert.name === name)!.id;
const posts = (): string[] => requests.filter((request) => request.method === "POST").map((request) => request.url.pathname.split("/").pop()!);

describe("DefenderAlertsClient.listAlerts", () => {
  it("pages over nextLink across several subscriptions, returning only real Key Vault alerts by default", async () => {
    const client = new DefenderAlertsClient(credential, clientOptions);
    const seen: string[] = [];
    for await (const alert of client.listAlerts({ subscriptionIds: [subA, subB] })) seen.push(alert.systemAlertId);
    expect(seen).toEqual(["real-1", "real-2", "real-3"]);
    const listCalls = requests.filter((request) => request.method === "GET" && request.url.pathname.endsWith("/alerts"));
    expect(listCalls.map((request) => [request.url.pathname.split("/")[2], request.url.searchParams.get("$skiptoken")])).toEqual([
      [subA, null],
      [subA, "3"],
      [subB, null],
    ]);
  });

  it("includes simulated alerts on request and exposes pages through byPage()", async () => {
    const client = new DefenderAlertsClient(credential, clientOptions);
    const pages: string[][] = [];
    for await (const page of client.listAlerts({ subscriptionIds: [subA, subB], includeSimulated: true }).byPage()) {
      pages.push(page.map((alert) => alert.alertType));
    }
    // Page 2 of subA held the VM alert (filtered out) beside real-1 and real-2.
    expect(pages).toEqual([
      ["SIMULATED_KV_OperationVolumeAnomaly", "SIMULATED_KV_AccountVolumeAnomaly", "SIMULATED_KV_ListGetAnomaly"],
      ["KV_SuspiciousIPAccess", "KV_SuspiciousIPAccess"],
      ["KV_SuspiciousIPAccess"],
    ]);
  });

  it("filters by since (generatedTime) and kinds, keeping full timestamp precision", async () => {
    const client = new DefenderAlertsClient(credential, clientOptions);
    const recent = [];
    for await (const alert of client.listAlerts({ subscriptionIds: [subA, subB], since: "2025-03-14T00:00:00Z" })) recent.push(alert);
    expect(recent.map((alert) => alert.systemAlertId)).toEqual(["real-1", "real-3"]);
    expect(recent[0]!.generatedTime).toBe("2025-03-14T21:49:02.6627291Z");
    const tor = [];
    for await (const alert of client.listAlerts({ subscriptionIds: [subA], kinds: ["KV_TORAccess"], includeSimulated: true })) tor.push(alert);
    expect(tor).toEqual([]);
    const listGet = [];
    for await (const alert of client.listAlerts({ subscriptionIds: [subA], kinds: ["KV_ListGetAnomaly"], includeSimulated: true, since: new Date(0) })) listGet.push(alert);
    expect(listGet.map((alert) => alert.kind)).toEqual(["KV_ListGetAnomaly"]);
  });

  it("rejects invalid subscription ids and since values before any request", () => {
    const client = new DefenderAlertsClient(credential, clientOptions);
    expect(() => client.listAlerts({ subscriptionIds: ["not-a-guid"] })).toThrowError(DefenderAlertsError);
    expect(() => client.listAlerts({ subscriptionIds: [subA], since: "yesterday" })).toThrowError(/since/);
    expect(requests).toEqual([]);
  });

  it("turns an ARM error into a DefenderAlertsError naming the subscription", async () => {
    const client = new DefenderAlertsClient(credential, { clientOptions: { retryOptions: { maxRetries: 0 } } });
    throttle.set(`GET /subscriptions/${subB}/providers/microsoft.security/alerts`, 1);
    const iterate = async (): Promise<void> => {
      for await (const _ of client.listAlerts({ subscriptionIds: [subB] })) void _;
    };
    await expect(iterate()).rejects.toMatchObject({ code: "KW_ALERTS_E0304", status: 429, message: expect.stringContaining(subB) });
  });
});

describe("DefenderAlertsClient.getAlert", () => {
  it("reads resource-group-level and subscription-level alerts through their ids", async () => {
    const client = new DefenderAlertsClient(credential, clientOptions);
    const rgLevel = await client.getAlert(idOf("real-1"));
    expect(rgLevel).toMatchObject({ systemAlertId: "real-1", kind: "KV_SuspiciousIPAccess", channel: "arm", startTime: "2025-03-14T21:02:11.4410127Z" });
    const subLevel = await client.getAlert(idOf("real-2"));
    expect(subLevel.id).toBe(`/subscriptions/${subA}/providers/Microsoft.Security/locations/westeurope/alerts/real-2`);
  });

  it("reports a missing alert and an invalid id with stable codes", async () => {
    const client = new DefenderAlertsClient(credential, clientOptions);
    await expect(client.getAlert(`/subscriptions/${subA}/providers/Microsoft.Security/locations/westeurope/alerts/nope`)).rejects.toMatchObject({
      code: "KW_ALERTS_E0302",
      status: 404,
    });
    await expect(client.getAlert("/subscriptions/x/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv")).rejects.toMatchObject({ code: "KW_ALERTS_E0301" });
  });
});

describe("DefenderAlertsClient.updateAlertState", () => {
  it("posts the state change (204), then re-reads it to confirm", async () => {
    const client = new DefenderAlertsClient(credential, clientOptions);
    const result = await client.updateAlertState(idOf("real-1"), "dismiss");
    expect(result).toEqual({ id: idOf("real-1"), action: "dismiss", outcome: "updated", previousStatus: "Active", status: "Dismissed" });
    expect(posts()).toEqual(["dismiss"]);
    expect(requests.filter((request) => request.method === "GET")).toHaveLength(2);
  });

  it("skips an alert already in the target state without posting", async () => {
    const client = new DefenderAlertsClient(credential, clientOptions);
    alerts.find((alert) => alert.name === "real-2")!.properties.status = "Resolved";
    const result = await client.updateAlertState({ id: idOf("real-2") }, "resolve");
    expect(result).toMatchObject({ outcome: "skipped", previousStatus: "Resolved" });
    expect(posts()).toEqual([]);
  });

  it("uses the subscription-level and resource-group-level operations as the id says, and inProgress at 2022-01-01", async () => {
    const client = new DefenderAlertsClient(credential, clientOptions);
    await client.updateAlertState(idOf("real-2"), "inProgress");
    await client.updateAlertState(idOf("real-1"), "resolve");
    await client.updateAlertState(idOf("real-1"), "activate");
    const postPaths = requests.filter((request) => request.method === "POST").map((request) => request.url.pathname);
    expect(postPaths).toEqual([
      `/subscriptions/${subA}/providers/Microsoft.Security/locations/westeurope/alerts/real-2/inProgress`,
      `/subscriptions/${subA}/resourceGroups/prod-secrets-rg/providers/Microsoft.Security/locations/westeurope/alerts/real-1/resolve`,
      `/subscriptions/${subA}/resourceGroups/prod-secrets-rg/providers/Microsoft.Security/locations/westeurope/alerts/real-1/activate`,
    ]);
    expect((await client.getAlert(idOf("real-2"))).status).toBe("InProgress");
  });

  it("retries a 429 with Retry-After, then succeeds (SDK retry policy)", async () => {
    const client = new DefenderAlertsClient(credential, clientOptions);
    throttle.set(`POST ${idOf("real-1").toLowerCase()}/dismiss`, 1);
    const result = await client.updateAlertState(idOf("real-1"), "dismiss");
    expect(result.outcome).toBe("updated");
    expect(posts()).toEqual(["dismiss", "dismiss"]);
  });

  it("keeps waiting out 429s after the SDK gives up (bulk, shared pause)", async () => {
    const client = new DefenderAlertsClient(credential, { clientOptions: { retryOptions: { maxRetries: 0 } }, maxThrottleRetries: 5 });
    const ids = ["real-1", "real-2", ...["a", "b", "c"].map((suffix) => `extra-${suffix}`)].map((name) => {
      if (!alerts.some((alert) => alert.name === name)) alerts.push(realAlert(name, subA, "prod-secrets-rg", "2025-03-14T00:00:00Z"));
      return idOf(name);
    });
    for (const id of ids) throttle.set(`POST ${id.toLowerCase()}/dismiss`, 2);
    throttle.set(`GET ${ids[0]!.toLowerCase()}`, 1);
    const results = await client.updateAlertState([...ids, ids[1]!], "dismiss", { concurrency: 3 });
    expect(results.map((result) => result.outcome)).toEqual(["updated", "updated", "updated", "updated", "updated", "skipped"]);
    expect(posts()).toHaveLength(ids.length * 3);
    expect(alerts.filter((alert) => ids.includes(alert.id)).every((alert) => alert.properties.status === "Dismissed")).toBe(true);
  });

  it("gives up after maxThrottleRetries with a throttled error", async () => {
    const client = new DefenderAlertsClient(credential, { clientOptions: { retryOptions: { maxRetries: 0 } }, maxThrottleRetries: 1 });
    throttle.set(`POST ${idOf("real-1").toLowerCase()}/dismiss`, 5);
    await expect(client.updateAlertState(idOf("real-1"), "dismiss")).rejects.toMatchObject({ code: "KW_ALERTS_E0304", status: 429 });
  });

  it("reports a 204 that changed nothing as unverified", async () => {
    const client = new DefenderAlertsClient(credential, clientOptions);
    ignorePosts = true;
    expect(await client.updateAlertState(idOf("real-1"), "dismiss")).toMatchObject({ outcome: "unverified", previousStatus: "Active", status: "Active" });
    expect(await client.updateAlertState(idOf("real-1"), "dismiss", { verify: false })).toMatchObject({ outcome: "updated" });
  });

  it("in bulk, reports per-alert failures and carries on; alone, it throws", async () => {
    const client = new DefenderAlertsClient(credential, clientOptions);
    forbidden.add(idOf("real-2").toLowerCase());
    const results = await client.updateAlertState([idOf("real-1"), idOf("real-2"), idOf("real-3")], "resolve");
    expect(results.map((result) => result.outcome)).toEqual(["updated", "failed", "updated"]);
    expect(results[1]!.error).toMatchObject({ code: "KW_ALERTS_E0302", status: 403 });
    expect(results[1]!.error!.message).toMatch(/Security Admin/);
    await expect(client.updateAlertState(idOf("real-2"), "resolve")).rejects.toBeInstanceOf(DefenderAlertsError);
  });

  it("validates every id before changing anything", async () => {
    const client = new DefenderAlertsClient(credential, clientOptions);
    await expect(client.updateAlertState([idOf("real-1"), "not-an-id"], "dismiss")).rejects.toMatchObject({ code: "KW_ALERTS_E0301" });
    await expect(client.updateAlertState(idOf("real-1"), "delete" as never)).rejects.toMatchObject({ code: "KW_ALERTS_E0303" });
    expect(requests).toEqual([]);
  });

  it("stops when aborted", async () => {
    const client = new DefenderAlertsClient(credential, clientOptions);
    const controller = new AbortController();
    controller.abort();
    await expect(client.updateAlertState([idOf("real-1")], "dismiss", { abortSignal: controller.signal })).rejects.toThrow();
    expect(posts()).toEqual([]);
  });
});

describe("DefenderAlertsClient.simulateAlerts", () => {
  it("asks for the KeyVaults sample bundle in the location", async () => {
    const client = new DefenderAlertsClient(credential, clientOptions);
    await client.simulateAlerts({ subscriptionId: subA, location: "centralus" });
    await client.simulateAlerts({ subscriptionId: subB, location: "westeurope" });
    expect(simulateBodies).toEqual([
      { location: "centralus", body: { properties: { kind: "Bundles", bundles: ["KeyVaults"] } } },
      { location: "westeurope", body: { properties: { kind: "Bundles", bundles: ["KeyVaults"] } } },
    ]);
    await expect(client.simulateAlerts({ subscriptionId: subA, location: "central us/../x" })).rejects.toMatchObject({ code: "KW_ALERTS_E0303" });
  });
});
