import { createHmac, randomBytes, createHash, type KeyObject } from "node:crypto";
import { explicit, objectIdentifier, octetString, sequence, set, smallInteger, unsignedInteger, nullValue } from "./der.js";

/**
 * Unencrypted PKCS#12 (PFX) with an empty password and a SHA-256 MAC: the shape Key Vault returns as the value of a
 * certificate's backing secret when the policy's content type is `application/x-pkcs12` (the default).
 */

const DATA = "1.2.840.113549.1.7.1";
const KEY_BAG = "1.2.840.113549.1.12.10.1.1";
const CERT_BAG = "1.2.840.113549.1.12.10.1.3";
const X509_CERTIFICATE = "1.2.840.113549.1.9.22.1";
const LOCAL_KEY_ID = "1.2.840.113549.1.9.21";
const SHA256 = "2.16.840.1.101.3.4.2.1";

const dataContentInfo = (content: Buffer): Buffer => sequence(objectIdentifier(DATA), explicit(0, octetString(content)));

/** RFC 7292 appendix B.2 key derivation (ID 3 = MAC key) for SHA-256 and the empty password. */
function deriveMacKey(salt: Buffer, iterations: number): Buffer {
  const u = 32;
  const v = 64;
  const diversifier = Buffer.alloc(v, 3);
  const fill = (source: Buffer): Buffer => {
    if (source.length === 0) return Buffer.alloc(0);
    const length = v * Math.ceil(source.length / v);
    const out = Buffer.alloc(length);
    for (let index = 0; index < length; index += 1) out[index] = source[index % source.length]!;
    return out;
  };
  // The empty password is the BMPString terminator: two zero bytes.
  let block = createHash("sha256")
    .update(Buffer.concat([diversifier, fill(salt), fill(Buffer.alloc(2))]))
    .digest();
  for (let round = 1; round < iterations; round += 1) block = createHash("sha256").update(block).digest();
  return block.subarray(0, u);
}

export function createPkcs12(privateKey: KeyObject, certificateDer: Buffer): Buffer {
  const keyId = createHash("sha1").update(certificateDer).digest();
  const attributes = set(sequence(objectIdentifier(LOCAL_KEY_ID), set(octetString(keyId))));
  const keyBag = sequence(objectIdentifier(KEY_BAG), explicit(0, privateKey.export({ type: "pkcs8", format: "der" })), attributes);
  const certBag = sequence(
    objectIdentifier(CERT_BAG),
    explicit(0, sequence(objectIdentifier(X509_CERTIFICATE), explicit(0, octetString(certificateDer)))),
    attributes
  );
  const authenticatedSafe = sequence(dataContentInfo(sequence(certBag)), dataContentInfo(sequence(keyBag)));
  const salt = randomBytes(8);
  const iterations = 2048;
  const mac = createHmac("sha256", deriveMacKey(salt, iterations)).update(authenticatedSafe).digest();
  const macData = sequence(
    sequence(sequence(objectIdentifier(SHA256), nullValue()), octetString(mac)),
    octetString(salt),
    unsignedInteger(Buffer.from([iterations >> 8, iterations & 0xff]))
  );
  return sequence(smallInteger(3), dataContentInfo(authenticatedSafe), macData);
}
