import { X509Certificate } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isServedHost, normalizeHost, SERVED_HOST_NAMES } from "./served-hosts.js";
import { createServerCertificates } from "./server-certificates.js";

/** RFC 6125 matching of a presented name against one SAN entry: exact, or a wildcard for exactly one left label. */
function sanCovers(san: string, host: string): boolean {
  if (!san.startsWith("*.")) return san === host;
  const dot = host.indexOf(".");
  return dot > 0 && host.slice(dot + 1) === san.slice(2);
}

const label = fc.stringMatching(/^[0-9a-z](?:[0-9a-z-]{0,20}[0-9a-z])?$/u);
const hostLike = fc.oneof(
  fc.string(),
  fc.array(label, { minLength: 1, maxLength: 5 }).map((labels) => labels.join(".")),
  label.map((name) => `${name}.vault.azure.net`),
  fc.constantFrom(...SERVED_HOST_NAMES.map((name) => name.replace("*.", "kv."))),
  fc.tuple(fc.constantFrom("MANAGEMENT.azure.com", "graph.microsoft.com.", "api.loganalytics.io:443"), fc.string()).map(([host, tail]) => host + tail),
);

describe("served hosts", () => {
  it("normalises any Host header value without throwing, to a lower-case name or nothing", () => {
    fc.assert(
      fc.property(fc.string(), (value) => {
        const host = normalizeHost(value);
        expect(host === undefined || /^[0-9a-z.-]+$/u.test(host)).toBe(true);
      }),
    );
  });

  it("serves a host exactly when the server certificate's names cover it", () => {
    fc.assert(
      fc.property(hostLike, (value) => {
        const host = normalizeHost(value);
        if (host === undefined) return;
        expect(isServedHost(host)).toBe(SERVED_HOST_NAMES.some((san) => sanCovers(san, host)));
      }),
      { numRuns: 500 },
    );
  });

  it("reads port, case and a trailing dot off the Host header", () => {
    expect(normalizeHost("KV-One.Vault.Azure.NET:443")).toBe("kv-one.vault.azure.net");
    expect(normalizeHost("management.azure.com.")).toBe("management.azure.com");
    expect(normalizeHost("[::1]:443")).toBeUndefined();
    expect(isServedHost("a.b.vault.azure.net")).toBe(false);
    expect(isServedHost("vault.azure.net")).toBe(false);
  });
});

describe("createServerCertificates", () => {
  it("issues a leaf for the served names, signed by a CA certificate that is a CA, valid around the given time", async () => {
    const now = new Date("2026-12-02T04:00:00Z");
    const pems = await createServerCertificates({ hostNames: SERVED_HOST_NAMES, ipAddresses: ["127.0.0.1"], now });
    const ca = new X509Certificate(pems.caPem);
    const leaf = new X509Certificate(pems.certPem);
    expect(ca.ca).toBe(true);
    expect(leaf.ca).toBe(false);
    expect(leaf.checkIssued(ca)).toBe(true);
    expect(leaf.verify(ca.publicKey)).toBe(true);
    expect(ca.verify(ca.publicKey)).toBe(true);
    for (const host of ["management.azure.com", "kv-payments-prod.vault.azure.net", "graph.microsoft.com", "api.loganalytics.io", "login.microsoftonline.com"]) {
      expect(leaf.checkHost(host), host).toBeDefined(); // the SAN entry that matched (the wildcard for a vault)
    }
    expect(leaf.checkHost("a.b.vault.azure.net")).toBeUndefined();
    expect(leaf.checkIP("127.0.0.1")).toBe("127.0.0.1");
    expect(new Date(leaf.validFrom).getTime()).toBeLessThan(now.getTime());
    expect(new Date(leaf.validTo).getTime()).toBeGreaterThan(now.getTime());
    expect(leaf.keyUsage).toEqual(["1.3.6.1.5.5.7.3.1"]); // serverAuth only
    // The private key handed out is the leaf's, and no CA key is: nothing else can be issued under this CA.
    expect(pems.keyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/u);
    expect(Object.keys(pems).sort()).toEqual(["caPem", "certPem", "keyPem"]);
  });

  it("makes a new CA at every start", async () => {
    const now = new Date();
    const [first, second] = await Promise.all([createServerCertificates({ hostNames: ["management.azure.com"], now }), createServerCertificates({ hostNames: ["management.azure.com"], now })]);
    expect(new X509Certificate(first.caPem).fingerprint256).not.toBe(new X509Certificate(second.caPem).fingerprint256);
    expect(new X509Certificate(first.certPem).checkIssued(new X509Certificate(second.caPem))).toBe(false);
  });
});
