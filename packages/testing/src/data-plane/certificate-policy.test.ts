import { describe, expect, it } from "vitest";
import { KeyVaultFailure } from "./data-plane-call.js";
import { keyOperationsFor, resolveCertificatePolicy } from "./certificate-policy.js";

const ID = "https://kv.vault.azure.net/certificates/c/policy";

function failure(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof KeyVaultFailure) return `${error.spec.status} ${error.spec.code}: ${error.spec.message}`;
    throw error;
  }
  throw new Error("expected a KeyVaultFailure");
}

describe("certificate policies as the service stores them", () => {
  it("fills the service's defaults around what the request gives", () => {
    const policy = resolveCertificatePolicy({ issuer: { name: "Self" }, x509_props: { subject: "CN=a" } }, undefined, 100, ID);
    expect(policy).toEqual({
      id: ID,
      key_props: { exportable: true, kty: "RSA", key_size: 2048, reuse_key: false },
      secret_props: { contentType: "application/x-pkcs12" },
      x509_props: {
        subject: "CN=a",
        ekus: ["1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"],
        key_usage: ["digitalSignature", "keyEncipherment"],
        validity_months: 12,
        basic_constraints: { ca: false },
      },
      lifetime_actions: [{ trigger: { lifetime_percentage: 80 }, action: { action_type: "AutoRenew" } }],
      issuer: { name: "Self" },
      attributes: { enabled: true, created: 100, updated: 100 },
    });
  });

  it("keeps the stored policy for what a later request leaves out", () => {
    const base = resolveCertificatePolicy(
      { issuer: { name: "Self" }, x509_props: { subject: "CN=a", validity_months: 6 }, key_props: { kty: "EC", crv: "P-384" } },
      undefined,
      100,
      ID
    );
    const next = resolveCertificatePolicy({ secret_props: { contentType: "application/x-pem-file" } }, base, 200, ID);
    expect(next.key_props).toEqual({ exportable: true, kty: "EC", crv: "P-384", reuse_key: false });
    expect(next.x509_props?.validity_months).toBe(6);
    expect(next.attributes).toEqual({ enabled: true, created: 100, updated: 200 });
  });

  it("refuses policies the service refuses", () => {
    expect(failure(() => resolveCertificatePolicy({ issuer: { name: "Self" } }, undefined, 1, ID))).toMatch(
      /^400 BadParameter: .*subject/u
    );
    expect(failure(() => resolveCertificatePolicy({ x509_props: { subject: "CN=a" } }, undefined, 1, ID))).toMatch(/issuer\.name/u);
    expect(
      failure(() =>
        resolveCertificatePolicy(
          { issuer: { name: "Self" }, x509_props: { subject: "CN=a" }, key_props: { kty: "RSA", key_size: 1024 } },
          undefined,
          1,
          ID
        )
      )
    ).toMatch(/key size 1024/u);
    expect(
      failure(() =>
        resolveCertificatePolicy(
          { issuer: { name: "Self" }, x509_props: { subject: "CN=a" }, secret_props: { contentType: "text/plain" } },
          undefined,
          1,
          ID
        )
      )
    ).toMatch(/contentType/u);
  });

  it("derives the key's operations from the key usage", () => {
    const policy = resolveCertificatePolicy(
      { issuer: { name: "Self" }, x509_props: { subject: "CN=a", key_usage: ["digitalSignature", "dataEncipherment"] } },
      undefined,
      1,
      ID
    );
    expect(keyOperationsFor(policy)).toEqual(["sign", "verify", "encrypt", "decrypt"]);
  });
});
