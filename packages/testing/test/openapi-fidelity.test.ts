import { AuthorizationManagementClient } from "@azure/arm-authorization";
import { KeyVaultManagementClient } from "@azure/arm-keyvault";
import { SecurityCenter } from "@azure/arm-security";
import { describe, expect, it } from "vitest";
import { getScenario, SCENARIO_NAMES } from "../src/index.js";
import { fetchWithToken, retryOptions } from "./fixtures/sdk-options.js";
import { useCheckedFakeAzure } from "./support/checked-fake-azure.js";
import { createOpenApiChecker } from "./support/openapi-checker.js";

const SUBSCRIPTION_ID = "6a0f4c5e-2b1d-4e3f-8a9b-7c6d5e4f3a2b";
const azure = useCheckedFakeAzure({ seed: getScenario("tor-secret-reads") });

describe("the OpenAPI checker itself", () => {
  const checker = createOpenApiChecker();
  const alertUrl = `https://management.azure.com/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/rg/providers/Microsoft.Security/locations/westeurope/alerts/a1?api-version=2022-01-01`;
  const alert = getScenario("tor-secret-reads").alerts![0]!;

  it("accepts a real-shaped alert and rejects a wrong type, a bad enum and an invented field", () => {
    expect(checker.check("GET", alertUrl, 200, alert)).toMatchObject({ errors: [] });
    expect(checker.check("GET", alertUrl, 200, { ...alert, properties: { ...alert.properties, isIncident: "no" } }).errors).toEqual(["/properties/isIncident must be boolean"]);
    // Alert status is an extensible enum (modelAsString); suppression-rule state is a closed one.
    expect(checker.check("GET", alertUrl, 200, { ...alert, properties: { ...alert.properties, status: "Open" } }).errors).toEqual([]);
    const ruleUrl = `https://management.azure.com/subscriptions/${SUBSCRIPTION_ID}/providers/Microsoft.Security/alertsSuppressionRules/r1?api-version=2019-01-01-preview`;
    const rule = { id: "/x", name: "r1", type: "Microsoft.Security/alertsSuppressionRules", properties: { alertType: "*", reason: "Other", state: "Open" } };
    expect(checker.check("GET", ruleUrl, 200, rule).errors.join()).toMatch(/state must be equal to one of the allowed values/u);
    expect(checker.check("GET", alertUrl, 200, { ...alert, etag: "x" }).errors).toEqual(["/ must NOT have additional properties 'etag'"]);
  });

  it("rejects undocumented statuses and bodies where the spec has none", () => {
    expect(checker.check("POST", `${alertUrl.replace("?", "/dismiss?")}`, 200, undefined).errors[0]).toMatch(/not a documented response/u);
    expect(checker.check("POST", `${alertUrl.replace("?", "/dismiss?")}`, 204, { x: 1 }).errors).toEqual(["the spec documents no body for this status"]);
  });

  it("ignores requests no shipped spec covers", () => {
    expect(checker.check("GET", "https://graph.microsoft.com/v1.0/users", 200, {})).toEqual({ errors: [] });
  });
});

describe("fidelity tour: every ARM response matches the official response schemas", () => {
  it.each(SCENARIO_NAMES.map((name) => [name]))("%s", async (name) => {
    azure.reset(getScenario(name));
    const security = new SecurityCenter(azure.credential, SUBSCRIPTION_ID, { retryOptions });
    const keyVault = new KeyVaultManagementClient(azure.credential, SUBSCRIPTION_ID, { retryOptions });
    const authorization = new AuthorizationManagementClient(azure.credential, SUBSCRIPTION_ID, { retryOptions });
    const alerts = [];
    for await (const alert of security.alerts.list()) alerts.push(alert);
    const alert = alerts[0]!;
    const segments = alert.id!.split("/");
    const rg = segments[4];
    const location = segments[8];
    await security.alerts.getResourceGroupLevel(location!, alert.name!, rg!);
    await security.alerts.updateResourceGroupLevelStateToDismiss(location!, alert.name!, rg!);
    for await (const _ of security.alertsSuppressionRules.list()) void _;
    await security.alertsSuppressionRules.update("fidelity-rule", { alertType: alert.alertType!, reason: "Other", state: "Enabled", expirationDateUtc: new Date("2026-12-01T00:00:00Z") });
    await security.alertsSuppressionRules.get("fidelity-rule");
    const vaultId = [...azure.state.vaults.keys()][0]!;
    const vaultName = vaultId.split("/").at(-1)!;
    const vault = await keyVault.vaults.get(rg!, vaultName);
    await keyVault.vaults.update(rg!, vaultName, { properties: { networkAcls: { ...vault.properties.networkAcls, defaultAction: "Deny", ipRules: [{ value: "198.51.100.1" }] } } });
    await keyVault.vaults.updateAccessPolicy(rg!, vaultName, "add", { properties: { accessPolicies: [{ tenantId: vault.properties.tenantId, objectId: "99999999-0000-4000-8000-000000000009", permissions: { secrets: ["get"] } }] } });
    for await (const _ of keyVault.vaults.listByResourceGroup(rg!)) void _;
    for await (const _ of authorization.roleAssignments.listForScope(vaultId, { filter: "atScope()" })) void _;
    await fetchWithToken(azure.credential, "https://management.azure.com/.default", `https://management.azure.com/subscriptions/${SUBSCRIPTION_ID}/providers/Microsoft.Network/locations/westeurope/serviceTags?api-version=2023-11-01`);
    await azure.flushChecks();
    const operations = new Set(azure.checked.map((c) => c.operation.split(" ").slice(1).join(" ")));
    expect([...operations].sort()).toEqual(
      expect.arrayContaining([
        "GET /subscriptions/{subscriptionId}/providers/Microsoft.Security/alerts",
        "GET /subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Security/locations/{ascLocation}/alerts/{alertName}",
        "POST /subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Security/locations/{ascLocation}/alerts/{alertName}/dismiss",
        "GET /subscriptions/{subscriptionId}/providers/Microsoft.Security/alertsSuppressionRules",
        "PUT /subscriptions/{subscriptionId}/providers/Microsoft.Security/alertsSuppressionRules/{alertsSuppressionRuleName}",
        "GET /subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.KeyVault/vaults/{vaultName}",
        "PATCH /subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.KeyVault/vaults/{vaultName}",
        "PUT /subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.KeyVault/vaults/{vaultName}/accessPolicies/{operationKind}",
        "GET /subscriptions/{subscriptionId}/providers/Microsoft.Network/locations/{location}/serviceTags",
      ]),
    );
    expect([...operations].some((o) => o.startsWith("GET ") && o.endsWith("/providers/Microsoft.Authorization/roleAssignments"))).toBe(true);
  });
});
