import type { SpecFile } from "./swagger-response-validator.js";

/**
 * Which 7.5 swagger definition describes the body of a data-plane response, from its method, path and status
 * (the `responses` of each operation in secrets.json, keys.json and certificates.json).
 */
export function responseDefinitionFor(
  method: string,
  pathname: string,
  status: number
): { file: SpecFile; definition: string } | undefined {
  if (status === 204) return undefined;
  if (status >= 400) return { file: "common.json", definition: "KeyVaultError" };
  const segments = pathname.split("/").slice(1);
  const [collection = "", name, third, fourth] = segments;
  const m = method.toUpperCase();
  const list = name === undefined || (name === "" && segments.length === 2);
  switch (collection.toLowerCase()) {
    case "secrets":
      if (list || third === "versions") return { file: "secrets.json", definition: "SecretListResult" };
      if (third === "backup") return { file: "secrets.json", definition: "BackupSecretResult" };
      if (m === "DELETE") return { file: "secrets.json", definition: "DeletedSecretBundle" };
      return { file: "secrets.json", definition: "SecretBundle" };
    case "deletedsecrets":
      if (list) return { file: "secrets.json", definition: "DeletedSecretListResult" };
      if (third === "recover") return { file: "secrets.json", definition: "SecretBundle" };
      return { file: "secrets.json", definition: "DeletedSecretBundle" };
    case "keys":
      if (list || third === "versions") return { file: "keys.json", definition: "KeyListResult" };
      if (third === "backup") return { file: "keys.json", definition: "BackupKeyResult" };
      if (third === "rotationpolicy") return { file: "keys.json", definition: "KeyRotationPolicy" };
      if (fourth === "sign") return { file: "keys.json", definition: "KeyOperationResult" };
      if (fourth === "verify") return { file: "keys.json", definition: "KeyVerifyResult" };
      if (m === "DELETE") return { file: "keys.json", definition: "DeletedKeyBundle" };
      return { file: "keys.json", definition: "KeyBundle" };
    case "deletedkeys":
      if (list) return { file: "keys.json", definition: "DeletedKeyListResult" };
      if (third === "recover") return { file: "keys.json", definition: "KeyBundle" };
      return { file: "keys.json", definition: "DeletedKeyBundle" };
    case "certificates":
      if (list || third === "versions") return { file: "certificates.json", definition: "CertificateListResult" };
      if (third === "pending" || third === "create") return { file: "certificates.json", definition: "CertificateOperation" };
      if (third === "policy") return { file: "certificates.json", definition: "CertificatePolicy" };
      if (third === "backup") return { file: "certificates.json", definition: "BackupCertificateResult" };
      if (m === "DELETE") return { file: "certificates.json", definition: "DeletedCertificateBundle" };
      return { file: "certificates.json", definition: "CertificateBundle" };
    case "deletedcertificates":
      if (list) return { file: "certificates.json", definition: "DeletedCertificateListResult" };
      if (third === "recover") return { file: "certificates.json", definition: "CertificateBundle" };
      return { file: "certificates.json", definition: "DeletedCertificateBundle" };
    default:
      return undefined;
  }
}
