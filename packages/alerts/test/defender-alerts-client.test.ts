import { type FakeAzureSeed, type SecurityAlert } from "@keywarden/testing";
import { useFakeAzure } from "@keywarden/testing/vitest";
import { describe, expect, it } from "vitest";
import { DefenderAlertsClient, DefenderAlertsError, type DefenderAlertsClientOptions } from "../src/index.js";
import { fixture } from "./load-fixture.js";

/*
 * DefenderAlertsClient through the real @azure/arm-security client against the @keywarden/testing fake tenant
 * (msw, onUnhandledRequest: "error"). The fake pages lists 100 at a time over nextLink; faults inject 429s,
 * 403s and a 204 that changes nothing.
 */

const ARM = "https://management.azure.com";
const subA = "0f907ea4-bc8b-4c11-9d7e-805c2fd144fb";
const subB = "6b1f1a3c-2d4e-4f5a-8b9c-0d1e2f3a4b5c";
const fastRetries: DefenderAlertsClientOptions = { retryOptions: { maxRetries: 3, retryDelayInMs: 1, maxRetryDelayInMs: 10 } };
const noSdkRetries: DefenderAlertsClientOptions = { retryOptions: { maxRetries: 0 } };

function realAlert(name: string, subscriptionId: string, resourceGroup: string | undefined, generated: string): SecurityAlert {
  const alert = structuredClone(fixture("cross-channel/arm.json")) as SecurityAlert;
  const scope = resourceGroup === undefined ? `/subscriptions/${subscriptionId}` : `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}`;
  alert.id = `${scope}/providers/Microsoft.Security/locations/westeurope/alerts/${name}`;
  alert.name = name;
  alert.properties.systemAlertId = name;
  alert.properties.timeGeneratedUtc = generated;
  return alert;
}

const simulated = (fixture("kv-simulated-alerts.xsoar-excerpt.json").value as SecurityAlert[]).slice(0, 3);
const vm = fixture("GetAlertsSubscription_example.json").responses["200"].body.value[0] as SecurityAlert;
vm.id = `/subscriptions/${subA}/resourceGroups/myRg1/providers/Microsoft.Security/locations/westeurope/alerts/vm-alert-1`;
/** 120 more alerts in subA so its list takes two pages of 100. */
const filler = Array.from({ length: 120 }, (_, index) => realAlert(`bulk-${index}`, subA, "prod-secrets-rg", "2025-01-01T00:00:00.0000000Z"));

const seed: FakeAzureSeed = {
  time: "2025-03-20T00:00:00Z",
  subscriptions: [{ subscriptionId: subA }, { subscriptionId: subB }],
  resourceGroups: [
    { id: `/subscriptions/${subA}/resourceGroups/prod-secrets-rg`, location: "westeurope" },
    { id: `/subscriptions/${subA}/resourceGroups/Sample-RG`, location: "centralus" },
    { id: `/subscriptions/${subA}/resourceGroups/myRg1`, location: "westeurope" },
    { id: `/subscriptions/${subB}/resourceGroups/prod-secrets-rg`, location: "westeurope" },
  ],
  alerts: [
    ...simulated,
    vm,
    realAlert("real-1", subA, "prod-secrets-rg", "2025-03-14T21:49:02.6627291Z"),
    realAlert("real-2", subA, undefined, "2025-03-10T08:00:00.1234567Z"),
    ...filler,
    realAlert("real-3", subB, "prod-secrets-rg", "2025-03-15T10:00:00Z"),
  ],
};

const azure = useFakeAzure({ seed, throttling: false });

const idOf = (name: string): string => {
  for (const alert of azure.state.alerts.values()) if (alert.name === name) return alert.id;
  throw new Error(`no alert ${name}`);
};
const statusOf = (name: string): string | undefined => azure.state.alerts.get(idOf(name))?.properties.status;
const posts = (): string[] => azure.calls.filter({ method: "POST" }).map((call) => new URL(call.url).pathname.split("/").pop()!);

