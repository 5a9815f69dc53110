import { KeyVaultManagementClient } from "@azure/arm-keyvault";
import { SecurityCenter } from "@azure/arm-security";
import { expect, it } from "vitest";
import { getScenario } from "../src/index.js";
import { useFakeAzure } from "../src/vitest.js";

// The README's quick start, verbatim apart from the imports.
const azure = useFakeAzure({ seed: getScenario("tor-secret-reads") });
const subscriptionId = "6a0f4c5e-2b1d-4e3f-8a9b-7c6d5e4f3a2b";
const retryOptions = { maxRetries: 3, retryDelayInMs: 1, maxRetryDelayInMs: 10 };

it("dismisses the alert and closes the vault firewall", async () => {
  const security = new SecurityCenter(azure.credential, subscriptionId, { retryOptions });
  for await (const alert of security.alerts.list()) {
    await security.alerts.updateResourceGroupLevelStateToDismiss("westeurope", alert.name!, "rg-payments");
  }

  const keyVault = new KeyVaultManagementClient(azure.credential, subscriptionId, { retryOptions });
  await keyVault.vaults.update("rg-payments", "kv-payments-prod", {
    properties: { networkAcls: { defaultAction: "Deny", bypass: "None", ipRules: [{ value: "198.51.100.7" }] } },
  });

  const vault = [...azure.state.vaults.values()][0]!;
  expect(vault.resource.properties.networkAcls?.ipRules).toEqual([{ value: "198.51.100.7/32" }]); // normalised
  expect(azure.calls.filter({ method: "PATCH" })).toHaveLength(1);
  expect([...azure.state.alerts.values()].map((a) => a.properties.status)).toEqual(["Dismissed"]);
});
