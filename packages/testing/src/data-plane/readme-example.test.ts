import { readFileSync } from "node:fs";
import { SecretClient } from "@azure/keyvault-secrets";
import { expect, it } from "vitest";
import { createFakeAzure } from "../index.js";

/** The example of the README's "Key Vault data plane" section, verbatim apart from the import and the assertions. */
it("runs the README's data-plane example", async () => {
  const tenant = createFakeAzure({
    seed: {
      vaults: [
        {
          id: "/subscriptions/00000000-0000-4000-8000-0000000000a1/resourceGroups/rg-app/providers/Microsoft.KeyVault/vaults/kv-app",
          name: "kv-app",
          type: "Microsoft.KeyVault/vaults",
          location: "westeurope",
          properties: {
            tenantId: "72f988bf-0000-4000-8000-00000000c0de",
            sku: { family: "A", name: "standard" },
            softDeleteRetentionInDays: 7,
          },
        },
      ],
      vaultData: {
        "kv-app": {
          secrets: [{ name: "db-password", versions: [{ value: "old", attributes: { enabled: false } }, { value: "current" }] }],
          settings: { deletedObjectDelayMs: 5_000 },
        },
      },
    },
  });
  tenant.listen();

  const secrets = new SecretClient("https://kv-app.vault.azure.net", tenant.credential, { retryOptions: { maxRetries: 0 } });
  expect((await secrets.getSecret("db-password")).value).toBe("current");
  const poller = await secrets.beginDeleteSecret("db-password", { intervalInMs: 1 });
  tenant.clock.advance(5_000);
  const deleted = await poller.pollUntilDone();
  expect(deleted.properties.recoveryLevel).toBe("CustomizedRecoverable+Purgeable");
  tenant.close();

  // The README still shows this example.
  const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
  const section = readme.slice(readme.indexOf("## Key Vault data plane"));
  for (const line of [
    'await secrets.getSecret("db-password");',
    'const poller = await secrets.beginDeleteSecret("db-password", { intervalInMs: 1 });',
    "tenant.clock.advance(5_000);",
    "settings: { deletedObjectDelayMs: 5_000 },",
  ]) {
    expect(section).toContain(line);
  }
});