describe("DefenderAlertsClient.listAlerts", () => {
  it("pages over nextLink across several subscriptions, returning only real Key Vault alerts by default", async () => {
    const client = new DefenderAlertsClient(azure.credential, fastRetries);
    const seen: string[] = [];
    for await (const alert of client.listAlerts({ subscriptionIds: [subA, subB] })) seen.push(alert.systemAlertId);
    expect(seen).toHaveLength(123);
    expect(seen.slice(0, 2)).toEqual(["real-1", "real-2"]);
    expect(seen.at(-1)).toBe("real-3");
    const listCalls = azure.calls.filter({ method: "GET", url: /\/providers\/Microsoft\.Security\/alerts\?/i }).map((call) => new URL(call.url));
    expect(listCalls.map((url) => [url.pathname.split("/")[2], url.searchParams.get("$skipToken"), url.searchParams.get("api-version")])).toEqual([
      [subA, null, "2021-11-01"],
      [subA, "100", "2021-11-01"],
      [subB, null, "2021-11-01"],
    ]);
  });

  it("includes simulated alerts on request and exposes pages through byPage()", async () => {
    const client = new DefenderAlertsClient(azure.credential, fastRetries);
    const pages: number[] = [];
    const types = new Set<string>();
    for await (const page of client.listAlerts({ subscriptionIds: [subA, subB], includeSimulated: true }).byPage()) {
      pages.push(page.length);
      for (const alert of page) types.add(alert.alertType);
    }
    // subA page 1: 3 simulated + real-1 + real-2 + 95 filler (the VM alert filtered out); page 2: 25 filler.
    expect(pages).toEqual([99, 26, 1]);
    expect(types.has("VM_EICAR")).toBe(false);
    expect(types.has("SIMULATED_KV_ListGetAnomaly")).toBe(true);
  });

  it("filters by since (generatedTime) and kinds, keeping full timestamp precision", async () => {
    const client = new DefenderAlertsClient(azure.credential, fastRetries);
    const recent = [];
    for await (const alert of client.listAlerts({ subscriptionIds: [subA, subB], since: "2025-03-14T00:00:00Z" })) recent.push(alert);
    expect(recent.map((alert) => alert.systemAlertId)).toEqual(["real-1", "real-3"]);
    expect(recent[0]!.generatedTime).toBe("2025-03-14T21:49:02.6627291Z");
    const listGet = [];
    for await (const alert of client.listAlerts({ subscriptionIds: [subA], kinds: ["KV_ListGetAnomaly"], includeSimulated: true, since: new Date(0) })) listGet.push(alert);
    expect(listGet.map((alert) => alert.alertType)).toEqual(["SIMULATED_KV_ListGetAnomaly"]);
  });

  it("rejects invalid subscription ids and since values before any request", () => {
    const client = new DefenderAlertsClient(azure.credential, fastRetries);
    expect(() => client.listAlerts({ subscriptionIds: ["not-a-guid"] })).toThrowError(DefenderAlertsError);
    expect(() => client.listAlerts({ subscriptionIds: [subA], since: "yesterday" })).toThrowError(/since/);
    expect(azure.calls.length).toBe(0);
  });

  it("turns an ARM error into a DefenderAlertsError naming the subscription", async () => {
    const client = new DefenderAlertsClient(azure.credential, noSdkRetries);
    azure.faults.inject({ method: "GET", url: `${ARM}/subscriptions/${subB}/providers/Microsoft.Security/alerts`, status: 429, headers: { "Retry-After": "0" }, times: 1 });
    const iterate = async (): Promise<void> => {
      for await (const _ of client.listAlerts({ subscriptionIds: [subB] })) void _;
    };
    await expect(iterate()).rejects.toMatchObject({ code: "KW_ALERTS_E0304", status: 429, message: expect.stringContaining(subB) });
  });
});

describe("DefenderAlertsClient.getAlert", () => {
  it("reads resource-group-level and subscription-level alerts through their ids", async () => {
    const client = new DefenderAlertsClient(azure.credential, fastRetries);
    const rgLevel = await client.getAlert(idOf("real-1"));
    expect(rgLevel).toMatchObject({ systemAlertId: "real-1", kind: "KV_SuspiciousIPAccess", channel: "arm", startTime: "2025-03-14T21:02:11.4410127Z" });
    const subLevel = await client.getAlert(idOf("real-2"));
    expect(subLevel.id).toBe(`/subscriptions/${subA}/providers/Microsoft.Security/locations/westeurope/alerts/real-2`);
  });

  it("reports a missing alert and an invalid id with stable codes", async () => {
    const client = new DefenderAlertsClient(azure.credential, fastRetries);
    await expect(client.getAlert(`/subscriptions/${subA}/providers/Microsoft.Security/locations/westeurope/alerts/nope`)).rejects.toMatchObject({
      code: "KW_ALERTS_E0302",
      status: 404,
    });
    await expect(client.getAlert("/subscriptions/x/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv")).rejects.toMatchObject({ code: "KW_ALERTS_E0301" });
  });
});

