/**
 * One catalog of Key Vault data- and control-plane operations, as they appear in the `OperationName` of the
 * AuditEvent logs (AZKVAuditLogs / AzureDiagnostics) and in Defender alerts' operation counts. Triage and impact
 * both read it, so one alert can never be "metadata only" for one package and "rotate the key" for the other.
 *
 * Sources (see KEY_VAULT_OPERATION_SOURCES):
 * - Operation names: Microsoft Learn, "Azure Key Vault logging" (operation names table, ObjectVerb).
 * - What each call returns: the Key Vault REST API reference (Get Secret returns the value; Get Key returns the
 *   public part of the key (JWK without private fields); Backup returns a protected blob of the whole object, for
 *   keys including the private key material; Release / Export return the key to an attested environment).
 * - Certificates: Microsoft Learn, "About Azure Key Vault certificates": the certificate's private key is exposed as
 *   the addressable secret with the certificate's name (exportable policies only). So CertificateGet discloses public
 *   material; reading the private key shows up as SecretGet on the backing secret.
 * - Access-policy permissions per operation: Microsoft Learn, "Azure Key Vault security: access policies"
 *   (permission lists for keys, secrets and certificates).
 */

/** What an operation reveals or does. */
export type OperationExposure =
  /** Returns secret material: a secret value, a backup blob, an exported or released private key. Rotate. */
  | "secret-material"
  /** Uses a private key inside the vault (decrypt, unwrap, sign): the caller could use the key. Rotation recommended. */
  | "key-use"
  /** Returns or uses only public material (a key's public JWK, a certificate's public part, encrypt/wrap/verify). */
  | "public-material"
  /** Returns object or vault properties without values (attributes, policies, rotation policy, deleted-object info). */
  | "metadata"
  /** Lists names (and attributes) of objects or vaults. */
  | "list"
  /** Changes an object (set, create, import, update, delete, purge, recover, restore, rotate). */
  | "object-change"
  /** Changes the vault itself (properties, access policies, deletion). */
  | "vault-change"
  /** Sign-in challenge and event-grid notifications: no access to anything. */
  | "noise"
  /** Not in the catalog. */
  | "unknown";

export type OperationObjectType = "secret" | "key" | "certificate" | "vault" | "storage";

export interface KeyVaultOperation {
  /** The operation name as the logs spell it, e.g. `SecretGet`. */
  name: string;
  objectType: OperationObjectType | undefined;
  exposure: OperationExposure;
  /** Whether the exposure calls for rotating the object (secret material read, private key used, value written by the caller). */
  rotationRecommended: boolean;
  /** The access-policy permission that allows it, when one does. */
  permission?: { category: "keys" | "secrets" | "certificates" | "storage"; permission: string };
}

export const KEY_VAULT_OPERATION_SOURCES: readonly { title: string; url: string }[] = Object.freeze([
  { title: "Azure Key Vault logging (operation names)", url: "https://learn.microsoft.com/azure/key-vault/general/logging" },
  { title: "Key Vault REST API reference: Get Secret, Get Key, Backup Key, Release", url: "https://learn.microsoft.com/rest/api/keyvault/" },
  { title: "About Azure Key Vault certificates (composition: key, secret, certificate)", url: "https://learn.microsoft.com/azure/key-vault/certificates/about-certificates" },
  { title: "Azure Key Vault access policy permissions", url: "https://learn.microsoft.com/azure/key-vault/general/security-features" },
]);

type Row = [name: string, exposure: OperationExposure, permission?: string, rotate?: boolean];

/** Per object type: name, exposure, access-policy permission, whether a caller's write calls for rotation. */
const SECRET_ROWS: readonly Row[] = [
  ["SecretGet", "secret-material", "get"],
  ["SecretBackup", "secret-material", "backup"],
  ["SecretList", "list", "list"],
  ["SecretListVersions", "list", "list"],
  ["SecretListDeleted", "list", "list"],
  ["SecretGetDeleted", "metadata", "get"],
  // A value the caller chose (set, restore) cannot be trusted: a new, trusted value is needed.
  ["SecretSet", "object-change", "set", true],
  ["SecretRestore", "object-change", "restore", true],
  ["SecretUpdate", "object-change", "set"],
  ["SecretDelete", "object-change", "delete"],
  ["SecretPurge", "object-change", "purge"],
  ["SecretRecover", "object-change", "recover"],
];

