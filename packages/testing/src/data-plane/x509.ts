import { createHash, randomBytes, sign, type KeyObject } from "node:crypto";
import {
  bitString,
  boolean,
  explicit,
  ia5String,
  implicitPrimitive,
  nullValue,
  objectIdentifier,
  octetString,
  sequence,
  set,
  smallInteger,
  time,
  tlv,
  unsignedInteger,
  utf8String,
} from "./der.js";

/**
 * Self-signed X.509 certificates and PKCS#10 requests built from a certificate policy, so the fake's certificates
 * (`cer`, `x5t`, the pending operation's `csr`) are real DER that `new X509Certificate(...)` parses.
 */

const NAME_ATTRIBUTE_OIDS: Readonly<Record<string, string>> = {
  CN: "2.5.4.3",
  C: "2.5.4.6",
  L: "2.5.4.7",
  ST: "2.5.4.8",
  S: "2.5.4.8",
  O: "2.5.4.10",
  OU: "2.5.4.11",
  E: "1.2.840.113549.1.9.1",
  EMAILADDRESS: "1.2.840.113549.1.9.1",
  DC: "0.9.2342.19200300.100.1.25",
  SERIALNUMBER: "2.5.4.5",
  STREET: "2.5.4.9",
};

/** Encodes an X.500 name written the way Key Vault policies write it: `CN=host, O=Contoso`. */
export function encodeName(subject: string): Buffer {
  const parts = subject
    .split(/,(?=\s*[A-Za-z.0-9]+\s*=)/)
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
  const rdns = parts.map((part) => {
    const equals = part.indexOf("=");
    if (equals <= 0) throw new Error(`The subject "${subject}" is not an X.500 name: "${part}" has no "type=value".`);
    const type = part.slice(0, equals).trim().toUpperCase();
    const value = part.slice(equals + 1).trim();
    const oid = NAME_ATTRIBUTE_OIDS[type] ?? (/^\d+(\.\d+)+$/.test(type) ? type : undefined);
    if (oid === undefined) throw new Error(`The subject "${subject}" uses the unknown attribute type "${type}".`);
    const encoded =
      type === "C" ? tlv(0x13, Buffer.from(value, "ascii")) : oid === NAME_ATTRIBUTE_OIDS["E"] ? ia5String(value) : utf8String(value);
    return set(sequence(objectIdentifier(oid), encoded));
  });
  return sequence(...rdns);
}

export interface SubjectAlternativeNames {
  readonly emails?: readonly string[] | undefined;
  readonly dns_names?: readonly string[] | undefined;
  readonly upns?: readonly string[] | undefined;
}

const KEY_USAGE_BITS: Readonly<Record<string, number>> = {
  digitalsignature: 0,
  nonrepudiation: 1,
  keyencipherment: 2,
  dataencipherment: 3,
  keyagreement: 4,
  keycertsign: 5,
  crlsign: 6,
  encipheronly: 7,
  decipheronly: 8,
};

function keyUsageBitString(usages: readonly string[]): Buffer {
  const bits = usages.map((usage) => KEY_USAGE_BITS[usage.toLowerCase()]).filter((bit) => bit !== undefined);
  if (bits.length === 0) return bitString(Buffer.alloc(0));
  const highest = Math.max(...bits);
  const bytes = Buffer.alloc(Math.floor(highest / 8) + 1);
  for (const bit of bits) bytes[Math.floor(bit / 8)]! |= 0x80 >> bit % 8;
  const unused = (bytes.length * 8 - (highest + 1)) % 8;
  return tlv(0x03, Buffer.concat([Buffer.from([unused]), bytes]));
}

function extension(oid: string, critical: boolean, value: Buffer): Buffer {
  return critical
    ? sequence(objectIdentifier(oid), boolean(true), octetString(value))
    : sequence(objectIdentifier(oid), octetString(value));
}

export interface CertificateProfile {
  readonly subject: string;
  readonly sans?: SubjectAlternativeNames | undefined;
  readonly keyUsage?: readonly string[] | undefined;
  readonly ekus?: readonly string[] | undefined;
}

