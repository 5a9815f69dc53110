import { X509Certificate } from "node:crypto";
import { createSecureContext } from "node:tls";
import { CertificateClient, DefaultCertificatePolicy } from "@azure/keyvault-certificates";
import { KeyClient } from "@azure/keyvault-keys";
import { SecretClient } from "@azure/keyvault-secrets";
import { RestError } from "@azure/core-rest-pipeline";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createDataPlaneHarness } from "./data-plane-harness.js";

const harness = createDataPlaneHarness();
const retryOptions = { maxRetries: 0 };

beforeAll(() => harness.server.listen({ onUnhandledRequest: "error" }));
afterEach(async () => expect(await harness.schemaCheckResults()).toEqual([]));
afterAll(() => {
  expect(harness.checkedBodies()).toBeGreaterThan(0);
  harness.server.close();
});

let vaultCount = 0;
function newVault(properties: Parameters<typeof harness.addVault>[1] = {}, settings: Parameters<typeof harness.addVault>[2] = {}) {
  vaultCount += 1;
  const name = `kv-certs-${vaultCount}`;
  const vault = harness.addVault(name, properties, settings);
  const url = harness.vaultUrl(name);
  return {
    name,
    vault,
    certificates: new CertificateClient(url, harness.credential, { retryOptions }),
    secrets: new SecretClient(url, harness.credential, { retryOptions }),
    keys: new KeyClient(url, harness.credential, { retryOptions }),
  };
}

async function restError(promise: Promise<unknown>): Promise<RestError> {
  const error: unknown = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof RestError)) throw new Error(`expected a RestError, got ${String(error)}`);
  return error;
}