const KEY_ROWS: readonly Row[] = [
  ["KeyBackup", "secret-material", "backup"],
  ["KeyRelease", "secret-material", "release"],
  ["KeyExport", "secret-material", "export"],
  ["KeyDecrypt", "key-use", "decrypt"],
  ["KeyUnwrap", "key-use", "unwrapKey"],
  ["KeyUnwrapKey", "key-use", "unwrapKey"],
  ["KeySign", "key-use", "sign"],
  ["KeyGet", "public-material", "get"],
  ["KeyEncrypt", "public-material", "encrypt"],
  ["KeyWrap", "public-material", "wrapKey"],
  ["KeyWrapKey", "public-material", "wrapKey"],
  ["KeyVerify", "public-material", "verify"],
  ["KeyList", "list", "list"],
  ["KeyListVersions", "list", "list"],
  ["KeyListDeleted", "list", "list"],
  ["KeyGetDeleted", "metadata", "get"],
  ["KeyGetRotationPolicy", "metadata", "getrotationpolicy"],
  ["KeyRotationPolicyGet", "metadata", "getrotationpolicy"],
  ["KeyCreate", "object-change", "create", true],
  ["KeyImport", "object-change", "import", true],
  ["KeyRestore", "object-change", "restore", true],
  ["KeyUpdate", "object-change", "update"],
  ["KeyRotate", "object-change", "rotate"],
  ["KeySetRotationPolicy", "object-change", "setrotationpolicy"],
  ["KeyRotationPolicySet", "object-change", "setrotationpolicy"],
  ["KeyDelete", "object-change", "delete"],
  ["KeyPurge", "object-change", "purge"],
  ["KeyRecover", "object-change", "recover"],
];

const CERTIFICATE_ROWS: readonly Row[] = [
  // A certificate backup carries the private key (the backing key and secret come with it).
  ["CertificateBackup", "secret-material", "backup"],
  // The public certificate only; the private key of an exportable certificate is read as SecretGet on its secret.
  ["CertificateGet", "public-material", "get"],
  ["CertificateList", "list", "list"],
  ["CertificateListVersions", "list", "list"],
  ["CertificateListDeleted", "list", "list"],
  ["CertificateIssuersList", "list", "listissuers"],
  ["CertificateIssuerList", "list", "listissuers"],
  ["CertificateGetDeleted", "metadata", "get"],
  ["CertificatePolicyGet", "metadata", "get"],
  ["CertificatePendingGet", "metadata", "get"],
  ["CertificateContactsGet", "metadata", "managecontacts"],
  ["CertificateIssuerGet", "metadata", "getissuers"],
  ["CertificateCreate", "object-change", "create", true],
  ["CertificateImport", "object-change", "import", true],
  ["CertificateRestore", "object-change", "restore", true],
  ["CertificatePendingMerge", "object-change", "create", true],
  ["CertificateUpdate", "object-change", "update"],
  ["CertificatePolicyUpdate", "object-change", "update"],
  ["CertificatePolicySet", "object-change", "update"],
  ["CertificatePendingUpdate", "object-change", "update"],
  ["CertificatePendingDelete", "object-change", "delete"],
  ["CertificateEnroll", "object-change", "create"],
  ["CertificateRenew", "object-change", "create"],
  ["CertificateDelete", "object-change", "delete"],
  ["CertificatePurge", "object-change", "purge"],
  ["CertificateRecover", "object-change", "recover"],
  ["CertificateContactsSet", "object-change", "managecontacts"],
  ["CertificateContactsDelete", "object-change", "managecontacts"],
  ["CertificateIssuerSet", "object-change", "setissuers"],
  ["CertificateIssuerUpdate", "object-change", "setissuers"],
  ["CertificateIssuerDelete", "object-change", "deleteissuers"],
];

