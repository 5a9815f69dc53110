/**
 * Benchmarks of @keywarden/testing. `npm run bench -w @keywarden/testing`.
 *
 * testing-secret-get: simple secret GETs per second by the real SecretClient against the fake tenant
 * (`createFakeAzure`: gate, challenge, firewall, state lookup, serialisation), and as a reference the same client
 * and loop against a trivial msw handler that answers a constant bundle, measured in the same run. The ratio says
 * how much of a test's time the fake itself adds on top of msw and the SDK pipeline.
 */
import { SecretClient } from "@azure/keyvault-secrets";
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { createFakeAzure } from "../src/index.js";

const VAULT = "kv-bench";
const SUBSCRIPTION = "00000000-0000-4000-8000-00000000be4c";
const WARMUP = 300;
const DURATION_MS = 3_000;

async function opsPerSecond(get: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < WARMUP; i += 1) await get();
  const start = performance.now();
  let ops = 0;
  while (performance.now() - start < DURATION_MS) {
    await get();
    ops += 1;
  }
  return ops / ((performance.now() - start) / 1000);
}

async function fakeTenantRate(): Promise<number> {
  const tenant = createFakeAzure({
    // Throttling is the fake's faithful 4,000 transactions per 10 s per vault; this measures the fake's own cost.
    throttling: false,
    seed: {
      vaults: [
        {
          id: `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-bench/providers/Microsoft.KeyVault/vaults/${VAULT}`,
          name: VAULT,
          type: "Microsoft.KeyVault/vaults",
          location: "westeurope",
          properties: { tenantId: "72f988bf-0000-4000-8000-00000000c0de", sku: { family: "A", name: "standard" } },
        },
      ],
      vaultData: { [VAULT]: { secrets: [{ name: "db-password", versions: [{ value: "s3cret" }] }] } },
    },
  });
  tenant.listen();
  try {
    const client = new SecretClient(`https://${VAULT}.vault.azure.net`, tenant.credential, { retryOptions: { maxRetries: 0 } });
    const rate = await opsPerSecond(() => client.getSecret("db-password"));
    if ((await client.getSecret("db-password")).value !== "s3cret") throw new Error("the fake answered a wrong value");
    return rate;
  } finally {
    tenant.close();
  }
}

async function trivialHandlerRate(): Promise<number> {
  const bundle = {
    value: "s3cret",
    id: `https://${VAULT}.vault.azure.net/secrets/db-password/0123456789abcdef0123456789abcdef`,
    attributes: { enabled: true, created: 1768478400, updated: 1768478400, recoveryLevel: "Recoverable+Purgeable", recoverableDays: 90 },
  };
  const server = setupServer(
    http.all(`https://${VAULT}.vault.azure.net/*`, ({ request }) =>
      request.headers.has("authorization")
        ? HttpResponse.json(bundle)
        : new HttpResponse(null, {
            status: 401,
            headers: {
              "WWW-Authenticate": 'Bearer authorization="https://login.microsoftonline.com/t", resource="https://vault.azure.net"',
            },
          })
    )
  );
  server.listen({ onUnhandledRequest: "error" });
  try {
    const credential = { getToken: () => Promise.resolve({ token: "t", expiresOnTimestamp: Date.now() + 3_600_000 }) };
    const client = new SecretClient(`https://${VAULT}.vault.azure.net`, credential, { retryOptions: { maxRetries: 0 } });
    return await opsPerSecond(() => client.getSecret("db-password"));
  } finally {
    server.close();
  }
}

const reference = await trivialHandlerRate();
const fake = await fakeTenantRate();
console.log(
  `BENCH testing-secret-get ops_per_s=${fake.toFixed(0)} reference_ops_per_s=${reference.toFixed(0)} ratio=${(fake / reference).toFixed(2)}`
);
