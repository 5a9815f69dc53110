import { SecretClient } from "@azure/keyvault-secrets";
import { createFakeAzure } from "../src/index.js";
const VAULT = "kv-bench";
const tenant = createFakeAzure({ throttling: false, seed: { vaults: [{ id: `/subscriptions/00000000-0000-4000-8000-00000000be4c/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/${VAULT}`, name: VAULT, type: "Microsoft.KeyVault/vaults", location: "westeurope", properties: { tenantId: "72f988bf-0000-4000-8000-00000000c0de", sku: { family: "A", name: "standard" } } }], vaultData: { [VAULT]: { secrets: [{ name: "db-password", versions: [{ value: "s3cret" }] }] } } } });
const client = new SecretClient(`https://${VAULT}.vault.azure.net`, tenant.credential, { httpClient: tenant.httpClient, retryOptions: { maxRetries: 0 } });
for (let r = 0; r < 4; r++) { const start = performance.now(); let n = 0; while (performance.now() - start < 1000) { await client.getSecret("db-password"); n++; } console.log("ops/s", n, "calls", tenant.calls.length); }
