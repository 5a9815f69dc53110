/**
 * Benchmark of server mode. `npm run bench -w @keywarden/testing` runs it after `run.ts`.
 *
 * testing-server: simple secret GETs per second by the real SecretClient (with a ClientSecretCredential whose token
 * came from the server's Entra endpoint) over real HTTPS with keep-alive to `startFakeAzureServer`, through the
 * loopback agent. Client and server share this one process (and core), so the figure is the whole round trip's CPU
 * cost: a server in its own process answers at least this fast. The reference, measured in the same run with rounds
 * alternating, is the same tenant on the direct path (`tenant.httpClient`), so the ratio is what TLS, HTTP and the
 * wire cost on top of the fake itself. A second figure, `trivial_https_ops_per_s`, is the same client against an
 * HTTPS server in this process that answers a constant bundle: the transport's own ceiling on this machine.
 */
import { createServer } from "node:https";
import { ClientSecretCredential } from "@azure/identity";
import { SecretClient } from "@azure/keyvault-secrets";
import { DEFAULT_IDENTITY, DEFAULT_TENANT_ID, FakeAzureLoopbackAgent, startFakeAzureServer } from "../src/index.js";
import { createServerCertificates } from "../src/server/server-certificates.js";

const VAULT = "kv-bench";
const SUBSCRIPTION = "00000000-0000-4000-8000-00000000be4c";
const WARMUP = 300;
const ROUNDS = 7;
const ROUND_MS = 500;

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

const server = await startFakeAzureServer({
  tenantOptions: {
    // Throttling is the fake's faithful 4,000 transactions per 10 s per vault; this measures the transport's cost.
    throttling: false,
    seed: {
      vaults: [
        {
          id: `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-bench/providers/Microsoft.KeyVault/vaults/${VAULT}`,
          name: VAULT,
          type: "Microsoft.KeyVault/vaults",
          location: "westeurope",
          properties: { tenantId: DEFAULT_TENANT_ID, sku: { family: "A", name: "standard" } },
        },
      ],
      vaultData: { [VAULT]: { secrets: [{ name: "db-password", versions: [{ value: "s3cret" }] }] } },
    },
  },
});
const certificates = await createServerCertificates({ hostNames: ["*.vault.azure.net"], now: new Date() });
const BUNDLE = JSON.stringify({
  value: "s3cret",
  id: `https://${VAULT}.vault.azure.net/secrets/db-password/0123456789abcdef0123456789abcdef`,
  attributes: { enabled: true, created: 1768478400, updated: 1768478400, recoveryLevel: "Recoverable+Purgeable", recoverableDays: 90 },
});
const trivial = createServer({ key: certificates.keyPem, cert: certificates.certPem }, (request, response) => {
  if (request.headers.authorization === undefined) {
    const challenge = `Bearer authorization="https://login.microsoftonline.com/${DEFAULT_TENANT_ID}", resource="https://vault.azure.net"`;
    response.writeHead(401, { "www-authenticate": challenge, "content-length": "0" }).end();
    return;
  }
  response.writeHead(200, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(BUNDLE) }).end(BUNDLE);
});
await new Promise<void>((resolve) => trivial.listen(0, "127.0.0.1", resolve));
const trivialAddress = trivial.address();
const trivialAgent = new FakeAzureLoopbackAgent({
  host: "127.0.0.1",
  port: typeof trivialAddress === "object" && trivialAddress !== null ? trivialAddress.port : 0,
  caPem: certificates.caPem,
});
try {
  const options = { retryOptions: { maxRetries: 0 } };
  const { agent } = server;
  const credential = new ClientSecretCredential(DEFAULT_TENANT_ID, DEFAULT_IDENTITY.applicationId, "bench", { agent });
  const overHttps = new SecretClient(`https://${VAULT}.vault.azure.net`, credential, { ...options, agent });
  const direct = new SecretClient(`https://${VAULT}.vault.azure.net`, server.tenant.credential, { ...options, httpClient: server.tenant.httpClient });
  const constant = new SecretClient(`https://${VAULT}.vault.azure.net`, server.tenant.credential, { ...options, agent: trivialAgent });
  for (const client of [overHttps, direct, constant]) {
    if ((await client.getSecret("db-password")).value !== "s3cret") throw new Error("the fake answered a wrong value");
  }
  for (let i = 0; i < WARMUP; i += 1) {
    await overHttps.getSecret("db-password");
    await direct.getSecret("db-password");
    await constant.getSecret("db-password");
  }
  const httpsRates: number[] = [];
  const directRates: number[] = [];
  const trivialRates: number[] = [];
  for (let i = 0; i < ROUNDS; i += 1) {
    directRates.push(await round(() => direct.getSecret("db-password")));
    httpsRates.push(await round(() => overHttps.getSecret("db-password")));
    trivialRates.push(await round(() => constant.getSecret("db-password")));
  }
  const https = median(httpsRates);
  const reference = median(directRates);
  const ceiling = median(trivialRates);
  console.log(
    `BENCH testing-server ops_per_s=${https.toFixed(0)} transport=https-keep-alive reference=direct reference_ops_per_s=${reference.toFixed(0)} ratio=${(
      https / reference
    ).toFixed(2)} trivial_https_ops_per_s=${ceiling.toFixed(0)} ratio_to_trivial_https=${(https / ceiling).toFixed(2)}`,
  );
} finally {
  trivialAgent.destroy();
  trivial.close();
  await server.close();
}
