/**
 * Benchmarks of @keywarden/testing. `npm run bench -w @keywarden/testing`.
 *
 * testing-secret-get: simple secret GETs per second by the real SecretClient against the fake tenant
 * (`createFakeAzure`: gate, token check, firewall, state lookup, serialisation), on two paths:
 * - `path=msw`: through msw interception; the reference is the same client and loop against a trivial msw handler
 *   that answers a constant bundle, on the same msw server.
 * - `path=direct`: through `tenant.httpClient` (no msw); the reference is the same client with a trivial `HttpClient`
 *   that answers the constant bundle, so the ratio says what the fake costs beyond the SDK pipeline itself.
 * Rounds alternate between the loops (medians). The goal for the direct path is 5,000 GETs per second, above Key
 * Vault's own per-vault limit (4,000 per 10 s), so benchmarks of code under test can run at the real limit.
 */
import { createHttpHeaders, type HttpClient } from "@azure/core-rest-pipeline";
import { SecretClient } from "@azure/keyvault-secrets";
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { createFakeAzure } from "../src/index.js";

const VAULT = "kv-bench";
const SUBSCRIPTION = "00000000-0000-4000-8000-00000000be4c";
const WARMUP = 300;
const ROUNDS = 7;
const ROUND_MS = 500;

/** Operations per second of one timed round. */
async function round(get: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  let ops = 0;
  while (performance.now() - start < ROUND_MS) {
    await get();
    ops += 1;
  }
  return ops / ((performance.now() - start) / 1000);
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

/**
 * Alternates rounds of the two loops and takes each one's median, so load from other processes on a shared machine
 * hits both alike.
 */
async function compare(fake: () => Promise<unknown>, reference: () => Promise<unknown>): Promise<{ fake: number; reference: number }> {
  for (let i = 0; i < WARMUP; i += 1) {
    await fake();
    await reference();
  }
  const fakeRates: number[] = [];
  const referenceRates: number[] = [];
  for (let i = 0; i < ROUNDS; i += 1) {
    referenceRates.push(await round(reference));
    fakeRates.push(await round(fake));
  }
  return { fake: median(fakeRates), reference: median(referenceRates) };
}

const BUNDLE = {
  value: "s3cret",
  id: "https://kv-reference.vault.azure.net/secrets/db-password/0123456789abcdef0123456789abcdef",
  attributes: { enabled: true, created: 1768478400, updated: 1768478400, recoveryLevel: "Recoverable+Purgeable", recoverableDays: 90 },
};

/** The reference: a trivial msw handler for another vault host, answering the challenge and then a constant bundle. */
const trivialHandler = http.all("https://kv-reference.vault.azure.net/*", ({ request }) =>
  request.headers.has("authorization")
    ? HttpResponse.json(BUNDLE)
    : new HttpResponse(null, {
        status: 401,
        headers: { "WWW-Authenticate": 'Bearer authorization="https://login.microsoftonline.com/t", resource="https://vault.azure.net"' },
      })
);

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
// One msw server for both, so both loops pay the same interception cost: the trivial handler first, then the tenant.
const server = setupServer(trivialHandler, ...tenant.handlers);
server.listen({ onUnhandledRequest: "error" });
try {
  const options = { retryOptions: { maxRetries: 0 } };
  const fakeClient = new SecretClient(`https://${VAULT}.vault.azure.net`, tenant.credential, options);
  const credential = { getToken: () => Promise.resolve({ token: "t", expiresOnTimestamp: Date.now() + 3_600_000 }) };
  const referenceClient = new SecretClient("https://kv-reference.vault.azure.net", credential, {
    ...options,
    disableChallengeResourceVerification: true,
  });
  if ((await fakeClient.getSecret("db-password")).value !== "s3cret") throw new Error("the fake answered a wrong value");
  const rates = await compare(
    () => fakeClient.getSecret("db-password"),
    () => referenceClient.getSecret("db-password")
  );
  console.log(
    `BENCH testing-secret-get path=msw ops_per_s=${rates.fake.toFixed(0)} reference_ops_per_s=${rates.reference.toFixed(0)} ratio=${(
      rates.fake / rates.reference
    ).toFixed(2)}`
  );

  // The direct path: no msw in the loop at all (the server above stays listening; nothing reaches it).
  const directClient = new SecretClient(`https://${VAULT}.vault.azure.net`, tenant.credential, { ...options, httpClient: tenant.httpClient });
  if ((await directClient.getSecret("db-password")).value !== "s3cret") throw new Error("the fake answered a wrong value on the direct path");
  const body = JSON.stringify(BUNDLE);
  const trivialHttpClient: HttpClient = {
    sendRequest: (request) =>
      Promise.resolve(
        request.headers.has("authorization")
          ? { request, status: 200, headers: createHttpHeaders({ "content-type": "application/json" }), bodyAsText: body }
          : {
              request,
              status: 401,
              headers: createHttpHeaders({ "www-authenticate": 'Bearer authorization="https://login.microsoftonline.com/t", resource="https://vault.azure.net"' }),
              bodyAsText: "",
            }
      ),
  };
  const directReference = new SecretClient("https://kv-reference.vault.azure.net", credential, {
    ...options,
    httpClient: trivialHttpClient,
    disableChallengeResourceVerification: true,
  });
  const direct = await compare(
    () => directClient.getSecret("db-password"),
    () => directReference.getSecret("db-password")
  );
  console.log(
    `BENCH testing-secret-get path=direct ops_per_s=${direct.fake.toFixed(0)} reference_ops_per_s=${direct.reference.toFixed(0)} ratio=${(
      direct.fake / direct.reference
    ).toFixed(2)} goal_ops_per_s=5000 speedup_vs_msw=${(direct.fake / rates.fake).toFixed(1)}`
  );
} finally {
  server.close();
}