describe("DefenderAlertsClient.updateAlertState", () => {
  it("posts the state change (204), then re-reads it to confirm", async () => {
    const client = new DefenderAlertsClient(azure.credential, fastRetries);
    const result = await client.updateAlertState(idOf("real-1"), "dismiss");
    expect(result).toEqual({ id: idOf("real-1"), action: "dismiss", outcome: "updated", previousStatus: "Active", status: "Dismissed" });
    expect(posts()).toEqual(["dismiss"]);
    expect(azure.calls.filter({ method: "POST" })[0]!.status).toBe(204);
    expect(azure.calls.count({ method: "GET" })).toBe(2);
    expect(statusOf("real-1")).toBe("Dismissed");
  });

  it("skips an alert already in the target state without posting", async () => {
    const client = new DefenderAlertsClient(azure.credential, fastRetries);
    azure.state.alerts.get(idOf("real-2"))!.properties.status = "Resolved";
    const result = await client.updateAlertState({ id: idOf("real-2") }, "resolve");
    expect(result).toMatchObject({ outcome: "skipped", previousStatus: "Resolved" });
    expect(posts()).toEqual([]);
  });

  it("uses the subscription-level and resource-group-level operations as the id says, and inProgress at 2022-01-01", async () => {
    const client = new DefenderAlertsClient(azure.credential, fastRetries);
    await client.updateAlertState(idOf("real-2"), "inProgress");
    await client.updateAlertState(idOf("real-1"), "resolve");
    await client.updateAlertState(idOf("real-1"), "activate");
    const postUrls = azure.calls.filter({ method: "POST" }).map((call) => new URL(call.url));
    expect(postUrls.map((url) => [url.pathname, url.searchParams.get("api-version")])).toEqual([
      [`/subscriptions/${subA}/providers/Microsoft.Security/locations/westeurope/alerts/real-2/inProgress`, "2022-01-01"],
      [`/subscriptions/${subA}/resourceGroups/prod-secrets-rg/providers/Microsoft.Security/locations/westeurope/alerts/real-1/resolve`, "2021-11-01"],
      [`/subscriptions/${subA}/resourceGroups/prod-secrets-rg/providers/Microsoft.Security/locations/westeurope/alerts/real-1/activate`, "2021-11-01"],
    ]);
    expect(statusOf("real-2")).toBe("InProgress");
    expect(statusOf("real-1")).toBe("Active");
  });

  it("retries a 429 with Retry-After, then succeeds (SDK retry policy)", async () => {
    const client = new DefenderAlertsClient(azure.credential, fastRetries);
    azure.faults.inject({ method: "POST", url: `${ARM}${idOf("real-1")}/dismiss`, status: 429, headers: { "Retry-After": "0" }, times: 1 });
    const result = await client.updateAlertState(idOf("real-1"), "dismiss");
    expect(result.outcome).toBe("updated");
    expect(azure.calls.filter({ method: "POST" }).map((call) => call.status)).toEqual([429, 204]);
  });

  it("keeps waiting out 429s after the SDK gives up (bulk, shared pause)", async () => {
    const client = new DefenderAlertsClient(azure.credential, { ...noSdkRetries, maxThrottleRetries: 5 });
    const ids = ["real-1", "real-2", "bulk-0", "bulk-1", "bulk-2"].map(idOf);
    for (const id of ids) azure.faults.inject({ method: "POST", url: `${ARM}${id}/dismiss`, status: 429, headers: { "Retry-After": "0" }, times: 2 });
    azure.faults.inject({ method: "GET", url: `${ARM}${ids[0]!}`, status: 429, headers: { "retry-after-ms": "1" }, times: 1 });
    const results = await client.updateAlertState([...ids, ids[1]!], "dismiss", { concurrency: 3 });
    expect(results.map((result) => result.outcome)).toEqual(["updated", "updated", "updated", "updated", "updated", "skipped"]);
    expect(azure.calls.count({ method: "POST", status: 429 })).toBe(ids.length * 2);
    expect(azure.calls.count({ method: "POST", status: 204 })).toBe(ids.length);
    for (const name of ["real-1", "real-2", "bulk-0", "bulk-1", "bulk-2"]) expect(statusOf(name)).toBe("Dismissed");
  });

  it("gives up after maxThrottleRetries with a throttled error", async () => {
    const client = new DefenderAlertsClient(azure.credential, { ...noSdkRetries, maxThrottleRetries: 1 });
    azure.faults.inject({ method: "POST", url: `${ARM}${idOf("real-1")}/dismiss`, status: 429, headers: { "Retry-After": "0" } });
    await expect(client.updateAlertState(idOf("real-1"), "dismiss")).rejects.toMatchObject({ code: "KW_ALERTS_E0304", status: 429 });
    expect(statusOf("real-1")).toBe("Active");
  });

  it("reports a 204 that changed nothing as unverified (azure-cli #20487)", async () => {
    const client = new DefenderAlertsClient(azure.credential, fastRetries);
    azure.faults.inject({ method: "POST", url: `${ARM}${idOf("real-1")}/dismiss`, status: 204, body: null, times: 2 });
    expect(await client.updateAlertState(idOf("real-1"), "dismiss")).toMatchObject({ outcome: "unverified", previousStatus: "Active", status: "Active" });
    expect(await client.updateAlertState(idOf("real-1"), "dismiss", { verify: false })).toMatchObject({ outcome: "updated" });
  });

  it("in bulk, reports per-alert failures and carries on; alone, it throws", async () => {
    const client = new DefenderAlertsClient(azure.credential, fastRetries);
    azure.faults.inject({ method: "POST", url: `${ARM}${idOf("real-2")}/resolve`, status: 403 });
    const results = await client.updateAlertState([idOf("real-1"), idOf("real-2"), idOf("real-3")], "resolve");
    expect(results.map((result) => result.outcome)).toEqual(["updated", "failed", "updated"]);
    expect(results[1]!.error).toMatchObject({ code: "KW_ALERTS_E0302", status: 403 });
    expect(results[1]!.error!.message).toMatch(/Security Admin/);
    await expect(client.updateAlertState(idOf("real-2"), "resolve")).rejects.toBeInstanceOf(DefenderAlertsError);
  });

  it("validates every id before changing anything", async () => {
    const client = new DefenderAlertsClient(azure.credential, fastRetries);
    await expect(client.updateAlertState([idOf("real-1"), "not-an-id"], "dismiss")).rejects.toMatchObject({ code: "KW_ALERTS_E0301" });
    await expect(client.updateAlertState(idOf("real-1"), "delete" as never)).rejects.toMatchObject({ code: "KW_ALERTS_E0303" });
    expect(azure.calls.length).toBe(0);
  });

  it("stops when aborted", async () => {
    const client = new DefenderAlertsClient(azure.credential, fastRetries);
    const controller = new AbortController();
    controller.abort();
    await expect(client.updateAlertState([idOf("real-1")], "dismiss", { abortSignal: controller.signal })).rejects.toThrow();
    expect(posts()).toEqual([]);
  });
});

