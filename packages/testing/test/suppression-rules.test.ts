import { SecurityCenter } from "@azure/arm-security";
import { describe, expect, it } from "vitest";
import { useCheckedFakeAzure } from "./support/checked-fake-azure.js";
import { baseSeed, SUBSCRIPTION_ID } from "./fixtures/base-seed.js";
import { fetchWithToken, retryOptions } from "./fixtures/sdk-options.js";

const azure = useCheckedFakeAzure({ seed: baseSeed() });
const client = (): SecurityCenter => new SecurityCenter(azure.credential, SUBSCRIPTION_ID, { retryOptions });

const rule = {
  alertType: "KV_TORAccess",
  reason: "FalsePositive",
  state: "Enabled" as const,
  comment: "Known scanner",
  expirationDateUtc: new Date("2026-06-01T00:00:00Z"),
  suppressionAlertsScope: {
    allOf: [
      { field: "entities.ip.address", in: ["185.220.101.4"] },
      { field: "entities.azureresource.resourceid", contains: "kv-prod" },
    ],
  },
};

describe("Microsoft.Security alertsSuppressionRules", () => {
  it("puts, gets, lists (with either AlertType spelling) and deletes", async () => {
    const put = await client().alertsSuppressionRules.update("tor-scanner", { ...rule });
    expect(put).toMatchObject({ name: "tor-scanner", alertType: "KV_TORAccess", reason: "FalsePositive", state: "Enabled" });
    expect(put.lastModifiedUtc?.toISOString()).toBe("2026-01-15T12:00:00.000Z");
    expect((await client().alertsSuppressionRules.get("tor-scanner")).suppressionAlertsScope?.allOf).toHaveLength(2);
    const listed: string[] = [];
    for await (const r of client().alertsSuppressionRules.list({ alertType: "KV_TORAccess" })) listed.push(r.name ?? "");
    expect(listed).toEqual(["tor-scanner"]);
    const other = await fetchWithToken(
      azure.credential,
      "https://management.azure.com/.default",
      `https://management.azure.com/subscriptions/${SUBSCRIPTION_ID}/providers/Microsoft.Security/alertsSuppressionRules?api-version=2019-01-01-preview&alertType=KV_Other`
    );
    expect(((await other.json()) as { value: unknown[] }).value).toEqual([]);
    await client().alertsSuppressionRules.delete("tor-scanner");
    expect(azure.calls.last()?.status).toBe(204);
    await expect(client().alertsSuppressionRules.get("tor-scanner")).rejects.toMatchObject({ statusCode: 404 });
  });

  it.each([
    ["an unknown reason", { ...rule, reason: "BecauseISaidSo" }, /reason/u],
    ["state Expired", { ...rule, state: "Expired" as const }, /state/u],
    ["an expiry in the past", { ...rule, expirationDateUtc: new Date("2025-01-01T00:00:00Z") }, /future/u],
    ["'in' with a string", { ...rule, suppressionAlertsScope: { allOf: [{ field: "entities.ip.address", in: "1.2.3.4" }] } }, /array/u],
    [
      "'contains' with an array",
      { ...rule, suppressionAlertsScope: { allOf: [{ field: "entities.ip.address", contains: ["1.2.3.4"] }] } },
      /string/u,
    ],
    [
      "both operators",
      { ...rule, suppressionAlertsScope: { allOf: [{ field: "entities.ip.address", in: ["1.2.3.4"], contains: "1.2" }] } },
      /exactly one/u,
    ],
    ["an unknown field", { ...rule, suppressionAlertsScope: { allOf: [{ field: "entities.vault.name", in: ["x"] }] } }, /field/u],
  ])("rejects %s with 400", async (_label, body, message) => {
    const error = await client()
      .alertsSuppressionRules.update("bad-rule", body)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ statusCode: 400 });
    expect((error as Error).message).toMatch(message);
  });

  it("rejects invalid rule names", async () => {
    await expect(client().alertsSuppressionRules.update("-bad name", { ...rule })).rejects.toMatchObject({ statusCode: 400 });
  });

  it("dismisses newly simulated alerts that an enabled rule matches", async () => {
    await client().alertsSuppressionRules.update("sample-tor", {
      alertType: "SIMULATED_KV_TORAccess",
      reason: "Other",
      state: "Enabled",
      expirationDateUtc: new Date("2026-12-31T00:00:00Z"),
    });
    await client().alerts.simulate("centralus", { properties: { kind: "Bundles", bundles: ["KeyVaults"] } });
    const statuses = new Map<string, string>();
    for await (const a of client().alerts.listSubscriptionLevelByRegion("centralus")) statuses.set(a.alertType ?? "", a.status ?? "");
    for (const a of azure.state.alerts.values())
      if (a.properties.alertType?.startsWith("SIMULATED_")) statuses.set(a.properties.alertType, a.properties.status ?? "");
    expect(statuses.get("SIMULATED_KV_TORAccess")).toBe("Dismissed");
    expect(statuses.get("SIMULATED_KV_ListGetAnomaly")).toBe("Active");
  });
});
