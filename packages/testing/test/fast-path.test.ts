import { KeyVaultManagementClient } from "@azure/arm-keyvault";
import { SecurityCenter } from "@azure/arm-security";
import { CertificateClient, DefaultCertificatePolicy } from "@azure/keyvault-certificates";
import { KeyClient } from "@azure/keyvault-keys";
import { SecretClient } from "@azure/keyvault-secrets";
import { RestError } from "@azure/core-rest-pipeline";
import { afterEach, describe, expect, it } from "vitest";
import { pollOnClock } from "../src/data-plane/data-plane-harness.js";
import { createFakeAzure, type FakeAzure } from "../src/index.js";
import { baseSeed, RESOURCE_GROUP, SUBSCRIPTION_ID, VAULT_NAME } from "./fixtures/base-seed.js";

/**
 * Issue 14, item 4: `tenant.httpClient` answers the SDK clients from the tenant's handlers directly. The tenant is
 * never `listen()`ed here, so no msw server intercepts anything: a request that did not go through the httpClient
 * would fail (no network in tests).
 */

const VAULT_URL = `https://${VAULT_NAME}.vault.azure.net`;
let tenant: FakeAzure;
afterEach(() => tenant.close());

function fake(): FakeAzure {
  tenant = createFakeAzure({ seed: baseSeed() });
  return tenant;
}

const options = () => ({ httpClient: tenant.httpClient, retryOptions: { maxRetries: 2, retryDelayInMs: 1, maxRetryDelayInMs: 5 } });

describe("tenant.httpClient, without msw", () => {
  it("serves SecretClient: get, set, list, delete with the realistic delay, through the gate's call log", async () => {
    fake();
    const secrets = new SecretClient(VAULT_URL, tenant.credential, options());
    expect((await secrets.getSecret("db-password")).value).toBe("fake-db-password-1");
    await secrets.setSecret("api-key", "v1", { contentType: "text/plain" });
    const names: string[] = [];
    for await (const item of secrets.listPropertiesOfSecrets()) names.push(item.name);
    expect(names).toEqual(["api-key", "db-password"]);
    const deleted = await pollOnClock(await secrets.beginDeleteSecret("api-key", { intervalInMs: 1 }), tenant.clock);
    expect(deleted.properties.recoveryId).toBe(`${VAULT_URL}/deletedsecrets/api-key`);
    // The challenge leg (401) and every request after it are in the call log, as through msw.
    expect(tenant.calls.all()[0]).toMatchObject({ method: "GET", status: 401 });
    expect(tenant.calls.count({ status: 200 })).toBeGreaterThanOrEqual(4);
  });

  it("serves KeyClient and CertificateClient", async () => {
    fake();
    const keys = new KeyClient(VAULT_URL, tenant.credential, options());
    const key = await keys.createEcKey("signing", { curve: "P-256" });
    expect(key.key?.crv).toBe("P-256");
    expect((await keys.getKey("signing")).properties.exportable).toBe(false);

    const certificates = new CertificateClient(VAULT_URL, tenant.credential, options());
    const created = await pollOnClock(await certificates.beginCreateCertificate("tls", DefaultCertificatePolicy, { intervalInMs: 1 }), tenant.clock);
    expect(created.cer?.length).toBeGreaterThan(100);
    expect((await certificates.getCertificatePolicy("tls")).issuerName).toBe("Self");
  });

  it("serves the ARM SDK clients (Key Vault management, Defender alerts)", async () => {
    fake();
    const keyVault = new KeyVaultManagementClient(tenant.credential, SUBSCRIPTION_ID, options());
    const vault = await keyVault.vaults.get(RESOURCE_GROUP, VAULT_NAME);
    expect(vault.properties.vaultUri).toBe(`${VAULT_URL}/`);
    await keyVault.vaults.update(RESOURCE_GROUP, VAULT_NAME, { properties: { networkAcls: { defaultAction: "Deny", ipRules: [{ value: "198.51.100.9" }] } } });
    expect([...tenant.state.vaults.values()][0]?.resource.properties.networkAcls?.ipRules).toEqual([{ value: "198.51.100.9/32" }]);

    const security = new SecurityCenter(tenant.credential, SUBSCRIPTION_ID, options());
    let alerts = 0;
    for await (const _alert of security.alerts.list()) alerts += 1;
    expect(alerts).toBeGreaterThan(0);
  });

  it("applies injected faults: a connection reset is a RestError ECONNRESET, retried by the SDK", async () => {
    fake();
    tenant.faults.inject({ url: `${VAULT_URL}/**`, reset: true, times: 1 });
    const secrets = new SecretClient(VAULT_URL, tenant.credential, options());
    expect((await secrets.getSecret("db-password")).value).toBe("fake-db-password-1");
    expect(tenant.calls.all()[0]).toMatchObject({ intercepted: "fault", status: 0 });

    tenant.faults.inject({ url: `${VAULT_URL}/**`, reset: true });
    const failing = new SecretClient(VAULT_URL, tenant.credential, { httpClient: tenant.httpClient, retryOptions: { maxRetries: 0 } });
    const error = await failing.getSecret("db-password").catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RestError);
    expect((error as RestError).code).toBe("ECONNRESET");
  });

  it("answers 501 naming the request for an Azure operation the fake does not model", async () => {
    fake();
    const response = await tenant.httpClient.sendRequest({
      url: "https://myaccount.blob.core.windows.net/c/b",
      method: "GET",
      headers: { get: () => undefined, has: () => false, set() {}, delete() {}, toJSON: () => ({}), [Symbol.iterator]: function* () {} },
      timeout: 0,
      withCredentials: false,
      requestId: "r1",
    } as never);
    expect(response.status).toBe(501);
    expect(response.bodyAsText).toContain("does not model GET https://myaccount.blob.core.windows.net/c/b");
  });
});
