const KINDS: Record<string, string> = { secrets: "Secret", keys: "Key", certificates: "Certificate" };
const DELETED: Record<string, string> = { deletedsecrets: "Secret", deletedkeys: "Key", deletedcertificates: "Certificate" };

/**
 * The diagnostic-log operation name (ObjectVerb, key-vault.md §5.2) of a data-plane request, e.g.
 * `GET /secrets/db/` -> `SecretGet`, `POST /keys/k/rotate` -> `KeyRotate`. A request without a token is the
 * challenge leg: `Authentication`. Undefined for paths the log does not name.
 */
export function keyVaultOperationName(method: string, path: string, authenticated: boolean): string | undefined {
  if (!authenticated) return "Authentication";
  const m = method.toUpperCase();
  const segments = path.split("/").filter((s) => s.length > 0).map((s) => s.toLowerCase());
  const [collection, , third, fourth] = segments;
  if (collection === undefined) return undefined;
  const kind = Object.hasOwn(KINDS, collection) ? KINDS[collection] : undefined;
  if (kind) {
    if (segments.length === 1) return m === "GET" ? `${kind}List` : undefined;
    if (third === "versions" && m === "GET") return `${kind}ListVersions`;
    if (third === "backup" && m === "POST") return `${kind}Backup`;
    if (kind === "Key" && third === "rotate" && m === "POST") return "KeyRotate";
    if (kind === "Key" && third === "rotationpolicy") return m === "GET" ? "KeyRotationPolicyGet" : "KeyRotationPolicySet";
    if (kind === "Key" && third === "create" && m === "POST") return "KeyCreate";
    if (kind === "Certificate" && third === "create" && m === "POST") return "CertificateCreate";
    if (kind === "Certificate" && third === "policy") return m === "GET" ? "CertificatePolicyGet" : "CertificatePolicyUpdate";
    if (kind === "Certificate" && third === "pending") return m === "GET" ? "CertificatePendingGet" : m === "DELETE" ? "CertificatePendingDelete" : "CertificatePendingUpdate";
    if (fourth !== undefined) return undefined;
    switch (m) {
      case "GET":
        return `${kind}Get`;
      case "PUT":
        return kind === "Secret" ? "SecretSet" : kind === "Key" ? "KeyImport" : "CertificateImport";
      case "PATCH":
        return `${kind}Update`;
      case "DELETE":
        return segments.length === 2 ? `${kind}Delete` : undefined;
      default:
        return undefined;
    }
  }
  const deletedKind = Object.hasOwn(DELETED, collection) ? DELETED[collection] : undefined;
  if (deletedKind) {
    if (segments.length === 1) return m === "GET" ? `${deletedKind}ListDeleted` : undefined;
    if (third === "recover" && m === "POST") return `${deletedKind}Recover`;
    if (segments.length === 2 && m === "GET") return `${deletedKind}GetDeleted`;
    if (segments.length === 2 && m === "DELETE") return `${deletedKind}Purge`;
  }
  return undefined;
}