const VAULT_ROWS: readonly Row[] = [
  ["VaultGet", "metadata"],
  ["VaultGetDeleted", "metadata"],
  ["VaultList", "list"],
  ["VaultListDeleted", "list"],
  ["VaultPut", "vault-change"],
  ["VaultPatch", "vault-change"],
  ["VaultDelete", "vault-change"],
  ["VaultPurge", "vault-change"],
  ["VaultRecover", "vault-change"],
];

const CATEGORY: Record<"secret" | "key" | "certificate", "secrets" | "keys" | "certificates"> = {
  secret: "secrets",
  key: "keys",
  certificate: "certificates",
};

function build(): Map<string, KeyVaultOperation> {
  const table = new Map<string, KeyVaultOperation>();
  const add = (objectType: OperationObjectType, rows: readonly Row[]): void => {
    for (const [name, exposure, permission, rotateOnWrite] of rows) {
      const entry: KeyVaultOperation = {
        name,
        objectType,
        exposure,
        rotationRecommended: exposure === "secret-material" || exposure === "key-use" || rotateOnWrite === true,
      };
      if (permission !== undefined && objectType !== "vault" && objectType !== "storage") {
        entry.permission = { category: CATEGORY[objectType], permission };
      }
      table.set(name.toLowerCase(), Object.freeze(entry));
    }
  };
  add("secret", SECRET_ROWS);
  add("key", KEY_ROWS);
  add("certificate", CERTIFICATE_ROWS);
  add("vault", VAULT_ROWS);
  table.set("authentication", Object.freeze({ name: "Authentication", objectType: undefined, exposure: "noise", rotationRecommended: false }));
  return table;
}

const CATALOG = build();

/** Every catalogued operation, for documentation and tests. */
export function listKeyVaultOperations(): readonly KeyVaultOperation[] {
  return [...CATALOG.values()];
}

const unknownCache = new Map<string, KeyVaultOperation>();

/**
 * The catalog entry for an operation name (case-insensitive). Names not in the catalog are classified by shape,
 * never as exposing nothing by default: an unknown `Secret*`/`Key*` read is `unknown`, which callers treat as
 * "may have exposed" rather than "metadata".
 */
export function classifyKeyVaultOperation(operationName: string): KeyVaultOperation {
  const lower = operationName.trim().toLowerCase();
  const known = CATALOG.get(lower);
  if (known !== undefined) return known;
  let guessed = unknownCache.get(lower);
  if (guessed === undefined) {
    guessed = Object.freeze(classifyByShape(operationName.trim(), lower));
    if (unknownCache.size < 1024) unknownCache.set(lower, guessed);
  }
  return guessed;
}

function classifyByShape(name: string, lower: string): KeyVaultOperation {
  if (lower.endsWith("eventgridnotification")) {
    // VaultAccessPolicyChangedEventGridNotification reports a change someone made to the vault.
    return lower.includes("accesspolicy")
      ? { name, objectType: "vault", exposure: "vault-change", rotationRecommended: false }
      : { name, objectType: undefined, exposure: "noise", rotationRecommended: false };
  }
  const objectType: OperationObjectType | undefined = lower.startsWith("secret")
    ? "secret"
    : lower.startsWith("key")
      ? "key"
      : lower.startsWith("certificate")
        ? "certificate"
        : lower.startsWith("vault")
          ? "vault"
          : lower.startsWith("storage")
            ? "storage"
            : undefined;
  if (objectType === "vault" && lower.includes("accesspolicy")) return { name, objectType, exposure: "vault-change", rotationRecommended: false };
  if (objectType !== undefined && /(set|update|delete|purge|recover|restore|create|import|rotate|merge|enroll|renew|put|patch)$/.test(lower)) {
    return { name, objectType, exposure: objectType === "vault" ? "vault-change" : "object-change", rotationRecommended: false };
  }
  if (objectType !== undefined && /list/.test(lower)) return { name, objectType, exposure: "list", rotationRecommended: false };
  return { name, objectType, exposure: "unknown", rotationRecommended: false };
}

/** Whether an operation exposes secret material or uses a private key (the caller could have the value or use the key). */
export function exposesKeyVaultValue(operationName: string): boolean {
  const exposure = classifyKeyVaultOperation(operationName).exposure;
  return exposure === "secret-material" || exposure === "key-use";
}