function extensionsOf(profile: CertificateProfile, publicKeyDer: Buffer): Buffer[] {
  const extensions: Buffer[] = [];
  const sans = profile.sans;
  const names = [
    ...(sans?.emails ?? []).map((email) => implicitPrimitive(1, Buffer.from(email, "ascii"))),
    ...(sans?.dns_names ?? []).map((dns) => implicitPrimitive(2, Buffer.from(dns, "ascii"))),
    ...(sans?.upns ?? []).map((upn) =>
      tlv(0xa0, Buffer.concat([objectIdentifier("1.3.6.1.4.1.311.20.2.3"), explicit(0, utf8String(upn))]))
    ),
  ];
  if (names.length > 0) extensions.push(extension("2.5.29.17", false, sequence(...names)));
  if (profile.keyUsage !== undefined && profile.keyUsage.length > 0) {
    extensions.push(extension("2.5.29.15", true, keyUsageBitString(profile.keyUsage)));
  }
  if (profile.ekus !== undefined && profile.ekus.length > 0) {
    extensions.push(extension("2.5.29.37", false, sequence(...profile.ekus.map((eku) => objectIdentifier(eku)))));
  }
  extensions.push(extension("2.5.29.19", true, sequence()));
  extensions.push(extension("2.5.29.14", false, octetString(createHash("sha1").update(publicKeyDer).digest())));
  return extensions;
}

interface SignatureScheme {
  readonly algorithm: Buffer;
  readonly digest: string;
}

function signatureSchemeOf(privateKey: KeyObject): SignatureScheme {
  if (privateKey.asymmetricKeyType === "rsa") {
    return { algorithm: sequence(objectIdentifier("1.2.840.113549.1.1.11"), nullValue()), digest: "sha256" };
  }
  if (privateKey.asymmetricKeyType === "ec") {
    const curve = privateKey.asymmetricKeyDetails?.namedCurve;
    const [oid, digest] =
      curve === "secp384r1"
        ? ["1.2.840.10045.4.3.3", "sha384"]
        : curve === "secp521r1"
        ? ["1.2.840.10045.4.3.4", "sha512"]
        : ["1.2.840.10045.4.3.2", "sha256"];
    return { algorithm: sequence(objectIdentifier(oid)), digest };
  }
  throw new Error(`Certificates with ${privateKey.asymmetricKeyType ?? "unknown"} keys are not supported: use RSA or EC.`);
}

export interface SelfSignedCertificateInput extends CertificateProfile {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly notBefore: Date;
  readonly notAfter: Date;
}

/** A DER-encoded self-signed X.509 v3 certificate. */
export function createSelfSignedCertificate(input: SelfSignedCertificateInput): Buffer {
  const spki = input.publicKey.export({ type: "spki", format: "der" });
  const scheme = signatureSchemeOf(input.privateKey);
  const serial = randomBytes(16);
  serial[0] = serial[0]! & 0x7f;
  const name = encodeName(input.subject);
  const tbs = sequence(
    explicit(0, smallInteger(2)),
    unsignedInteger(serial),
    scheme.algorithm,
    name,
    sequence(time(input.notBefore), time(input.notAfter)),
    name,
    spki,
    explicit(3, sequence(...extensionsOf(input, spki)))
  );
  const signature = sign(scheme.digest, tbs, input.privateKey);
  return sequence(tbs, scheme.algorithm, bitString(signature));
}

/** A DER-encoded PKCS#10 certificate signing request (the `csr` of a pending certificate operation). */
export function createCertificateSigningRequest(input: CertificateProfile & { privateKey: KeyObject; publicKey: KeyObject }): Buffer {
  const spki = input.publicKey.export({ type: "spki", format: "der" });
  const scheme = signatureSchemeOf(input.privateKey);
  const extensionRequest = sequence(objectIdentifier("1.2.840.113549.1.9.14"), set(sequence(...extensionsOf(input, spki).slice(0, -2))));
  const info = sequence(smallInteger(0), encodeName(input.subject), spki, explicit(0, extensionRequest));
  return sequence(info, scheme.algorithm, bitString(sign(scheme.digest, info, input.privateKey)));
}

/** The `x5t` of a certificate: base64url SHA-1 thumbprint of its DER. */
export function thumbprintOf(certificateDer: Buffer): string {
  return createHash("sha1").update(certificateDer).digest("base64url");
}