describe("certificates through the real CertificateClient", () => {
  it("creates a self-signed certificate through the pending operation, with its managed key and secret", async () => {
    const { certificates, secrets, keys, vault } = newVault({}, { certificateIssueDelayMs: 10_000 });
    const poller = await certificates.beginCreateCertificate(
      "web",
      { issuerName: "Self", subject: "CN=web.contoso.com", subjectAlternativeNames: { dnsNames: ["web.contoso.com"] }, validityInMonths: 6 },
      { intervalInMs: 1, tags: { env: "prod" } },
    );
    await poller.poll();
    expect(vault.certificates.get("web")?.pending?.status).toBe("inProgress");
    expect(vault.certificates.get("web")?.pending?.csr).toMatch(/^MI/u);
    expect(poller.isDone()).toBe(false);
    harness.clock.advance(10_000);
    const certificate = await poller.pollUntilDone();
    expect(certificate.properties.version).toMatch(/^[0-9a-f]{32}$/u);
    expect(certificate.policy?.subject).toBe("CN=web.contoso.com");
    expect(certificate.policy?.contentType).toBe("application/x-pkcs12");
    const x509 = new X509Certificate(Buffer.from(certificate.cer!));
    expect(x509.subject).toBe("CN=web.contoso.com");
    expect(x509.subjectAltName).toBe("DNS:web.contoso.com");
    expect(x509.verify(x509.publicKey)).toBe(true);
    expect(certificate.properties.x509Thumbprint).toBeDefined();
    expect(Buffer.from(certificate.properties.x509Thumbprint!).toString("hex")).toBe(x509.fingerprint.replaceAll(":", "").toLowerCase());
    expect(certificate.properties.tags).toEqual({ env: "prod" });

    const secret = await secrets.getSecret("web");
    expect(secret.properties.managed).toBe(true);
    expect(secret.properties.version).toBe(certificate.properties.version);
    expect(secret.properties.certificateKeyId).toBe(certificate.keyId);
    expect(() => createSecureContext({ pfx: Buffer.from(secret.value!, "base64") })).not.toThrow();
    const key = await keys.getKey("web");
    expect(key.properties.managed).toBe(true);
    expect(key.key?.n).toBeDefined();
    expect(Buffer.from(key.key!.n!).toString("base64url")).toBe((x509.publicKey.export({ format: "jwk" }) as { n: string }).n);
  });

  it("creates a new version from the stored policy and lists versions", async () => {
    const { certificates } = newVault();
    const first = await (await certificates.beginCreateCertificate("rot", DefaultCertificatePolicy, { intervalInMs: 1 })).pollUntilDone();
    const second = await (
      await certificates.beginCreateCertificate("rot", { ...DefaultCertificatePolicy, contentType: "application/x-pem-file" }, { intervalInMs: 1 })
    ).pollUntilDone();
    expect(second.properties.version).not.toBe(first.properties.version);
    const versions: string[] = [];
    for await (const item of certificates.listPropertiesOfCertificateVersions("rot")) versions.push(item.version!);
    expect(versions.sort()).toEqual([first.properties.version, second.properties.version].sort());
    const names: string[] = [];
    for await (const item of certificates.listPropertiesOfCertificates()) names.push(item.name!);
    expect(names).toEqual(["rot"]);
    const policy = await certificates.getCertificatePolicy("rot");
    expect(policy.contentType).toBe("application/x-pem-file");
  });

  it("disables a certificate version, which also disables its secret", async () => {
    const { certificates, secrets } = newVault();
    const created = await (await certificates.beginCreateCertificate("c", DefaultCertificatePolicy, { intervalInMs: 1 })).pollUntilDone();
    const updated = await certificates.updateCertificateProperties("c", created.properties.version!, { enabled: false, tags: { s: "off" } });
    expect(updated.properties.enabled).toBe(false);
    expect((await certificates.getCertificate("c")).properties.enabled).toBe(false);
    const refused = await restError(secrets.getSecret("c"));
    expect(refused.statusCode).toBe(403);
    expect(refused.message).toBe("Operation get is not allowed on a disabled secret.");
  });

  it("deletes and recovers a certificate together with its key and secret", async () => {
    const { certificates, secrets, keys } = newVault({}, { deletedObjectDelayMs: 1_000, recoveredObjectDelayMs: 1_000 });
    await (await certificates.beginCreateCertificate("gone", DefaultCertificatePolicy, { intervalInMs: 1 })).pollUntilDone();
    const deleting = await certificates.beginDeleteCertificate("gone", { intervalInMs: 1 });
    harness.clock.advance(1_000);
    const deleted = await deleting.pollUntilDone();
    expect(deleted.recoveryId).toContain("/deletedcertificates/gone");
    expect((await restError(secrets.getSecret("gone"))).statusCode).toBe(404);
    expect((await secrets.getDeletedSecret("gone")).properties.managed).toBe(true);
    const conflict = await restError(certificates.beginCreateCertificate("gone", DefaultCertificatePolicy, { intervalInMs: 1 }));
    expect(conflict.statusCode).toBe(409);
    const recovering = await certificates.beginRecoverDeletedCertificate("gone", { intervalInMs: 1 });
    harness.clock.advance(1_000);
    await recovering.pollUntilDone();
    expect((await secrets.getSecret("gone")).properties.managed).toBe(true);
    expect((await keys.getKey("gone")).properties.managed).toBe(true);
  });

  it("refuses to change a certificate's managed secret directly", async () => {
    const { certificates, secrets } = newVault();
    await (await certificates.beginCreateCertificate("m", DefaultCertificatePolicy, { intervalInMs: 1 })).pollUntilDone();
    expect((await restError(secrets.setSecret("m", "overwrite"))).statusCode).toBe(403);
  });

  it("cancels a pending operation for an issuer that needs a merge", async () => {
    const { certificates, vault } = newVault();
    const poller = await certificates.beginCreateCertificate("ext", { issuerName: "Unknown", subject: "CN=ext" }, { intervalInMs: 1 });
    await poller.poll();
    expect(poller.isDone()).toBe(false);
    await poller.cancelOperation();
    expect(poller.getOperationState().isCancelled).toBe(true);
    expect(vault.certificates.get("ext")?.pending).toMatchObject({ status: "cancelled", cancellationRequested: true });
  });
});