describe("DefenderAlertsClient takes core's OperationOptions", () => {
  /** An Azure SDK `AbortSignalLike` that is not a DOM `AbortSignal` (no `throwIfAborted`, no `reason`). */
  const abortedLike = { aborted: true, addEventListener: () => undefined, removeEventListener: () => undefined };

  it("stops on an aborted AbortSignalLike, posting nothing", async () => {
    const client = new DefenderAlertsClient(azure.credential, fastRetries);
    await expect(client.updateAlertState([idOf("real-2")], "resolve", { abortSignal: abortedLike })).rejects.toMatchObject({ name: "AbortError" });
    expect(posts()).toEqual([]);
  });

  it("hands the caller's onResponse every raw response, while still parsing the body itself", async () => {
    const client = new DefenderAlertsClient(azure.credential, fastRetries);
    const statuses: number[] = [];
    const alert = await client.getAlert(idOf("real-1"), { onResponse: (raw) => void statuses.push(raw.status) });
    expect(alert.systemAlertId).toBe("real-1");
    expect(statuses).toEqual([200]);
    const listed: number[] = [];
    for await (const page of client.listAlerts({ subscriptionIds: [subB] }, { onResponse: (raw) => void listed.push(raw.status) }).byPage()) expect(page.length).toBeGreaterThan(0);
    expect(listed).toEqual([200]);
  });
});

describe("DefenderAlertsClient.simulateAlerts", () => {
  it("asks for the KeyVaults sample bundle, and the five sample alerts then list", async () => {
    const client = new DefenderAlertsClient(azure.credential, fastRetries);
    await client.simulateAlerts({ subscriptionId: subB, location: "centralus" });
    const simulate = azure.calls.filter({ method: "POST", url: "/alerts/default/simulate" });
    expect(simulate).toHaveLength(1);
    const listed = [];
    for await (const alert of client.listAlerts({ subscriptionIds: [subB], includeSimulated: true })) listed.push(alert);
    expect(listed.filter((alert) => alert.simulated).map((alert) => alert.kind).sort()).toEqual([
      "KV_AccountVolumeAnomaly",
      "KV_ListGetAnomaly",
      "KV_OperationVolumeAnomaly",
      "KV_PutGetAnomaly",
      "KV_TORAccess",
    ]);
    await expect(client.simulateAlerts({ subscriptionId: subA, location: "central us/../x" })).rejects.toMatchObject({ code: "KW_ALERTS_E0303" });
  });

  it("accepts the 202 Accepted of api-version 2022-01-01", async () => {
    const client = new DefenderAlertsClient(azure.credential, fastRetries);
    azure.faults.inject({ method: "POST", url: "/alerts/default/simulate", status: 202, body: null, times: 1 });
    await expect(client.simulateAlerts({ subscriptionId: subA, location: "centralus" })).resolves.toBeUndefined();
  });
});
