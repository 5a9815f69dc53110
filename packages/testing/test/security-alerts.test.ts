import { SecurityCenter } from "@azure/arm-security";
import { describe, expect, it } from "vitest";
import { useCheckedFakeAzure } from "./support/checked-fake-azure.js";
import { alertId, baseSeed, RESOURCE_GROUP, SUBSCRIPTION_ID } from "./fixtures/base-seed.js";
import { collect } from "./fixtures/collect.js";
import { fetchWithToken, retryOptions } from "./fixtures/sdk-options.js";

const azure = useCheckedFakeAzure({ seed: baseSeed() });
const client = (): SecurityCenter => new SecurityCenter(azure.credential, SUBSCRIPTION_ID, { retryOptions });

const all = collect;

describe("Microsoft.Security alerts", () => {
  it("lists alerts by subscription, resource group and location with the api-version arm-security sends", async () => {
    const names = (alerts: { name?: string }[]) => alerts.map((a) => a.name).sort();
    expect(names(await all(client().alerts.list()))).toEqual(["alert-rg-1", "alert-rg-2", "alert-sub-1"]);
    expect(names(await all(client().alerts.listByResourceGroup(RESOURCE_GROUP)))).toEqual(["alert-rg-1", "alert-rg-2"]);
    expect(names(await all(client().alerts.listSubscriptionLevelByRegion("centralus")))).toEqual(["alert-sub-1"]);
    expect(names(await all(client().alerts.listResourceGroupLevelByRegion("westeurope", RESOURCE_GROUP)))).toEqual([
      "alert-rg-1",
      "alert-rg-2",
    ]);
    expect(azure.calls.filter({ url: "Microsoft.Security/alerts" })[0]?.url).toContain("api-version=2021-11-01");
  });

  it("pages through nextLink", async () => {
    azure.context.pageSize = 2;
    try {
      const pages: number[] = [];
      for await (const page of client().alerts.list().byPage()) pages.push(page.length);
      expect(pages).toEqual([2, 1]);
      expect(azure.calls.filter({ url: /skipToken=2/u })).toHaveLength(1);
    } finally {
      azure.context.pageSize = 100;
    }
  });

  it("gets an alert at resource-group and subscription level, case-insensitively", async () => {
    const alert = await client().alerts.getResourceGroupLevel("WestEurope", "ALERT-RG-1", RESOURCE_GROUP.toUpperCase());
    expect(alert.alertType).toBe("KV_TORAccess");
    expect(alert.entities?.[1]).toMatchObject({ type: "ip", address: "185.220.101.4" });
    const sub = await client().alerts.getSubscriptionLevel("centralus", "alert-sub-1");
    expect(sub.alertType).toBe("KV_AppAnomaly");
    await expect(client().alerts.getSubscriptionLevel("westeurope", "alert-rg-1")).rejects.toMatchObject({ statusCode: 404 });
  });

  it("changes state with the four POSTs (204) and the change is visible on re-read", async () => {
    await client().alerts.updateResourceGroupLevelStateToDismiss("westeurope", "alert-rg-1", RESOURCE_GROUP);
    expect(azure.calls.last()?.status).toBe(204);
    expect(azure.state.alerts.get(alertId("alert-rg-1"))?.properties.status).toBe("Dismissed");
    await client().alerts.updateResourceGroupLevelStateToResolve("westeurope", "alert-rg-1", RESOURCE_GROUP);
    expect((await client().alerts.getResourceGroupLevel("westeurope", "alert-rg-1", RESOURCE_GROUP)).status).toBe("Resolved");
    await client().alerts.updateSubscriptionLevelStateToActivate("centralus", "alert-sub-1");
    expect(azure.state.alerts.get(alertId("alert-sub-1", null, "centralus"))?.properties.status).toBe("Active");
    // arm-security 5.0.0 has no inProgress method: the action segment is camelCase `inProgress`.
    const response = await fetchWithToken(
      azure.credential,
      "https://management.azure.com/.default",
      `https://management.azure.com${alertId("alert-rg-2")}/inProgress?api-version=2022-01-01`,
      { method: "POST" }
    );
    expect(response.status).toBe(204);
    expect(azure.state.alerts.get(alertId("alert-rg-2"))?.properties.status).toBe("InProgress");
  });

  it("answers 404 for a state change on an unknown alert", async () => {
    await expect(client().alerts.updateSubscriptionLevelStateToDismiss("westeurope", "nope")).rejects.toMatchObject({
      statusCode: 404,
      code: "AlertNotFound",
    });
  });

  it("simulates the KeyVaults bundle: SIMULATED_KV_* alerts against Sample-KV", async () => {
    await client().alerts.simulate("centralus", { properties: { kind: "Bundles", bundles: ["KeyVaults"] } });
    const simulated = (await all(client().alerts.list())).filter((a) => a.alertType?.startsWith("SIMULATED_KV_"));
    expect(simulated.map((a) => a.alertType).sort()).toEqual([
      "SIMULATED_KV_AccountVolumeAnomaly",
      "SIMULATED_KV_ListGetAnomaly",
      "SIMULATED_KV_OperationVolumeAnomaly",
      "SIMULATED_KV_PutGetAnomaly",
      "SIMULATED_KV_TORAccess",
    ]);
    for (const alert of simulated) {
      expect(alert.id).toContain(
        `/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/Sample-RG/providers/Microsoft.Security/locations/centralus/alerts/`
      );
      expect(alert.name).toBe(alert.systemAlertId);
      expect(alert.status).toBe("Active");
      expect(alert.startTimeUtc?.getTime()).toBeGreaterThanOrEqual(Date.parse("2026-01-15T12:00:00.000Z"));
      expect(alert.startTimeUtc?.getTime()).toBeLessThan(Date.parse("2026-01-15T12:00:01.000Z"));
    }
  });

  it("runs simulate as a long-running operation under api-version 2022-01-01", async () => {
    const url = `https://management.azure.com/subscriptions/${SUBSCRIPTION_ID}/providers/Microsoft.Security/locations/centralus/alerts/default/simulate?api-version=2022-01-01`;
    const response = await fetchWithToken(azure.credential, "https://management.azure.com/.default", url, {
      method: "POST",
      body: JSON.stringify({ properties: { kind: "Bundles", bundles: ["KeyVaults"] } }),
    });
    expect(response.status).toBe(202);
    const location = response.headers.get("location");
    expect(location).toMatch(/\/simulate\/operationResults\//u);
    const poll = await fetchWithToken(azure.credential, "https://management.azure.com/.default", location ?? "");
    expect(poll.status).toBe(204);
  });

  it("refuses bundles it cannot simulate instead of pretending", async () => {
    await expect(
      client().alerts.simulate("centralus", { properties: { kind: "Bundles", bundles: ["VirtualMachines"] } })
    ).rejects.toMatchObject({
      statusCode: 400,
      code: "FakeAzureUnsupportedRequest",
    });
  });

  it("rejects requests without a bearer token and with a token for another audience", async () => {
    const url = `https://management.azure.com/subscriptions/${SUBSCRIPTION_ID}/providers/Microsoft.Security/alerts?api-version=2022-01-01`;
    expect((await fetch(url)).status).toBe(401);
    const wrongAudience = await fetchWithToken(azure.credential, "https://vault.azure.net/.default", url);
    expect(wrongAudience.status).toBe(401);
    expect(await wrongAudience.json()).toMatchObject({ error: { code: "InvalidAuthenticationTokenAudience" } });
  });

  it("answers 400 for a missing or unknown api-version and 404 for an unknown subscription", async () => {
    const base = `https://management.azure.com/subscriptions/${SUBSCRIPTION_ID}/providers/Microsoft.Security/alerts`;
    const scope = "https://management.azure.com/.default";
    expect(await (await fetchWithToken(azure.credential, scope, base)).json()).toMatchObject({
      error: { code: "MissingApiVersionParameter" },
    });
    // A provider type's unknown version is ARM's NoRegisteredProviderFound (test/api-versions.test.ts).
    expect(await (await fetchWithToken(azure.credential, scope, `${base}?api-version=2099-01-01`)).json()).toMatchObject({
      error: { code: "NoRegisteredProviderFound" },
    });
    const other = await fetchWithToken(
      azure.credential,
      scope,
      base.replace(SUBSCRIPTION_ID, "00000000-0000-0000-0000-000000000000") + "?api-version=2022-01-01"
    );
    expect(other.status).toBe(404);
  });
});
