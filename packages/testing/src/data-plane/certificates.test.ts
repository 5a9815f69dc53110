import { X509Certificate } from "node:crypto";
import { createSecureContext } from "node:tls";
import { CertificateClient, DefaultCertificatePolicy } from "@azure/keyvault-certificates";
import { KeyClient } from "@azure/keyvault-keys";
import { SecretClient } from "@azure/keyvault-secrets";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createDataPlaneHarness } from "./data-plane-harness.js";
import { restErrorOf } from "./rest-error-of.js";

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

describe("certificates through the real CertificateClient", () => {
  it("creates a self-signed certificate through the pending operation, with its managed key and secret", async () => {
    const { certificates, secrets, keys, vault } = newVault({}, { certificateIssueDelayMs: 10_000 });
    const poller = await certificates.beginCreateCertificate(
      "web",
      {
        issuerName: "Self",
        subject: "CN=web.contoso.com",
        subjectAlternativeNames: { dnsNames: ["web.contoso.com"] },
        validityInMonths: 6,
      },
      { intervalInMs: 1, tags: { env: "prod" } }
    );
    await poller.poll();
    expect(vault.certificates.get("web")?.pending?.status).toBe("inProgress");
    expect(vault.certificates.get("web")?.pending?.csr).toMatch(/^MI/u);
    expect(poller.isDone()).toBe(false);
    harness.clock.advance(10_000);
    const certificate = await harness.untilDone(poller);
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
    const first = await harness.untilDone(await certificates.beginCreateCertificate("rot", DefaultCertificatePolicy, { intervalInMs: 1 }));
    const second = await harness.untilDone(await certificates.beginCreateCertificate(
        "rot",
        { ...DefaultCertificatePolicy, contentType: "application/x-pem-file" },
        { intervalInMs: 1 }
      ));
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
    const created = await harness.untilDone(await certificates.beginCreateCertificate("c", DefaultCertificatePolicy, { intervalInMs: 1 }));
    const updated = await certificates.updateCertificateProperties("c", created.properties.version!, {
      enabled: false,
      tags: { s: "off" },
    });
    expect(updated.properties.enabled).toBe(false);
    expect((await certificates.getCertificate("c")).properties.enabled).toBe(false);
    const refused = await restErrorOf(secrets.getSecret("c"));
    expect(refused.statusCode).toBe(403);
    expect(refused.message).toBe("Operation get is not allowed on a disabled secret.");
  });

  it("deletes and recovers a certificate together with its key and secret", async () => {
    const { certificates, secrets, keys } = newVault({}, { deletedObjectDelayMs: 1_000, recoveredObjectDelayMs: 1_000 });
    await harness.untilDone(await certificates.beginCreateCertificate("gone", DefaultCertificatePolicy, { intervalInMs: 1 }));
    const deleting = await certificates.beginDeleteCertificate("gone", { intervalInMs: 1 });
    harness.clock.advance(1_000);
    const deleted = await harness.untilDone(deleting);
    expect(deleted.recoveryId).toContain("/deletedcertificates/gone");
    expect((await restErrorOf(secrets.getSecret("gone"))).statusCode).toBe(404);
    expect((await secrets.getDeletedSecret("gone")).properties.managed).toBe(true);
    expect((await restErrorOf(secrets.purgeDeletedSecret("gone"))).statusCode).toBe(403);
    expect((await restErrorOf(keys.purgeDeletedKey("gone"))).statusCode).toBe(403);
    const conflict = await restErrorOf(certificates.beginCreateCertificate("gone", DefaultCertificatePolicy, { intervalInMs: 1 }));
    expect(conflict.statusCode).toBe(409);
    const recovering = await certificates.beginRecoverDeletedCertificate("gone", { intervalInMs: 1 });
    harness.clock.advance(1_000);
    await harness.untilDone(recovering);
    expect((await secrets.getSecret("gone")).properties.managed).toBe(true);
    expect((await keys.getKey("gone")).properties.managed).toBe(true);
  });

  it("refuses to change a certificate's managed secret directly", async () => {
    const { certificates, secrets } = newVault();
    await harness.untilDone(await certificates.beginCreateCertificate("m", DefaultCertificatePolicy, { intervalInMs: 1 }));
    expect((await restErrorOf(secrets.setSecret("m", "overwrite"))).statusCode).toBe(403);
  });

  it("cancels a pending operation for an issuer that needs a merge: the operation stays inProgress, cancellation requested", async () => {
    const { certificates, vault } = newVault();
    const poller = await certificates.beginCreateCertificate("ext", { issuerName: "Unknown", subject: "CN=ext" }, { intervalInMs: 1 });
    await poller.poll();
    expect(poller.isDone()).toBe(false);
    await poller.cancelOperation();
    expect(poller.getOperationState().isCancelled).toBe(true);
    // Recorded: the cancel answers status inProgress with cancellation_requested true (see recorded-fidelity.test.ts).
    expect(vault.certificates.get("ext")?.pending).toMatchObject({ status: "inProgress", cancellationRequested: true });
  });

  it("issues EC certificates as PEM when the policy asks, and updates the policy for the next version", async () => {
    const { certificates, secrets } = newVault();
    const created = await harness.untilDone(await certificates.beginCreateCertificate(
        "ec",
        {
          issuerName: "Self",
          subject: "CN=ec.contoso.com, O=Contoso",
          keyType: "EC",
          keyCurveName: "P-384",
          contentType: "application/x-pem-file",
        },
        { intervalInMs: 1 }
      ));
    const secret = await secrets.getSecret("ec");
    expect(secret.properties.contentType).toBe("application/x-pem-file");
    expect(secret.value).toContain("-----BEGIN PRIVATE KEY-----");
    const pem = /-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----/u.exec(secret.value!)![0];
    const x509 = new X509Certificate(pem);
    expect(x509.subject).toBe("CN=ec.contoso.com\nO=Contoso");
    expect(x509.publicKey.asymmetricKeyDetails?.namedCurve).toBe("secp384r1");
    const byVersion = await certificates.getCertificateVersion("ec", created.properties.version!);
    expect(byVersion.properties.version).toBe(created.properties.version);
    // keyvault-certificates 4.10 returns an empty policy from updateCertificatePolicy (it never reads the response
    // body), so read the stored policy back.
    await certificates.updateCertificatePolicy("ec", { issuerName: "Self", subject: "CN=renamed.contoso.com" });
    const policy = await certificates.getCertificatePolicy("ec");
    expect(policy.subject).toBe("CN=renamed.contoso.com");
    const next = await harness.untilDone(await certificates.beginCreateCertificate("ec", policy, { intervalInMs: 1 }));
    expect(new X509Certificate(Buffer.from(next.cer!)).subject).toBe("CN=renamed.contoso.com");
  });

  it("lists and purges deleted certificates, and refuses to purge under purge protection", async () => {
    const open = newVault();
    await harness.untilDone(await open.certificates.beginCreateCertificate("p", DefaultCertificatePolicy, { intervalInMs: 1 }));
    await harness.untilDone(await open.certificates.beginDeleteCertificate("p", { intervalInMs: 1 }));
    const listed: string[] = [];
    for await (const item of open.certificates.listDeletedCertificates()) listed.push(item.name);
    expect(listed).toEqual(["p"]);
    await open.certificates.purgeDeletedCertificate("p");
    expect((await restErrorOf(open.certificates.getDeletedCertificate("p"))).statusCode).toBe(404);
    expect((await restErrorOf(open.secrets.getDeletedSecret("p"))).statusCode).toBe(404);
    // The purge takes the vault's purgeDelayMs (3 s by default); the name is free once it completes.
    expect((await restErrorOf(open.certificates.beginCreateCertificate("p", DefaultCertificatePolicy))).statusCode).toBe(409);
    harness.clock.advance(3_000);
    await harness.untilDone(await open.certificates.beginCreateCertificate("p", DefaultCertificatePolicy, { intervalInMs: 1 }));

    const locked = newVault({ enablePurgeProtection: true });
    await harness.untilDone(await locked.certificates.beginCreateCertificate("p", DefaultCertificatePolicy, { intervalInMs: 1 }));
    await harness.untilDone(await locked.certificates.beginDeleteCertificate("p", { intervalInMs: 1 }));
    const refused = await restErrorOf(locked.certificates.purgeDeletedCertificate("p"));
    expect(refused.statusCode).toBe(403);
    expect(refused.message).toContain("purge protection is enabled");
  });

  it("answers 404 CertificateNotFound for an unknown certificate and rejects a policy without subject or SANs", async () => {
    const { certificates } = newVault();
    const missing = await restErrorOf(certificates.getCertificate("nope"));
    expect(missing.statusCode).toBe(404);
    expect(missing.code).toBe("CertificateNotFound");
    const bad = await restErrorOf(certificates.beginCreateCertificate("bad", { issuerName: "Self", subject: "" }, { intervalInMs: 1 }));
    expect(bad.statusCode).toBe(400);
  });
  // Recorded (certificates_client__restore_certificates_and_recover_backups/recording_can_restore_a_certificate_malformed_backup_bytes):
  // POST /certificates/restore with a blob that is not a backup is 400 "Malformed backup blob".
  it("backs a certificate up with its managed key and secret and restores all three; a malformed blob is refused", async () => {
    const { certificates, secrets, keys } = newVault({}, { deletedObjectDelayMs: 0, purgeDelayMs: 0 });
    const created = await harness.untilDone(await certificates.beginCreateCertificate("b", DefaultCertificatePolicy, { intervalInMs: 1 }));
    const backup = await certificates.backupCertificate("b");
    expect(backup?.length).toBeGreaterThan(0);
    const taken = await restErrorOf(certificates.restoreCertificateBackup(backup!));
    expect(taken.statusCode).toBe(409);
    await harness.untilDone(await certificates.beginDeleteCertificate("b", { intervalInMs: 1 }));
    await certificates.purgeDeletedCertificate("b");
    expect((await restErrorOf(secrets.getSecret("b"))).statusCode).toBe(404);
    const restored = await certificates.restoreCertificateBackup(backup!);
    expect(restored.properties.version).toBe(created.properties.version);
    expect(Buffer.from(restored.cer!).equals(Buffer.from(created.cer!))).toBe(true);
    expect((await keys.getKey("b")).properties.version).toBe(created.properties.version);
    expect((await secrets.getSecret("b")).properties.contentType).toBe("application/x-pkcs12");
    const malformed = await restErrorOf(certificates.restoreCertificateBackup(new Uint8Array(4_728)));
    expect(malformed.statusCode).toBe(400);
    expect(malformed.code).toBe("Malformed backup blob");
  });
});
