import { webcrypto } from "node:crypto";
import * as x509 from "@peculiar/x509";

/** PEM texts of the server's certificate authority and of the leaf certificate it issued for the served hosts. */
export interface ServerCertificates {
  /** The CA certificate: the only thing a client has to trust. */
  readonly caPem: string;
  /** The leaf certificate (for every served host name), as the TLS server presents it. */
  readonly certPem: string;
  /** The leaf's private key (PKCS#8). The CA's key is never kept: nothing else can be issued under this CA. */
  readonly keyPem: string;
}

const ALGORITHM: webcrypto.EcKeyGenParams & webcrypto.EcdsaParams = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" };
/** Clients compare the validity with their own (real) clock: start a little in the past for clock skew. */
const BACKDATE_MS = 60 * 60 * 1000;
const VALIDITY_MS = 7 * 24 * 60 * 60 * 1000;

function serialNumber(): string {
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  // A positive INTEGER: the first bit clear.
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return Buffer.from(bytes).toString("hex");
}

function privateKeyPem(der: ArrayBuffer): string {
  const base64 = Buffer.from(der).toString("base64").replace(/(.{64})/gu, "$1\n");
  return `-----BEGIN PRIVATE KEY-----\n${base64.trimEnd()}\n-----END PRIVATE KEY-----\n`;
}

/**
 * A fresh certificate authority and a leaf certificate for `hostNames` (DNS names, wildcards allowed) and
 * `ipAddresses`, made with a new P-256 key each at every start. Strict verifiers (OpenSSL 3 with X509_STRICT, Python
 * 3.13's default context, Go's crypto/x509) want key identifiers, a critical basicConstraints on the CA and the
 * serverAuth usage on the leaf, so both certificates carry them.
 */
export async function createServerCertificates(options: {
  hostNames: readonly string[];
  ipAddresses?: readonly string[];
  /** The start of validity (real time: the clients' clocks judge it, not the tenant's). */
  now: Date;
}): Promise<ServerCertificates> {
  x509.cryptoProvider.set(webcrypto);
  const notBefore = new Date(options.now.getTime() - BACKDATE_MS);
  const notAfter = new Date(options.now.getTime() + VALIDITY_MS);

  const caKeys = await webcrypto.subtle.generateKey(ALGORITHM, true, ["sign", "verify"]);
  const caName = "CN=Keywarden fake Azure local CA, O=Keywarden testing";
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(),
    name: caName,
    notBefore,
    notAfter,
    signingAlgorithm: ALGORITHM,
    keys: caKeys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });

  const leafKeys = await webcrypto.subtle.generateKey(ALGORITHM, true, ["sign", "verify"]);
  const altNames: x509.JsonGeneralName[] = [
    ...options.hostNames.map((value) => ({ type: "dns" as const, value })),
    ...(options.ipAddresses ?? []).map((value) => ({ type: "ip" as const, value })),
  ];
  const leaf = await x509.X509CertificateGenerator.create({
    serialNumber: serialNumber(),
    subject: `CN=${options.hostNames[0] ?? "localhost"}, O=Keywarden testing`,
    issuer: ca.subject,
    notBefore,
    notAfter,
    signingAlgorithm: ALGORITHM,
    publicKey: leafKeys.publicKey,
    signingKey: caKeys.privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(altNames),
      await x509.SubjectKeyIdentifierExtension.create(leafKeys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });

  return {
    caPem: ca.toString("pem"),
    certPem: leaf.toString("pem"),
    keyPem: privateKeyPem(await webcrypto.subtle.exportKey("pkcs8", leafKeys.privateKey)),
  };
}
